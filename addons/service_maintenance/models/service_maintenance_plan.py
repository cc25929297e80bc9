import logging
from datetime import datetime, time, timedelta

import psycopg2
import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date, formatLang
from odoo.tools.translate import LazyTranslate

from odoo.addons.service_base.tools import (
    action_records,
    log_notes,
    rpc_date,
    rpc_number,
    rpc_selection,
    user_lang_env,
    whole_batch_statements,
)
from odoo.addons.service_field.models.service_visit import MAX_VISIT_HOURS

from .res_company import SCHEDULE_FROM
from .service_equipment import project, rebase
from .service_equipment_reading import MAX_READING
from .service_maintenance_schedule import FIRST_YEAR, LAST_YEAR

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

MAX_HORIZON_DAYS = 366
# The longest intervals a plan takes: ten years. A longer one is a typing
# error, and its dates would leave the calendar (year 9999) in the run.
MAX_INTERVAL = {"month": 120, "week": 520}
# Plans per batch of the daily run: each batch is its own transaction. Odoo
# runs a scheduled action's batches ten at a time within the worker's
# limit_time_real (120 s by default), so a batch should keep under 10 s: 500
# plans of a year's horizon took about 6 s on the benchmark's 2 cores when
# quiet, 27.6 s under a load of 9.5 (README). The system parameter
# service_maintenance.batch_size sets another size for a busier server.
BATCH_SIZE = 500
# What two runs meeting on the same plans raise (the other run goes on).
CONCURRENCY_ERRORS = (psycopg2.errors.SerializationFailure, psycopg2.errors.UniqueViolation)
# When a request without a visit is scheduled on its due day (company's time zone).
DAY_START = time(9, 0)


