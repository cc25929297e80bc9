from odoo import api, fields, models


class AccountAnalyticLine(models.Model):
    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "service.guarded.mixin"]

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

    def _service_guarded_fields(self):
        # The labour sync rewrites and removes the lines linked to a document:
        # a line linked by hand would be rewritten by it.
        return super()._service_guarded_fields() | {"service_repair_id", "service_claim_id"}

    @api.model
    def _service_sync_labour(self, records, link_field, labour):
        """Bring the labour analytic lines of ``records`` (found through
        ``link_field``) in line with ``labour(record)``, which gives
        ``(analytic account or empty, cost, hours)``: one line per account,
        updated or removed as the labour changes. The records give their
        lines' values by ``_prepare_analytic_line_values`` and the accounts
        their own documents give them by ``_service_analytic_sources``."""
        if not records:
            return
        # The caller changes these documents (their labour, their account) ...
        records.check_access("write")
        charges = [(record, *labour(record)) for record in records]
        for record, account, cost, __ in charges:
            if cost:
                account._service_check_chargeable(record, record._service_analytic_sources())
        # ... so sudo: service staff record the labour; the analytic lines
        # follow it, as stock_account's analytic lines follow the moves they make.
        lines = self.sudo()
        existing = lines.search([(link_field, "in", records.ids)]).grouped(link_field)
        vals_list = []
        for record, account, cost, hours in charges:
            vals_list += self.env["account.analytic.account"]._perform_analytic_distribution(
                account._service_add_to_distribution({}) if account else {},
                -cost,
                hours,
                existing.get(record, lines),
                record,
            )
        lines.create(vals_list)
