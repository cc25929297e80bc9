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
    service_rating_consultation = fields.Boolean(
        related="company_id.service_rating_consultation", readonly=False
    )
    service_rating_repair = fields.Boolean(
        related="company_id.service_rating_repair", readonly=False
    )
    service_rating_maintenance = fields.Boolean(
        related="company_id.service_rating_maintenance", readonly=False
    )
    service_rating_installation = fields.Boolean(
        related="company_id.service_rating_installation", readonly=False
    )
    service_rating_demonstration = fields.Boolean(
        related="company_id.service_rating_demonstration", readonly=False
    )
    service_rating_complaint = fields.Boolean(
        related="company_id.service_rating_complaint", readonly=False
    )
