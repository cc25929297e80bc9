from odoo import models


class ServiceWarrantyClaim(models.Model):
    _inherit = "service.warranty.claim"

    def _prepare_repair_vals(self, under_warranty):
        """The claim's repairs belong to its unit: they show in the unit's history
        and count when the unit comes back (rework)."""
        vals = super()._prepare_repair_vals(under_warranty)
        vals["equipment_id"] = self.equipment_id.id
        return vals
