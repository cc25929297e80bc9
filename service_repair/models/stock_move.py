from odoo import api, models


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.model_create_multi
    def create(self, vals_list):
        # The repaired unit's move of RepairOrder.action_repair_done, for a
        # customer's unit: the customer stays its owner (not nobody).
        owners = self.env.context.get("service_repair_unit_owners")
        if owners:
            for vals in vals_list:
                owner = owners.get(vals.get("repair_id"))
                if owner and not vals.get("repair_line_type"):
                    for command in vals.get("move_line_ids") or ():
                        if command[0] == 0 and not command[2].get("owner_id"):
                            command[2]["owner_id"] = owner
        return super().create(vals_list)

    def _service_stays_owners(self):
        """A service transfer of a unit that stays its owner's stock (a
        customer's unit): never valued, whatever its locations."""
        self.ensure_one()
        return bool(
            self.picking_id.service_unit_transfer
            and self.move_line_ids
            and all(line._should_exclude_for_valuation() for line in self.move_line_ids)
        )

    # Odoo values a move between the customers' and a company-less transit
    # location (the service centres) as a dropship without looking at the
    # owner: a customer's unit sent from the customer's to a service centre
    # would get a layer in and out, and journal entries.
    def _is_dropshipped(self):
        return super()._is_dropshipped() and not self._service_stays_owners()

    def _is_dropshipped_returned(self):
        return super()._is_dropshipped_returned() and not self._service_stays_owners()

    # The repair's quotation lines follow its parts (Odoo's repair does it on
    # each change of a part). A technician changes the parts of a repair
    # without the rights of Sales on its quotation: who may change the repair
    # keeps its quotation's lines in step with it. sudo: only those lines of
    # the repair's own quotation, as Odoo writes them.
    def _service_repair_quotation_env(self):
        repairs = self.repair_id
        if not repairs or self.env.su:
            return self
        repairs.check_access("write")
        return self.sudo()

    def _create_repair_sale_order_line(self):
        return super(
            StockMove, self._service_repair_quotation_env()
        )._create_repair_sale_order_line()

    def _update_repair_sale_order_line(self):
        return super(
            StockMove, self._service_repair_quotation_env()
        )._update_repair_sale_order_line()

    def _clean_repair_sale_order_line(self):
        return super(
            StockMove, self._service_repair_quotation_env()
        )._clean_repair_sale_order_line()
