from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, LazyTranslate

from odoo.addons.service_base.tools import action_records, rpc_number, rpc_text

_lt = LazyTranslate(__name__)

LOW_RATING = 2


class ServiceRequest(models.Model):
    _name = "service.request"
    _inherit = ["service.request", "service.meeting.mixin", "service.guarded.mixin"]

    is_rework = fields.Boolean(
        string="Rework",
        readonly=True,
        copy=False,
        index=True,
        help="The unit came back within the rework window after a finished repair.",
        groups="base.group_user",
    )
    rework_repair_id = fields.Many2one(
        "repair.order",
        string="Reworks Repair",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The finished repair this request comes back on.",
        groups="base.group_user",
    )
    rework_technician_id = fields.Many2one(
        "res.users",
        string="Technician of the First Repair",
        related="rework_repair_id.user_id",
        store=True,
        index="btree_not_null",
        groups="base.group_user",
    )
    resolution_hours = fields.Float(
        string="Hours to Resolve",
        compute="_compute_resolution_kpis",
        store=True,
        aggregator="avg",
        help="From the request's arrival to its closing, in calendar hours.",
        groups="base.group_user",
    )
    sla_met = fields.Boolean(
        string="Resolved in Time",
        compute="_compute_resolution_kpis",
        store=True,
        help="Closed before its deadline.",
        groups="base.group_user",
    )
    response_met = fields.Boolean(
        string="Answered in Time",
        compute="_compute_resolution_kpis",
        store=True,
        help="The customer had the first response (a reply or the assignment, as the SLA "
        "policy counts it) before the response deadline of the SLA.",
        groups="base.group_user",
    )

    def _service_guarded_fields(self):
        # Facts the request's history gives: rework as found on arrival, the KPIs.
        return super()._service_guarded_fields() | {
            "is_rework",
            "rework_repair_id",
            "rework_technician_id",
            "resolution_hours",
            "sla_met",
            "response_met",
        }

    def init(self):
        result = super().init()
        # Covering indexes for the dashboard: each KPI query reads only the
        # index (an index-only scan), never the rows of a million-row table.
        # The ORM declares neither INCLUDE columns nor partial predicates.
        # The uninstall_hook (hooks.py) drops them: the table is service_repair's.
        # The open backlog: the predicate is the SQL of the domain
        # [("is_closed", "=", False)] with the active test, so that the
        # planner proves the query implies it.
        # An index of an earlier version keeps its columns under IF NOT EXISTS.
        self._drop_index_without("service_request_open_kpi_index", "date_scheduled")
        self._drop_index_without("service_request_create_date_kpi_index", "date_first_response")
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS service_request_open_kpi_index
                    ON service_request (company_id)
                       INCLUDE (create_date, date_deadline, request_type, sla_paused_since,
                                date_scheduled)
                 WHERE active AND (is_closed IS NULL OR is_closed = FALSE)
                """
            )
        )
        # Requests created in a window (response SLA, rework, the forecast's history).
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS service_request_create_date_kpi_index
                    ON service_request (create_date)
                       INCLUDE (company_id, active, request_type, date_response_deadline,
                                date_first_response, sla_response_breached, response_met,
                                is_rework)
                """
            )
        )
        # Requests closed in a window (resolution SLA, mean time to repair).
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS service_request_date_closed_kpi_index
                    ON service_request (date_closed)
                       INCLUDE (company_id, active, is_closed, request_type, date_deadline,
                                sla_met, resolution_hours)
                """
            )
        )
        # The plain indexes these replace (their keys lead the new ones).
        self.env.cr.execute(
            SQL(
                "DROP INDEX IF EXISTS service_request_create_date_index, "
                "service_request_date_closed_index"
            )
        )
        return result

    def _drop_index_without(self, name, column):
        self.env.cr.execute(SQL("SELECT indexdef FROM pg_indexes WHERE indexname = %s", name))
        row = self.env.cr.fetchone()
        if row and column not in row[0]:
            self.env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        for request, vals in zip(requests, vals_list, strict=True):
            if vals.get("analytic_account_id"):
                request._service_check_analytic_account()
        requests._flag_rework()
        return requests

    def write(self, vals):
        result = super().write(vals)
        if vals.get("analytic_account_id"):
            for request in self:
                request._service_check_analytic_account()
        if "equipment_id" in vals or "request_type" in vals:
            self._flag_rework()
        return result

    def _flag_rework(self):
        """Mark the requests that bring a unit back soon after a finished repair.

        Decided when the unit is known (at arrival, or when it is identified
        later) and then kept: later repairs do not rewrite history. One query
        for the finished repairs of all the units concerned, one write per
        repair found.
        """
        now = fields.Datetime.now()
        candidates = self.filtered(
            lambda r: (
                r.equipment_id
                and r.request_type != "consultation"
                and r.company_id.service_rework_days > 0
            )
        )
        repairs = self.env["repair.order"]
        if candidates:
            starts = [r.create_date or now for r in candidates]
            window = max(candidates.company_id.mapped("service_rework_days"))
            repairs = repairs.search_fetch(
                [
                    ("equipment_id", "in", candidates.equipment_id.ids),
                    ("state", "=", "done"),
                    ("service_date_done", ">=", min(starts) - timedelta(days=window)),
                    ("service_date_done", "<=", max(starts)),
                ],
                ["equipment_id", "service_date_done", "request_id"],
                order="service_date_done desc",
            )
        by_repair = defaultdict(lambda: self.browse())
        for request in self:
            start = request.create_date or now
            earliest = start - timedelta(days=request.company_id.service_rework_days)
            previous = next(
                (
                    repair
                    for repair in repairs
                    if request in candidates
                    and repair.equipment_id == request.equipment_id
                    and repair.request_id != request
                    and earliest <= repair.service_date_done <= start
                ),
                repairs.browse(),
            )
            if previous != request.rework_repair_id:
                by_repair[previous] |= request
        for previous, requests in by_repair.items():
            action_records(requests).write(
                {"is_rework": bool(previous), "rework_repair_id": previous.id}
            )

    @api.depends(
        "date_closed",
        "date_deadline",
        "date_first_response",
        "date_response_deadline",
        "sla_response_breached",
        "sla_resolution_breached",
    )
    def _compute_resolution_kpis(self):
        for request in self:
            opened = request.create_date
            closed = request.date_closed
            # never negative: a request imported closed before it was recorded
            request.resolution_hours = (
                max((closed - opened).total_seconds() / 3600, 0.0) if opened and closed else 0.0
            )
            # The breach flags are the SLA clock's verdict (a deadline moved by
            # hand after a breach does not undo it).
            request.sla_met = bool(
                closed
                and request.date_deadline
                and closed <= request.date_deadline
                and not request.sla_resolution_breached
            )
            request.response_met = bool(
                request.date_first_response
                and request.date_response_deadline
                and request.date_first_response <= request.date_response_deadline
                and not request.sla_response_breached
            )

    # The rating page's hook, answering with the rating record: not an RPC
    # method (customers rate through /rate/<token>).
    @api.private
    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        rate = rpc_number(self.env, rate, _lt("Rating"), minimum=0, maximum=5)
        feedback = rpc_text(self.env, feedback, _lt("Feedback"))
        try:
            rating = super().rating_apply(
                rate,
                token=token,
                rating=rating,
                feedback=feedback,
                subtype_xmlid=subtype_xmlid,
                notify_delay_send=notify_delay_send,
            )
        except ValueError as error:
            # rating.mixin answers an unknown token with a (translated) ValueError.
            raise UserError(str(error)) from error
        if rate <= LOW_RATING:
            self._service_follow_low_rating(rate, feedback)
        return rating

    def _service_follow_low_rating(self, rate, feedback):
        """A dissatisfied customer: the team leader (or a manager) calls back."""
        manager_group = self.env.ref("service_base.group_service_manager")
        for request in self:
            company = request.company_id
            responsible = (
                request.team_id.user_id
                or manager_group.users.filtered(lambda u, c=company: c in u.company_ids)[:1]
            )
            if not responsible:
                continue
            request.activity_schedule(
                "mail.mail_activity_data_call",
                summary=_("Low rating (%(rate)s/5): call the customer back", rate=int(rate)),
                note=feedback or False,
                user_id=responsible.id,
            )

    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        compute="_compute_analytic_account_id",
        store=True,
        readonly=False,
        tracking=True,
        check_company=True,
        help="Where the request's repairs, parts, labour and service-centre bills are "
        "charged: its contract's analytic account, else its team's.",
        groups="base.group_user",
    )
    service_revenue = fields.Monetary(
        string="Revenue Invoiced",
        compute="_compute_service_profitability",
        help="Untaxed total of the posted customer invoices (less credit notes) of the "
        "quotations of this request's repairs.",
        groups="base.group_user",
    )
    service_parts_cost = fields.Monetary(
        string="Parts Cost",
        compute="_compute_service_profitability",
        help="Parts consumed by the repairs, valued at the cost of their stock moves.",
        groups="base.group_user",
    )
    service_labour_cost = fields.Monetary(
        string="Labour Cost",
        compute="_compute_service_profitability",
        help="Labour hours of the repairs times the company's labour rate.",
        groups="base.group_user",
    )
    service_margin = fields.Monetary(
        string="Margin", compute="_compute_service_profitability", groups="base.group_user"
    )

    def _service_analytic_sources(self):
        """The accounts the request's contract and team give it."""
        self.ensure_one()
        return self.contract_id.sudo().analytic_account_id | self.team_id.sudo().analytic_account_id

    def _service_check_analytic_account(self):
        self.ensure_one()
        self.analytic_account_id._service_check_chargeable(self, self._service_analytic_sources())

    @api.depends("contract_id.analytic_account_id", "team_id.analytic_account_id")
    def _compute_analytic_account_id(self):
        for request in self:
            request.analytic_account_id = (
                request.contract_id.analytic_account_id or request.team_id.analytic_account_id
            )

    @api.depends("repair_ids")
    def _compute_service_profitability(self):
        """A handful of aggregate queries for the whole batch, whatever its size.

        Read with sudo: service staff see the figures of the requests they may
        read, not the journal items behind them.
        """
        repairs = (
            self.env["repair.order"]
            .sudo()
            .search_fetch(
                [("request_id", "in", self.ids)],
                ["request_id", "sale_order_id", "service_labour_cost"],
            )
        )
        figures = repairs._service_figures()
        totals = defaultdict(lambda: defaultdict(float))
        for repair in repairs:
            total = totals[repair.request_id.id]
            total["revenue"] += figures[repair.id]["revenue"]
            total["parts"] += figures[repair.id]["parts"]
            total["labour"] += repair.service_labour_cost
        for request in self:
            total = totals[request.id]
            request.service_revenue = total["revenue"]
            request.service_parts_cost = total["parts"]
            request.service_labour_cost = total["labour"]
            request.service_margin = (
                request.service_revenue
                - request.service_parts_cost
                - request.service_labour_cost
                - request.service_center_cost
            )
