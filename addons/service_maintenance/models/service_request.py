from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, formatLang

from odoo.addons.service_base.tools import (
    action_records,
    add_followers,
    log_notes,
    user_lang_env,
)
from odoo.addons.service_field.models.service_request import _free_gaps, _round_up_naive


class ServiceRequest(models.Model):
    _inherit = "service.request"

    channel = fields.Selection(
        selection_add=[("plan", "Maintenance Plan")], ondelete={"plan": "set default"}
    )
    maintenance_plan_id = fields.Many2one(
        "service.maintenance.plan",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    maintenance_due_date = fields.Date(
        string="Maintenance Due", readonly=True, copy=False, groups="base.group_user"
    )
    maintenance_meter_value = fields.Float(
        string="Due at Meter",
        readonly=True,
        copy=False,
        digits=(16, 1),
        groups="base.group_user",
        help="The meter reading at which this maintenance fell due (meter plans).",
    )
    maintenance_meter_done = fields.Float(
        string="Meter When Done",
        readonly=True,
        copy=False,
        digits=(16, 1),
        groups="base.group_user",
        help="The unit's last meter reading when the maintenance was closed.",
    )
    # The dates of the readings these two values were counted on: a new meter
    # fitted after them carries them over to its own scale (the plan's next value).
    maintenance_meter_date = fields.Datetime(
        string="Due at Meter Read On", readonly=True, copy=False, groups="base.group_user"
    )
    maintenance_meter_done_date = fields.Datetime(
        string="Meter When Done Read On", readonly=True, copy=False, groups="base.group_user"
    )

    # The daily run dispatches plan by plan batch; each technician gets one
    # digest of the whole run when its last batch is done (not one a batch):
    # set on the run's requests, cleared when their digest is sent (NULL, so
    # the index holds the pending ones only).
    maintenance_digest_pending = fields.Boolean(
        readonly=True, copy=False, index="btree_not_null", groups="base.group_user"
    )

    def init(self):
        result = super().init()
        # One request per plan and due date, even when two runs of the plans
        # create the same work at the same moment.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS service_request_maintenance_due_uniq
                    ON service_request (maintenance_plan_id, maintenance_due_date)
                 WHERE maintenance_plan_id IS NOT NULL
                """
            )
        )
        return result

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {
            "maintenance_plan_id",
            "maintenance_due_date",
            "maintenance_meter_value",
            "maintenance_meter_done",
            "maintenance_meter_date",
            "maintenance_meter_done_date",
            "maintenance_digest_pending",
        }

    def write(self, vals):
        was_open = self.browse()
        if vals.get("stage_id"):
            # sudo: only to see which requests are maintenance; a portal
            # customer's write reads nothing of it
            was_open = self.sudo().filtered(lambda r: r.maintenance_plan_id and not r.is_closed)
        result = super().write(vals)
        if was_open:
            # the meter when the maintenance was done: a plan counted from the
            # date done counts its next interval from it
            for request in was_open.filtered("is_closed"):
                unit = request.equipment_id
                action_records(request).write(
                    {
                        "maintenance_meter_done": unit.last_reading_value,
                        "maintenance_meter_done_date": unit.last_reading_date,
                    }
                )
        return result

    @api.depends("maintenance_due_date")
    def _compute_date_deadline(self):
        return super()._compute_date_deadline()

    @api.depends("maintenance_due_date")
    def _compute_sla_dates(self):
        return super()._compute_sla_dates()

    def _service_sla_start(self):
        """A planned maintenance is work booked ahead, not a customer waiting:
        its SLA clock starts on its due day (the start of the day in the
        company's time zone), not when the run created it; one created on or
        after its due day counts from its creation."""
        start = super()._service_sla_start()
        # sudo: the due date and the company's calendar, whoever recomputes
        # the deadlines (a portal customer's request reads none of it)
        request = self.sudo()
        if not request.maintenance_due_date:
            return start
        tz = pytz.timezone(request.company_id.resource_calendar_id.tz or self.env.user.tz or "UTC")
        due = (
            tz.localize(datetime.combine(request.maintenance_due_date, time.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        return max(start, due)

    def unlink(self):
        # A plan's request holds its due date: deleted, a fixed schedule never
        # makes it again (the schedule shows it planned for ever). Cancelled,
        # it stays in the plan's history and the schedule shows it cancelled.
        if not self.env.su:
            env = user_lang_env(self.env)
            for request in self.sudo().filtered("maintenance_plan_id"):
                raise UserError(
                    env._(
                        "Request %(request)s was created by maintenance plan %(plan)s: it stays "
                        "in the plan's history and cannot be deleted. Cancel it instead.",
                        request=request.name,
                        plan=request.maintenance_plan_id.name,
                    )
                )
        return super().unlink()

    def _service_propose_visits(self):
        """Book a visit for each of these new maintenance requests with a
        technician: on its due day, in the first free time of its technician
        within their working hours, for the plan's duration (a due day already
        past: the first free time from now, within a week). A request whose
        technician has no such time that day (or that has no technician) gets
        no visit and a note saying why, for the dispatcher's Find a Slot.
        A fixed number of queries for the batch. Returns the visits."""
        Visit = self.env["service.visit"]
        requests = self.filtered(lambda r: r.maintenance_plan_id and r.maintenance_due_date)
        if not requests:
            return Visit
        now = fields.Datetime.now()
        staffed = requests.filtered("user_id")
        proposals, notes = {}, {}
        if staffed:
            # a due date already past is booked from today: the first free
            # time of the next days (the request keeps its due date: overdue)
            today = fields.Date.context_today(self)
            days = [max(day, today) for day in staffed.mapped("maintenance_due_date")]
            start = fields.Datetime.to_datetime(min(days))
            end = fields.Datetime.to_datetime(max(days)) + timedelta(days=2)
            if min(staffed.mapped("maintenance_due_date")) < today:
                end = max(
                    end, fields.Datetime.to_datetime(today) + timedelta(days=PAST_DUE_DAYS + 2)
                )
            work, __ = Visit._service_work_intervals(
                staffed.user_id, pytz.utc.localize(start), pytz.utc.localize(end)
            )
            Visit.flush_model(["user_id", "date_start", "date_end", "state"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT user_id, date_start, date_end FROM service_visit
                     WHERE user_id = ANY(%s) AND state != 'cancelled'
                       AND date_end > %s AND date_start < %s
                    """,
                    staffed.user_id.ids,
                    start - timedelta(days=1),
                    end,
                )
            )
            # each technician's visits by the (UTC) days they cover: a day's
            # free time is read from that day's visits, not from all of them
            busy = {}
            for user_id, begin, stop in self.env.cr.fetchall():
                _add_busy(busy, user_id, (begin, stop))
            # each technician's working time by local day, once for the batch
            spans_by_day = {}
            for user_id, intervals in work.items():
                for begin, stop, __ in intervals:
                    spans_by_day.setdefault((user_id, _local_day(begin)), []).append(
                        (
                            begin.astimezone(pytz.utc).replace(tzinfo=None),
                            stop.astimezone(pytz.utc).replace(tzinfo=None),
                        )
                    )
            for request in staffed.sorted(lambda r: (r.maintenance_due_date, r.id)):
                user = request.user_id
                duration = timedelta(hours=request.maintenance_plan_id.duration_hours)
                due = request.maintenance_due_date
                candidates = (
                    [due]
                    if due >= today
                    else [today + timedelta(days=index) for index in range(PAST_DUE_DAYS)]
                )
                slot = None
                for day in candidates:
                    slot = _first_slot(
                        spans_by_day.get((user.id, day), []), busy, user, duration, now
                    )
                    if slot:
                        break
                if slot:
                    proposals[request] = slot
                    _add_busy(busy, user.id, slot)
                else:
                    notes[request] = "busy"
        for request in requests - staffed:
            notes[request] = "unassigned"
        visits = Visit
        env = user_lang_env(self.env)
        if proposals:
            # as for the requests: followers and creation messages once for the batch
            visits = (
                Visit.with_context(tracking_disable=True)
                .create(
                    [
                        {
                            "request_id": request.id,
                            "user_id": request.user_id.id,
                            "date_start": begin,
                            "date_end": stop,
                        }
                        for request, (begin, stop) in proposals.items()
                    ]
                )
                .with_env(self.env)
            )
            add_followers(visits, {visit.id: visit.user_id.partner_id.ids for visit in visits})
            log_notes(
                visits,
                {
                    visit.id: env._(
                        "Visit proposed by maintenance plan %(plan)s.",
                        plan=visit.request_id.maintenance_plan_id.name,
                    )
                    for visit in visits
                },
            )
        if notes:
            bodies = {}
            for request, why in notes.items():
                day = format_date(env, request.maintenance_due_date)
                if why == "busy" and request.maintenance_due_date < fields.Date.context_today(self):
                    bodies[request.id] = env._(
                        "No visit booked: %(user)s has no free %(hours)s h within working hours "
                        "in the next %(count)s days (the maintenance was due %(day)s). "
                        "Use Find a Slot.",
                        user=request.user_id.name,
                        hours=request.maintenance_plan_id.duration_hours,
                        count=PAST_DUE_DAYS,
                        day=day,
                    )
                elif why == "busy":
                    bodies[request.id] = env._(
                        "No visit booked: %(user)s has no free %(hours)s h within working hours "
                        "on %(day)s. Use Find a Slot.",
                        user=request.user_id.name,
                        hours=_hours(env, request.maintenance_plan_id.duration_hours),
                        day=day,
                    )
                else:
                    bodies[request.id] = env._(
                        "No visit booked: the dispatch found no technician for the maintenance "
                        "due %(day)s.",
                        day=day,
                    )
            log_notes(self.browse(list(bodies)), bodies)
        return visits


