from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _get_display_price(self):
        """A repair's quotation charges nothing for what the customer's contract covers."""
        if self._service_covered_by_contract():
            return 0.0
        return super()._get_display_price()

    def _service_covered_by_contract(self):
        self.ensure_one()
        contract = self.order_id.repair_order_ids.request_id.contract_id[:1]
        if not contract:
            return False
        if self.product_id.type == "service":
            return contract.cover_labour
        return contract.cover_parts
