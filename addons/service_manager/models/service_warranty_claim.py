from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The suite's bound on amounts typed in (twelve digits, as contract prices).
MAX_LABOUR_COST = 1_000_000_000_000


class ServiceWarrantyClaim(models.Model):
    _name = "service.warranty.claim"
    _inherit = ["service.warranty.claim", "service.meeting.mixin", "service.guarded.mixin"]

    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        default=lambda self: self.env.ref(
            "service_manager.analytic_account_warranty_claims", raise_if_not_found=False
        ),
        check_company=True,
        tracking=True,
        help="Where the claim's repairs, replacement unit, labour, credit notes and the "
        "suppliers' credit notes are charged.",
        groups="base.group_user",
    )
    service_revenue = fields.Monetary(
        string="Revenue Invoiced",
        compute="_compute_service_profitability",
        help="Posted invoices of the claim's repairs (a paid repair after warranty), less "
        "the posted credit notes refunding the customer; untaxed, company currency.",
        groups="base.group_user",
    )
    service_parts_cost = fields.Monetary(
        string="Parts and Replacement Cost",
        compute="_compute_service_profitability",
        help="Parts consumed by the claim's repairs and the replacement unit delivered, "
        "valued at the cost of their stock moves.",
        groups="base.group_user",
    )
    service_labour_cost = fields.Monetary(
        string="Labour Cost (Actual)",
        compute="_compute_service_profitability",
        help="Labour hours of the claim's repairs times the labour rate, plus the labour "
        "recorded on the claim.",
        groups="base.group_user",
    )
    service_recovered = fields.Monetary(
        string="Recovered from Suppliers (Credited)",
        compute="_compute_service_profitability",
        help="Posted vendor credit notes of the claims back to suppliers.",
        groups="base.group_user",
    )
    service_margin = fields.Monetary(
        string="Margin", compute="_compute_service_profitability", groups="base.group_user"
    )

    def _service_guarded_fields(self):
        # The claim's costs are computed from its documents.
        guarded = super()._service_guarded_fields() | {
            "parts_cost",
            "replacement_cost",
            "refund_cost",
            "recovered_amount",
            "cost_total",
        }
        if any(claim.state == "closed" for claim in self):
            # A closed claim's labour stays where it was charged.
            guarded |= {"labour_cost", "analytic_account_id"}
        return guarded

    @api.depends("labour_cost", "repair_id", "paid_repair_id", "credit_note_id")
    def _compute_service_profitability(self):
        """Actual figures from stock and accounting, in a few queries for the
        batch. Read with sudo: the figures of the claims the user may read,
        not the journal items and layers behind them."""
        repairs = (
            self.env["repair.order"]
            .sudo()
            .search_fetch(
                [("service_warranty_claim_id", "in", self.ids)],
                ["service_warranty_claim_id", "sale_order_id", "service_labour_cost"],
            )
        )
        figures = repairs._service_figures()
        totals = defaultdict(lambda: defaultdict(float))
        for repair in repairs:
            total = totals[repair.service_warranty_claim_id.id]
            total["revenue"] += figures[repair.id]["revenue"]
            total["parts"] += figures[repair.id]["parts"]
            total["labour"] += repair.service_labour_cost
        sudo_self = self.sudo()
        replacements = sudo_self.replacement_picking_id
        if replacements:
            layers = (
                self.env["stock.valuation.layer"]
                .sudo()
                ._read_group(
                    [("stock_move_id.picking_id", "in", replacements.ids)],
                    ["stock_move_id"],
                    ["value:sum"],
                )
            )
            for move, value in layers:
                totals[move.picking_id.service_warranty_claim_id.id]["parts"] -= value
        Move = self.env["account.move"].sudo()
        credit_notes = Move._read_group(
            [
                ("service_warranty_claim_id", "in", self.ids),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            ["service_warranty_claim_id"],
            ["amount_untaxed_signed:sum"],
        )
        for claim, amount in credit_notes:
            totals[claim.id]["revenue"] += amount
        recovered = Move._read_group(
            [
                ("service_supplier_claim_id.claim_id", "in", self.ids),
                ("state", "=", "posted"),
                ("move_type", "in", ("in_invoice", "in_refund")),
            ],
            ["service_supplier_claim_id"],
            ["amount_untaxed_signed:sum"],
        )
        for supplier_claim, amount in recovered:
            # a vendor credit note is signed positive in company currency
            totals[supplier_claim.claim_id.id]["recovered"] += amount
        for claim in self:
            total = totals[claim.id]
            claim.service_revenue = total["revenue"]
            claim.service_parts_cost = total["parts"]
            claim.service_labour_cost = total["labour"] + claim.labour_cost
            claim.service_recovered = total["recovered"]
            claim.service_margin = (
                claim.service_revenue
                - claim.service_parts_cost
                - claim.service_labour_cost
                + claim.service_recovered
            )

    @api.constrains("labour_cost")
    def _check_labour_cost(self):
        for claim in self:
            if not 0 <= claim.labour_cost <= MAX_LABOUR_COST:
                raise ValidationError(
                    _(
                        "The labour cost of %(claim)s must be between 0 and %(maximum)s.",
                        claim=claim.name,
                        maximum=MAX_LABOUR_COST,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        claims = super().create(vals_list)
        for claim, vals in zip(claims, vals_list, strict=True):
            if vals.get("analytic_account_id"):
                claim.analytic_account_id._service_check_chargeable(claim)
        claims.filtered("labour_cost")._service_sync_labour_analytic()
        return claims

    def write(self, vals):
        result = super().write(vals)
        if vals.get("analytic_account_id"):
            for claim in self:
                claim.analytic_account_id._service_check_chargeable(claim)
        if {"labour_cost", "analytic_account_id"} & set(vals):
            self._service_sync_labour_analytic()
        return result

    def _service_analytic_sources(self):
        """The claim's own account, checked when it was set, against who set it."""
        return self.analytic_account_id

    def _service_sync_labour_analytic(self):
        """Charge the labour recorded on the claim to its analytic account."""
        self.env["account.analytic.line"]._service_sync_labour(
            self,
            "service_claim_id",
            lambda claim: (claim.analytic_account_id, claim.labour_cost, 0.0),
        )

    def _prepare_analytic_line_values(self, account_field_values, amount, unit_amount):
        """Values of a labour analytic line (called by _perform_analytic_distribution)."""
        self.ensure_one()
        return {
            "name": _("Labour: %(claim)s", claim=self.name),
            "date": self.claim_date or fields.Date.context_today(self),
            "amount": amount,
            "unit_amount": unit_amount,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "ref": self.name,
            "category": "other",
            "service_claim_id": self.id,
            **account_field_values,
        }
