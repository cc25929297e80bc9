import math
from datetime import timedelta

import pytz

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.service_base.tools import action_records, rpc_datetime, rpc_number, user_lang_env

from .service_visit import MAX_VISIT_HOURS

_lt = LazyTranslate(__name__)

SLOT_HORIZON_DAYS = 28
SLOT_STEP_MINUTES = 15
MAX_SLOTS = 50


def _round_up(moment, minutes=SLOT_STEP_MINUTES):
    """``moment`` rounded up to the next step of ``minutes`` (an aware datetime)."""
    step = minutes * 60
    epoch = moment.timestamp()
    rounded = math.ceil(epoch / step) * step
    return moment + timedelta(seconds=rounded - epoch)


def _round_up_naive(moment, minutes=SLOT_STEP_MINUTES):
    """A naive UTC datetime rounded up to the next step of ``minutes``."""
    return _round_up(pytz.utc.localize(moment), minutes).replace(tzinfo=None)


def _free_gaps(spans, busy):
    """The parts of the sorted, disjoint ``spans`` that no interval of the
    sorted ``busy`` list covers: [(begin, end)]."""
    gaps = []
    index = 0
    for begin, end in spans:
        cursor = begin
        # busy intervals that end before this span are behind us for good
        while index < len(busy) and busy[index][1] <= begin:
            index += 1
        probe = index
        while probe < len(busy) and busy[probe][0] < end:
            busy_begin, busy_end = busy[probe]
            if busy_begin > cursor:
                gaps.append((cursor, busy_begin))
            cursor = max(cursor, busy_end)
            probe += 1
        if cursor < end:
            gaps.append((cursor, end))
    return gaps


