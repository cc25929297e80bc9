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
    service_target_sla = fields.Float(related="company_id.service_target_sla", readonly=False)
    service_target_csat = fields.Float(related="company_id.service_target_csat", readonly=False)
    service_target_first_time_fix = fields.Float(
        related="company_id.service_target_first_time_fix", readonly=False
    )
    service_target_parts_fill = fields.Float(
        related="company_id.service_target_parts_fill", readonly=False
    )
    service_target_qc_pass = fields.Float(
        related="company_id.service_target_qc_pass", readonly=False
    )