class ServiceMaintenancePlan(models.Model):
    """A maintenance plan (план ТО, ППР) of one unit: every N months or weeks,
    or every N units of its meter (hours, km, cycles).

    The daily cron creates, for each active plan, a maintenance request for
    every due date within the plan's horizon, with a proposed visit of the
    technician the dispatch chooses. One request per plan and due date: a
    unique index holds it when two runs overlap. The next due date follows
    the plan's requests: from the previous due date (a fixed schedule), or
    from the date the previous maintenance was done."""

    _name = "service.maintenance.plan"
    _description = "Maintenance Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "service.guarded.mixin"]
    _order = "next_date, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, index="trigram")
    active = fields.Boolean(default=True, tracking=True)
    equipment_id = fields.Many2one(
        "service.equipment",
        string="Unit",
        required=True,
        index=True,
        ondelete="cascade",
        # no check_company: the plan's company is its unit's (related); on a
        # new plan it is empty, and the check would offer no unit
        tracking=True,
    )
    # readonly: a related field writes through to the unit otherwise
    company_id = fields.Many2one(
        related="equipment_id.company_id", store=True, index=True, precompute=True, readonly=True
    )
    partner_id = fields.Many2one(
        related="equipment_id.partner_id",
        string="Customer",
        store=True,
        index=True,
        readonly=True,
    )
    contract_id = fields.Many2one(
        "service.contract",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        # the contracts _check_contract accepts: of the unit's owner (its
        # company when the unit is a contact's), covering the unit or no unit
        # in particular; any contract before a unit is chosen
        domain="[('commercial_partner_id', 'parent_of', partner_id), '|',"
        " ('line_ids.equipment_id', '=', equipment_id),"
        " '!', ('line_ids.equipment_id', '!=', False)] if equipment_id and partner_id else []",
        help="The plan creates work only while this contract is active, for due dates "
        "within its dates.",
    )
    contract_line_id = fields.Many2one(
        "service.contract.line",
        index="btree_not_null",
        check_company=True,
        # the contract's lines of a unit: the plan's unit once it is chosen
        domain="[('contract_id', '=', contract_id), ('equipment_id', '!=', False)]"
        " + ([('equipment_id', '=', equipment_id)] if equipment_id else [])",
        help="The contract line that covers this maintenance: it must cover the plan's unit.",
    )
    team_id = fields.Many2one(
        "service.team",
        check_company=True,
        help="Team of the plan's requests; empty: the dispatch rules choose it.",
    )
    interval_type = fields.Selection(
        [("month", "Months"), ("week", "Weeks"), ("meter", "Meter")],
        string="Every",
        required=True,
        default="month",
        tracking=True,
    )
    interval = fields.Integer(
        default=1, tracking=True, help="Months or weeks between two maintenances."
    )
    meter_interval = fields.Float(
        digits=(16, 1),
        tracking=True,
        help="Meter units (hours, km, cycles) between two maintenances.",
    )
    meter_start = fields.Float(
        string="Starting Reading",
        digits=(16, 1),
        help="The meter reading the first interval is counted from.",
    )
    meter_start_date = fields.Datetime(
        string="Starting Reading Read On",
        compute="_compute_meter_start_date",
        store=True,
        help="The date of the unit's last reading when the starting reading was set: a new "
        "meter fitted after it carries the starting reading over.",
    )
    duration_hours = fields.Float(
        string="Visit Duration (h)", default=2.0, help="How long the maintenance visit lasts."
    )
    horizon_days = fields.Integer(
        string="Plan Ahead (days)",
        default=14,
        help="How far ahead the plan creates its requests and visits.",
    )
    date_first = fields.Date(
        string="First Due Date", required=True, default=fields.Date.context_today, tracking=True
    )
    schedule_from = fields.Selection(
        SCHEDULE_FROM,
        string="Counted From",
        required=True,
        default=lambda self: self.env.company.service_maintenance_schedule_from or "schedule",
        tracking=True,
        help="Date Done: the next maintenance is due one interval after the previous one "
        "was done. Previous Due Date: a fixed schedule, whenever the work was done.",
    )
    # the same choice in a meter plan's words (its options are readings, not
    # dates): the form's field for meter plans
    meter_schedule_from = fields.Selection(
        [("done", "Reading When Done"), ("schedule", "Previous Due Reading")],
        string="Next Reading Counted From",
        compute="_compute_meter_schedule_from",
        inverse="_inverse_meter_schedule_from",
        help="Reading When Done: the next maintenance is due one interval after the meter's "
        "reading when the previous one was done. Previous Due Reading: one interval after "
        "the previous due reading, whenever the work was done.",
    )
    next_date = fields.Date(
        string="Next Due Date",
        compute="_compute_next",
        store=True,
        index=True,
        help="The due date of the next request the plan creates (for a meter plan, the day "
        "the meter's trend reaches the next value).",
    )
    next_meter_value = fields.Float(compute="_compute_next", store=True, digits=(16, 1))
    request_ids = fields.One2many(
        "service.request",
        "maintenance_plan_id",
        string="Maintenance Requests",
        context={"active_test": False},
    )
    request_count = fields.Integer(compute="_compute_request_count")
    checklist_id = fields.Many2one(
        "service.checklist",
        check_company=True,
        help="The checklist the technician goes through on the plan's visits (else the one "
        "that applies to the request, as for any visit).",
    )
    note = fields.Html(string="Work to Do")
    last_run_date = fields.Date(
        string="Last Daily Run",
        readonly=True,
        copy=False,
        help="The day the daily run last created this plan's work (it runs each plan once "
        "a day, in batches).",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends(
        "interval_type",
        "interval",
        "meter_interval",
        "meter_start",
        "date_first",
        "schedule_from",
        "request_ids.maintenance_due_date",
        "request_ids.is_closed",
        "request_ids.date_closed",
        "request_ids.maintenance_meter_value",
        "request_ids.maintenance_meter_done",
        "request_ids.maintenance_meter_date",
        "request_ids.maintenance_meter_done_date",
        "meter_start_date",
        "equipment_id.last_reading_value",
        "equipment_id.last_reading_date",
        "equipment_id.reading_ids.meter_replaced",
        "equipment_id.reading_ids.voided",
    )
    def _compute_next(self):
        stats = self._service_request_stats()
        meter_plans = self.filtered(lambda plan: plan.interval_type == "meter")
        units = self.env["service.equipment"].browse(
            {plan.equipment_id._origin.id for plan in meter_plans} - {False}
        )
        changes = units._service_meter_changes()
        for plan in self:
            stat = stats.get(plan._origin.id or plan.id, {})
            if plan.interval_type == "meter":
                plan.next_meter_value = plan._service_next_meter_value(
                    stat, changes.get(plan.equipment_id._origin.id)
                )
                plan.next_date = False
            else:
                plan.next_meter_value = 0.0
                plan.next_date = plan._service_next_time_date(stat)
        if meter_plans:
            trends = units._service_meter_trends()
            for plan in meter_plans:
                plan.next_date = project(
                    trends.get(plan.equipment_id._origin.id), plan.next_meter_value
                )

    @api.depends("meter_start", "equipment_id")
    def _compute_meter_start_date(self):
        # A snapshot, not a follower of the unit's readings: the reading the
        # starting value was read on is the unit's last when it was set.
        for plan in self:
            plan.meter_start_date = plan.equipment_id.last_reading_date

    def _compute_request_count(self):
        counts = dict(
            self.env["service.request"]
            .with_context(active_test=False)
            ._read_group(
                [("maintenance_plan_id", "in", self.ids)], ["maintenance_plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.request_count = counts.get(plan, 0)

    def _service_request_stats(self):
        """{plan_id: {...}} of the plans' maintenance requests, in one query:
        the last due date, the last request's meter value, whether one is
        open (and the last open one's due date and meter value), when the
        last closed one closed and the meter then; each meter value with the
        date of the reading it was counted on (``*_at``)."""
        ids = [plan_id for plan_id in self._origin.ids if plan_id]
        if not ids:
            return {}
        self.env["service.request"].flush_model(
            [
                "maintenance_plan_id",
                "maintenance_due_date",
                "maintenance_meter_value",
                "maintenance_meter_done",
                "maintenance_meter_date",
                "maintenance_meter_done_date",
                "is_closed",
                "date_closed",
            ]
        )
        # the last request's values, not the highest: after a new meter the
        # plan's values start again lower
        # the meter when done, unless the request closed before any reading
        # (0 and no date: the due value stands for it, as before these dates)
        done = SQL("(maintenance_meter_done_date IS NOT NULL OR maintenance_meter_done != 0)")
        self.env.cr.execute(
            SQL(
                """
                SELECT maintenance_plan_id,
                       max(maintenance_due_date),
                       (array_agg(maintenance_meter_value ORDER BY id DESC))[1],
                       (array_agg(maintenance_meter_date ORDER BY id DESC))[1],
                       bool_or(NOT COALESCE(is_closed, FALSE)),
                       max(maintenance_due_date) FILTER (WHERE NOT COALESCE(is_closed, FALSE)),
                       (array_agg(maintenance_meter_value ORDER BY id DESC)
                            FILTER (WHERE NOT COALESCE(is_closed, FALSE)))[1],
                       (array_agg(maintenance_meter_date ORDER BY id DESC)
                            FILTER (WHERE NOT COALESCE(is_closed, FALSE)))[1],
                       (array_agg(date_closed ORDER BY date_closed DESC NULLS LAST, id DESC)
                            FILTER (WHERE is_closed))[1],
                       (array_agg(CASE WHEN %s THEN maintenance_meter_done
                                       ELSE maintenance_meter_value END
                                  ORDER BY date_closed DESC NULLS LAST, id DESC)
                            FILTER (WHERE is_closed))[1],
                       (array_agg(CASE WHEN %s THEN maintenance_meter_done_date
                                       ELSE maintenance_meter_date END
                                  ORDER BY date_closed DESC NULLS LAST, id DESC)
                            FILTER (WHERE is_closed))[1]
                  FROM service_request
                 WHERE maintenance_plan_id = ANY(%s)
                 GROUP BY maintenance_plan_id
                """,
                done,
                done,
                ids,
            )
        )
        keys = (
            "last_due",
            "last_meter",
            "last_meter_at",
            "open",
            "open_due",
            "open_meter",
            "open_meter_at",
            "closed_at",
            "done_meter",
            "done_meter_at",
        )
        return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in self.env.cr.fetchall()}

    def _service_step(self, count=1):
        self.ensure_one()
        if self.interval_type == "week":
            return relativedelta(weeks=self.interval * count)
        return relativedelta(months=self.interval * count)

    def _service_add_step(self, day, count=1):
        """``day`` + ``count`` intervals, or False past the calendar (year
        9999, or before year 1): the plan's series ends there, it never
        raises."""
        try:
            return day + self._service_step(count)
        except (OverflowError, ValueError):
            return False

    def _service_due_after(self, day):
        """The first due date of the fixed schedule (from the first due date)
        after ``day``; False when it would be past the calendar."""
        self.ensure_one()
        first = self.date_first
        if day < first:
            return first
        if self.interval_type == "week":
            index = (day - first).days // (7 * self.interval) + 1
        else:
            months = (day.year - first.year) * 12 + day.month - first.month
            index = max(months // self.interval, 0)
            while True:
                due = self._service_add_step(first, index)
                if not due or due > day:
                    return due
                index += 1
        return self._service_add_step(first, index)

    def _service_next_time_date(self, stat):
        if not self.date_first or self.interval <= 0:
            return False
        if self.schedule_from == "schedule" or not stat:
            return self._service_due_after(stat["last_due"]) if stat else self.date_first
        if stat["open"]:
            # done-based: the next is counted once this one is done
            return self._service_add_step(stat["open_due"])
        done = fields.Date.context_today(self, stat["closed_at"]) if stat["closed_at"] else False
        following = self._service_add_step(done or stat["last_due"])
        if not following:
            return False
        return max(following, stat["last_due"] + timedelta(days=1))

    def _service_next_meter_value(self, stat, changes=None):
        """The meter value of the next maintenance, on the unit's meter of
        today: one interval after the last maintenance's value (due or done,
        as the plan counts), or after the starting reading. A new meter
        fitted since carries over what the old one ran since that value (see
        ``rebase``): due at new meter's first reading + interval − (old
        meter's last reading − value of the last maintenance), and at once
        (the new meter's first reading) when that is past already."""
        if self.meter_interval <= 0:
            return 0.0
        start = (self.meter_start, self.meter_start_date or None)
        if not stat:
            base, anchor = start
        elif self.schedule_from == "schedule":
            base, anchor = _meter_or(stat, "last_meter", start)
        elif stat["open"]:
            base, anchor = _meter_or(stat, "open_meter", start)
        else:
            base, anchor = _meter_or(stat, "done_meter", _meter_or(stat, "last_meter", start))
        base, rebased = rebase(base, anchor, changes)
        following = base + self.meter_interval
        if rebased:
            following = max(following, changes[-1][1])
        return following

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {
            "next_date",
            "next_meter_value",
            "meter_start_date",
            "last_run_date",
            # the unit's (related): the unit's form changes them
            "partner_id",
            "company_id",
        }

    @api.depends("schedule_from")
    def _compute_meter_schedule_from(self):
        for plan in self:
            plan.meter_schedule_from = plan.schedule_from

    def _inverse_meter_schedule_from(self):
        for plan in self:
            if plan.meter_schedule_from:
                plan.schedule_from = plan.meter_schedule_from

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._service_check_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._service_check_values(vals)
        return super().write(vals)

    def _service_check_values(self, vals):
        # a clear refusal (not the ORM's ValueError) for "2026-02-30" or "abc",
        # and for a year out of range before the next due dates are computed
        if vals.get("date_first"):
            vals["date_first"] = rpc_date(self.env, vals["date_first"], _lt("First Due Date"))
            self._service_check_year(vals.get("name") or self[:1].name, vals["date_first"])
        rpc_selection(self, vals, ("interval_type", "schedule_from", "meter_schedule_from"))

    @api.constrains("date_first")
    def _check_date_first(self):
        for plan in self:
            self._service_check_year(plan.name, plan.date_first)

    @api.model
    def _service_check_year(self, name, date):
        # the years of the schedule (график ППР); year 1 or 100 is a typing
        # slip, and the due dates computed from it would leave the calendar
        if date and not FIRST_YEAR <= date.year <= LAST_YEAR:
            env = user_lang_env(self.env)
            raise ValidationError(
                env._(
                    "Maintenance plan “%(plan)s”: the first due date %(date)s is out of "
                    "range; it lies between the years %(first)s and %(last)s.",
                    plan=name or "",
                    date=format_date(env, date),
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                )
            )

    @api.constrains(
        "interval_type",
        "interval",
        "meter_interval",
        "duration_hours",
        "horizon_days",
        "meter_start",
    )
    def _check_intervals(self):
        env = user_lang_env(self.env)
        for plan in self:
            if plan.interval_type in ("month", "week") and plan.interval <= 0:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: the interval must be a whole number of "
                        "months or weeks above zero.",
                        plan=plan.name,
                    )
                )
            if plan.interval_type == "month" and plan.interval > MAX_INTERVAL["month"]:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: an interval of %(interval)s months is too "
                        "long; at most %(max)s months (ten years).",
                        plan=plan.name,
                        interval=plan.interval,
                        max=MAX_INTERVAL["month"],
                    )
                )
            if plan.interval_type == "week" and plan.interval > MAX_INTERVAL["week"]:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: an interval of %(interval)s weeks is too "
                        "long; at most %(max)s weeks (ten years).",
                        plan=plan.name,
                        interval=plan.interval,
                        max=MAX_INTERVAL["week"],
                    )
                )
            if plan.interval_type == "meter" and plan.meter_interval <= 0:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: the meter interval must be above zero.",
                        plan=plan.name,
                    )
                )
            if plan.meter_start < 0:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: a meter reading cannot be negative.",
                        plan=plan.name,
                    )
                )
            if plan.meter_interval > MAX_READING or plan.meter_start > MAX_READING:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: a meter interval or starting reading is at "
                        "most %(max)s.",
                        plan=plan.name,
                        max=formatLang(env, MAX_READING, digits=0),
                    )
                )
            if not 0 < plan.duration_hours <= MAX_VISIT_HOURS:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: the visit's duration must be above zero "
                        "and at most %(hours)s hours.",
                        plan=plan.name,
                        hours=MAX_VISIT_HOURS,
                    )
                )
            if not 1 <= plan.horizon_days <= MAX_HORIZON_DAYS:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: it can plan 1–%(max)s days ahead "
                        "(%(days)s entered).",
                        plan=plan.name,
                        max=MAX_HORIZON_DAYS,
                        days=plan.horizon_days,
                    )
                )

    @api.constrains("contract_id", "contract_line_id", "equipment_id")
    def _check_contract(self):
        env = user_lang_env(self.env)
        for plan in self:
            line = plan.contract_line_id
            contract = plan.contract_id
            unit = plan.equipment_id.with_env(env)
            if line and not line.equipment_id:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: contract line “%(line)s” covers no unit. "
                        "Choose the line of this plan's unit, or leave the field empty.",
                        plan=plan.name,
                        line=line.name,
                    )
                )
            if line and line.contract_id != contract:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: the contract line belongs to contract "
                        "%(line_contract)s, not to the plan's contract.",
                        plan=plan.name,
                        line_contract=line.contract_id.name,
                    )
                )
            if line and line.equipment_id != plan.equipment_id:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: the contract line covers %(line_unit)s, not "
                        "the plan's unit %(unit)s.",
                        plan=plan.name,
                        line_unit=line.equipment_id.with_env(env).display_name,
                        unit=unit.display_name,
                    )
                )
            if not contract:
                continue
            if contract.commercial_partner_id != unit.commercial_partner_id:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: contract %(contract)s is not the contract "
                        "of the unit's owner.",
                        plan=plan.name,
                        contract=contract.name,
                    )
                )
            covered = contract.line_ids.equipment_id
            if covered and plan.equipment_id not in covered:
                raise ValidationError(
                    env._(
                        "Maintenance plan “%(plan)s”: contract %(contract)s does not cover unit "
                        "%(unit)s.",
                        plan=plan.name,
                        contract=contract.name,
                        unit=unit.display_name,
                    )
                )

    @api.onchange("contract_line_id")
    def _onchange_contract_line_id(self):
        if self.contract_line_id.equipment_id:
            self.equipment_id = self.contract_line_id.equipment_id

    @api.onchange("equipment_id")
    def _onchange_equipment_id_contract(self):
        """Another unit: a contract (and its line) that does not fit it goes,
        as the dropdown would no longer offer it (the save refused it)."""
        unit, contract = self.equipment_id, self.contract_id
        if not unit or not contract:
            return
        covered = contract.line_ids.equipment_id
        if contract.commercial_partner_id != unit.commercial_partner_id or (
            covered and unit not in covered
        ):
            self.contract_id = False
            self.contract_line_id = False
        elif self.contract_line_id.equipment_id and self.contract_line_id.equipment_id != unit:
            self.contract_line_id = False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    # Odoo's archive buttons answer None, which XML-RPC cannot carry (a fault
    # after the change): archiving is what a plan with requests gets instead
    # of deletion, so an integrator calls it
    def action_archive(self):
        super().action_archive()
        return True

    def action_unarchive(self):
        super().action_unarchive()
        return True

    def action_view_requests(self):
        """The requests these plans created (one plan's from its form, any
        plans' over RPC)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_repair.service_request_action"
        )
        action["domain"] = [("maintenance_plan_id", "in", self.ids)]
        action["context"] = {"active_test": False}
        return action

    def action_generate(self):
        """Create the requests and visits of these plans now (a manager's button)."""
        created = self.service_generate()
        env = user_lang_env(self.env)
        message = env._("Maintenance requests created: %(count)s.", count=len(created))
        if not created:
            # why nothing came (browser reviews: a bare 0 on a meter plan; "every
            # due date has its request" for a plan whose contract was a draft)
            message = self._service_why_nothing(env) or message
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": env._("Maintenance Plans"),
                "message": message,
                "type": "success" if created else "info",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _service_contract_allows(self, day=None):
        """Whether the plan's contract lets it create work (due ``day``): no
        contract, or an active one that has not ended by ``day``. The daily
        run, the manager's button and the customer's portal judge by it."""
        contract = self.contract_id
        if not contract:
            return True
        if contract.state != "active":
            return False
        return not (day and contract.date_end and day > contract.date_end)

    def _service_why_nothing(self, env):
        """Why these plans created no request now, in the order the daily run
        skips them: no date yet, a contract not active, the next date beyond
        the horizon or the contract's end; else everything due has its
        request. ``env``: the language of the message."""
        plans = self.filtered("active")
        if not plans:
            return False
        today = fields.Date.context_today(self)
        undated = plans.filtered(lambda plan: not plan.next_date)
        if undated:
            return env._(
                "No maintenance request created: the due date of plan “%(plan)s” is not "
                "computed yet (a meter plan's comes from the unit's meter readings: at least "
                "two, read a day or more apart).",
                plan=undated[0].name,
            )
        idle = plans.filtered(lambda plan: not plan._service_contract_allows())
        if idle:
            contract = idle[0].contract_id.with_env(env)
            states = dict(contract._fields["state"]._description_selection(env))
            return env._(
                "No maintenance request created: the contract %(contract)s of plan “%(plan)s” "
                "is not active (%(state)s); a plan creates work only while its contract is.",
                contract=contract.name,
                plan=idle[0].name,
                state=states.get(contract.state, contract.state),
            )
        ended = plans.filtered(lambda plan: not plan._service_contract_allows(plan.next_date))
        if ended:
            return env._(
                "No maintenance request created: the next due date %(date)s of plan "
                "“%(plan)s” is after the end of its contract %(contract)s (%(end)s).",
                date=format_date(env, ended[0].next_date),
                plan=ended[0].name,
                contract=ended[0].contract_id.name,
                end=format_date(env, ended[0].contract_id.date_end),
            )
        later = plans.filtered(
            lambda plan: plan.next_date > today + timedelta(days=plan.horizon_days)
        )
        if len(later) == len(plans):
            return env._(
                "No maintenance request created: the next due date %(date)s of plan "
                "“%(plan)s” lies beyond its horizon of %(days)s days; the daily run creates "
                "the work when it comes within it.",
                date=format_date(env, later[0].next_date),
                plan=later[0].name,
                days=later[0].horizon_days,
            )
        return env._(
            "No maintenance request created: every due date within the plans' horizon "
            "has its request."
        )

    # ------------------------------------------------------------------
    # Creating the work
    # ------------------------------------------------------------------

    def service_generate(self, horizon_days=False):
        """Create the maintenance requests (and proposed visits) due within
        ``horizon_days`` (1 to 366; each plan's own horizon by default) for
        these plans, or for every active plan when called on none. A service
        manager's action, in one transaction (all or nothing), the plans
        taken in batches of a fixed number of queries.

        Returns the list of the ids of the requests created (an empty list
        when everything due has its request already)."""
        env = user_lang_env(self.env)
        if not (self.env.su or self.env.user._has_group("service_base.group_service_manager")):
            raise UserError(env._("Only a service manager creates the work of maintenance plans."))
        horizon = None
        if horizon_days:
            horizon = rpc_number(
                env, horizon_days, _lt("Plan ahead (days)"), minimum=1, maximum=MAX_HORIZON_DAYS
            )
            if horizon != int(horizon):
                raise UserError(env._("The horizon is a whole number of days."))
            horizon = int(horizon)
        plans = self.filtered("active") if self else self.search([])
        size = self._service_batch_size()
        created = []
        batches = plans.with_context(service_digest_later=True)
        for start in range(0, len(plans), size):
            created += batches[start : start + size]._service_create_requests(horizon).ids
        # each technician one digest of all the batches
        self.env["service.request"].browse(created)._notify_technicians()
        return created

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_requests(self):
        """A plan's requests are its history (they are not deleted either):
        a plan that created work is archived, not deleted (its requests would
        lose their plan, become deletable, and a new plan on the unit would
        create the same due dates again)."""
        # sudo: whoever may delete the plan learns only that it has requests
        used = self.sudo().filtered("request_ids")
        if used:
            env = user_lang_env(self.env)
            raise UserError(
                env._(
                    "Maintenance plan “%(plan)s” has created requests: they are its history. "
                    "Archive the plan instead of deleting it.",
                    plan=used[0].name,
                )
            )

    @api.model
    def _service_batch_size(self):
        value = self.env["ir.config_parameter"].sudo().get_param("service_maintenance.batch_size")
        try:
            return max(int(value), 1) if value else BATCH_SIZE
        except ValueError:
            return BATCH_SIZE

    @api.model
    def _cron_create_requests(self):
        """The daily run, one batch of plans at a time: the plans that may
        have work due within their horizon and were not run today, the first
        of them no other run holds. Each batch is a transaction of its own:
        the scheduled action tells Odoo what remains
        (``ir.cron._notify_progress``), and Odoo runs it again until nothing
        remains. A batch that meets plans another run has just taken leaves
        them to it and asks for a run again in a minute. Returns the number
        of plans still to run today."""
        today = fields.Date.context_today(self)
        size = self._service_batch_size()
        Cron = self.env["ir.cron"]
        done = 0
        # the technicians' digests wait for the run's last batch
        run = self.with_context(service_digest_later=True, service_daily_run=True)
        try:
            with self.env.cr.savepoint():
                plans = run._service_take_batch(today, size)
                plans._service_create_requests()
                done = len(plans)
        except CONCURRENCY_ERRORS:
            _logger.info("Maintenance plans: another run is creating the same work.")
        except Exception:  # one bad plan must not stop the others
            _logger.warning(
                "Maintenance plans: a batch failed; running its plans one by one.", exc_info=True
            )
            done = run._service_run_one_by_one(today, size)
        remaining = self._service_count_to_run(today)
        if not remaining:
            self._service_send_digests()
        Cron._notify_progress(done=done, remaining=remaining)
        if remaining and not done:
            # what remains is another run's now: look again once it is over
            cron = self.env.ref(
                "service_maintenance.ir_cron_service_maintenance_requests",
                raise_if_not_found=False,
            )
            if cron:
                cron._trigger(fields.Datetime.now() + timedelta(minutes=1))
        return remaining

    @api.model
    def _service_run_one_by_one(self, today, size):
        """The daily run of the next batch, each plan in a savepoint of its
        own: the good plans get their work; a plan that fails is skipped for
        the day (marked run, a warning in the log, a note and an activity for
        a service manager on the plan). Returns the number of plans run."""
        plans = self._service_take_batch(today, size)
        for plan in plans:
            try:
                with self.env.cr.savepoint():
                    plan._service_create_requests()
            except CONCURRENCY_ERRORS:
                _logger.info("Maintenance plan %s: another run is creating its work.", plan.id)
            except Exception as error:  # skip this plan, run the others
                _logger.warning(
                    "Maintenance plan %s failed in the daily run, skipped today.",
                    plan.id,
                    exc_info=True,
                )
                plan._service_mark_run(today)
                plan._service_report_failure(error)
        return len(plans)

    def _service_report_failure(self, error):
        """A note on the plan, and a to-do for a service manager: the daily
        run could not create its work today."""
        self.ensure_one()
        managers = self.env.ref("service_base.group_service_manager").sudo().users
        manager = next(
            (
                user
                for user in (self.write_uid, self.create_uid, *managers)
                if user.active
                and not user.share
                and user in managers
                and self.company_id in user.company_ids
            ),
            None,
        )
        lang = (manager or self.env.user).lang or self.company_id.partner_id.lang
        env = self.with_context(lang=lang).env
        summary = env._("The daily run could not create this plan's work")
        body = env._(
            "The daily run could not create the work of maintenance plan %(plan)s today and "
            "skipped it (the other plans ran). Check the plan's interval, dates and contract; "
            "the run tries it again tomorrow, or use Create Requests Now. Error: %(error)s",
            plan=self.name,
            error=str(error)[:300],
        )
        plan = self.sudo()
        plan.message_post(body=body, subtype_xmlid="mail.mt_note")
        if not manager:
            return
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        open_ones = plan.activity_ids.filtered(
            lambda act: act.user_id == manager and act.summary == summary
        )
        if todo and not open_ones:
            plan.activity_schedule(
                activity_type_id=todo.id, user_id=manager.id, summary=summary, note=body
            )

    def _service_to_run_sql(self, today):
        # a superset of the plans _service_due_dates gives work: nothing is
        # due before the next due date, nor after today + the horizon
        return SQL(
            """
            active AND next_date IS NOT NULL
               AND next_date <= %(today)s::date + horizon_days
               AND (last_run_date IS NULL OR last_run_date < %(today)s)
            """,
            today=today,
        )

    @api.model
    def _service_take_batch(self, today, size):
        """The next ``size`` plans to run today that no other run holds, locked."""
        self.flush_model(["active", "next_date", "horizon_days", "last_run_date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM service_maintenance_plan WHERE %s
                 ORDER BY id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED
                """,
                self._service_to_run_sql(today),
                size,
            ),
            log_exceptions=False,
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _service_count_to_run(self, today):
        self.flush_model(["active", "next_date", "horizon_days", "last_run_date"])
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM service_maintenance_plan WHERE %s",
                self._service_to_run_sql(today),
            )
        )
        return self.env.cr.fetchone()[0]

    def _service_lock(self):
        """The plans of self that no concurrent run holds, locked for this one."""
        if not self.ids:
            return self.browse()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM service_maintenance_plan WHERE id = ANY(%s)
                 ORDER BY id FOR NO KEY UPDATE SKIP LOCKED
                """,
                list(self.ids),
            ),
            log_exceptions=False,
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _service_due_dates(self, today, horizon, stats):
        """[(plan, due date, meter value)] of the work these plans have due
        up to today + horizon (each plan's own horizon when None) that has no
        request yet. A time plan on a fixed schedule gives every due date of
        its horizon; of the dates already past only the last (overdue work:
        the older ones were missed). A plan counted from the date done, and a
        meter plan, has one request at a time."""
        result = []
        for plan in self:
            limit = today + timedelta(days=horizon or plan.horizon_days)
            stat = stats.get(plan.id)
            contract = plan.contract_id
            if not plan._service_contract_allows():
                continue
            if contract.date_end:
                limit = min(limit, contract.date_end)
            start = plan.next_date
            if not start or start > limit:
                continue
            if plan.interval_type == "meter":
                if not (stat and stat["open"]):
                    result.append((plan, max(start, today), plan.next_meter_value))
                continue
            if plan.schedule_from == "done":
                if not (stat and stat["open"]):
                    result.append((plan, start, 0.0))
                continue
            dues = []
            due = start
            while due and due <= limit:
                dues.append(due)
                due = plan._service_due_after(due)
            past = [day for day in dues if day < today]
            for day in past[-1:] + [day for day in dues if day >= today]:
                result.append((plan, day, 0.0))
        # the contract's dates: work due before it starts is not its work
        return [
            (plan, due, meter)
            for plan, due, meter in result
            if not plan.contract_id or plan.contract_id.date_start <= due
        ]

    def _service_create_requests(self, horizon=None):
        """Create the requests due (see ``_service_due_dates``) in one create
        for every plan, dispatch them and propose their visits; a fixed number
        of queries whatever the number of plans. Returns the new requests."""
        Request = self.env["service.request"]
        plans = self._service_lock()
        if not plans:
            return Request
        today = fields.Date.context_today(self)
        if horizon is None:
            plans._service_mark_run(today)
        with whole_batch_statements():
            created = plans._service_create_due(today, horizon)
            # the batch's updates (dispatch, visits, next due dates) in its statements too
            self.env.flush_all()
        return created

    @api.model
    def _service_send_digests(self):
        """Each technician's one digest of the requests the daily run's
        batches assigned to them (``maintenance_digest_pending``), once the
        run is over; taken under a lock, so that two runs ending at once do
        not send the same digest twice."""
        Request = self.env["service.request"]
        Request.flush_model(["maintenance_digest_pending"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM service_request WHERE maintenance_digest_pending
                 ORDER BY id FOR NO KEY UPDATE SKIP LOCKED
                """
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE service_request SET maintenance_digest_pending = NULL WHERE id = ANY(%s)",
                ids,
            )
        )
        Request.invalidate_model(["maintenance_digest_pending"])
        Request.browse(ids)._notify_technicians()

    def _service_mark_run(self, today):
        """The daily run's work of these plans is done for ``today``."""
        # a technical mark, not the plan's history: no write date, no tracking
        self.env.cr.execute(
            SQL(
                "UPDATE service_maintenance_plan SET last_run_date = %s WHERE id = ANY(%s)",
                today,
                self.ids,
            )
        )
        self.invalidate_recordset(["last_run_date"])

    def _service_create_due(self, today, horizon):
        Request = self.env["service.request"]
        plans = self
        stats = plans._service_request_stats()
        plans.fetch(
            [
                "interval_type",
                "interval",
                "schedule_from",
                "date_first",
                "horizon_days",
                "next_date",
                "next_meter_value",
                "contract_id",
                "equipment_id",
                "team_id",
                "name",
                "duration_hours",
                "company_id",
            ]
        )
        plans.contract_id.fetch(["state", "date_start", "date_end"])
        dues = plans._service_due_dates(today, horizon, stats)
        if not dues:
            return Request
        # what a concurrent run (or a request by hand) already holds
        Request.flush_model(["maintenance_plan_id", "maintenance_due_date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT maintenance_plan_id, maintenance_due_date FROM service_request
                 WHERE maintenance_plan_id = ANY(%s)
                """,
                plans.ids,
            )
        )
        taken = set(self.env.cr.fetchall())
        dues = [due for due in dues if (due[0].id, due[1]) not in taken]
        if not dues:
            return Request
        units = plans.equipment_id
        units.fetch(["partner_id", "team_id", "company_id", "last_reading_date"])
        # read once for the batch, not along each request's values
        zones = {company: _company_tz(company) for company in plans.company_id}
        vals_list = [
            plan.with_context(service_tz=zones[plan.company_id])._prepare_request_vals(due, meter)
            for plan, due, meter in dues
        ]
        stage = Request._default_stage_id()
        # the daily run's digests are sent when its last batch is done
        daily_run = bool(self.env.context.get("service_daily_run"))
        for vals in vals_list:
            vals.setdefault("stage_id", stage.id)
            if daily_run:
                vals["maintenance_digest_pending"] = True
        # Odoo's mail thread subscribes and logs each new record on its own
        # (queries per request): the batch does it once below, with the same
        # creation message and the customers as followers.
        requests = (
            action_records(Request).with_context(tracking_disable=True).create(vals_list)
        ).with_env(self.env)
        env = user_lang_env(self.env)
        log_notes(
            requests,
            {
                request.id: env._(
                    "Maintenance request created by plan %(plan)s, due %(date)s.",
                    plan=request.maintenance_plan_id.name,
                    date=format_date(env, request.maintenance_due_date),
                )
                for request in requests
            },
        )
        requests._dispatch()
        requests._service_propose_visits()
        return requests

    def _prepare_request_vals(self, due, meter):
        self.ensure_one()
        unit = self.equipment_id
        vals = {
            "subject": self.name,
            "request_type": "maintenance",
            "channel": "plan",
            "partner_id": unit.partner_id.id,
            "equipment_id": unit.id,
            "company_id": self.company_id.id,
            "date_scheduled": _day_start(
                self.env.context.get("service_tz") or _company_tz(self.company_id), due
            ),
            "maintenance_plan_id": self.id,
            "maintenance_due_date": due,
            "description": self.note or False,
        }
        if self.interval_type == "meter":
            vals["maintenance_meter_value"] = meter
            vals["maintenance_meter_date"] = unit.last_reading_date
        if self.contract_id:
            vals["contract_id"] = self.contract_id.id
        team = self.team_id or unit.team_id
        if team:
            vals["team_id"] = team.id
        return vals


def _meter_or(stat, key, default):
    """(value, anchor) of ``stat[key]`` when a request gave it, else ``default``."""
    if stat.get(key) is None:
        return default
    return stat[key], stat.get(f"{key}_at")


def _company_tz(company):
    return pytz.timezone(company.resource_calendar_id.tz or company.partner_id.tz or "UTC")


def _day_start(tz, day):
    """``day`` at the start of the working day in ``tz``, as naive UTC."""
    local = tz.localize(datetime.combine(day, DAY_START))
    return local.astimezone(pytz.utc).replace(tzinfo=None)