class ServiceRequest(models.Model):
    _inherit = "service.request"

    visit_ids = fields.One2many(
        "service.visit", "request_id", string="Visits", groups="service_base.group_service_user"
    )
    visit_count = fields.Integer(
        compute="_compute_visit_count", groups="service_base.group_service_user"
    )

    def _check_can_update_message_content(self, messages):
        """The message that mailed a visit's signed report is not edited
        either (its text and attachments are what the customer received)."""
        result = super()._check_can_update_message_content(messages)
        if not self.env.su:
            messages.with_env(self.env)._service_check_signed_reports("write")
        return result

    def _compute_visit_count(self):
        counts = dict(
            self.env["service.visit"]._read_group(
                [("request_id", "in", self.ids)], ["request_id"], ["__count"]
            )
        )
        for request in self:
            request.visit_count = counts.get(request, 0)

    def write(self, vals):
        result = super().write(vals)
        if vals.get("stage_id"):
            # a closed request needs no visit still to come
            # sudo: whoever closes the request, its visits go with it
            visits = (
                self.sudo()
                .filtered("is_closed")
                .visit_ids.filtered(lambda v: v.state in ("planned", "on_the_way"))
            )
            if visits:
                action_records(visits.sudo()).write({"state": "cancelled"})
        return result

    def _service_work_started(self):
        """A technician is on site: the requests still waiting for their work
        (new, assigned) move to "In Progress" the way a request's stages go;
        one further on (waiting, at a service centre, closed) keeps its stage."""
        stage = self.env.ref("service_repair.stage_in_progress", raise_if_not_found=False)
        if not stage:
            return
        self.filtered(
            lambda request: request.stage_id.sequence < stage.sequence
        )._service_move_stage("service_repair.stage_in_progress")

    def _service_sync_schedule(self):
        """The request's scheduled visit is its next visit still to come or
        under way; a request whose visits are all over keeps its date."""
        if not self:
            return
        rows = (
            self.env["service.visit"]
            .sudo()
            ._read_group(
                [
                    ("request_id", "in", self.ids),
                    ("state", "in", ("planned", "on_the_way", "on_site")),
                ],
                ["request_id"],
                ["date_start:min"],
            )
        )
        for request, first in rows:
            if request.date_scheduled != first:
                request.date_scheduled = first

    # ------------------------------------------------------------------
    # Finding a slot
    # ------------------------------------------------------------------

    def service_find_slots(self, duration_hours, date_from=False, limit=5):
        """The first free slots for a visit of ``duration_hours`` to this
        request's site, from ``date_from`` (UTC, "YYYY-MM-DD HH:MM:SS"; now
        by default) over the next four weeks: technicians the dispatch would
        choose (the team of the dispatch rule, the request or the territory;
        the skilled ones for the unit first; none at full capacity), within
        their working hours, off their time off and around their visits.

        Returns at most ``limit`` (1 to 50) slots, earliest first, as a list
        of {"user_id", "user_name", "date_start", "date_end", "load",
        "capacity"} with UTC datetimes as strings; an empty list when no
        technician is free."""
        env = user_lang_env(self.env)
        if len(self) != 1:
            raise UserError(
                env._(
                    "Free slots are found for one service request at a time, not for %(count)s.",
                    count=len(self),
                )
            )
        duration = rpc_number(
            env, duration_hours, _lt("Duration (hours)"), minimum=0.25, maximum=MAX_VISIT_HOURS
        )
        limit = rpc_number(
            env, limit, _lt("Number of slots"), minimum=1, maximum=MAX_SLOTS, default=5
        )
        if limit != int(limit):
            raise UserError(env._("The number of slots must be a whole number."))
        start = rpc_datetime(env, date_from, _lt("From"))
        now = fields.Datetime.now()
        if not start or start < now:
            start = now
        if start > now + timedelta(days=366):
            raise UserError(env._("Slots are searched within the coming year."))
        if self.is_closed:
            raise UserError(env._("%(request)s is closed: it needs no visit.", request=self.name))
        slots = self._service_slots(timedelta(hours=duration), pytz.utc.localize(start), int(limit))
        return [
            {
                "user_id": user.id,
                "user_name": user.name,
                "date_start": fields.Datetime.to_string(
                    begin.astimezone(pytz.utc).replace(tzinfo=None)
                ),
                "date_end": fields.Datetime.to_string(
                    end.astimezone(pytz.utc).replace(tzinfo=None)
                ),
                "load": load,
                "capacity": user.service_capacity,
            }
            for user, begin, end, load in slots
        ]

    def _service_slot_technicians(self):
        """The technicians the dispatch would give this request to, with
        their loads: ({user: load})."""
        self.ensure_one()
        rule = self.env["service.dispatch.rule"].search([])._first_match(self)
        team = self._dispatch_team(
            rule, self.env["service.team"].search([]), self.company_id.service_default_team_id
        )
        # The team's active service technicians of the request's company, in
        # one query (read through the ORM, each user's record rules would be
        # evaluated for each field of each member).
        self.env.cr.execute(
            SQL(
                """
                SELECT u.id FROM res_users u
                  JOIN res_company_users_rel c ON c.user_id = u.id AND c.cid = %s
                  JOIN res_groups_users_rel g ON g.uid = u.id AND g.gid = %s
                 WHERE u.id = ANY(%s) AND u.active AND NOT COALESCE(u.share, FALSE)
                 ORDER BY u.id
                """,
                self.company_id.id,
                self.env.ref("service_base.group_service_user").id,
                team.member_ids.ids,
            )
        )
        members = self.env["res.users"].browse(row[0] for row in self.env.cr.fetchall())
        product = self.product_id
        # sudo: the colleagues' skills decide who is offered, nothing of them is returned
        skilled = (
            members.sudo()._service_who_can_repair(product).sudo(False) if product else members
        )
        pool = skilled or members
        loads = self._service_load(pool)
        return {
            user: loads.get(user.id, 0)
            for user in pool
            if user == self.user_id
            or not user.service_capacity
            or loads.get(user.id, 0) < user.service_capacity
        }

    def _service_slots(self, duration, start, limit):
        """[(user, begin, end, load)] — the first ``limit`` free slots of
        ``duration`` from ``start`` (aware), earliest first. The search looks
        at the next three days first, the four weeks only when those do not
        offer enough (a busy team's calendar is long to read)."""
        technicians = self._service_slot_technicians()
        if not technicians:
            return []
        users = self.env["res.users"].union(*technicians)
        for days in (3, SLOT_HORIZON_DAYS):
            slots = self._service_slots_within(
                users, technicians, duration, start, start + timedelta(days=days), limit
            )
            if len(slots) >= limit:
                break
        return slots

    def _service_slots_within(self, users, loads, duration, start, end, limit):
        """The free slots between two aware datetimes; the arithmetic in
        naive UTC datetimes, as the database keeps them."""
        Visit = self.env["service.visit"]
        work, __ = Visit._service_work_intervals(users, start, end)
        Visit.flush_model(["user_id", "date_start", "date_end", "state"])
        # Any visit of the technician's takes their time, in whatever company
        # or team it was booked: only its times are read.
        self.env.cr.execute(
            SQL(
                """
                SELECT user_id, date_start, date_end FROM service_visit
                 WHERE user_id = ANY(%s) AND state != 'cancelled'
                   AND date_end > %s AND date_start < %s
                 ORDER BY user_id, date_start
                """,
                users.ids,
                start.astimezone(pytz.utc).replace(tzinfo=None),
                end.astimezone(pytz.utc).replace(tzinfo=None),
            )
        )
        busy = {}
        for user_id, begin, stop in self.env.cr.fetchall():
            busy.setdefault(user_id, []).append((begin, stop))
        first = _round_up(start).astimezone(pytz.utc).replace(tzinfo=None)
        slots = []
        for user in users:
            spans = [
                (
                    begin.astimezone(pytz.utc).replace(tzinfo=None),
                    stop.astimezone(pytz.utc).replace(tzinfo=None),
                )
                for begin, stop, __ in work[user.id]
            ]
            found = 0
            for begin, stop in _free_gaps(spans, busy.get(user.id, [])):
                begin = _round_up_naive(max(begin, first))
                if begin + duration <= stop:
                    slots.append(
                        (
                            user,
                            pytz.utc.localize(begin),
                            pytz.utc.localize(begin + duration),
                            loads[user],
                        )
                    )
                    found += 1
                    if found >= limit:
                        break
        slots.sort(key=lambda slot: (slot[1], slot[3], slot[0].id))
        return slots[:limit]

    def action_find_slot(self):
        """Open the slot finder for this request."""
        self.ensure_one()
        wizard = self.env["service.slot.wizard"].create({"request_id": self.id})
        wizard.action_search()
        return wizard._reopen()

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_field.action_service_visit")
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"default_request_id": self.id}
        return action
