from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.service_base.models.service_team import REQUEST_TYPES

from ..tools.forecast import forecast


class ServiceForecastWizard(models.TransientModel):
    _name = "service.forecast.wizard"
    _description = "Service Workload Forecast"

    team_id = fields.Many2one("service.team")
    history_weeks = fields.Integer(default=104, required=True)
    horizon = fields.Integer(string="Weeks Ahead", default=12, required=True)
    line_ids = fields.One2many("service.forecast.wizard.line", "wizard_id", string="Forecast")
    mae = fields.Float(string="Error on the Last 8 Weeks (requests/week)", readonly=True)
    mape = fields.Float(string="Relative Error on the Last 8 Weeks (%)", readonly=True)
    model_used = fields.Char(readonly=True)
    capacity_per_week = fields.Float(
        string="Capacity (requests/week)",
        readonly=True,
        help="Technicians x weekly hours / hours per request.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.action_compute()
        return wizards

    def action_compute(self):
        """Forecast the weekly requests of each type for the coming weeks."""
        for wizard in self:
            if wizard.history_weeks < 4 or not 1 <= wizard.horizon <= 52:
                raise UserError(
                    _("Use at least 4 weeks of history and a horizon of 1 to 52 weeks.")
                )
            domain = [("team_id", "=", wizard.team_id.id)] if wizard.team_id else []
            total = forecast(
                [c for __, c in self._weekly_counts(wizard.history_weeks, domain)],
                horizon=wizard.horizon,
            )
            by_type = self._weekly_counts_by_type(wizard.history_weeks, domain)
            first_week = self._week_start(fields.Date.context_today(self)) + timedelta(weeks=1)
            lines = []
            for request_type, series in by_type.items():
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
                    "capacity_per_week": wizard._capacity_per_week(),
                }
            )
        return True

    def _capacity_per_week(self):
        company = self.env.company
        members = self.team_id.member_ids or self.env.ref(
            "service_base.group_service_user"
        ).users.filtered(lambda u: not u.share and company in u.company_ids)
        return (
            len(members) * company.service_weekly_hours / (company.service_hours_per_request or 1.0)
        )

    @api.model
    def _week_start(self, day):
        return day - timedelta(days=day.weekday())

    @api.model
    def _weekly_counts(self, weeks, domain=None):
        """[(week_start, count)] of requests over the last ``weeks`` full weeks; one query."""
        this_week = self._week_start(fields.Date.context_today(self))
        start = this_week - timedelta(weeks=weeks)
        groups = self.env["service.request"]._read_group(
            (domain or [])
            + [
                ("create_date", ">=", fields.Datetime.to_datetime(start)),
                ("create_date", "<", fields.Datetime.to_datetime(this_week)),
            ],
            # by day, then to Monday-based weeks: read_group's weeks follow the
            # language's first day of the week
            ["create_date:day"],
            ["__count"],
        )
        counts = defaultdict(int)
        for day, count in groups:
            counts[self._week_start(day.date())] += count
        return [
            (start + timedelta(weeks=i), counts.get(start + timedelta(weeks=i), 0))
            for i in range(weeks)
        ]

    @api.model
    def _weekly_counts_by_type(self, weeks, domain=None):
        this_week = self._week_start(fields.Date.context_today(self))
        start = this_week - timedelta(weeks=weeks)
        groups = self.env["service.request"]._read_group(
            (domain or [])
            + [
                ("create_date", ">=", fields.Datetime.to_datetime(start)),
                ("create_date", "<", fields.Datetime.to_datetime(this_week)),
            ],
            ["create_date:day", "request_type"],
            ["__count"],
        )
        counts = defaultdict(lambda: defaultdict(int))
        for day, request_type, count in groups:
            counts[request_type][self._week_start(day.date())] += count
        return {
            request_type: [
                counts[request_type].get(start + timedelta(weeks=i), 0) for i in range(weeks)
            ]
            for request_type in counts
        }


class ServiceForecastWizardLine(models.TransientModel):
    _name = "service.forecast.wizard.line"
    _description = "Service Workload Forecast Line"
    _order = "week_start, request_type"

    wizard_id = fields.Many2one("service.forecast.wizard", required=True, ondelete="cascade")
    week_start = fields.Date(string="Week", required=True)
    request_type = fields.Selection(REQUEST_TYPES)
    forecast = fields.Float(string="Forecast Requests", digits=(16, 1))
