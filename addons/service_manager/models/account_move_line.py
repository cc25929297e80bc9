from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _compute_analytic_distribution(self):
        """Lines of service centres' bills, claim credit notes, supplier credit
        notes and contract invoices go to their document's analytic account."""
        result = super()._compute_analytic_distribution()
        for line in self:
            if line.display_type != "product" or not line.move_id:
                continue
            account = line.move_id._service_analytic_account()
            if account:
                line.analytic_distribution = account._service_add_to_distribution(
                    line.analytic_distribution
                )
        return result
