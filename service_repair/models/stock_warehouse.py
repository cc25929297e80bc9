from odoo import _, fields, models

from odoo.addons.service_base.tools import lock_for_update


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

    def _service_repair_location(self):
        """The warehouse's repair location, created on first use."""
        self.ensure_one()
        if self.service_repair_location_id:
            return self.service_repair_location_id
        # One location per warehouse, also when two units are received at once.
        lock_for_update(self)
        if self.service_repair_location_id:
            return self.service_repair_location_id
        # sudo: service staff may not create locations; this creates the one
        # location of the warehouse that the intake needs, the same for every
        # caller, and shows them nothing they could not read before.
        location = (
            self.env["stock.location"]
            .sudo()
            .create(
                {
                    "name": _("Repair"),
                    "usage": "internal",
                    "location_id": self.view_location_id.id,
                    "company_id": self.company_id.id,
                }
            )
        )
        self.sudo().service_repair_location_id = location
        return location.with_env(self.env)
