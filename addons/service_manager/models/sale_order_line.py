from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _compute_analytic_distribution(self):
        """A repair's quotation lines go to the repair's analytic account, and
        from them its invoice lines."""
        result = super()._compute_analytic_distribution()
        for line in self:
            if line.display_type:
                continue
            account = line._service_repair().service_analytic_account_id
            if account:
                line.analytic_distribution = account._service_add_to_distribution(
                    line.analytic_distribution
                )
        return result

    def _service_repair(self):
        """The repair order this line bills: the one whose part it sells, else
        the one it was sold for, else the first repair of its order."""
        self.ensure_one()
        # sudo: salespeople may not read repairs; only the link is followed.
        line = self.sudo()
        repairs = line.order_id.repair_order_ids
        if not repairs:
            return self.env["repair.order"]
        repair = (
            line.move_ids.repair_id[:1]
            or repairs.filtered(lambda r: r.sale_order_line_id == line)[:1]
            or repairs.sorted("id")[:1]
        )
        return repair.sudo(False)
