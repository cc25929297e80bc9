from odoo import api, fields, models


class ServiceTeam(models.Model):
    _inherit = "service.team"

    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        check_company=True,
        tracking=True,
        help="Requests of this team that no contract covers are charged to this analytic "
        "account (repairs, parts, labour, service-centre bills).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        for team, vals in zip(teams, vals_list, strict=True):
            if vals.get("analytic_account_id"):
                team.analytic_account_id._service_check_chargeable(team)
        return teams

    def write(self, vals):
        result = super().write(vals)
        if vals.get("analytic_account_id"):
            # The team's requests, repairs and labour follow its account.
            for team in self:
                team.analytic_account_id._service_check_chargeable(team)
        return result
