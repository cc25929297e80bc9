from odoo import api, fields, models


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

    @api.model
    def _service_sync_labour(self, records, link_field, labour):
        """Bring the labour analytic lines of ``records`` (found through
        ``link_field``) in line with ``labour(record)``, which gives
        ``(analytic account or empty, cost, hours)``: one line per account,
        updated or removed as the labour changes. The records give their
        lines' values by ``_prepare_analytic_line_values``."""
        # sudo: service staff record the labour; the analytic lines follow it,
        # as stock_account's analytic lines follow the moves they make.
        lines = self.sudo()
        existing = lines.search([(link_field, "in", records.ids)]).grouped(link_field)
        vals_list = []
        for record in records:
            account, cost, hours = labour(record)
            vals_list += self.env["account.analytic.account"]._perform_analytic_distribution(
                account._service_add_to_distribution({}) if account else {},
                -cost,
                hours,
                existing.get(record, lines),
                record,
            )
        lines.create(vals_list)
