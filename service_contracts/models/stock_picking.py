from odoo import fields, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "service.guarded.mixin"]

    service_warranty_claim_id = fields.Many2one(
        "service.warranty.claim",
        string="Warranty Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
        groups="base.group_user",
    )
    service_supplier_claim_id = fields.Many2one(
        "service.supplier.claim",
        string="Supplier Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
        groups="base.group_user",
    )

    def _service_guarded_fields(self):
        # Set by the claims' decisions: a transfer linked to a claim moves its
        # serial's warranty and its unit (stock.move._service_warranty_register).
        return super()._service_guarded_fields() | {
            "service_warranty_claim_id",
            "service_supplier_claim_id",
        }
