from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    service_request_id = fields.Many2one(
        "service.request",
        index="btree_not_null",
        check_company=True,
        copy=False,
        help="The request whose cost this vendor bill carries (e.g. a service centre's invoice).",
        groups="base.group_user",
    )
    service_repair_id = fields.Many2one(
        "repair.order",
        string="Repair",
        compute="_compute_service_repair_id",
        help="The repair order whose quotation this invoice bills.",
        groups="base.group_user",
    )

    @api.depends("invoice_line_ids.sale_line_ids")
    def _compute_service_repair_id(self):
        # sudo: accountants may not read sales orders' repairs; only the
        # reference of the repair this invoice bills is shown.
        for move in self:
            orders = move.sudo().invoice_line_ids.sale_line_ids.order_id
            move.service_repair_id = orders.repair_order_ids[:1].id
