from odoo import api, fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    request_id = fields.Many2one(
        "service.request",
        string="Service Request",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        copy=False,
    )
    equipment_id = fields.Many2one(
        "service.equipment",
        string="Unit",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        unit = self.equipment_id
        if unit:
            self.product_id = unit.product_id
            self.lot_id = unit.lot_id
            if not self.partner_id:
                self.partner_id = unit.partner_id

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") == "done":
            self.request_id._close_when_repairs_done()
        return res
