from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# A bound far above any technician's hourly cost: beyond it, a typing error.
MAX_LABOUR_RATE = 1_000_000


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

    @api.constrains("service_labour_rate")
    def _check_service_labour_rate(self):
        for company in self:
            if not 0 <= company.service_labour_rate <= MAX_LABOUR_RATE:
                raise ValidationError(
                    _(
                        "The labour rate of %(company)s must be between 0 and %(maximum)s an hour.",
                        company=company.name,
                        maximum=MAX_LABOUR_RATE,
                    )
                )
