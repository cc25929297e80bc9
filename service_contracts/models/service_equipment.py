from odoo import _, fields, models


class ServiceEquipment(models.Model):
    _inherit = "service.equipment"

    service_warranty_start = fields.Date(related="lot_id.service_warranty_start")
    service_warranty_end = fields.Date(related="lot_id.service_warranty_end")
    service_in_warranty = fields.Boolean(related="lot_id.service_in_warranty")
    service_warranty_claim_ids = fields.One2many(
        "service.warranty.claim", "equipment_id", string="Warranty Claims"
    )
    service_warranty_claim_count = fields.Integer(
        string="Claims", compute="_compute_service_warranty_claim_count"
    )

    def _compute_service_warranty_claim_count(self):
        counts = dict(
            self.env["service.warranty.claim"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for unit in self:
            unit.service_warranty_claim_count = counts.get(unit, 0)

    def write(self, vals):
        res = super().write(vals)
        if vals.get("installation_date"):
            self.lot_id._service_warranty_apply_installation(
                {unit.lot_id: unit.installation_date for unit in self if unit.lot_id}
            )
        return res

    def action_view_service_warranty_claims(self):
        """Open the unit's warranty claims; a new one starts from this unit."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_contracts.service_warranty_claim_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {
            "default_equipment_id": self.id,
            "default_lot_id": self.lot_id.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def action_service_warranty_status(self):
        """Show the unit's warranty status in a notification."""
        self.ensure_one()
        if not self.lot_id:
            return self._service_warranty_notification(
                {"in_warranty": False, "source": "unknown", "serial": ""}
            )
        return self._service_warranty_notification(
            self.env["stock.lot"].service_warranty_status(self.lot_id.name)
        )

    def _service_warranty_notification(self, status):
        if status["in_warranty"]:
            message = _(
                "In warranty until %(end)s (%(days)s days left).",
                end=status["warranty_end"] or "-",
                days=status["days_left"],
            )
            kind = "success"
        elif status["source"] == "unknown":
            message = _("Serial number %(serial)s is not known.", serial=status["serial"])
            kind = "warning"
        elif status["source"] == "none":
            message = _("No warranty is registered for this serial number.")
            kind = "warning"
        else:
            message = _("Warranty expired on %(end)s.", end=status["warranty_end"])
            kind = "warning"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": _("Warranty"), "message": message, "type": kind},
        }
