import logging

import psycopg2.errors
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

from odoo.addons.service_base.tools import action_records, lock_for_update, user_lang_env

_logger = logging.getLogger(__name__)

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}

# Set by the contract's actions and computations only (service.guarded.mixin).
CONTRACT_FACTS = {
    "state",
    "previous_contract_id",
    "renewal_ids",
    "renewal_reminder_sent",
    "invoice_ids",
    "amount_period",
    "next_invoice_date",
    # Related: writing it would write the customer.
    "commercial_partner_id",
}
# What the invoiced periods hang on: a change once the contract runs would
# bill the periods again (other starts), another customer or currency.
CONTRACT_TERMS = {"company_id", "partner_id", "currency_id", "date_start", "invoicing_period"}
# What the customer agreed to, once the contract runs: its service manager
# changes it (the service staff and sales read and use it).
RUNNING_TERMS = {
    # archived, it is neither invoiced nor expired by the crons
    "active",
    "date_end",
    "yearly_cap",
    "cover_labour",
    "cover_parts",
    "cover_travel",
    "sla_policy_id",
    "invoicing_mode",
    "auto_post_invoices",
    "partner_invoice_id",
    "analytic_account_id",
}


class ServiceContract(models.Model):
    _name = "service.contract"
    _description = "Service Contract"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin", "service.guarded.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        index="trigram",
        default=lambda self: _("New"),
    )
    title = fields.Char(string="Subject", tracking=True, index="trigram")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    partner_invoice_id = fields.Many2one(
        "res.partner",
        string="Invoice Address",
        check_company=True,
        help="Invoices go to this address; the customer's by default.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand=True,
    )
    date_start = fields.Date(
        string="Start Date", required=True, default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(
        string="End Date",
        tracking=True,
        help="Last day of the contract; leave empty for an open-ended contract.",
    )
    line_ids = fields.One2many("service.contract.line", "contract_id", string="Lines", copy=True)
    equipment_ids = fields.Many2many(
        "service.equipment",
        compute="_compute_equipment_ids",
        string="Covered Units",
        # the units themselves: not for the accountant, who reads the contract
        groups="service_base.group_service_user,base.group_portal",
    )
    sla_policy_id = fields.Many2one(
        "service.sla.policy", string="SLA Policy", check_company=True, tracking=True
    )
    cover_labour = fields.Boolean(string="Labour Covered", default=True, tracking=True)
    cover_parts = fields.Boolean(string="Parts Covered", tracking=True)
    cover_travel = fields.Boolean(string="Travel Covered", tracking=True)
    yearly_cap = fields.Monetary(
        tracking=True,
        help="Most the contract pays for covered work in a contract year; 0 means no cap.",
        groups="base.group_user",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
    )
    amount_period = fields.Monetary(
        string="Price per Period", compute="_compute_amount_period", store=True
    )
    invoicing_period = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")],
        default="monthly",
        required=True,
        tracking=True,
    )
    invoicing_mode = fields.Selection(
        [("advance", "In Advance"), ("arrears", "After the Period")],
        string="Invoice Timing",
        default="advance",
        required=True,
        tracking=True,
        help="In advance: a period is invoiced on its first day. "
        "After the period: on the day after its last day.",
    )
    auto_post_invoices = fields.Boolean(
        string="Post Invoices Automatically",
        help="Recurring invoices are posted at once instead of waiting as drafts.",
        groups="base.group_user",
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        check_company=True,
        help="Invoice lines of this contract are charged to this analytic account.",
        groups="base.group_user",
    )
    renewal_reminder_days = fields.Integer(
        string="Remind Before End (days)",
        default=30,
        help="A renewal activity is scheduled for the responsible this many days before the end.",
        groups="base.group_user",
    )
    renewal_reminder_sent = fields.Boolean(copy=False, readonly=True, groups="base.group_user")
    previous_contract_id = fields.Many2one(
        "service.contract",
        string="Renews",
        copy=False,
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    renewal_ids = fields.One2many(
        "service.contract",
        "previous_contract_id",
        string="Renewals",
        copy=False,
        groups="base.group_user",
    )
    opportunity_id = fields.Many2one(
        "crm.lead",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('type', '=', 'opportunity')]",
        groups="base.group_user",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    invoice_ids = fields.One2many(
        "account.move",
        "service_contract_id",
        string="Invoices",
        readonly=True,
        # those who may read invoices: not the service staff
        groups="account.group_account_invoice,account.group_account_readonly,"
        "sales_team.group_sale_salesman",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    next_invoice_date = fields.Date(
        compute="_compute_next_invoice_date",
        store=True,
        index="btree_not_null",
        help="When the next period not invoiced yet becomes due.",
    )
    note = fields.Html(string="Terms")

    @api.depends("line_ids.equipment_id")
    def _compute_equipment_ids(self):
        for contract in self:
            contract.equipment_ids = contract.line_ids.equipment_id

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_period(self):
        for contract in self:
            contract.amount_period = sum(contract.line_ids.mapped("price_subtotal"))

    def _compute_invoice_count(self):
        Move = self.env["account.move"]
        # Users without accounting rights (technicians) see no invoice count.
        counts = (
            dict(
                Move._read_group(
                    [("service_contract_id", "in", self.ids)],
                    ["service_contract_id"],
                    ["__count"],
                )
            )
            if Move.has_access("read")
            else {}
        )
        for contract in self:
            contract.invoice_count = counts.get(contract, 0)

    @api.depends(
        "state",
        "date_start",
        "date_end",
        "invoicing_period",
        "invoicing_mode",
        "amount_period",
        "invoice_ids.service_period_start",
        "invoice_ids.state",
    )
    def _compute_next_invoice_date(self):
        invoiced = self.filtered(lambda c: isinstance(c.id, int))._invoiced_period_starts()
        for contract in self:
            contract.next_invoice_date = False
            if contract.state not in ("active", "expired") or not contract.amount_period:
                continue
            for start, end in contract._service_periods():
                if start not in invoiced.get(contract.id, set()):
                    contract.next_invoice_date = contract._period_due_date(start, end)
                    break

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for contract in self:
            contract.access_url = f"/my/contracts/{contract.id}"
        return res

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    _(
                        "Contract %(contract)s cannot end (%(end)s) before it starts (%(start)s).",
                        contract=contract.name,
                        end=format_date(self.env, contract.date_end),
                        start=format_date(self.env, contract.date_start),
                    )
                )

    @api.constrains("yearly_cap", "renewal_reminder_days")
    def _check_positive(self):
        for contract in self:
            if contract.yearly_cap < 0:
                raise ValidationError(_("The yearly cap cannot be negative."))
            if contract.renewal_reminder_days < 0:
                raise ValidationError(
                    _("The renewal reminder cannot be a negative number of days.")
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            invoice_address = self.partner_id.address_get(["invoice"])["invoice"]
            self.partner_invoice_id = invoice_address

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "service.contract"
                ) or _("New")
        return super().create(vals_list)

    def write(self, vals):
        self._service_check_running_terms(vals)
        res = super().write(vals)
        if "date_end" in vals or "renewal_reminder_days" in vals:
            # A new end date (or notice) deserves a new reminder.
            reminded = self.filtered("renewal_reminder_sent")
            action_records(reminded).write({"renewal_reminder_sent": False})
        return res

    def _service_check_running_terms(self, vals):
        """A contract in force keeps its agreed terms unless a service manager
        changes them (a draft is edited freely)."""
        if (
            self.env.su
            or self._service_guarded_free()
            or self.env.user.has_group("service_base.group_service_manager")
        ):
            return
        # the first term changed, by name, as the message names one
        for contract in self.filtered(lambda c: c.state != "draft"):
            changed = contract._service_changed_fields(vals, RUNNING_TERMS)
            if changed:
                raise AccessError(
                    _(
                        "Contract %(contract)s is in force: only a service manager changes "
                        'its "%(field)s".',
                        contract=contract.display_name,
                        field=self._fields[min(changed)]._description_string(
                            user_lang_env(self.env)
                        ),
                    )
                )

    def _service_guarded_fields(self):
        guarded = super()._service_guarded_fields() | CONTRACT_FACTS
        if any(contract.state != "draft" for contract in self) or self._service_has_invoiced():
            # also a draft that invoiced (reset after a cancellation): other
            # periods would overlap those billed
            guarded |= CONTRACT_TERMS
        return guarded

    def _service_has_invoiced(self):
        """Whether any of these contracts has an invoice not cancelled."""
        ids = [contract_id for contract_id in self.ids if isinstance(contract_id, int)]
        # sudo: only whether periods were billed, for users who may not read invoices
        return bool(ids) and bool(
            self.env["account.move"]
            .sudo()
            .search_count([("service_contract_id", "in", ids), ("state", "!=", "cancel")], limit=1)
        )

    def _service_check_manager_action(self, action):
        """Cancelling a contract in force, or reopening one that ran, changes what
        the customer was promised: a service manager's decision."""
        if self.env.su or self.env.user.has_group("service_base.group_service_manager"):
            return
        raise AccessError(
            _(
                "Only a service manager can %(action)s contract %(contract)s.",
                action=action,
                contract=self[:1].name,
            )
        )

    # ------------------------------------------------------------------
    # State changes
    # ------------------------------------------------------------------
    def action_activate(self):
        for contract in self:
            if contract.state != "draft":
                raise UserError(
                    _(
                        "Only a draft contract can be activated (%(contract)s).",
                        contract=contract.name,
                    )
                )
            if not contract.line_ids:
                raise UserError(
                    _(
                        "Contract %(contract)s has no lines: add the covered units or services first.",
                        contract=contract.name,
                    )
                )
        today = fields.Date.context_today(self)
        expired = self.filtered(lambda c: c.date_end and c.date_end < today)
        if expired:
            raise UserError(
                _(
                    "Contract %(contract)s already ended; change its dates before activating it.",
                    contract=expired[0].name,
                )
            )
        action_records(self).write({"state": "active"})
        return True

    def action_cancel(self):
        if self.filtered(lambda c: c.state == "expired"):
            raise UserError(_("An expired contract cannot be cancelled."))
        running = self.filtered(lambda c: c.state == "active")
        if running:
            running._service_check_manager_action(_("cancel"))
        action_records(self).write({"state": "cancelled"})
        return True

    def action_draft(self):
        if self.filtered(lambda c: c.state != "cancelled"):
            raise UserError(_("Only a cancelled contract can be reset to draft."))
        self._service_check_manager_action(_("reset to draft"))
        action_records(self).write({"state": "draft"})
        return True

    def action_renew(self):
        """Create the contract of the next term (a draft, linked to this one) and open it.

        One renewal per contract, also when two users renew it at once: the
        second one is told which contract renews it.
        """
        self.ensure_one()
        lock_for_update(self)
        if self.state not in ("active", "expired"):
            raise UserError(_("Only an active or expired contract can be renewed."))
        if not self.date_end:
            raise UserError(_("An open-ended contract has no next term to renew."))
        if self.renewal_ids.filtered(lambda c: c.state != "cancelled"):
            raise UserError(
                _(
                    "Contract %(contract)s is already renewed by %(renewal)s.",
                    contract=self.name,
                    renewal=self.renewal_ids.filtered(lambda c: c.state != "cancelled")[0].name,
                )
            )
        # The renewal's link to this contract is the action's to set.
        renewal = action_records(self).copy(self._prepare_renewal_vals()).with_env(self.env)
        self.message_post(
            body=_("Renewed by %(renewal)s.", renewal=renewal._get_html_link()),
        )
        renewal.message_post(body=_("Renewal of %(contract)s.", contract=self._get_html_link()))
        return renewal._get_formview_action()

    def _get_formview_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.contract",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _prepare_renewal_vals(self):
        self.ensure_one()
        term = relativedelta(self.date_end + relativedelta(days=1), self.date_start)
        new_start = self.date_end + relativedelta(days=1)
        return {
            "date_start": new_start,
            "date_end": new_start + term - relativedelta(days=1),
            "previous_contract_id": self.id,
            "opportunity_id": self.opportunity_id.id,
            "sale_order_id": self.sale_order_id.id,
        }

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("service_contract_id", "=", self.id)]
        # Drafts have no number yet: the period tells them apart.
        action["views"] = [
            (self.env.ref("service_contracts.account_move_view_list_service_contract").id, "list"),
            (False, "form"),
        ]
        action["context"] = {
            "default_move_type": "out_invoice",
            "default_partner_id": self.partner_id.id,
            "create": False,
        }
        if self.invoice_count == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.invoice_ids.id
        return action

    def action_view_opportunity(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.opportunity_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_service_deal_timeline(self):
        """Open the documents of the deal (opportunity) this contract comes from."""
        self.ensure_one()
        if not self.opportunity_id:
            raise UserError(_("This contract does not come from an opportunity."))
        return self.opportunity_id.action_service_deal_timeline()

    def action_view_previous(self):
        self.ensure_one()
        if not self.previous_contract_id:
            raise UserError(_("This contract is not the renewal of another one."))
        return self.previous_contract_id._get_formview_action()

    def action_view_renewals(self):
        self.ensure_one()
        if len(self.renewal_ids) == 1:
            return self.renewal_ids._get_formview_action()
        return {
            "type": "ir.actions.act_window",
            "name": _("Renewals"),
            "res_model": "service.contract",
            "domain": [("id", "in", self.renewal_ids.ids)],
            "view_mode": "list,form",
        }

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_update_states(self):
        """Expire the active contracts whose end date has passed."""
        today = fields.Date.context_today(self)
        to_expire = self.search([("state", "=", "active"), ("date_end", "<", today)])
        action_records(to_expire).write({"state": "expired"})
        return to_expire

    @api.model
    def _cron_renewal_reminders(self):
        """Schedule one renewal activity per active contract that ends within its reminder days."""
        today = fields.Date.context_today(self)
        candidates = self.search(
            [
                ("state", "=", "active"),
                ("date_end", "!=", False),
                ("renewal_reminder_sent", "=", False),
                ("date_end", ">=", today),
            ]
        )
        due = candidates.filtered(
            lambda c: (
                not c.renewal_ids
                and c.date_end - relativedelta(days=c.renewal_reminder_days) <= today
            )
        )
        for contract in due:
            contract.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                summary=_("Renew contract %(contract)s", contract=contract.name),
                note=_(
                    "Contract %(contract)s of %(customer)s ends on %(end)s.",
                    contract=contract.name,
                    customer=contract.partner_id.display_name,
                    end=format_date(self.env, contract.date_end),
                ),
                user_id=(contract.user_id or self.env.user).id,
            )
        action_records(due).write({"renewal_reminder_sent": True})
        return due

    @api.model
    def _cron_create_invoices(self, batch_size=200):
        """Invoice every due period of every invoiceable contract, in batches.

        Each batch runs in the cron's transaction; when more remain, the cron is
        told so and comes back at once in a new transaction. A crash leaves the
        committed batches in place and the next run skips their periods.
        """
        today = fields.Date.context_today(self)
        contracts = self.search(
            [("state", "in", ("active", "expired")), ("next_invoice_date", "<=", today)],
            order="id",
        )
        contracts = contracts._filter_due(today)
        batch, rest = contracts[:batch_size], contracts[batch_size:]
        moves = batch._create_period_invoices(today)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(rest))
        return moves

    # ------------------------------------------------------------------
    # Recurring invoicing
    # ------------------------------------------------------------------
    def action_create_invoices(self):
        """Button: invoice the due periods of these contracts now; open what was created."""
        cancelled = self.filtered(lambda c: c.state not in ("active", "expired"))
        if cancelled:
            raise UserError(
                _(
                    "Contract %(contract)s is not active: it is not invoiced.",
                    contract=cancelled[0].name,
                )
            )
        moves = self._create_period_invoices(fields.Date.context_today(self), skip_locked=False)
        if not moves:
            raise UserError(_("Nothing to invoice: every due period already has its invoice."))
        if len(self) == 1:
            return self.action_view_invoices()
        return True

    def _service_contract_year(self, date=None):
        """``(start, end)`` of the contract year containing ``date`` (default today).

        Contract years run from the start date's anniversary; the yearly cap of
        the coverage applies to each of them. The last one ends with the contract.
        """
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        years = max(relativedelta(date, self.date_start).years, 0)
        start = self.date_start + relativedelta(years=years)
        end = start + relativedelta(years=1, days=-1)
        if self.date_end and end > self.date_end:
            end = self.date_end
        return start, end

    def _period_step(self):
        self.ensure_one()
        return PERIOD_MONTHS[self.invoicing_period]

    def _service_periods(self, until=None):
        """Invoicing periods of the contract as ``(start, end)`` dates, in order.

        Periods are anchored on the start date (a contract starting on the 31st
        keeps its anchor: 31 Jan, 28 Feb, 31 Mar...); the last one is cut at the
        end date. ``until`` stops at the first period starting after it.
        """
        self.ensure_one()
        step = self._period_step()
        index = 0
        while True:
            start = self.date_start + relativedelta(months=step * index)
            if self.date_end and start > self.date_end:
                return
            if until and start > until:
                return
            end = self.date_start + relativedelta(months=step * (index + 1)) - relativedelta(days=1)
            if self.date_end and end > self.date_end:
                end = self.date_end
            yield start, end
            index += 1

    def _period_due_date(self, start, end):
        """First day on which the period may be invoiced."""
        self.ensure_one()
        if self.invoicing_mode == "advance":
            return start
        return end + relativedelta(days=1)

    def _period_ratio(self, start, end):
        """Share of a full period covered by ``start..end`` (a cut last period is prorated)."""
        self.ensure_one()
        step = self._period_step()
        index = 1
        # The uncut end of the period, on the contract's anchor (31 Jan → 27 Feb...).
        while self.date_start + relativedelta(months=step * index) <= start:
            index += 1
        full_end = self.date_start + relativedelta(months=step * index, days=-1)
        if end >= full_end:
            return 1.0
        return ((end - start).days + 1) / ((full_end - start).days + 1)

    def _due_periods(self, today, invoiced_starts=()):
        """Periods due on ``today`` without an invoice yet."""
        self.ensure_one()
        return [
            (start, end)
            for start, end in self._service_periods(until=today)
            if self._period_due_date(start, end) <= today and start not in invoiced_starts
        ]

    def _invoiced_period_starts(self):
        """``{contract_id: {period_start, ...}}`` of the invoices already created, one query."""
        if not self.ids:
            return {}
        result = {}
        rows = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("service_contract_id", "in", self.ids),
                    ("service_period_start", "!=", False),
                    # a cancelled invoice leaves its period to invoice again
                    ("state", "!=", "cancel"),
                ],
                ["service_contract_id", "service_period_start:day"],
            )
        )
        for contract, period_start in rows:
            result.setdefault(contract.id, set()).add(period_start)
        return result

    def _filter_due(self, today):
        invoiced = self._invoiced_period_starts()
        return self.filtered(
            lambda c: c.amount_period and c._due_periods(today, invoiced.get(c.id, ()))
        )

    def _lock_for_invoicing(self, skip_locked=True):
        """Row-lock the contracts being invoiced; return those this transaction holds.

        With ``skip_locked``, contracts another transaction is invoicing right now
        are left to the next run instead of waiting for it.
        """
        if not self.ids:
            return self
        query = SQL(
            "SELECT id FROM service_contract WHERE id IN %s FOR NO KEY UPDATE %s",
            tuple(self.ids),
            SQL("SKIP LOCKED") if skip_locked else SQL("NOWAIT"),
        )
        if not skip_locked:
            # the button: a serialization failure is retried by the RPC layer
            self.env.cr.execute(query)
            return self.browse([row[0] for row in self.env.cr.fetchall()])
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
                ids = [row[0] for row in self.env.cr.fetchall()]
        except psycopg2.errors.SerializationFailure:
            # A concurrent run invoiced (and so changed) these contracts after
            # this transaction began: their new invoices are invisible here.
            # As for locked ones, leave them to the next run, which sees them.
            _logger.info("Service contract invoicing deferred: concurrent update.")
            return self.browse()
        return self.browse(ids)

    def _create_period_invoices(self, today, skip_locked=True):
        """Create the missing invoices of the due periods; return the new moves.

        Idempotent: a period that already has an invoice is skipped, and the
        unique index on (contract, period start) refuses a second one even from
        a concurrent transaction. Cancelled and draft contracts are never invoiced.
        """
        contracts = self.filtered(lambda c: c.state in ("active", "expired"))
        if not contracts:
            return self.env["account.move"]
        try:
            contracts = contracts._lock_for_invoicing(skip_locked=skip_locked)
        except Exception as error:
            if getattr(error, "pgcode", None) != "55P03":  # lock_not_available
                raise
            raise UserError(
                _("These contracts are being invoiced by someone else right now; try again.")
            ) from error
        invoiced = contracts._invoiced_period_starts()
        vals_by_company = {}
        for contract in contracts:
            if not contract.amount_period:
                continue
            for start, end in contract._due_periods(today, invoiced.get(contract.id, set())):
                vals_by_company.setdefault(contract.company_id, []).append(
                    contract._prepare_invoice_vals(start, end)
                )
        # The contract's invoicing sets the invoices' contract and period.
        Move = action_records(self.env["account.move"])
        moves = self.env["account.move"]
        for company, vals_list in vals_by_company.items():
            moves |= (
                Move.with_company(company)
                .with_context(default_move_type="out_invoice")
                .create(vals_list)
                .with_env(self.env)
            )
        to_post = moves.filtered(lambda m: m.service_contract_id.auto_post_invoices)
        if to_post:
            to_post.action_post()
        if moves:
            _logger.info("Service contracts: %s invoice(s) created", len(moves))
        return moves

    def _prepare_invoice_vals(self, start, end):
        """Values of the customer invoice of period ``start..end``."""
        self.ensure_one()
        ratio = self._period_ratio(start, end)
        partner = self.partner_invoice_id or self.partner_id
        # The invoice is the customer's to read: its labels in the customer's
        # language (the user's when the customer has none), as Odoo's own lines.
        env = self.with_context(lang=partner.lang or self.env.lang).env
        period_label = env._(
            "%(start)s–%(end)s",
            start=format_date(env, start),
            end=format_date(env, end),
        )
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "currency_id": self.currency_id.id,
            "company_id": self.company_id.id,
            "invoice_origin": self.name,
            "invoice_user_id": self.user_id.id,
            "ref": env._(
                "%(contract)s, period %(period)s", contract=self.name, period=period_label
            ),
            "service_contract_id": self.id,
            "service_period_start": start,
            "service_period_end": end,
            "invoice_line_ids": [
                fields.Command.create(
                    line.with_env(env)._prepare_invoice_line_vals(period_label, ratio)
                )
                for line in self.line_ids
                if line.price_subtotal
            ],
        }
