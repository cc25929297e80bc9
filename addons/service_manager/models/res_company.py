from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_rework_days = fields.Integer(
        string="Rework Window (days)",
        default=30,
        help="A new request on a unit within this many days of a finished repair "
        "counts as rework of that repair.",
        groups="base.group_user",
    )
    service_labour_rate = fields.Monetary(
        string="Labour Rate per Hour",
        currency_field="currency_id",
        help="Cost of one hour of a technician's work, for the cost of repairs.",
        groups="base.group_user",
    )
    service_weekly_hours = fields.Float(
        string="Technician Hours per Week",
        default=40.0,
        help="Capacity of one technician, to weigh the workload forecast.",
        groups="base.group_user",
    )
    service_hours_per_request = fields.Float(
        string="Hours per Request",
        default=4.0,
        help="Average time a request takes, to turn the forecast into hours.",
        groups="base.group_user",
    )
