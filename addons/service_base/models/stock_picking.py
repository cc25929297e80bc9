from odoo import api, fields, models

from ..tools import action_records


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "service.guarded.mixin"]

    service_unit_transfer = fields.Boolean(
        string="Service Transfer of a Unit",
        readonly=True,
        copy=False,
        help="The unit moves for service (a demonstration, a loan, a service centre) "
        "and stays with its owner: the transfer is not a sale.",
        groups="base.group_user",
    )

    @api.model
    def _service_create_unit_transfer(
        self, product, lot, picking_type, source, destination, partner, origin, **vals
    ):
        """Create and confirm the transfer of one unit, its serial ``lot`` set on
        the move line (when given), ready to validate; return the picking.

        ``vals`` adds picking values, e.g. a link to the service document that
        moves the unit, or ``owner_id``: the partner whose stock the unit is
        (a customer's unit in for repair), kept on the move line so the unit
        is never the company's stock. The transfer is marked as a service transfer: whatever
        its destination, the unit does not change owner (no warranty starts).
        """
        # Not a sale, so no warranty starts: a fact of this method, which no
        # form or RPC client may set or clear on a transfer (see _service_guarded_fields).
        picking = action_records(self).create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": partner.id,
                "origin": origin,
                "service_unit_transfer": True,
                "move_ids": [
                    fields.Command.create(
                        {
                            "name": product.display_name,
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "restrict_partner_id": vals.get("owner_id"),
                        }
                    )
                ],
                **vals,
            }
        )
        picking = picking.with_env(self.env)
        picking.action_confirm()
        if lot:
            move = picking.move_ids
            move.move_line_ids.unlink()
            self.env["stock.move.line"].create(
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "product_uom_id": product.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "owner_id": picking.owner_id.id,
                }
            )
        return picking

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {"service_unit_transfer"}
