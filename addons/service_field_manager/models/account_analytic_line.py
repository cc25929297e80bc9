from odoo import fields, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    service_visit_id = fields.Many2one(
        "service.visit",
        string="Visit (Labour)",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="The visit whose labour (travel and time on site) this analytic line charges.",
    )

    def _service_guarded_fields(self):
        # The labour sync rewrites the lines linked to a visit.
        return super()._service_guarded_fields() | {"service_visit_id"}
