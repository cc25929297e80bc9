from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_rework_days = fields.Integer(related="company_id.service_rework_days", readonly=False)
    service_labour_rate = fields.Monetary(
        related="company_id.service_labour_rate",
        readonly=False,
        currency_field="company_currency_id",
    )
    service_weekly_hours = fields.Float(related="company_id.service_weekly_hours", readonly=False)
    service_hours_per_request = fields.Float(
        related="company_id.service_hours_per_request", readonly=False
    )
