from odoo import fields, models


class ServiceTeam(models.Model):
    _inherit = "service.team"

    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        check_company=True,
        tracking=True,
        help="Requests of this team that no contract covers are charged to this analytic "
        "account (repairs, parts, labour, service-centre bills).",
    )
