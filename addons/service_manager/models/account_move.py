from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def write(self, vals):
        result = super().write(vals)
        if {
            "service_request_id",
            "service_warranty_claim_id",
            "service_supplier_claim_id",
            "service_contract_id",
        } & set(vals):
            # Linked after its lines were made: charge them to the document's
            # analytic account (on a posted entry this redoes its analytic lines).
            for move in self:
                account = move._service_analytic_account()
                if not account:
                    continue
                for line in move.invoice_line_ids.filtered(lambda ml: ml.display_type == "product"):
                    distribution = account._service_add_to_distribution(line.analytic_distribution)
                    if distribution != line.analytic_distribution:
                        line.analytic_distribution = distribution
        return result

    def _service_analytic_account(self):
        """The analytic account of the service document this entry belongs to."""
        self.ensure_one()
        # sudo: only the analytic account of the entry's own documents is read.
        move = self.sudo()
        return (
            move.service_contract_id.analytic_account_id
            or move.service_request_id.analytic_account_id
            or move.service_warranty_claim_id.analytic_account_id
            or move.service_supplier_claim_id.claim_id.analytic_account_id
        ).sudo(False)
