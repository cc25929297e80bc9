from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.service_base.tools import lock_for_update

# More than a year of one technician's full-time work: a typing error, not a repair.
MAX_LABOUR_HOURS = 10_000


class RepairOrder(models.Model):
    _name = "repair.order"
    _inherit = ["repair.order", "service.guarded.mixin"]

    service_labour_hours = fields.Float(
        string="Labour Hours", help="Hours the technicians spent on this repair."
    )
    service_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    service_labour_cost = fields.Monetary(
        string="Labour Cost",
        compute="_compute_service_labour_cost",
        store=True,
        currency_field="service_currency_id",
        help="Labour hours times the company's labour rate when they were recorded; "
        "charged to the repair's analytic account once the repair is done.",
    )
    service_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Analytic Account",
        compute="_compute_service_analytic_account_id",
        help="Where the repair's parts, labour and invoiced lines are charged: the "
        "analytic account of its request (its contract's or team's), else of its claim.",
    )
    service_revenue = fields.Monetary(
        string="Revenue Invoiced",
        compute="_compute_service_profitability",
        currency_field="service_currency_id",
        help="Untaxed posted customer invoices (less credit notes) of this repair's quotation.",
    )
    service_parts_cost = fields.Monetary(
        string="Parts Cost",
        compute="_compute_service_profitability",
        currency_field="service_currency_id",
        help="Parts consumed by the repair, valued at the cost of their stock moves.",
    )
    service_margin = fields.Monetary(
        string="Margin",
        compute="_compute_service_profitability",
        currency_field="service_currency_id",
    )
    service_qc_check_ids = fields.One2many("service.qc.check", "repair_id", string="Quality Checks")
    service_qc_applies = fields.Boolean(
        compute="_compute_service_qc_applies",
        string="Quality Check Applies",
        help="A quality checklist applies to this repair, or it has a check.",
    )
    service_qc_state = fields.Selection(
        [
            ("none", "Not Required"),
            ("todo", "To Check"),
            ("passed", "Passed"),
            ("failed", "Failed"),
        ],
        string="Quality Check",
        compute="_compute_service_qc_state",
        store=True,
    )

    def _service_guarded_fields(self):
        guarded = super()._service_guarded_fields() | {"service_labour_cost", "service_qc_state"}
        if any(repair.state == "done" for repair in self):
            # Charged to the analytic account when the repair was done, like its parts.
            guarded.add("service_labour_hours")
        return guarded

    @api.depends("service_labour_hours", "company_id")
    def _compute_service_labour_cost(self):
        for repair in self:
            repair.service_labour_cost = (
                repair.service_labour_hours * repair.company_id.service_labour_rate
            )

    @api.depends("request_id.analytic_account_id", "service_warranty_claim_id.analytic_account_id")
    def _compute_service_analytic_account_id(self):
        # sudo: warehouse users without Service rights reserve and consume the
        # repair's parts, and stock_account asks each move line for this
        # account; only the account the repair is charged to is read.
        for repair in self:
            source = repair.sudo()
            repair.service_analytic_account_id = (
                source.request_id.analytic_account_id
                or source.service_warranty_claim_id.analytic_account_id
            ).sudo(False)

    @api.depends("sale_order_id", "move_ids", "service_labour_cost")
    def _compute_service_profitability(self):
        figures = self._service_figures()
        for repair in self:
            repair.service_revenue = figures[repair.id]["revenue"]
            repair.service_parts_cost = figures[repair.id]["parts"]
            repair.service_margin = (
                repair.service_revenue - repair.service_parts_cost - repair.service_labour_cost
            )

    @api.depends("service_qc_check_ids", "product_id", "lot_id")
    def _compute_service_qc_applies(self):
        # sudo: the checklists are read only to show or hide the button.
        Template = self.env["service.qc.template"].sudo()
        for repair in self:
            repair.service_qc_applies = bool(
                repair.service_qc_check_ids or Template._for_repair(repair.sudo())
            )

    @api.depends("service_qc_check_ids.state")
    def _compute_service_qc_state(self):
        for repair in self:
            last = repair.service_qc_check_ids.sorted("id")[-1:]
            repair.service_qc_state = last.state or "none"

    @api.constrains("service_labour_hours")
    def _check_service_labour_hours(self):
        for repair in self:
            if not 0 <= repair.service_labour_hours <= MAX_LABOUR_HOURS:
                raise ValidationError(
                    _(
                        "The labour hours of %(repair)s must be between 0 and %(maximum)s.",
                        repair=repair.name,
                        maximum=MAX_LABOUR_HOURS,
                    )
                )

    def action_repair_start(self):
        result = super().action_repair_start()
        self._service_create_qc_checks()
        return result

    def write(self, vals):
        if vals.get("state") == "done":
            # However the repair gets there (Odoo's button, RPC), and however
            # its check got its state.
            self._service_check_qc_passed()
        result = super().write(vals)
        if {"state", "service_labour_hours"} & set(vals):
            self._service_sync_labour_analytic()
        return result

    def action_repair_done(self):
        self._service_check_qc_passed()
        return super().action_repair_done()

    def action_service_qc_check(self):
        """Open the repair's quality check (created from its template if needed)."""
        self.ensure_one()
        self._service_create_qc_checks()
        check = self.service_qc_check_ids.sorted("id")[-1:]
        if not check:
            raise UserError(_("No quality checklist applies to this repair."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.qc.check",
            "res_id": check.id,
            "view_mode": "form",
            "target": "current",
        }

    def _service_check_qc_passed(self):
        """Refuse to finish repairs whose last quality check has not passed by
        its rules: a checker, not the technician when four eyes are required,
        every mandatory item passed. Without a check, a repair that a
        checklist applies to is refused too (Odoo's own action_repair_done
        finishes a repair that was never started); the suite's superuser
        (data files, upgrades) is not."""
        # sudo: the checks and checklists are read only to refuse; a user of
        # Odoo's Repairs app without Service rights is held to them too.
        Template = self.env["service.qc.template"].sudo()
        blocked = self.browse()
        for repair in self.sudo():
            check = repair.service_qc_check_ids.sorted("id")[-1:]
            if not check:
                if not self.env.su and Template._for_repair(repair):
                    blocked |= repair
            elif check.state != "passed":
                blocked |= repair
            else:
                problem = check._service_pass_problem(check.checked_by_id)
                if problem:
                    raise UserError(problem)
        if blocked:
            raise UserError(
                _(
                    "The quality check of %(repairs)s has not passed yet: the repair "
                    "cannot be finished.",
                    repairs=", ".join(blocked.mapped("name")),
                )
            )

    def _service_create_qc_checks(self):
        # sudo: a repair may be started by a user of Odoo's Repairs app without
        # Service rights; its product still gets its checklist. Only the
        # templates and checks of these repairs are read, nothing is returned
        # to such a user but the checks created on their repairs, which they
        # may change.
        self.check_access("write")
        repairs = self.sudo()
        # one open check per repair, also when two users open it at once
        lock_for_update(repairs)
        Template = repairs.env["service.qc.template"]
        vals_list = []
        for repair in repairs:
            if repair.service_qc_check_ids.filtered(lambda c: c.state != "failed"):
                continue
            template = Template._for_repair(repair)
            if template:
                vals_list.append({"repair_id": repair.id, "template_id": template.id})
        return repairs.env["service.qc.check"].create(vals_list)

    # Cost and revenue ---------------------------------------------------

    def _service_figures(self):
        """``{repair id: {"revenue": ..., "parts": ...}}`` in two queries for the batch.

        Revenue: posted customer invoices and credit notes (untaxed, company
        currency) of the quotation lines that bill each repair. Parts: what
        the valuation layers of the repair's part moves took out of stock.
        Read with sudo: service staff see the figures of the repairs they may
        read, not the journal items and layers behind them.
        """
        figures = defaultdict(lambda: {"revenue": 0.0, "parts": 0.0})
        repairs = self.filtered("id")
        if not repairs:
            return figures
        layers = (
            self.env["stock.valuation.layer"]
            .sudo()
            ._read_group(
                [
                    ("stock_move_id.repair_id", "in", repairs.ids),
                    ("stock_move_id.repair_line_type", "!=", False),
                ],
                ["stock_move_id"],
                ["value:sum"],
            )
        )
        for move, value in layers:
            # consumption layers are negative: a cost is their opposite
            figures[move.repair_id.id]["parts"] -= value
        orders = repairs.sudo().sale_order_id
        if orders:
            lines = (
                self.env["account.move.line"]
                .sudo()
                .search_fetch(
                    [
                        ("sale_line_ids.order_id", "in", orders.ids),
                        ("parent_state", "=", "posted"),
                        ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                        ("display_type", "=", "product"),
                    ],
                    ["balance", "sale_line_ids"],
                )
            )
            for line in lines:
                repair = line.sale_line_ids[:1]._service_repair()
                if repair in repairs:
                    figures[repair.id]["revenue"] -= line.balance
        return figures

    def _service_analytic_sources(self):
        """The analytic accounts the repair's documents give it: its request's
        (or the request's contract's and team's), its claim's. Each was checked
        when it was set on them, against who set it."""
        self.ensure_one()
        # sudo: the accounts are read only to compare them with the one charged.
        request, claim = self.sudo().request_id, self.sudo().service_warranty_claim_id
        return (
            request.analytic_account_id
            | request.contract_id.analytic_account_id
            | request.team_id.analytic_account_id
            | claim.analytic_account_id
        ).sudo(False)

    def _service_sync_labour_analytic(self):
        """Charge the labour of done repairs to their analytic account (one
        line per account, updated when the hours change)."""
        no_account = self.env["account.analytic.account"]
        self.env["account.analytic.line"]._service_sync_labour(
            self,
            "service_repair_id",
            lambda repair: (
                repair.service_analytic_account_id if repair.state == "done" else no_account,
                repair.service_labour_cost,
                repair.service_labour_hours,
            ),
        )

    def _prepare_analytic_line_values(self, account_field_values, amount, unit_amount):
        """Values of a labour analytic line (called by _perform_analytic_distribution)."""
        self.ensure_one()
        return {
            "name": _("Labour: %(repair)s", repair=self.name),
            "date": (self.service_date_done or fields.Datetime.now()).date(),
            "amount": amount,
            "unit_amount": unit_amount,
            "product_uom_id": self.env.ref("uom.product_uom_hour").id,
            "partner_id": self.partner_id.id,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
            "ref": self.name,
            "category": "other",
            "service_repair_id": self.id,
            **account_field_values,
        }
