from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools import lock_for_update


class StockLot(models.Model):
    _inherit = "stock.lot"

    service_equipment_ids = fields.One2many("service.equipment", "lot_id", string="Units")
    service_equipment_count = fields.Integer(
        string="Registered Units", compute="_compute_service_equipment_count"
    )

    def _compute_service_equipment_count(self):
        counts = dict(
            self.env["service.equipment"]._read_group(
                [("lot_id", "in", self.ids)], ["lot_id"], ["__count"]
            )
        )
        for lot in self:
            lot.service_equipment_count = counts.get(lot, 0)

    def action_create_service_equipment(self):
        """Register these serials as units of the installed base, then open them.

        Owner and sale date come from each serial's last delivery to a customer.
        One unit per serial, also when two users register it at once.
        """
        lock_for_update(self)
        already = self.filtered("service_equipment_ids")
        if already:
            raise UserError(
                _(
                    "These serial numbers are already registered as units: %(serials)s",
                    serials=", ".join(already.mapped("name")),
                )
            )
        not_equipment = self.filtered(lambda lot: not lot.product_id.is_equipment)
        if not_equipment:
            raise UserError(
                _(
                    "Only serials of equipment models can become units; "
                    "%(products)s is not an equipment model.",
                    products=", ".join(not_equipment.product_id.mapped("display_name")),
                )
            )
        Equipment = self.env["service.equipment"]
        units = Equipment.create([Equipment._prepare_vals_from_lot(lot) for lot in self])
        return self._action_view_service_equipment(units)

    def action_view_service_equipment(self):
        """Open the units registered with these serials."""
        return self._action_view_service_equipment(self.service_equipment_ids)

    def _action_view_service_equipment(self, units):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_base.service_equipment_action"
        )
        if len(units) == 1:
            action.update(views=[(False, "form")], res_id=units.id)
        else:
            action["domain"] = [("id", "in", units.ids)]
        return action
