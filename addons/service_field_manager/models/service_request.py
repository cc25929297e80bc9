from collections import defaultdict

from odoo import api, models


class ServiceRequest(models.Model):
    _inherit = "service.request"

    @api.depends("repair_ids", "visit_ids.state", "visit_ids.picking_id")
    def _compute_service_profitability(self):
        """The repairs' figures plus the visits': their labour, and the value of
        the parts their transfers took out of stock. Read with sudo, like the
        repairs' (service staff see the figures, not the layers behind them)."""
        result = super()._compute_service_profitability()
        visits = (
            self.env["service.visit"]
            .sudo()
            .search_fetch(
                [("request_id", "in", self.ids), ("state", "=", "done")],
                ["request_id", "service_labour_cost", "picking_id"],
            )
        )
        labour = defaultdict(float)
        for visit in visits:
            labour[visit.request_id.id] += visit.service_labour_cost
        parts = defaultdict(float)
        if visits.picking_id:
            layers = (
                self.env["stock.valuation.layer"]
                .sudo()
                ._read_group(
                    [("stock_move_id.picking_id", "in", visits.picking_id.ids)],
                    ["stock_move_id"],
                    ["value:sum"],
                )
            )
            for move, value in layers:
                # consumption layers are negative: a cost is their opposite
                parts[move.picking_id.service_request_id.id] -= value
        for request in self:
            extra = labour[request.id] + parts[request.id]
            if not extra:
                continue
            request.service_labour_cost += labour[request.id]
            request.service_parts_cost += parts[request.id]
            request.service_margin -= extra
        return result
