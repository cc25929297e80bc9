from collections import defaultdict

from odoo import api, fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    service_labour_hours = fields.Float(
        string="Labour Hours", help="Hours the technicians spent on this repair."
    )


class ServiceRequestProfitability(models.Model):
    _inherit = "service.request"

    service_revenue = fields.Monetary(
        string="Revenue Invoiced",
        compute="_compute_service_profitability",
        help="Untaxed total of the posted customer invoices (less credit notes) of the "
        "quotations of this request's repairs.",
    )
    service_parts_cost = fields.Monetary(
        string="Parts Cost",
        compute="_compute_service_profitability",
        help="Parts consumed by the repairs, valued at the cost of their stock moves.",
    )
    service_labour_cost = fields.Monetary(
        string="Labour Cost",
        compute="_compute_service_profitability",
        help="Labour hours of the repairs times the company's labour rate.",
    )
    service_margin = fields.Monetary(string="Margin", compute="_compute_service_profitability")

    @api.depends("repair_ids")
    def _compute_service_profitability(self):
        """A handful of aggregate queries for the whole batch, whatever its size.

        Costs and revenue are read with sudo: service staff see the figures
        of the requests they may read, not the journal items behind them.
        """
        repairs = (
            self.env["repair.order"]
            .sudo()
            .search_fetch(
                [("request_id", "in", self.ids)],
                ["request_id", "sale_order_id", "service_labour_hours", "company_id"],
            )
        )
        request_of_repair = {r.id: r.request_id.id for r in repairs}
        request_of_order = {r.sale_order_id.id: r.request_id.id for r in repairs if r.sale_order_id}
        parts = defaultdict(float)
        layers = (
            self.env["stock.valuation.layer"]
            .sudo()
            ._read_group(
                [("stock_move_id.repair_id", "in", repairs.ids)], ["stock_move_id"], ["value:sum"]
            )
        )
        for move, value in layers:
            # consumption layers are negative: a cost is their opposite
            parts[request_of_repair.get(move.repair_id.id)] -= value
        labour = defaultdict(float)
        for repair in repairs:
            labour[repair.request_id.id] += (
                repair.service_labour_hours * repair.company_id.service_labour_rate
            )
        revenue = defaultdict(float)
        if request_of_order:
            lines = (
                self.env["account.move.line"]
                .sudo()
                .search_fetch(
                    [
                        ("sale_line_ids.order_id", "in", list(request_of_order)),
                        ("move_id.state", "=", "posted"),
                        ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                        ("display_type", "=", "product"),
                    ],
                    ["balance", "sale_line_ids"],
                )
            )
            for line in lines:
                order = line.sale_line_ids.order_id[:1]
                revenue[request_of_order.get(order.id)] -= line.balance
        for request in self:
            request.service_revenue = revenue.get(request.id, 0.0)
            request.service_parts_cost = parts.get(request.id, 0.0)
            request.service_labour_cost = labour.get(request.id, 0.0)
            request.service_margin = (
                request.service_revenue
                - request.service_parts_cost
                - request.service_labour_cost
                - request.service_center_cost
            )


class ServiceContractProfitability(models.Model):
    _inherit = "service.contract"

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
