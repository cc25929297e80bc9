from odoo import api, fields, models

from .res_company import check_meter_per_day


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_maintenance_schedule_from = fields.Selection(
        related="company_id.service_maintenance_schedule_from", readonly=False
    )
    service_maintenance_meter_per_day = fields.Float(
        related="company_id.service_maintenance_meter_per_day", readonly=False
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_meter_per_day(self.env, vals)
        return super().create(vals_list)

    def write(self, vals):
        check_meter_per_day(self.env, vals)
        return super().write(vals)
