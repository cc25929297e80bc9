from odoo import models

from odoo.addons.service_base.tools import action_records


class ServiceWarrantyClaim(models.Model):
    _inherit = "service.warranty.claim"

    def _prepare_repair_vals(self, under_warranty):
        """The claim's repairs belong to its unit: they show in the unit's history
        and count when the unit comes back (rework)."""
        vals = super()._prepare_repair_vals(under_warranty)
        vals["equipment_id"] = self.equipment_id.id
        return vals

    def _decide_repair(self):
        # A warranty that is a contract's with a yearly cap does not make the
        # repair free as a whole: the cap pays its lines while it lasts, as for
        # the contract's requests (sale.order.line._service_contract_cover).
        capped = self.warranty_source == "contract" and self.warranty_contract_id.yearly_cap
        action_records(self).repair_id = self._create_repair(
            under_warranty=self.in_warranty and not capped
        )
