from dateutil.relativedelta import relativedelta

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from odoo.addons.service_base.tools import user_lang_env

# Set by the contracts' invoicing and the claims' refunds only.
MOVE_SERVICE_LINKS = {
    "service_contract_id",
    "service_period_start",
    "service_period_end",
    "service_warranty_claim_id",
    "service_supplier_claim_id",
}


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "service.guarded.mixin"]

    service_contract_id = fields.Many2one(
        "service.contract",
        index="btree_not_null",
        copy=False,
        readonly=True,
        check_company=True,
    )
    service_period_start = fields.Date(
        string="Contract Period Start",
        copy=False,
        readonly=True,
        help="First day of the contract period this invoice bills.",
    )
    service_period_end = fields.Date(string="Contract Period End", copy=False, readonly=True)

    service_warranty_claim_id = fields.Many2one(
        "service.warranty.claim",
        string="Warranty Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
        help="The customer's warranty claim this credit note refunds.",
    )
    service_supplier_claim_id = fields.Many2one(
        "service.supplier.claim",
        string="Supplier Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
        groups="base.group_user",
    )

    def _service_guarded_fields(self):
        # The period invoiced makes the contract's invoicing idempotent; the
        # claims count their credit notes.
        return super()._service_guarded_fields() | MOVE_SERVICE_LINKS

    def _check_draftable(self):
        # A cancelled contract invoice whose period was invoiced again since
        # stays cancelled: two open invoices would bill the period twice.
        reopened = self.filtered(
            lambda m: m.state == "cancel" and m.service_contract_id and m.service_period_start
        )
        if reopened:
            # sudo: only whether another invoice bills the period, never shown.
            others = self.sudo().search(
                [
                    ("service_contract_id", "in", reopened.service_contract_id.ids),
                    ("service_period_start", "in", reopened.mapped("service_period_start")),
                    ("move_type", "=", "out_invoice"),
                    ("state", "!=", "cancel"),
                    ("id", "not in", reopened.ids),
                ]
            )
            billed = {(m.service_contract_id.id, m.service_period_start): m for m in others}
            for move in reopened:
                other = billed.get((move.service_contract_id.id, move.service_period_start))
                if other and move.move_type == "out_invoice":
                    raise UserError(
                        _(
                            "This cancelled invoice of contract %(contract)s stays cancelled: "
                            "invoice %(other)s bills the same period (%(start)s) now.",
                            contract=move.service_contract_id.name,
                            other=other.with_env(user_lang_env(self.env)).display_name,
                            start=format_date(user_lang_env(self.env), move.service_period_start),
                        )
                    )
        return super()._check_draftable()

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._service_warranty_start_on_invoice()
        return posted

    def _service_warranty_start_on_invoice(self):
        """Start the warranty of the serials these invoices bill, under policies counting
        from the invoice date (a delivery before the invoice started them provisionally)."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and m.invoice_date)
        if not invoices:
            return
        # sudo: the accountant posting the invoice may not read inventory; only the
        # billed serials' warranty dates are written.
        lines = invoices.sudo().invoice_line_ids.filtered("sale_line_ids")
        moves = lines.sale_line_ids.move_ids.filtered(lambda m: m.state == "done")
        lots = moves.move_line_ids.lot_id.filtered(
            lambda lot: (
                lot.service_warranty_policy_id.start_on == "invoice"
                and lot.service_warranty_move_id in moves
                and not lot.service_warranty_move_id.picking_id.service_warranty_claim_id
            )
        )
        by_dates = {}
        for lot in lots:
            invoice_date = min(
                lot.service_warranty_move_id.sale_line_id.invoice_lines.move_id.filtered(
                    lambda m: m.state == "posted" and m.move_type == "out_invoice"
                ).mapped("invoice_date")
            )
            if invoice_date == lot.service_warranty_start:
                continue
            end = invoice_date + relativedelta(
                months=lot.service_warranty_policy_id.months, days=-1
            )
            by_dates.setdefault((invoice_date, end), lot.browse())
            by_dates[invoice_date, end] |= lot
        for (start, end), group in by_dates.items():
            group.write({"service_warranty_start": start, "service_warranty_end": end})

    def init(self):
        res = super().init()
        # The ORM cannot declare a partial unique index. This one makes the
        # recurring invoicing idempotent even across concurrent transactions:
        # one customer invoice per contract and period, whatever runs twice; a
        # cancelled one leaves its period to be invoiced again. (It replaces
        # the index of earlier versions, which counted cancelled invoices.)
        self.env.cr.execute(
            SQL(
                """
                DROP INDEX IF EXISTS account_move_service_contract_period_uniq;
                CREATE UNIQUE INDEX IF NOT EXISTS account_move_service_contract_open_period_uniq
                    ON account_move (service_contract_id, service_period_start)
                 WHERE service_contract_id IS NOT NULL
                   AND service_period_start IS NOT NULL
                   AND move_type = 'out_invoice'
                   AND state != 'cancel'
                """
            )
        )
        return res

    def action_view_service_contract(self):
        self.ensure_one()
        if not self.service_contract_id:
            raise UserError(_("This invoice does not come from a service contract."))
        return self.service_contract_id._get_formview_action()
