from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

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
