from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    # The variant form is built from the template's form (mode primary): its
    # smart button calls these on product.product.
    service_equipment_count = fields.Integer(
        string="Installed Units", compute="_compute_service_equipment_count"
    )

    def _compute_service_equipment_count(self):
        counts = dict(
            self.env["service.equipment"]._read_group(
                [("product_id", "in", self.ids)], ["product_id"], ["__count"]
            )
        )
        for product in self:
            product.service_equipment_count = counts.get(product._origin, 0)

    def action_view_service_equipment(self):
        """Open the installed units of this product variant."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_base.service_equipment_action"
        )
        action["domain"] = [("product_id", "=", self.id)]
        action["context"] = {"default_product_id": self.id}
        return action
