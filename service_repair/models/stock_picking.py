from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    service_request_id = fields.Many2one(
        "service.request",
        index="btree_not_null",
        check_company=True,
        copy=False,
        groups="base.group_user",
    )
