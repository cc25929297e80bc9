from odoo import fields, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    service_repair_id = fields.Many2one(
        "repair.order",
        string="Repair (Labour)",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="The repair whose labour this analytic line charges.",
    )
    service_claim_id = fields.Many2one(
        "service.warranty.claim",
        string="Warranty Claim (Labour)",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="The warranty claim whose labour this analytic line charges.",
    )
