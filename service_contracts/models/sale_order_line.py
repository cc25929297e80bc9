from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    service_contract_line_ids = fields.One2many(
        "service.contract.line",
        "sale_line_id",
        string="Contract Lines",
        groups="base.group_user",
    )

    @api.depends(
        "service_contract_line_ids.contract_id.state",
        "service_contract_line_ids.contract_id.invoice_ids.state",
    )
    def _compute_qty_to_invoice(self):
        """A line a service contract took over is invoiced by the contract, period
        by period: the order has nothing more to invoice for it. A cancelled
        contract that invoiced nothing gives the line back to the order; one that
        did invoice keeps it (the order would bill it a second time)."""
        res = super()._compute_qty_to_invoice()
        # sudo: whether a contract took the line over decides what the order
        # invoices, also for a salesperson who may not read that contract.
        taken = self.sudo().filtered(
            lambda line: any(
                c.state != "cancelled" or c.invoice_ids.filtered(lambda m: m.state != "cancel")
                for c in line.service_contract_line_ids.contract_id
            )
        )
        for line in self.browse(taken.ids):
            line.qty_to_invoice = 0.0
        return res
