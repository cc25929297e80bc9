from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    service_warranty_claim_id = fields.Many2one(
        "service.warranty.claim",
        string="Warranty Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The customer's warranty claim this credit note refunds.",
    )
    service_supplier_claim_id = fields.Many2one(
        "service.supplier.claim",
        string="Supplier Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
