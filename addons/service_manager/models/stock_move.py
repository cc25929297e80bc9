from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_analytic_distribution(self):
        """Parts of a repair and a warranty claim's replacement unit are costs
        of the repair's (or the claim's) analytic account."""
        account = self._service_analytic_account()
        if account:
            return account._service_add_to_distribution(super()._get_analytic_distribution())
        return super()._get_analytic_distribution()

    def _ignore_automatic_valuation(self):
        # As mrp_account does for components: with automated valuation, take
        # the analytic cost of a repair's parts from their valuation layers
        # (the journal entry of the consumption carries no distribution).
        return super()._ignore_automatic_valuation() or bool(
            self.repair_id and self.repair_line_type
        )

    def _service_analytic_account(self):
        self.ensure_one()
        if self.repair_id and self.repair_line_type:
            return self.repair_id.service_analytic_account_id
        # sudo: the claim of the transfer is read only for its analytic account.
        claim = self.picking_id.sudo().service_warranty_claim_id
        if claim and claim.replacement_picking_id == self.picking_id:
            return claim.analytic_account_id.sudo(False)
        return self.env["account.analytic.account"]
