from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_deadline_hours_0 = fields.Integer(
        related="company_id.service_deadline_hours_0", readonly=False
    )
    service_deadline_hours_1 = fields.Integer(
        related="company_id.service_deadline_hours_1", readonly=False
    )
    service_deadline_hours_2 = fields.Integer(
        related="company_id.service_deadline_hours_2", readonly=False
    )
