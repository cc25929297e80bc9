from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_equipment = fields.Boolean(
        string="Equipment Model",
        help="Units of this product are installed at customers and serviced: "
        "they form the installed base.",
    )
    service_equipment_count = fields.Integer(
        string="Installed Units", compute="_compute_service_equipment_count"
    )

    @api.depends("is_equipment")
    def _compute_service_equipment_count(self):
        counts = self.env["service.equipment"]._read_group(
            [("product_id.product_tmpl_id", "in", self.ids)], ["product_id"], ["__count"]
        )
        by_template = {}
        for product, count in counts:
            by_template[product.product_tmpl_id] = (
                by_template.get(product.product_tmpl_id, 0) + count
            )
        for template in self:
            template.service_equipment_count = by_template.get(template._origin, 0)

    @api.onchange("is_equipment")
    def _onchange_is_equipment(self):
        # Units are followed by serial number: an equipment model is tracked.
        if self.is_equipment:
            self.is_storable = True
            self.tracking = "serial"

    def action_view_service_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_base.service_equipment_action"
        )
        action["domain"] = [("product_id.product_tmpl_id", "=", self.id)]
        action["context"] = {"default_product_id": self.product_variant_id.id}
        return action
