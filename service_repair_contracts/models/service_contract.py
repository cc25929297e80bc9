from odoo import api, fields, models


class ServiceContract(models.Model):
    _inherit = "service.contract"

    service_request_ids = fields.One2many(
        "service.request",
        "contract_id",
        string="Requests",
        groups="service_base.group_service_user",
    )
    service_request_count = fields.Integer(
        string="Request Count",
        compute="_compute_service_request_count",
        groups="service_base.group_service_user",
    )

    @api.depends("service_request_ids")
    def _compute_service_request_count(self):
        counts = dict(
            self.env["service.request"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.service_request_count = counts.get(contract._origin, 0)

    def action_view_service_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_repair.service_request_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action
