from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_service_competitor = fields.Boolean(
        string="Competitor",
        help="A company we meet on deals: lost opportunities and quotations name it.",
        groups="base.group_user",
    )
