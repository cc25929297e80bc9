import psycopg2

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.service_base.tools import action_records, lock_for_update, user_lang_env

# Set by the claim's actions and computations only (service.guarded.mixin).
CLAIM_FACTS = {
    "state",
    "decided_by_id",
    "decision_date",
    "in_warranty",
    "warranty_end",
    "warranty_source",
    "warranty_contract_id",
    "repair_id",
    "paid_repair_id",
    "picking_ids",
    "return_picking_id",
    "replacement_picking_id",
    "credit_note_id",
    "supplier_claim_ids",
    "parts_cost",
    "replacement_cost",
    "refund_cost",
    "recovered_amount",
    "cost_total",
    # Related fields: writing them would write the serial, its invoice or its customer.
    "commercial_partner_id",
    "product_id",
    "supplier_id",
    "invoice_id",
    "supplier_warranty_end",
}
# What the claim is about: chosen while it is new, fixed once it is inspected.
CLAIM_INTAKE = {
    "company_id",
    "partner_id",
    "equipment_id",
    "lot_id",
    "claim_date",
    "override_reason",
}
# The decision and what it needs: chosen during the inspection, fixed once decided.
CLAIM_DECISION = {
    "decision",
    "reject_reason",
    "replacement_lot_id",
    "refund_amount",
    "invoice_line_id",
}
DECIDED_STATES = ("decided", "resolved", "rejected", "closed")
# Beyond this a refund amount is a typing error (as contract prices, service_contract_line).
MAX_REFUND = 1_000_000_000_000


