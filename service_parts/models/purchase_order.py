from odoo import api, fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    service_repair_ids = fields.Many2many(
        "repair.order",
        "service_parts_purchase_repair_rel",
        "purchase_id",
        "repair_id",
        string="Repairs",
        copy=False,
        help="Repair orders whose missing parts this order buys.",
        groups="base.group_user",
    )
    service_repair_count = fields.Integer(
        compute="_compute_service_repair_count", groups="base.group_user"
    )

    @api.depends("service_repair_ids")
    def _compute_service_repair_count(self):
        for order in self:
            order.service_repair_count = len(order.service_repair_ids)

    def action_view_service_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("id", "in", self.service_repair_ids.ids)]
        return action
