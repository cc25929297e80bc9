from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, date_utils

from odoo.addons.service_base.models.service_team import REQUEST_TYPES

from ..tools import forecast, local_midnights_utc

# Ten years: further back the calendar arithmetic leaves the dates Python knows.
MAX_HISTORY_WEEKS = 520


class ServiceForecastWizard(models.TransientModel):
    _name = "service.forecast.wizard"
    _description = "Service Workload Forecast"

    team_id = fields.Many2one("service.team")
    history_weeks = fields.Integer(default=104, required=True)
    horizon = fields.Integer(string="Weeks Ahead", default=12, required=True)
    line_ids = fields.One2many("service.forecast.wizard.line", "wizard_id", string="Forecast")
    mae = fields.Float(string="Error on the Last 8 Weeks (requests/week)", readonly=True)
    mape = fields.Float(string="Relative Error on the Last 8 Weeks (%)", readonly=True)
    model_used = fields.Selection(
        [
            ("holt_winters", "Holt-Winters (trend and yearly season)"),
            ("holt", "Holt (trend, history too short for a season)"),
            ("mean", "Average (history too short for a trend)"),
            ("none", "None"),
        ],
        string="Forecast Model",
        readonly=True,
    )
    history_requests = fields.Integer(
        string="Requests in the History",
        readonly=True,
        help="Requests of the full weeks the forecast learns from (the current week is not "
        "full yet).",
    )
    capacity_per_week = fields.Float(
        string="Capacity (requests/week)",
        readonly=True,
        help="Technicians x weekly hours / hours per request.",
    )

    @api.depends_context("lang")
    def _compute_display_name(self):
        # the breadcrumb: not «service.forecast.wizard,3»
        for wizard in self:
            wizard.display_name = _("Workload Forecast")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.action_compute()
        return wizards

    def action_compute(self):
        """Forecast the weekly requests of each type for the coming weeks."""
        for wizard in self:
            if not 4 <= wizard.history_weeks <= MAX_HISTORY_WEEKS or not 1 <= wizard.horizon <= 52:
                raise UserError(
                    _(
                        "Use 4 to %(max)s weeks of history and a horizon of 1 to 52 weeks.",
                        max=MAX_HISTORY_WEEKS,
                    )
                )
            domain = [("team_id", "=", wizard.team_id.id)] if wizard.team_id else []
            history = self._weekly_history(wizard.history_weeks, domain, by_type=True)
            total = forecast(
                [sum(counts.values()) for __, counts in history], horizon=wizard.horizon
            )
            types = sorted({request_type for __, counts in history for request_type in counts})
            first_week = self._week_start(fields.Date.context_today(self)) + timedelta(weeks=1)
            lines = []
            for request_type in types:
                series = [counts.get(request_type, 0) for __, counts in history]
                result = forecast(series, horizon=wizard.horizon)
                for index, value in enumerate(result["forecast"]):
                    lines.append(
                        {
                            "week_start": first_week + timedelta(weeks=index),
                            "request_type": request_type,
                            "forecast": value,
                        }
                    )
            backtest = total["backtest"]
            wizard.write(
                {
                    "line_ids": [(5, 0, 0)] + [(0, 0, line) for line in lines],
                    "mae": backtest["mae"] or 0.0,
                    "mape": 100.0 * (backtest["mape"] or 0.0),
                    "model_used": total["model"],
                    "history_requests": sum(sum(counts.values()) for __, counts in history),
                    "capacity_per_week": wizard._capacity_per_week(),
                }
            )
        return True

    def action_view_chart(self):
        """Open the forecast as a chart of requests per week and type."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Workload Forecast"),
            "res_model": "service.forecast.wizard.line",
            "view_mode": "graph,pivot,list",
            "views": [(False, "graph"), (False, "pivot"), (False, "list")],
            "domain": [("wizard_id", "=", self.id)],
            "target": "current",
        }

    def _capacity_per_week(self):
        """Requests the technicians (of the wizard's team, else all) can take a week."""
        company = self.env.company
        if self.team_id.member_ids:
            technicians = len(self.team_id.member_ids)
        else:
            technicians = self.env["res.users"].search_count(
                [
                    ("groups_id", "in", self.env.ref("service_base.group_service_user").id),
                    ("share", "=", False),
                    ("company_ids", "in", company.id),
                ]
            )
        return (
            technicians * company.service_weekly_hours / (company.service_hours_per_request or 1.0)
        )

    @api.model
    def _week_start(self, day):
        return date_utils.start_of(day, "week")

    @api.model
    def _weekly_counts(self, weeks, domain=None):
        """[(week_start, count)] of requests over the last ``weeks`` full weeks; one query."""
        return [
            (week, sum(counts.values())) for week, counts in self._weekly_history(weeks, domain)
        ]

    @api.model
    def _weekly_history(self, weeks, domain=None, by_type=False):
        """[(week_start, {request_type: count})] over the last ``weeks`` full weeks.

        One query, grouped by week in SQL: ``_read_group``'s weeks follow the
        language's first day of the week, and grouping by day returns seven
        times as many rows to add up in Python. Weeks run from Monday midnight
        in the user's time zone, each boundary at its own UTC offset (a
        daylight-saving change moves no request across a week): the boundaries
        are computed here and each row finds its week by a binary search
        among them (``width_bucket``), which costs about what ``date_bin``
        did with one offset for all weeks, and much less than converting
        each row's time zone. One scan, so that the planner chooses: an
        index-only scan of service_request_create_date_kpi_index on a vacuumed
        table, a parallel sequential scan on a freshly loaded one (one index
        range count per week is twice as fast on the first, but fetches every
        row from the heap on the second: 15 times slower).
        Without ``by_type``, each dict has the one key ``False``.
        """
        this_week = self._week_start(fields.Date.context_today(self))
        starts = [this_week - timedelta(weeks=weeks - i) for i in range(weeks + 1)]
        # Monday midnight of each week and of this one, local, in UTC as stored.
        bounds = local_midnights_utc(self.env, starts)
        Request = self.env["service.request"]
        query = Request._search(
            (domain or []) + [("create_date", ">=", bounds[0]), ("create_date", "<", bounds[-1])]
        )
        # 1 for the first week, ``weeks`` for the last.
        week = SQL(
            "width_bucket(%s, %s::timestamp[])", SQL.identifier(query.table, "create_date"), bounds
        )
        group = SQL("FALSE")
        query.groupby = week
        if by_type:
            group = SQL.identifier(query.table, "request_type")
            query.groupby = SQL("%s, %s", week, group)
        self.env.cr.execute(query.select(week, group, SQL("count(*)")))
        counts = defaultdict(dict)
        for bucket, key, count in self.env.cr.fetchall():
            counts[starts[bucket - 1]][key] = count
        return [(start, counts.get(start, {})) for start in starts[:-1]]


class ServiceForecastWizardLine(models.TransientModel):
    _name = "service.forecast.wizard.line"
    _description = "Service Workload Forecast Line"
    _order = "week_start, request_type"

    wizard_id = fields.Many2one("service.forecast.wizard", required=True, ondelete="cascade")
    week_start = fields.Date(string="Week", required=True)
    request_type = fields.Selection(REQUEST_TYPES)
    forecast = fields.Float(string="Forecast Requests", digits=(16, 1))
