from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _eligible_for_cogs(self):
        # A warranty refund whose claim takes the unit back reverses the cost
        # of the sale (anglo-saxon), as the return of the unit puts it back in
        # stock. A further refund of a serial already taken back (by another
        # claim) is an allowance on the price: the cost was reversed once.
        # sudo: only the claim's own return transfer is compared.
        claim = self.move_id.sudo().service_warranty_claim_id
        if (
            claim
            and self.move_id.move_type == "out_refund"
            and claim.return_picking_id.service_warranty_claim_id != claim
        ):
            return False
        return super()._eligible_for_cogs()
