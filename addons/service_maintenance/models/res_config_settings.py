from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_maintenance_schedule_from = fields.Selection(
        related="company_id.service_maintenance_schedule_from", readonly=False
    )
    service_maintenance_meter_per_day = fields.Float(
        related="company_id.service_maintenance_meter_per_day", readonly=False
    )
