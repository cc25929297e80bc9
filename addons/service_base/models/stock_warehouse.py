from odoo import fields, models

from ..tools import lock_for_update


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    service_repair_location_id = fields.Many2one(
        "stock.location",
        string="Repair Location",
        copy=False,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Where customers' units accepted for repair are kept, as the customers' "
        "stock (consignment): they are not the company's stock and carry no valuation. "
        "Created on the first intake when empty.",
    )
    service_loan_location_id = fields.Many2one(
        "stock.location",
        string="Units on Loan Location",
        copy=False,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Where the company's loaner and demo units are while they are lent to a "
        "customer: still the company's stock, valued where it is, outside the stock "
        "that sales and repairs take from. Created on the first loan when empty.",
    )

    def _service_repair_location(self):
        """The warehouse's repair location, created on first use."""
        return self._service_location(
            "service_repair_location_id", self._service_company_env()._("Repair")
        )

    def _service_loan_location(self):
        """The warehouse's location of the units on loan, created on first use.

        An internal location of the warehouse (beside its stock, not inside
        it): a unit lent moves there and back without leaving the company's
        books, so neither move is valued, and no delivery reserves it."""
        return self._service_location(
            "service_loan_location_id", self._service_company_env()._("Units on Loan")
        )

    def _service_company_env(self):
        """The env in the company's language: a location is the company's, its
        name the same for every user, whatever the language of the first one
        whose transfer created it."""
        return self.with_context(lang=self.company_id.partner_id.lang or "en_US").env

    def _service_location(self, field_name, name):
        self.ensure_one()
        if self[field_name]:
            return self[field_name]
        # One location per warehouse, also when two units move at once.
        lock_for_update(self)
        self.invalidate_recordset([field_name])
        if self[field_name]:
            return self[field_name]
        # sudo: service staff may not create locations; this creates the one
        # location of the warehouse that the action needs, the same for every
        # caller, and shows them nothing they could not read before.
        location = (
            self.env["stock.location"]
            .sudo()
            .create(
                {
                    "name": name,
                    "usage": "internal",
                    "location_id": self.view_location_id.id,
                    "company_id": self.company_id.id,
                }
            )
        )
        self.sudo()[field_name] = location
        return location.with_env(self.env)
