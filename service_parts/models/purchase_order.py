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
        check_company=True,
        help="Repair orders whose missing parts this order buys.",
        groups="base.group_user",
    )
    service_repair_count = fields.Integer(
        compute="_compute_service_repair_count", groups="base.group_user"
    )

    @api.constrains("service_repair_ids", "company_id")
    def _check_service_repairs_company(self):
        # Purchase orders do not check their companies on every write (no
        # _check_company_auto): the parts bought for another company's repairs
        # would show there.
        self._check_company(["service_repair_ids"])

    @api.depends("service_repair_ids")
    def _compute_service_repair_count(self):
        for order in self:
            order.service_repair_count = len(order.service_repair_ids)

    def action_view_service_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("id", "in", self.service_repair_ids.ids)]
        return action
