from odoo import _, fields, models


class RepairOrder(models.Model):
    _name = "repair.order"
    _inherit = ["repair.order", "service.guarded.mixin"]

    service_warranty_claim_id = fields.Many2one(
        "service.warranty.claim",
        string="Warranty Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
    )
    service_warranty_end = fields.Date(related="lot_id.service_warranty_end")
    service_in_warranty = fields.Boolean(related="lot_id.service_in_warranty")
    service_warranty_source = fields.Selection(related="lot_id.service_warranty_source")
    service_warranty_label = fields.Char(related="lot_id.service_warranty_label")

    def _service_guarded_fields(self):
        # Set by the claim's decision: the claim counts the repair's cost.
        return super()._service_guarded_fields() | {"service_warranty_claim_id"}

    def action_service_warranty_status(self):
        """Show the repaired serial's warranty status in a notification."""
        self.ensure_one()
        equipment = self.env["service.equipment"]
        if not self.lot_id:
            return equipment._service_warranty_notification(
                {"in_warranty": False, "label": _("No serial number, so no warranty to check.")}
            )
        return equipment._service_warranty_notification(
            self.env["stock.lot"].service_warranty_status(self.lot_id.name)
        )
