from ast import literal_eval

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ServiceTeam(models.Model):
    _name = "service.team"
    _inherit = ["service.team", "mail.alias.mixin"]

    request_ids = fields.One2many("service.request", "team_id", string="Requests")
    open_request_count = fields.Integer(compute="_compute_open_request_count")

    def _compute_open_request_count(self):
        counts = dict(
            self.env["service.request"]._read_group(
                [("team_id", "in", self.ids), ("is_closed", "=", False)], ["team_id"], ["__count"]
            )
        )
        for team in self:
            team.open_request_count = counts.get(team, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_by_dispatch_rules(self):
        rules = (
            self.env["service.dispatch.rule"]
            .with_context(active_test=False)
            .search([("team_id", "in", self.ids)])
        )
        if rules:
            raise UserError(
                _(
                    "Team %(team)s is used by the dispatch rules %(rules)s: "
                    "give them another team or delete them first.",
                    team=rules.team_id[:1].display_name,
                    rules=", ".join(rules.mapped("name")),
                )
            )

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("service.request").id
        if self.id:
            defaults = literal_eval(self.alias_defaults or "{}")
            defaults.update(team_id=self.id, company_id=self.company_id.id, channel="email")
            values["alias_defaults"] = defaults
            values["alias_parent_thread_id"] = self.id
        return values

    def action_view_open_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_repair.service_request_action"
        )
        action["domain"] = [("team_id", "=", self.id), ("is_closed", "=", False)]
        action["context"] = {"default_team_id": self.id}
        return action
