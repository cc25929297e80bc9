from odoo import _, api, fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    service_purchase_ids = fields.Many2many(
        "purchase.order",
        "service_parts_purchase_repair_rel",
        "repair_id",
        "purchase_id",
        string="Parts Purchases",
        copy=False,
        check_company=True,
    )
    service_purchase_count = fields.Integer(compute="_compute_service_purchase_count")

    @api.depends("service_purchase_ids")
    def _compute_service_purchase_count(self):
        for repair in self:
            repair.service_purchase_count = len(repair.service_purchase_ids)

    def action_service_parts_lookup(self):
        """Open the parts lookup for this repair: the unit is preselected and
        "Add to repair order" adds the part here."""
        self.ensure_one()
        equipment = (
            self.env["service.equipment"].search([("lot_id", "=", self.lot_id.id)], limit=1)
            if self.lot_id
            else self.env["service.equipment"]
        )
        return {
            "type": "ir.actions.client",
            "tag": "service_parts_lookup",
            "name": _("Parts for %(repair)s", repair=self.display_name),
            "params": {
                "repair_id": self.id,
                "equipment_id": equipment.id or False,
                "partner_id": self.partner_id.id or False,
            },
        }

    def action_view_service_purchases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("purchase.purchase_rfq")
        action["domain"] = [("id", "in", self.service_purchase_ids.ids)]
        return action
