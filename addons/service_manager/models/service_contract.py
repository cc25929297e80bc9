from collections import defaultdict

from odoo import fields, models


class ServiceContract(models.Model):
    _name = "service.contract"
    _inherit = ["service.contract", "service.meeting.mixin"]

    service_revenue = fields.Monetary(
        string="Revenue Invoiced", compute="_compute_service_profitability"
    )
    service_cost = fields.Monetary(
        string="Cost of Service",
        compute="_compute_service_profitability",
        help="Parts, labour and service-centre costs of the requests under this contract.",
    )
    service_margin = fields.Monetary(string="Margin", compute="_compute_service_profitability")

    def _compute_service_profitability(self):
        invoiced = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("service_contract_id", "in", self.ids),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ],
                ["service_contract_id"],
                ["amount_untaxed_signed:sum"],
            )
        )
        requests = self.env["service.request"].sudo().search([("contract_id", "in", self.ids)])
        cost = defaultdict(float)
        for request in requests:
            cost[request.contract_id.id] += (
                request.service_parts_cost
                + request.service_labour_cost
                + request.service_center_cost
            )
        for contract in self:
            contract.service_revenue = invoiced.get(contract, 0.0)
            contract.service_cost = cost.get(contract.id, 0.0)
            contract.service_margin = contract.service_revenue - contract.service_cost
