from dateutil.relativedelta import relativedelta

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
    service_complaint = fields.Text(
        string="Customer's Complaint", help="The fault as the customer describes it."
    )
    service_completeness = fields.Text(
        string="Completeness",
        help="What was handed over with the unit: accessories, cables, documents.",
    )
    service_condition = fields.Text(
        string="Visible Condition", help="Scratches, dents, missing parts noted at acceptance."
    )
    service_work_done = fields.Html(string="Work Done")
    service_warranty_months = fields.Integer(
        string="Warranty on Repair (months)",
        default=3,
        help="How long the work done is guaranteed, from the end of the repair.",
    )
    service_date_done = fields.Datetime(string="Repaired On", readonly=True, copy=False)
    service_warranty_end = fields.Date(
        string="Repair Warranty Until", compute="_compute_service_warranty_end"
    )

    @api.depends("service_date_done", "service_warranty_months")
    def _compute_service_warranty_end(self):
        for repair in self:
            repair.service_warranty_end = (
                repair.service_date_done
                and repair.service_warranty_months
                and (
                    repair.service_date_done.date()
                    + relativedelta(months=repair.service_warranty_months)
                )
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
        if vals.get("state") == "done":
            vals.setdefault("service_date_done", fields.Datetime.now())
        res = super().write(vals)
        if vals.get("state") in ("done", "cancel"):
            # sudo: repairs are also ended or cancelled by users without Service
            # rights (Odoo's Repairs and Sales users); closing the requests of
            # finished repairs is bookkeeping that returns nothing to them.
            self.sudo().request_id._close_when_repairs_done()
        return res
