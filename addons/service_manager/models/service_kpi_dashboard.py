from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, LazyTranslate, date_utils, format_date, formatLang

from odoo.addons.service_base.tools import rpc_date
from odoo.addons.service_base.tools.rpc_answers import rpc_answer

from ..tools import forecast, local_midnights_utc

_lt = LazyTranslate(__name__)

PERIOD_DAYS = 90
# How many periods a figure's trend shows (the period shown last).
TREND_PERIODS = 6
# Points off the target that still show amber, not red.
TARGET_BAND = 10.0
# The figures of today, whatever the period: no trend over past periods.
TODAY_KPIS = {
    "backlog_open",
    "backlog_old",
    "backlog_overdue",
    "complaints_open",
    "maintenance_overdue",
    "qc_todo",
    "forecast_load",
    "forecast_capacity",
}
# Beyond these the period is a typing error (and the year 9999 has no next day).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
REPAIR_TYPES = ("repair", "maintenance", "complaint")


class ServiceKpiDashboard(models.AbstractModel):
    """The figures of the manager's morning screen.

    Each KPI is one aggregate query (``_read_group``) and carries the action
    that opens the records behind it. Addons add KPIs by extending
    ``_kpi_methods``. The dashboard only reads (``@api.readonly``): with a
    read-only replica in odoo.conf (``db_replica_host``) the web client's
    calls run there, so a KPI must not write (tests/test_replica.py).
    """

    _name = "service.kpi.dashboard"
    _description = "Service KPI Dashboard"

    @api.readonly
    @api.model
    def get_kpis(self, date_from=False, date_to=False):
        """List of KPI dicts: ``{key, label, value, display, unit, help, section, action}``.

        ``value`` is a number, or False when there is nothing to measure (no
        check done, no repair closed...; ``display`` is then "—").

        The figures of a period (requests created or closed, ratings, claims,
        parts, demonstrations held, quality checks done) cover the days
        ``date_from`` to ``date_to`` included, in the user's time zone: by
        default the last 90 days up to today. The backlog, the repairs waiting
        for their check and the forecast are today's whatever the period.

        Only service managers may read it: the figures span every team.
        """
        date_from, date_to = self._dashboard_period(date_from, date_to)
        kpis = self._kpis_of(date_from, date_to)
        targets = self._kpi_targets()
        for kpi in kpis:
            kpi.update(self._kpi_target_state(kpi, targets.get(kpi["key"])))
        return rpc_answer(kpis)

    @api.model
    def _dashboard_period(self, date_from, date_to):
        """The dashboard's period as dates (default: the last 90 days), for
        service managers only: the figures span every team."""
        if not self.env.user.has_group("service_base.group_service_manager"):
            raise AccessError(_("Only service managers can open the service dashboard."))
        today = fields.Date.context_today(self)
        date_to = rpc_date(self.env, date_to, _lt("Period end")) or today
        date_from = rpc_date(self.env, date_from, _lt("Period start")) or date_to - timedelta(
            days=PERIOD_DAYS - 1
        )
        if date_from > date_to:
            raise UserError(_("The period starts after it ends."))
        if date_from < FIRST_DAY or date_to > LAST_DAY:
            raise UserError(_("The period must lie between the years 1900 and 2999."))
        return date_from, date_to

    @api.model
    def _kpis_of(self, date_from, date_to, methods=None):
        """The KPI dicts of the period ``date_from``..``date_to`` (dates)."""
        self = self.with_context(
            service_kpi_period=(fields.Date.to_string(date_from), fields.Date.to_string(date_to))
        )
        kpis = []
        for method in methods or self._kpi_methods():
            try:
                kpis.extend(getattr(self, method)())
            except AccessError:
                # A figure built on records this manager may not read (e.g.
                # journal items) is left out rather than shown half-computed.
                continue
        return kpis

    @api.model
    def _kpi_targets(self):
        """``{kpi key: (target, higher_is_better)}`` from the company's settings."""
        company = self.env.company
        first_time_fix = company.service_target_first_time_fix
        sla = company.service_target_sla
        return {
            "sla_response": (sla, True),
            "sla_resolution": (sla, True),
            "csat": (company.service_target_csat, True),
            "first_time_fix": (first_time_fix, True),
            "rework_rate": (100.0 - first_time_fix, False),
            "parts_fill_rate": (company.service_target_parts_fill, True),
            "qc_pass_rate": (company.service_target_qc_pass, True),
            # the forecast load is on target within the technicians' capacity
            "forecast_capacity": (100.0, False),
        }

    @api.model
    def _kpi_target_state(self, kpi, target):
        """``{target, target_display, state}`` of ``kpi``: ``state`` is
        ``success`` at the target, ``warning`` within TARGET_BAND points of it,
        ``danger`` further off, False without a target or a value."""
        if target is None:
            return {"target": False, "target_display": "", "state": False}
        goal, higher = target
        shown = formatLang(self.env, goal, digits=0) + "\N{NO-BREAK SPACE}%"
        display = (
            _("Target: at least %(target)s", target=shown)
            if higher
            else _("Target: at most %(target)s", target=shown)
        )
        answer = {"target": goal, "target_display": display, "state": False}
        value = kpi["value"]
        if value is None or value is False:
            return answer
        gap = (goal - value) if higher else (value - goal)
        answer["state"] = "success" if gap <= 0 else "warning" if gap <= TARGET_BAND else "danger"
        return answer

    @api.readonly
    @api.model
    def get_trends(self, date_from=False, date_to=False, periods=TREND_PERIODS):
        """The trend of each period figure over the ``periods`` periods of the
        same length that end with ``date_from``..``date_to`` (default: the
        dashboard's period): ``{kpi key: [{label, value, display}, ...]}``,
        oldest first. The figures of today (backlog, forecast) have none.
        Service managers only, as the dashboard."""
        date_from, date_to = self._dashboard_period(date_from, date_to)
        if not isinstance(periods, int) or not 1 <= periods <= 24:
            raise UserError(_("A trend shows 1 to 24 periods."))
        length = (date_to - date_from).days + 1
        methods = [
            method
            for method in self._kpi_methods()
            if method not in ("_kpi_backlog", "_kpi_forecast")
        ]
        trends = {}
        for back in range(periods - 1, -1, -1):
            start = date_from - timedelta(days=length * back)
            end = start + timedelta(days=length - 1)
            if start < FIRST_DAY:
                continue
            label = "%s – %s" % (format_date(self.env, start), format_date(self.env, end))
            for kpi in self._kpis_of(start, end, methods):
                if kpi["key"] in TODAY_KPIS:
                    continue
                trends.setdefault(kpi["key"], []).append(
                    {"label": label, "value": kpi["value"], "display": kpi["display"]}
                )
        return rpc_answer(trends)

    @api.model
    def _kpi_methods(self):
        return [
            "_kpi_backlog",
            "_kpi_new_requests",
            "_kpi_closed_requests",
            "_kpi_satisfaction",
            "_kpi_warranty",
            "_kpi_parts",
            "_kpi_forecast",
            "_kpi_demonstrations",
            "_kpi_quality",
        ]

    @api.readonly
    @api.model
    def get_periods(self):
        """The periods the dashboard offers, in the user's time zone: a list
        of ``{key, label, date_from, date_to}``, the default (last 90 days)
        first."""
        today = fields.Date.context_today(self)
        last_year = today - relativedelta(years=1)
        periods = [
            ("last_90", _("Last 90 days"), today - timedelta(days=PERIOD_DAYS - 1), today),
            ("last_30", _("Last 30 days"), today - timedelta(days=29), today),
            ("this_month", _("This month"), date_utils.start_of(today, "month"), today),
            ("last_month", _("Last month"), *date_utils.get_month(today - relativedelta(months=1))),
            ("this_quarter", _("This quarter"), date_utils.get_quarter(today)[0], today),
            (
                "last_quarter",
                _("Last quarter"),
                *date_utils.get_quarter(today - relativedelta(months=3)),
            ),
            ("this_year", _("This year"), date_utils.start_of(today, "year"), today),
            (
                "last_year",
                _("Last year"),
                date_utils.start_of(last_year, "year"),
                date_utils.end_of(last_year, "year"),
            ),
        ]
        return [
            {
                "key": key,
                "label": label,
                "date_from": fields.Date.to_string(start),
                "date_to": fields.Date.to_string(end),
                "display": "%s – %s" % (format_date(self.env, start), format_date(self.env, end)),
            }
            for key, label, start, end in periods
        ]

    @api.model
    def _period_days(self):
        """(first day, last day) of the period, dates."""
        period = self.env.context.get("service_kpi_period")
        if not period:
            today = fields.Date.context_today(self)
            return today - timedelta(days=PERIOD_DAYS - 1), today
        return fields.Date.to_date(period[0]), fields.Date.to_date(period[1])

    @api.model
    def _period_date_domain(self, field_name):
        """The records whose date ``field_name`` falls in the period."""
        first, last = self._period_days()
        return [(field_name, ">=", first), (field_name, "<=", last)]

    @api.model
    def _period_datetime_domain(self, field_name):
        """The records whose datetime ``field_name`` falls in the period's
        days in the user's time zone (from its first midnight to the midnight
        after its last day, in UTC as stored)."""
        first, last = self._period_days()
        start, end = local_midnights_utc(self.env, [first, last + timedelta(1)])
        return [(field_name, ">=", start), (field_name, "<", end)]

    @api.model
    def _kpi(self, key, label, value, section, action, unit="", help_text="", precision=0):
        if value is None:
            display = "—"
        else:
            # In the user's language: «0,1 %», «1 250» in Russian.
            display = formatLang(self.env, value, digits=precision)
            if unit == "%":
                display = f"{display}\N{NO-BREAK SPACE}%"
        return {
            "key": key,
            "label": label,
            "value": value,
            "display": display,
            "unit": unit,
            "help": help_text,
            "section": section,
            "action": action,
        }

    @api.model
    def _records_action(self, name, model, domain, views=("list", "form")):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "views": [(False, view) for view in views],
            "target": "current",
        }

    @api.model
    def _ratio(self, part, whole):
        return 100.0 * part / whole if whole else None

    @api.model
    def _aggregate(self, model, domain, figures):
        """Several figures of ``model``'s records matching ``domain`` in one scan.

        ``figures`` maps a name to ``(aggregate, subdomain)``: ``aggregate`` as
        in ``_read_group`` (``"__count"``, ``"field:avg"``...), ``subdomain``
        narrowing the records it counts (a SQL ``FILTER``, so one scan serves
        every figure; the ORM has no filtered aggregates). Record rules and
        field access apply as in ``_read_group``. Returns ``{name: value}``.
        """
        query = model._search(domain)
        columns = []
        for aggregate, subdomain in figures.values():
            column = model._read_group_select(aggregate, query)
            if subdomain:
                # The subdomain's condition on the same table alias, without
                # a second active test (the main domain has it).
                where = model._where_calc(subdomain, active_test=False).where_clause
                column = SQL("%s FILTER (WHERE %s)", column, where)
            columns.append(column)
        self.env.cr.execute(query.select(*columns))
        return dict(zip(figures, self.env.cr.fetchone(), strict=True))

    # KPIs ----------------------------------------------------------------

    @api.model
    def _kpi_demonstrations(self):
        Booking = self.env["service.demo.booking"]
        domain = [("state", "=", "done"), *self._period_datetime_domain("date_start")]
        groups = dict(Booking._read_group(domain, ["lead_won"], ["__count"]))
        done = sum(groups.values())
        won = groups.get(True, 0)
        section = _("Demonstrations")
        return [
            self._kpi(
                "demos_done",
                _("Demonstrations held"),
                done,
                section,
                self._records_action(_("Demonstrations held"), Booking._name, domain),
            ),
            self._kpi(
                "demos_won_rate",
                _("Demos leading to a won deal"),
                self._ratio(won, done),
                section,
                self._records_action(
                    _("Demos leading to a won deal"),
                    Booking._name,
                    domain + [("lead_won", "=", True)],
                ),
                unit="%",
                help_text=_("Held demonstrations whose opportunity is won."),
            ),
        ]

    @api.model
    def _kpi_quality(self):
        Check = self.env["service.qc.check"]
        # Checks done in the period; those waiting are today's.
        domain = [
            ("state", "in", ("passed", "failed")),
            *self._period_datetime_domain("date_checked"),
        ]
        todo_domain = [("state", "=", "todo")]
        counts = self._aggregate(
            Check,
            expression.OR([domain, todo_domain]),
            {
                "checked": ("__count", domain),
                "passed": ("__count", domain + [("state", "=", "passed")]),
                "todo": ("__count", todo_domain),
            },
        )
        section = _("Quality")
        return [
            self._kpi(
                "qc_pass_rate",
                _("Quality checks passed"),
                self._ratio(counts["passed"], counts["checked"]),
                section,
                self._records_action(_("Quality checks"), Check._name, domain),
                unit="%",
                help_text=_("Share of completed quality checks that passed."),
            ),
            self._kpi(
                "qc_todo",
                _("Repairs waiting for a quality check"),
                counts["todo"],
                section,
                self._records_action(
                    _("Repairs waiting for a quality check"), Check._name, [("state", "=", "todo")]
                ),
            ),
        ]

    @api.model
    def _kpi_backlog(self):
        Request = self.env["service.request"]
        now = fields.Datetime.now()
        open_domain = [("is_closed", "=", False)]
        old_domain = open_domain + [("create_date", "<", now - timedelta(days=7))]
        # a paused SLA clock has not run out: its deadline moves when it resumes
        overdue_domain = open_domain + [
            ("date_deadline", "<", now),
            ("sla_paused_since", "=", False),
        ]
        complaints_domain = open_domain + [("request_type", "=", "complaint")]
        # planned maintenance (ППР) whose visit day has passed and is not
        # done: a visit today is not late yet
        (today_start,) = local_midnights_utc(self.env, [fields.Date.context_today(self)])
        maintenance_domain = open_domain + [
            ("request_type", "=", "maintenance"),
            ("date_scheduled", "<", today_start),
        ]
        # One scan of the open requests (an index-only scan of the partial
        # index service_request_open_kpi_index) for the five counts.
        counts = self._aggregate(
            Request,
            open_domain,
            {
                "open": ("__count", []),
                "old": ("__count", old_domain[-1:]),
                "overdue": ("__count", overdue_domain[-2:]),
                "complaints": ("__count", complaints_domain[-1:]),
                "maintenance": ("__count", maintenance_domain[-2:]),
            },
        )
        section = _("Backlog today")
        return [
            self._kpi(
                "backlog_open",
                _("Open requests"),
                counts["open"],
                section,
                self._records_action(
                    _("Open requests"), Request._name, open_domain, ("kanban", "list", "form")
                ),
            ),
            self._kpi(
                "backlog_old",
                _("Open for more than 7 days"),
                counts["old"],
                section,
                self._records_action(_("Open for more than 7 days"), Request._name, old_domain),
            ),
            self._kpi(
                "backlog_overdue",
                _("Past their deadline"),
                counts["overdue"],
                section,
                self._records_action(_("Past their deadline"), Request._name, overdue_domain),
            ),
            self._kpi(
                "complaints_open",
                _("Open complaints"),
                counts["complaints"],
                section,
                self._records_action(_("Open complaints"), Request._name, complaints_domain),
            ),
            self._kpi(
                "maintenance_overdue",
                _("Overdue maintenance"),
                counts["maintenance"],
                section,
                self._records_action(_("Overdue maintenance"), Request._name, maintenance_domain),
                help_text=_("Open maintenance requests whose visit was scheduled before today."),
            ),
        ]

    @api.model
    def _kpi_new_requests(self):
        """Response SLA, first-time fix and rework of the requests created in the period.

        One index-only scan of service_request_create_date_kpi_index.
        """
        Request = self.env["service.request"]
        created_domain = self._period_datetime_domain("create_date")
        # answered, or past the deadline unanswered (a breach all the same)
        response_domain = [
            ("date_response_deadline", "!=", False),
            "|",
            ("date_first_response", "!=", False),
            ("sla_response_breached", "=", True),
        ]
        repair_domain = [("request_type", "in", REPAIR_TYPES)]
        counts = self._aggregate(
            Request,
            created_domain,
            {
                "answered": ("__count", response_domain),
                "answered_in_time": ("__count", response_domain + [("response_met", "=", True)]),
                "repairs": ("__count", repair_domain),
                "rework": ("__count", repair_domain + [("is_rework", "=", True)]),
            },
        )
        rework_rate = self._ratio(counts["rework"], counts["repairs"])
        repairs_domain = created_domain + repair_domain
        return [
            self._kpi(
                "sla_response",
                _("Answered within the SLA"),
                self._ratio(counts["answered_in_time"], counts["answered"]),
                _("SLA"),
                self._records_action(
                    _("Requests answered late"),
                    Request._name,
                    created_domain + response_domain + [("response_met", "=", False)],
                ),
                unit="%",
                help_text=_(
                    "The customer had the first response (a reply or the assignment, as the "
                    "SLA policy counts it) before the response deadline."
                ),
            ),
            self._kpi(
                "first_time_fix",
                _("First-time fix rate"),
                None if rework_rate is None else 100.0 - rework_rate,
                _("Repairs"),
                self._records_action(_("Repair requests"), Request._name, repairs_domain),
                unit="%",
                help_text=_("Requests that are not a comeback of an earlier repair."),
            ),
            self._kpi(
                "rework_rate",
                _("Rework rate"),
                rework_rate,
                _("Repairs"),
                self._records_action(
                    _("Rework"), Request._name, repairs_domain + [("is_rework", "=", True)]
                ),
                unit="%",
            ),
        ]

    @api.model
    def _kpi_closed_requests(self):
        """Resolution SLA and mean time to repair of the requests closed in the period.

        One index-only scan of service_request_date_closed_kpi_index.
        """
        Request = self.env["service.request"]
        closed_domain = [("is_closed", "=", True), *self._period_datetime_domain("date_closed")]
        deadline_domain = [("date_deadline", "!=", False)]
        repair_domain = [("request_type", "in", REPAIR_TYPES)]
        figures = self._aggregate(
            Request,
            closed_domain,
            {
                "with_deadline": ("__count", deadline_domain),
                "in_time": ("__count", deadline_domain + [("sla_met", "=", True)]),
                "repairs": ("__count", repair_domain),
                "mean_hours": ("resolution_hours:avg", repair_domain),
            },
        )
        return [
            self._kpi(
                "sla_resolution",
                _("Resolved within the SLA"),
                self._ratio(figures["in_time"], figures["with_deadline"]),
                _("SLA"),
                self._records_action(
                    _("Requests resolved late"),
                    Request._name,
                    closed_domain + deadline_domain + [("sla_met", "=", False)],
                ),
                unit="%",
                help_text=_("Closed before their deadline; the link lists those closed late."),
            ),
            self._kpi(
                "mttr",
                _("Mean time to repair (hours)"),
                figures["mean_hours"] if figures["repairs"] else None,
                _("Repairs"),
                self._records_action(
                    _("Closed repair requests"), Request._name, closed_domain + repair_domain
                ),
                precision=1,
                help_text=_("From arrival to closing, averaged over closed repair requests."),
            ),
        ]

    @api.model
    def _kpi_satisfaction(self):
        Request = self.env["service.request"]
        Rating = self.env["rating.rating"]
        rated = [
            ("consumed", "=", True),
            ("rating", ">", 0),
            *self._period_datetime_domain("write_date"),
        ]
        # Ratings have no company: only those of the requests this manager may
        # read count (_search applies the requests' multi-company rule).
        domain = rated + [("res_model", "=", Request._name), ("res_id", "in", Request._search([]))]
        figures = self._aggregate(
            Rating,
            domain,
            {
                "count": ("__count", []),
                "average": ("rating:avg", []),
                "satisfied": ("__count", [("rating", ">=", 4)]),
            },
        )
        count = figures["count"]
        # The records behind the figures: the rated requests, which the client
        # lists under the same rules.
        rated_domain = [("rating_ids", "any", rated)]
        section = _("Satisfaction")
        return [
            self._kpi(
                "csat",
                _("Satisfied customers (CSAT)"),
                self._ratio(figures["satisfied"], count),
                section,
                self._records_action(
                    _("Requests rated 4 or 5"),
                    Request._name,
                    [("rating_ids", "any", rated + [("rating", ">=", 4)])],
                ),
                unit="%",
                help_text=_("Share of ratings of 4 or 5 out of 5."),
            ),
            self._kpi(
                "rating_avg",
                _("Average rating (of 5)"),
                figures["average"] if count else None,
                section,
                self._records_action(_("Rated requests"), Request._name, rated_domain),
                precision=1,
            ),
        ]

    @api.model
    def _kpi_warranty(self):
        Claim = self.env["service.warranty.claim"]
        SupplierClaim = self.env["service.supplier.claim"]
        claim_domain = self._period_date_domain("claim_date")
        [(count, cost)] = Claim._read_group(claim_domain, [], ["__count", "cost_total:sum"])
        recovered_domain = self._period_datetime_domain("create_date")
        [(recovered,)] = SupplierClaim._read_group(recovered_domain, [], ["recovered_amount:sum"])
        invoiced_domain = [
            ("move_id.move_type", "=", "out_invoice"),
            ("move_id.state", "=", "posted"),
            ("display_type", "=", "product"),
            *self._period_date_domain("date"),
        ]
        [(revenue,)] = self.env["account.move.line"]._read_group(
            invoiced_domain, [], ["price_subtotal:sum"]
        )
        section = _("Warranty")
        return [
            self._kpi(
                "warranty_claims",
                _("Warranty claims"),
                count,
                section,
                self._records_action(_("Warranty claims"), Claim._name, claim_domain),
            ),
            self._kpi(
                "warranty_cost_ratio",
                _("Warranty cost / invoiced sales"),
                self._ratio(cost or 0.0, revenue or 0.0),
                section,
                self._records_action(_("Warranty claims"), Claim._name, claim_domain),
                unit="%",
                precision=1,
                help_text=_(
                    "Cost of the claims (net of supplier recoveries) against sales invoiced."
                ),
            ),
            self._kpi(
                "warranty_recovered",
                _("Recovered from suppliers"),
                recovered or 0.0,
                section,
                self._records_action(_("Supplier claims"), SupplierClaim._name, recovered_domain),
            ),
        ]

    @api.model
    def _kpi_parts(self):
        Move = self.env["stock.move"]
        domain = [
            ("repair_id", "!=", False),
            ("repair_line_type", "=", "add"),
            ("state", "!=", "cancel"),
            *self._period_datetime_domain("create_date"),
        ]
        groups = dict(Move._read_group(domain, ["state"], ["__count"]))
        served = groups.get("done", 0) + groups.get("assigned", 0)
        section = _("Parts")
        return [
            self._kpi(
                "parts_fill_rate",
                _("Parts fill rate"),
                self._ratio(served, sum(groups.values())),
                section,
                self._records_action(
                    _("Parts not served from stock"),
                    Move._name,
                    domain + [("state", "not in", ("done", "assigned"))],
                ),
                unit="%",
                help_text=_("Repair parts reserved or consumed from stock, of all parts needed."),
            )
        ]

    @api.model
    def _kpi_forecast(self):
        """Holt-Winters forecast of the next 4 weeks against the technicians' capacity.

        One query for 104 weeks of history (grouped by week in SQL), one for
        the number of technicians.
        """
        Wizard = self.env["service.forecast.wizard"]
        weeks = Wizard._weekly_counts(104)
        result = forecast([count for __, count in weeks], horizon=4)
        load = sum(result["forecast"])
        per_week = Wizard._capacity_per_week()
        capacity = 4 * per_week
        action = {
            "type": "ir.actions.act_window",
            "res_model": "service.forecast.wizard",
            "views": [(False, "form")],
            "target": "current",
        }
        section = _("Next 4 weeks")
        return [
            dict(
                self._kpi(
                    "forecast_load",
                    _("Forecast requests"),
                    load,
                    section,
                    action,
                    help_text=_("Holt-Winters forecast from the weekly history of requests."),
                ),
                chart=self._forecast_chart(weeks[-8:], result["forecast"], per_week),
            ),
            self._kpi(
                "forecast_capacity",
                _("Load against capacity"),
                self._ratio(load, capacity),
                section,
                action,
                unit="%",
                help_text=_("Forecast requests in hours against the technicians' hours."),
            ),
        ]

    @api.model
    def _forecast_chart(self, history, predicted, per_week):
        """The bars of the forecast card: the last weeks' requests, the
        forecast weeks', and the technicians' capacity per week."""
        bars = [
            {
                "label": _("Week of %(date)s", date=format_date(self.env, week)),
                "value": count,
                "display": formatLang(self.env, count, digits=0),
                "forecast": False,
            }
            for week, count in history
        ]
        last = history[-1][0] if history else fields.Date.context_today(self)
        bars += [
            {
                "label": _(
                    "Week of %(date)s (forecast)",
                    date=format_date(self.env, last + timedelta(weeks=index + 1)),
                ),
                "value": round(value, 1),
                "display": formatLang(self.env, value, digits=1),
                "forecast": True,
            }
            for index, value in enumerate(predicted)
        ]
        return {"bars": bars, "capacity": round(per_week, 1)}