# the days a maintenance already past its due date is looked for a visit in
PAST_DUE_DAYS = 7


def _first_slot(spans, busy, user, duration, now):
    """The first free time of ``duration`` of ``user`` within the working
    ``spans`` of a day, not before ``now``, as (start, stop), or None."""
    spans = sorted(spans)
    if not spans:
        return None
    taken = sorted(
        {
            interval
            for date in _dates(spans[0][0], spans[-1][1])
            for interval in busy.get((user.id, date), ())
        }
    )
    for begin, stop in _free_gaps(spans, taken):
        begin = _round_up_naive(max(begin, now))
        if begin + duration <= stop:
            return (begin, begin + duration)
    return None


def _dates(begin, end):
    """The dates from naive ``begin`` to ``end``, both included."""
    day = begin.date()
    while day <= end.date():
        yield day
        day += timedelta(days=1)


def _add_busy(busy, user_id, interval):
    for date in _dates(*interval):
        busy.setdefault((user_id, date), []).append(interval)


def _local_day(moment):
    """The day of an aware datetime in its own time zone."""
    return moment.date()


def _hours(env, hours):
    """``hours`` in the user's number format: "2", "1,5" (not "2.0")."""
    digits = 0 if float(hours).is_integer() else 1
    return formatLang(env, hours, digits=digits)
