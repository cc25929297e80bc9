from odoo import api, fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

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
        moves the unit. The transfer is marked as a service transfer: whatever
        its destination, the unit does not change owner (no warranty starts).
        """
        picking = self.create(
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
                        }
                    )
                ],
                **vals,
            }
        )
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
                }
            )
        return picking
