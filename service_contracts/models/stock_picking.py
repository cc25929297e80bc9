from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    service_warranty_claim_id = fields.Many2one(
        "service.warranty.claim",
        string="Warranty Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    service_supplier_claim_id = fields.Many2one(
        "service.supplier.claim",
        string="Supplier Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
