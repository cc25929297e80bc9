from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    service_request_id = fields.Many2one(
        "service.request",
        index="btree_not_null",
        check_company=True,
        copy=False,
        help="The request whose cost this vendor bill carries (e.g. a service centre's invoice).",
    )
