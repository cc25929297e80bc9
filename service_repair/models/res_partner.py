from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_service_center = fields.Boolean(
        string="Service Centre",
        help="An external service centre: units can be sent to it for repair.",
        groups="base.group_user",
    )