class ServiceWarrantyClaim(models.Model):
    _name = "service.warranty.claim"
    _description = "Warranty Claim"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "service.unit.intake.mixin",
        "service.guarded.mixin",
    ]
    _order = "claim_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    equipment_id = fields.Many2one(
        "service.equipment",
        string="Unit",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    product_id = fields.Many2one(
        related="lot_id.product_id", store=True, index=True, string="Product"
    )
    supplier_id = fields.Many2one(
        related="lot_id.service_supplier_id",
        store=True,
        index="btree_not_null",
        string="Supplier",
        groups="base.group_user",
    )
    claim_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, index=True
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Origin Sale Order",
        compute="_compute_sale_order_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Origin Invoice Line",
        compute="_compute_invoice_line_id",
        store=True,
        readonly=False,
        check_company=True,
        domain="[('move_id.move_type', '=', 'out_invoice'), ('parent_state', '=', 'posted'), "
        "('product_id', '=', product_id), "
        "('move_id.commercial_partner_id', '=', commercial_partner_id)]",
    )
    invoice_id = fields.Many2one(
        related="invoice_line_id.move_id", store=True, string="Origin Invoice"
    )
    purchase_date = fields.Date(
        compute="_compute_purchase_date", store=True, readonly=False, tracking=True
    )
    defect_description = fields.Text(string="Defect", required=True)
    evidence_ids = fields.Many2many(
        "ir.attachment",
        "service_warranty_claim_evidence_rel",
        "claim_id",
        "attachment_id",
        help="Photos, videos and documents that show the defect.",
    )
    inspection_note = fields.Text(string="Inspection Findings", groups="base.group_user")
    warranty_end = fields.Date(
        compute="_compute_in_warranty",
        store=True,
        help="End of the answer on the claim date: the manufacturer warranty's end, "
        "or that of the service contract extending it.",
    )
    warranty_source = fields.Selection(
        [
            ("warranty", "Manufacturer warranty"),
            ("contract", "Service contract"),
            ("none", "No warranty"),
            ("unknown", "No serial number"),
        ],
        compute="_compute_in_warranty",
        store=True,
    )
    warranty_contract_id = fields.Many2one(
        "service.contract",
        string="Extending Contract",
        compute="_compute_in_warranty",
        store=True,
        groups="base.group_user",
        help="The service contract that extends the warranty on the claim date.",
    )
    warranty_label = fields.Char(string="Warranty Status", compute="_compute_warranty_label")
    in_warranty = fields.Boolean(
        compute="_compute_in_warranty",
        store=True,
        tracking=True,
        help="Whether the unit was in warranty on the claim date. "
        "Out of warranty, a repair is paid by the customer.",
    )
    override_reason = fields.Text(
        string="Ownership Override",
        tracking=True,
        help="Why a manager accepted a claim for a serial not sold to this customer.",
        groups="base.group_user",
    )
    state = fields.Selection(
        [
            ("new", "Registered"),
            ("inspection", "Inspection"),
            ("decided", "Decided"),
            ("resolved", "Resolved"),
            ("rejected", "Rejected"),
            ("closed", "Closed"),
        ],
        default="new",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand=True,
    )
    decision = fields.Selection(
        [
            ("repair", "Repair"),
            ("replace", "Replace"),
            ("refund", "Refund"),
            ("reject", "Reject"),
        ],
        tracking=True,
        copy=False,
    )
    decision_date = fields.Datetime(readonly=True, copy=False)
    decided_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, groups="base.group_user"
    )
    reject_reason = fields.Text(tracking=True, copy=False)
    replacement_lot_id = fields.Many2one(
        "stock.lot",
        string="Replacement Serial",
        check_company=True,
        domain="[('product_id', '=', product_id), ('id', '!=', lot_id)]",
        copy=False,
    )
    refund_amount = fields.Monetary(copy=False, tracking=True)
    repair_id = fields.Many2one(
        "repair.order",
        readonly=True,
        copy=False,
        tracking=True,
        check_company=True,
        groups="base.group_user",
    )
    paid_repair_id = fields.Many2one(
        "repair.order",
        readonly=True,
        copy=False,
        tracking=True,
        check_company=True,
        groups="base.group_user",
    )
    picking_ids = fields.One2many(
        "stock.picking", "service_warranty_claim_id", string="Transfers", groups="base.group_user"
    )
    return_picking_id = fields.Many2one(
        "stock.picking", readonly=True, copy=False, check_company=True, groups="base.group_user"
    )
    replacement_picking_id = fields.Many2one(
        "stock.picking", readonly=True, copy=False, check_company=True, groups="base.group_user"
    )
    credit_note_id = fields.Many2one(
        "account.move", readonly=True, copy=False, tracking=True, check_company=True
    )
    supplier_claim_ids = fields.One2many(
        "service.supplier.claim",
        "claim_id",
        string="Supplier Claims",
        groups="base.group_user",
    )
    supplier_claim_count = fields.Integer(
        compute="_compute_supplier_claim_count", groups="base.group_user"
    )
    supplier_warranty_end = fields.Date(
        related="lot_id.service_supplier_warranty_end", groups="base.group_user"
    )
    parts_cost = fields.Monetary(
        compute="_compute_costs",
        store=True,
        help="Parts used by the warranty repair, at cost.",
        groups="base.group_user",
    )
    labour_cost = fields.Monetary(
        tracking=True,
        help="Labour spent on the claim under warranty, at cost.",
        groups="base.group_user",
    )
    replacement_cost = fields.Monetary(
        compute="_compute_costs", store=True, groups="base.group_user"
    )
    refund_cost = fields.Monetary(compute="_compute_costs", store=True, groups="base.group_user")
    recovered_amount = fields.Monetary(
        compute="_compute_costs",
        store=True,
        help="What suppliers paid back for this claim.",
        groups="base.group_user",
    )
    cost_total = fields.Monetary(
        string="Claim Cost",
        compute="_compute_costs",
        store=True,
        help="Parts, labour, replacement and refund under warranty, minus what was recovered.",
        groups="base.group_user",
    )

    def _creation_message(self):
        # Odoo's "%s created" with the model's name takes the wrong gender in Russian.
        self.ensure_one()
        return _("Warranty claim created")

    def _origin_sale_line(self):
        # sudo: service staff may not read sales and invoices; only the
        # references of the serial's own origin documents are stored.
        return self.lot_id.sudo().service_warranty_move_id.sale_line_id

    @api.depends("lot_id")
    def _compute_sale_order_id(self):
        for claim in self:
            order = claim._origin_sale_line().order_id
            claim.sale_order_id = order if order.company_id == claim.company_id else False

    @api.depends("lot_id", "partner_id")
    def _compute_invoice_line_id(self):
        for claim in self:
            # Only what this customer paid, in this company, can be refunded.
            invoice_lines = claim._origin_sale_line().invoice_lines.filtered(
                lambda line, claim=claim: not claim._invoice_line_problem(line)
            )
            claim.invoice_line_id = invoice_lines[:1]

    @api.depends("lot_id", "sale_order_id", "invoice_line_id")
    def _compute_purchase_date(self):
        for claim in self:
            # sudo: reads only the dates of the claim's own origin documents.
            move = claim.lot_id.sudo().service_warranty_move_id
            claim.purchase_date = (
                claim.invoice_line_id.sudo().move_id.invoice_date
                or (claim.sale_order_id and claim.sale_order_id.sudo().date_order.date())
                or (move and move.date.date())
                or claim.lot_id.service_warranty_start
            )

    @api.depends("lot_id.service_warranty_start", "lot_id.service_warranty_end", "claim_date")
    def _compute_in_warranty(self):
        Lot = self.env["stock.lot"]
        today = fields.Date.context_today(self)
        # The one answer of the serial (stock.lot._service_warranty_answers),
        # on the claim date: one contract lookup per date, not per claim.
        answers = {}
        for date, claims in self.grouped(lambda c: c.claim_date or today).items():
            for lot_id, answer in claims.lot_id._service_warranty_answers(date).items():
                answers[lot_id, date] = answer
        for claim in self:
            answer = answers.get((claim.lot_id.id, claim.claim_date or today))
            answer = answer or Lot._service_warranty_no_answer()
            claim.in_warranty = answer["in_warranty"]
            claim.warranty_end = answer["warranty_end"]
            claim.warranty_source = answer["source"]
            claim.warranty_contract_id = (
                answer["contract"] if answer["source"] == "contract" else False
            )

    @api.depends("in_warranty", "warranty_end", "warranty_source", "warranty_contract_id")
    @api.depends_context("lang")
    def _compute_warranty_label(self):
        Lot = self.env["stock.lot"]
        for claim in self:
            claim.warranty_label = Lot._service_warranty_label(
                {
                    "in_warranty": claim.in_warranty,
                    "warranty_end": claim.warranty_end,
                    "source": claim.warranty_source or "unknown",
                    "contract": claim.sudo().warranty_contract_id,
                }
            )

    def _compute_supplier_claim_count(self):
        counts = dict(
            self.env["service.supplier.claim"]._read_group(
                [("claim_id", "in", self.ids)], ["claim_id"], ["__count"]
            )
        )
        for claim in self:
            claim.supplier_claim_count = counts.get(claim, 0)

    @api.depends(
        "decision",
        "repair_id.move_ids.product_uom_qty",
        "repair_id.move_ids.repair_line_type",
        "repair_id.under_warranty",
        "replacement_lot_id",
        "refund_amount",
        "labour_cost",
        "supplier_claim_ids.recovered_amount",
        "supplier_claim_ids.state",
    )
    def _compute_costs(self):
        for claim in self:
            parts = 0.0
            if claim.repair_id.under_warranty:
                for move in claim.repair_id.move_ids:
                    if move.repair_line_type == "add":
                        parts += move.product_uom_qty * move.product_id.standard_price
            claim.parts_cost = parts
            claim.replacement_cost = (
                claim.replacement_lot_id.product_id.standard_price
                if claim.decision == "replace" and claim.replacement_lot_id
                else 0.0
            )
            claim.refund_cost = claim.refund_amount if claim.decision == "refund" else 0.0
            claim.recovered_amount = sum(
                claim.supplier_claim_ids.filtered(lambda s: s.state != "cancelled").mapped(
                    "recovered_amount"
                )
            )
            claim.cost_total = (
                claim.parts_cost
                + claim.labour_cost
                + claim.replacement_cost
                + claim.refund_cost
                - claim.recovered_amount
            )

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for claim in self:
            claim.access_url = f"/my/claims/{claim.id}"
        return res

    @api.constrains("refund_amount")
    def _check_refund_amount(self):
        if any(claim.refund_amount < 0 for claim in self):
            raise ValidationError(_("The refund amount cannot be negative."))
        if any(claim.refund_amount > MAX_REFUND for claim in self):
            raise ValidationError(_("The refund amount is at most %(max)s.", max=MAX_REFUND))

    @api.constrains("invoice_line_id", "partner_id", "lot_id", "company_id")
    def _check_invoice_line(self):
        for claim in self:
            problem = claim.invoice_line_id and claim._invoice_line_problem(claim.invoice_line_id)
            if problem:
                raise ValidationError(problem)

    @api.constrains("state", "decision", "decided_by_id", "decision_date")
    def _check_decision_recorded(self):
        for claim in self.filtered(lambda c: c.state in DECIDED_STATES):
            if not (claim.decision and claim.decided_by_id and claim.decision_date):
                raise ValidationError(
                    _(
                        "Claim %(claim)s is decided: its decision, who decided it and when "
                        "must be recorded.",
                        claim=claim.name,
                    )
                )
            if (claim.state == "rejected") != (claim.decision == "reject") and (
                claim.state != "closed"
            ):
                raise ValidationError(
                    _(
                        "Claim %(claim)s: a rejected claim has the decision Reject, and only it.",
                        claim=claim.name,
                    )
                )

    @api.constrains("state", "decision", "refund_amount", "invoice_line_id")
    def _check_refund_within_invoice_line(self):
        refunds = self.filtered(
            lambda c: c.decision == "refund" and c.state in DECIDED_STATES and c.state != "rejected"
        )
        for claim in refunds:
            if claim.refund_amount <= 0 or not claim.invoice_line_id:
                raise ValidationError(
                    _(
                        "Claim %(claim)s refunds the customer: it needs a positive amount "
                        "and the invoice line it refunds.",
                        claim=claim.name,
                    )
                )
            left = claim._refundable_amount(claim.invoice_line_id, include_self=True)
            if claim.invoice_line_id.currency_id.compare_amounts(left, 0.0) < 0:
                raise ValidationError(
                    _(
                        "The refunds of invoice line %(line)s are larger than the line "
                        "(claim %(claim)s).",
                        line=claim.invoice_line_id.sudo().display_name,
                        claim=claim.name,
                    )
                )

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        if self.equipment_id:
            self.lot_id = self.equipment_id.lot_id
            if not self.partner_id:
                self.partner_id = self.equipment_id.partner_id

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.equipment_id = self.lot_id.service_equipment_ids[:1]
            if not self.partner_id:
                self.partner_id = self.lot_id.service_warranty_partner_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("service.warranty.claim") or "/"
            if vals.get("lot_id") and not vals.get("equipment_id"):
                unit = self.env["service.equipment"].search(
                    [("lot_id", "=", vals["lot_id"])], limit=1
                )
                vals["equipment_id"] = unit.id or False
        claims = super().create(vals_list)
        claims._check_sold_to_customer()
        return claims

    def write(self, vals):
        res = super().write(vals)
        if {"lot_id", "partner_id", "override_reason"} & set(vals):
            self._check_sold_to_customer()
        return res

    def _service_guarded_fields(self):
        guarded = super()._service_guarded_fields() | CLAIM_FACTS
        states = set(self.mapped("state"))
        if states - {"new"}:
            guarded |= CLAIM_INTAKE
        if states - {"new", "inspection"}:
            guarded |= CLAIM_DECISION
        return guarded

    def _check_sold_to_customer(self):
        """Refuse a claim for a serial that was not sold to (or owned by) its customer.

        A service manager may accept it anyway by writing the reason in
        ``override_reason`` (tracked in the chatter).
        """
        is_manager = self.env.user.has_group("service_base.group_service_manager")
        for claim in self:
            # sudo: reads who bought the serial and owns its unit, only to compare
            # with the claim's own customer; nothing of it is returned.
            lot = claim.lot_id.sudo()
            buyers = (
                lot.service_warranty_partner_id | lot.service_equipment_ids.commercial_partner_id
            )
            if claim.commercial_partner_id in buyers:
                continue
            if claim.override_reason and is_manager:
                claim.message_post(
                    body=_(
                        "Serial %(serial)s was not sold to this customer; claim accepted by "
                        "%(user)s: %(reason)s",
                        serial=claim.lot_id.name,
                        user=self.env.user.name,
                        reason=claim.override_reason,
                    )
                )
                continue
            if claim.override_reason:
                raise UserError(
                    _(
                        "Only a service manager can accept a claim for a serial sold to someone else."
                    )
                )
            raise UserError(
                _(
                    "Serial number %(serial)s was not sold to %(customer)s: the claim is refused. "
                    "A service manager can accept it with a reason.",
                    serial=claim.lot_id.name,
                    customer=claim.commercial_partner_id.display_name,
                )
            )

    # ------------------------------------------------------------------ actions

    def action_start_inspection(self):
        for claim in self:
            if claim.state != "new":
                raise UserError(_("Only a new claim can go to inspection."))
        action_records(self).write({"state": "inspection"})
        return True

    def action_decide(self):
        """Apply the chosen decision and create its documents.

        Two users deciding the same claim at once: the claim's row is locked
        first, so one of them wins and the other gets a message.
        """
        self._lock_for_decision()
        undecided = self.filtered(lambda claim: not claim.decision)
        if undecided:
            raise UserError(_("Choose a decision for claim %(claim)s.", claim=undecided[0].name))
        # A claim refused half-way must not leave the documents of the ones before.
        with self.env.cr.savepoint():
            for claim in self:
                getattr(claim, f"_decide_{claim.decision}")()
                action_records(claim).write(
                    {
                        "state": "rejected" if claim.decision == "reject" else "decided",
                        "decision_date": fields.Datetime.now(),
                        "decided_by_id": self.env.user.id,
                    }
                )
        return True

    def action_resolve(self):
        for claim in self:
            if claim.state != "decided":
                raise UserError(_("Only a decided claim can be resolved."))
        action_records(self).write({"state": "resolved"})
        return True

    def action_close(self):
        for claim in self:
            if claim.state not in ("resolved", "rejected"):
                raise UserError(_("Only a resolved or rejected claim can be closed."))
        action_records(self).write({"state": "closed"})
        return True

    def action_offer_paid_repair(self):
        """Post-warranty service: open a repair the customer pays for (one per claim)."""
        self.ensure_one()
        lock_for_update(self)
        if self.paid_repair_id:
            raise UserError(_("A paid repair is already open for this claim."))
        self._refresh_warranty()
        if self.in_warranty and self.state != "rejected":
            raise UserError(_("The unit is in warranty: decide a warranty repair instead."))
        repair = self._create_repair(under_warranty=False)
        action_records(self).paid_repair_id = repair
        return self._open_record(repair)

    def action_claim_supplier(self):
        """Pass the claim back to the supplier while its warranty runs."""
        self.ensure_one()
        supplier_claim = self.env["service.supplier.claim"]._create_from_claim(self)
        return self._open_record(supplier_claim)

    def action_view_repair(self):
        self.ensure_one()
        return self._open_record(self.repair_id | self.paid_repair_id)

    def action_view_pickings(self):
        self.ensure_one()
        return self._open_record(self.picking_ids)

    def action_view_credit_note(self):
        self.ensure_one()
        return self._open_record(self.credit_note_id)

    def action_view_supplier_claims(self):
        self.ensure_one()
        return self._open_record(self.supplier_claim_ids)

    def action_print_act(self):
        """The printed claim act of these claims (an ``ir.actions.report``)."""
        report = self.env.ref("service_contracts.action_report_warranty_claim")
        # data={} rather than Odoo's None, which XML-RPC cannot marshal; the
        # web client treats both as "no options".
        return report.report_action(self, data={})

    # ------------------------------------------------------------------ decisions

    def _lock_for_decision(self):
        if not self.ids:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                # SELECT ... FOR UPDATE NOWAIT has no ORM equivalent.
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM service_warranty_claim WHERE id IN %s FOR UPDATE NOWAIT",
                        tuple(self.ids),
                    ),
                    log_exceptions=False,
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                _("Another user is deciding this claim right now. Reload it in a moment.")
            )
        except psycopg2.errors.SerializationFailure:
            # Another user decided (or changed) the claim and committed after
            # this transaction began: its new state is invisible here, so say so
            # instead of failing with a database error.
            raise UserError(
                _(
                    "Another user has just changed this claim (its decision may be taken). "
                    "Reload it to see what changed."
                )
            )
        # What we read before the lock may be stale: read the state afresh.
        self.invalidate_recordset(["state", "decided_by_id"])
        self._refresh_warranty()
        for claim in self:
            if claim.state != "inspection":
                raise UserError(
                    _(
                        "Claim %(claim)s was already decided by %(user)s; reload it to see the decision.",
                        claim=claim.name,
                        user=claim.decided_by_id.name or _("another user"),
                    )
                    if claim.decided_by_id
                    else _("Claim %(claim)s must be in inspection to be decided.", claim=claim.name)
                )

    def _refresh_warranty(self):
        """Recompute ``in_warranty`` now: the decision rests on it, and a contract
        activated or cancelled since the claim was filed changes it."""
        fnames = ["in_warranty", "warranty_end", "warranty_source", "warranty_contract_id"]
        for name in fnames:
            self.env.add_to_compute(self._fields[name], self)
        self._recompute_recordset(fnames)

    def _create_repair(self, under_warranty):
        # The claim's action sets the repair's link to the claim and its warranty.
        Repair = action_records(self.env["repair.order"])
        return Repair.create(self._prepare_repair_vals(under_warranty)).with_env(self.env)

    def _decide_repair(self):
        action_records(self).repair_id = self._create_repair(under_warranty=self.in_warranty)

    def _service_check_capped_warranty(self):
        """A warranty that is a capped contract's pays repairs within the cap;
        a replacement or a refund, the unit's whole value, is beyond what the
        cap measures: a service manager's decision."""
        contract = self.warranty_contract_id
        if (
            self.warranty_source == "contract"
            and contract.yearly_cap
            and not self.env.su
            and not self.env.user.has_group("service_base.group_service_manager")
        ):
            raise AccessError(
                _(
                    "The warranty of claim %(claim)s is contract %(contract)s's, with a yearly "
                    "cap: only a service manager decides to replace or refund the unit under it.",
                    claim=self.name,
                    contract=contract.name,
                )
            )

    def _decide_replace(self):
        if not self.in_warranty:
            raise UserError(_("The warranty has expired: the unit cannot be replaced under it."))
        self._service_check_capped_warranty()
        replacement = self.replacement_lot_id
        if not replacement:
            raise UserError(_("Choose the replacement serial number."))
        if replacement.product_id != self.product_id or replacement == self.lot_id:
            raise UserError(
                _(
                    "The replacement must be another serial of %(product)s.",
                    product=self.product_id.display_name,
                )
            )
        # Two claims decided at once must not both promise the one spare serial.
        lock_for_update(replacement)
        if replacement.product_qty < 1:
            raise UserError(
                _("Replacement serial %(serial)s is not in stock.", serial=replacement.name)
            )
        # A serial of the installed base (a demo or loaner unit, a customer's)
        # is not a spare: its delivery would be refused after the customer
        # gave up the faulty unit.
        # sudo: only whether a unit carries the serial, for users who may not
        # read every unit.
        unit = (
            self.env["service.equipment"].sudo().search([("lot_id", "=", replacement.id)], limit=1)
        )
        if unit:
            raise UserError(
                _(
                    "Serial %(serial)s is unit %(unit)s of the installed base, not a spare: "
                    "choose a serial from stock that no unit carries.",
                    serial=replacement.name,
                    unit=unit.with_env(user_lang_env(self.env)).display_name,
                )
            )
        promised = self.search(
            [
                ("id", "!=", self.id),
                ("replacement_lot_id", "=", replacement.id),
                ("replacement_picking_id.state", "not in", ("done", "cancel")),
            ],
            limit=1,
        )
        if promised:
            raise UserError(
                _(
                    "Serial %(serial)s is already promised as the replacement in claim %(claim)s.",
                    serial=replacement.name,
                    claim=promised.name,
                )
            )
        warehouse = self._service_warehouse()
        customer_location = self.partner_id.property_stock_customer
        action_records(self).write(
            {
                "return_picking_id": self._create_return_picking(warehouse).id,
                "replacement_picking_id": self._create_picking(
                    warehouse.out_type_id, warehouse.lot_stock_id, customer_location, replacement
                ).id,
            }
        )

    def _decide_refund(self):
        if not self.in_warranty:
            raise UserError(_("The warranty has expired: the unit cannot be refunded under it."))
        self._service_check_capped_warranty()
        line = self.invoice_line_id.sudo()
        if not line:
            raise UserError(_("Set the origin invoice line to refund."))
        if self.refund_amount <= 0:
            raise UserError(_("The refund amount must be positive."))
        self._check_may_refund(line)
        # Refunds of one line by two claims decided at once must not exceed it,
        # and a serial is refunded against one invoice line only (further
        # partial refunds take what is left of that line).
        lock_for_update(line)
        if self.lot_id:
            lock_for_update(self.lot_id)
            # sudo: a refund of the serial counts also when the user cannot read its claim.
            refunded = self.sudo().search(
                [
                    ("lot_id", "=", self.lot_id.id),
                    ("decision", "=", "refund"),
                    ("state", "in", ("decided", "resolved", "closed")),
                    ("invoice_line_id", "!=", line.id),
                    ("id", "!=", self.id),
                ],
                limit=1,
            )
            if refunded:
                raise UserError(
                    _(
                        "Serial number %(serial)s has already been refunded against another "
                        "invoice line (claim %(claim)s).",
                        serial=self.lot_id.name,
                        claim=refunded.name,
                    )
                )
        refundable = self._refundable_amount(line)
        if line.currency_id.compare_amounts(self.refund_amount, refundable) > 0:
            raise UserError(
                _(
                    "The refund (%(amount)s) is larger than what is left to refund on the invoice "
                    "line (%(left)s).",
                    amount=self.refund_amount,
                    left=refundable,
                )
            )
        return_picking = self._create_return_picking(self._service_warehouse())
        invoice = line.move_id
        # sudo: service staff decide the refund but may not write accounting;
        # the credit note stays a draft that the accountant checks and posts.
        # _check_may_refund made sure that this user may decide this claim and
        # that the line is this customer's posted invoice in the claim's company.
        credit_note = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "company_id": invoice.company_id.id,
                    "currency_id": invoice.currency_id.id,
                    "reversed_entry_id": invoice.id,
                    "invoice_origin": invoice.name,
                    "ref": _("Warranty claim %(claim)s", claim=self.name),
                    "service_warranty_claim_id": self.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "name": line.name,
                                "quantity": 1,
                                "price_unit": self.refund_amount,
                                "product_uom_id": line.product_uom_id.id,
                                "account_id": line.account_id.id,
                                "tax_ids": [Command.set(line.tax_ids.ids)],
                            }
                        )
                    ],
                }
            )
        )
        action_records(self).write(
            {"return_picking_id": return_picking.id, "credit_note_id": credit_note.id}
        )

    def _check_may_refund(self, line):
        """Refuse the refund unless this user may decide this claim and ``line``
        is what its customer paid: the credit note is then created with sudo."""
        self.ensure_one()
        # Record rules: the claim is in one of the user's companies.
        self.check_access("write")
        problem = self._invoice_line_problem(line)
        if problem:
            raise UserError(problem)

    def _invoice_line_problem(self, line):
        """Why ``line`` cannot be the claim's origin invoice line (a message), or None."""
        self.ensure_one()
        # sudo: service staff may not read invoices; only the line's company,
        # customer, product and state are compared with the claim's.
        line = line.sudo()
        move = line.move_id
        if (
            move.move_type != "out_invoice"
            or move.state != "posted"
            or line.company_id != self.company_id
            or move.commercial_partner_id != self.commercial_partner_id
            or (self.product_id and line.product_id != self.product_id)
        ):
            return _(
                "The origin invoice line of claim %(claim)s must be on a posted invoice of "
                "%(customer)s in %(company)s, for %(product)s.",
                claim=self.name,
                customer=self.commercial_partner_id.display_name,
                company=self.company_id.name,
                product=self.product_id.display_name,
            )
        return None

    def _refundable_amount(self, line, include_self=False):
        """What is left to refund on invoice line ``line`` after the refunds
        decided by the other claims (and by this one, with ``include_self``)."""
        self.ensure_one()
        line = line.sudo()
        invoiced = line.price_unit * (1 - (line.discount or 0.0) / 100.0) * line.quantity
        # sudo: every refund of the line counts, also a claim's the user cannot read.
        others = self.sudo().search(
            [
                ("invoice_line_id", "=", line.id),
                ("decision", "=", "refund"),
                ("state", "in", ("decided", "resolved", "closed")),
                ("id", "!=", self.id),
            ]
        )
        left = invoiced - sum(others.mapped("refund_amount"))
        if include_self:
            left -= self.refund_amount
        return line.currency_id.round(left)

    def _decide_reject(self):
        if not self.reject_reason:
            raise UserError(_("Write the reason for rejecting the claim."))
        template = self.env.ref("service_contracts.mail_template_warranty_claim_rejected")
        self.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    # ------------------------------------------------------------------ the unit in the workshop

    def _service_unit_lot(self):
        return self.lot_id

    def _service_unit_transfer_vals(self):
        return {**super()._service_unit_transfer_vals(), "service_warranty_claim_id": self.id}

    def _service_unit_repairs(self):
        return self.repair_id | self.paid_repair_id

    def _service_unit_check_receive(self):
        # A replaced or refunded unit comes back with the claim's return
        # transfer, as the company's; only a unit to repair stays the customer's.
        if not self._service_unit_repairs().filtered(lambda r: r.state != "cancel"):
            raise UserError(
                _(
                    "Claim %(claim)s has no repair: a customer's unit is accepted for the "
                    "claim's repair only.",
                    claim=self.name,
                )
            )
        return super()._service_unit_check_receive()

    def _service_unit_check_return(self):
        away = self.supplier_claim_ids.filtered(lambda s: s._service_unit_at_supplier())[:1]
        if away:
            raise UserError(
                _(
                    "Unit %(unit)s is at supplier %(supplier)s (%(ref)s): receive it back first.",
                    unit=self._service_unit_label(),
                    supplier=away.supplier_id.display_name,
                    ref=away.name,
                )
            )
        return super()._service_unit_check_return()

    # ------------------------------------------------------------------ helpers

    def _create_return_picking(self, warehouse):
        """The faulty serial taken back into the company's stock as the
        company's own, under a replacement or a refund (a buy-back): its
        receipt is valued once, at the cost the serial was delivered at (a
        return of that delivery), when the warehouse validates it.

        No transfer when the serial is already coming back under another
        claim (that claim's return is this one's) or already the company's
        stock. A unit kept in the workshop as the customer's stock is first
        handed over from it (a validated transfer of the customer's stock to
        the customers', no valuation): the return then makes it the company's.
        """
        lot = self.lot_id
        # Two claims taking the serial back at once: one return.
        lock_for_update(lot)
        # sudo: another claim's return of the serial counts, also one the user cannot read.
        pending = (
            self.sudo()
            .search(
                [
                    ("id", "!=", self.id),
                    ("lot_id", "=", lot.id),
                    ("return_picking_id", "!=", False),
                    ("return_picking_id.state", "not in", ("done", "cancel")),
                ],
                limit=1,
            )
            .return_picking_id
        )
        if pending:
            return pending.with_env(self.env)
        customers = self.partner_id.property_stock_customer
        quant = self._service_unit_quant(lot)
        if quant and quant.owner_id in (self.env["res.partner"], self.company_id.partner_id):
            return self.env["stock.picking"]
        if quant and quant.owner_id == self._service_unit_owner():
            self._service_unit_transfer(
                warehouse.out_type_id,
                quant.location_id,
                customers,
                self.partner_id,
                lot,
                owner=quant.owner_id,
            )
        # sudo: only the serial's own delivery is linked, to value its return.
        delivery = lot.sudo().service_warranty_move_id
        is_return = (
            delivery.state == "done"
            and delivery.company_id == self.company_id
            and delivery.location_dest_id.usage == "customer"
        )
        return self._create_picking(
            warehouse.in_type_id,
            customers,
            warehouse.lot_stock_id,
            lot,
            move_vals={"origin_returned_move_id": delivery.id} if is_return else None,
        )

    def _create_picking(
        self, picking_type, source, destination, lot, partner=None, vals=None, move_vals=None
    ):
        """A confirmed transfer of the one serial ``lot``, linked to this claim."""
        # The claim's action links the transfer to the claim (a guarded field).
        Picking = action_records(self.env["stock.picking"])
        picking = Picking.create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": (partner or self.partner_id).id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "origin": self.name,
                "company_id": self.company_id.id,
                "service_warranty_claim_id": self.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": lot.product_id.display_name,
                            "product_id": lot.product_id.id,
                            "product_uom_qty": 1,
                            "product_uom": lot.product_id.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "company_id": self.company_id.id,
                            **(move_vals or {}),
                        }
                    )
                ],
                **(vals or {}),
            }
        ).with_env(self.env)
        picking.action_confirm()
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": lot.product_id.id,
                "product_uom_id": lot.product_id.uom_id.id,
                "lot_id": lot.id,
                "quantity": 1,
                "location_id": source.id,
                "location_dest_id": destination.id,
            }
        )
        return picking

    def _prepare_repair_vals(self, under_warranty):
        return {
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "under_warranty": under_warranty,
            "internal_notes": self.defect_description,
            "service_warranty_claim_id": self.id,
            # where the unit is kept as the customer's, when it is already in
            # (also accepted by a service request)
            **self._service_unit_location_vals(),
        }

    def _open_record(self, records):
        action = {
            "type": "ir.actions.act_window",
            "res_model": records._name,
            "name": records._description,
        }
        if len(records) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=records.id)
        else:
            action.update(
                view_mode="list,form",
                views=[(False, "list"), (False, "form")],
                domain=[("id", "in", records.ids)],
            )
        return action

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Claim Act %(claim)s", claim=self.name)
