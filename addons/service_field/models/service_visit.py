import base64
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode

import pytz

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import (
    SQL,
    float_compare,
    float_repr,
    float_round,
    format_date,
    format_datetime,
    formatLang,
)
from odoo.tools.translate import LazyTranslate

from odoo.addons.resource.models.utils import Intervals
from odoo.addons.service_base.tools import (
    action_records,
    lock_for_update,
    next_names,
    rpc_datetime,
    rpc_record,
    user_lang_env,
)

_lt = LazyTranslate(__name__)

VISIT_STATES = [
    ("planned", "Planned"),
    ("on_the_way", "On the Way"),
    ("on_site", "On Site"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# The states in which a visit holds its technician's time.
BUSY_STATES = ("planned", "on_the_way", "on_site", "done")
MAX_VISIT_HOURS = 24
# Leaving for a visit more than this many hours before its start (or on
# another day) asks the technician first: likely the wrong visit.
EARLY_DEPARTURE_HOURS = 12
# What the plan of a visit is: who, when, for which request, where.
PLAN_FIELDS = {"user_id", "date_start", "date_end", "request_id", "site_partner_id"}
# What the technician records of the work: frozen once the visit is over (its
# report was sent, or it never took place).
WORK_FIELDS = {"note", "photo_ids"}


def _format_quantity(env, quantity, uom):
    """A quantity in the user's language, with the decimals its unit needs
    and no trailing zeros: «10», «2,5» (not «10.0»)."""
    text = float_repr(float_round(quantity, precision_rounding=uom.rounding), 6)
    digits = len(text.partition(".")[2].rstrip("0"))
    return formatLang(env, quantity, digits=digits)


def _utc(value):
    """A naive UTC datetime of the database as an aware one."""
    return pytz.utc.localize(value) if value.tzinfo is None else value


class ServiceVisit(models.Model):
    """A technician's visit (выезд) to the site of a service request.

    One technician per visit: a crew of two is two visits at the same time.
    No technician is in two places at once: an exclusion constraint over the
    time range per technician (btree_gist) refuses an overlapping visit even
    when two dispatchers book the same slot at the same moment; the Python
    check before it names the other visit in the message.
    """

    _name = "service.visit"
    _description = "Service Visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "service.guarded.mixin"]
    _order = "date_start, id"
    _check_company_auto = True
    _rec_names_search = ["name", "request_id"]
    # colleagues and the dispatcher write in the chatter of the visits they
    # read (the record rules keep changing a visit to its technician)
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    request_id = fields.Many2one(
        "service.request",
        string="Service Request",
        required=True,
        index=True,
        ondelete="cascade",
        # no check_company: the visit's company is the request's (related);
        # on a new visit it is empty, and the check would offer no request
        tracking=True,
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    partner_id = fields.Many2one(related="request_id.partner_id", string="Customer")
    equipment_id = fields.Many2one(related="request_id.equipment_id", string="Unit")
    site_partner_id = fields.Many2one(
        "res.partner",
        string="Site",
        compute="_compute_site_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        help="Where the technician goes: the unit's site, else the customer's address.",
    )
    site_address = fields.Char(compute="_compute_site_address", string="Address")
    maps_url = fields.Char(
        compute="_compute_site_address", string="Route", help="The site's address on a map."
    )
    date_start = fields.Datetime(string="Planned Start", required=True, tracking=True)
    date_end = fields.Datetime(string="Planned End", required=True, tracking=True)
    duration = fields.Float(string="Planned Duration (h)", compute="_compute_duration", store=True)
    state = fields.Selection(
        VISIT_STATES, default="planned", required=True, tracking=True, index=True, copy=False
    )
    date_on_the_way = fields.Datetime(string="Left for the Site", readonly=True, copy=False)
    date_arrival = fields.Datetime(string="Arrived", readonly=True, copy=False)
    date_departure = fields.Datetime(string="Left the Site", readonly=True, copy=False)
    travel_hours = fields.Float(
        string="Travel Time (h)",
        compute="_compute_actual_hours",
        store=True,
        help="From leaving for the site to arriving there.",
    )
    onsite_hours = fields.Float(
        string="Time on Site (h)",
        compute="_compute_actual_hours",
        store=True,
        help="From arriving on site to leaving it.",
    )
    note = fields.Html(
        string="Task",
        help="What the visit is for, as the dispatcher wrote it before the visit.",
    )
    work_done = fields.Html(
        copy=False,
        help="What the technician did on site, written while on site; printed in the "
        "service report.",
    )
    schedule_warning = fields.Char(
        compute="_compute_schedule_warning",
        help="Set when the visit lies outside the technician's working hours or on their "
        "time off: the visit is accepted, the dispatcher is warned.",
    )

    time_range = fields.Char(
        string="Time",
        compute="_compute_time_range",
        help="The planned hours in the user's time zone, with the day when it is not today.",
    )
    request_type = fields.Selection(related="request_id.request_type", string="Request Type")
    request_subject = fields.Char(related="request_id.subject", string="Subject")
    request_description = fields.Html(related="request_id.description", string="Description")
    equipment_request_count = fields.Integer(
        string="Unit's Other Requests",
        compute="_compute_equipment_history",
        help="The unit's other service requests, its service history.",
    )
    equipment_repair_count = fields.Integer(
        string="Unit's Repairs", compute="_compute_equipment_history"
    )
    early_departure = fields.Boolean(
        compute="_compute_early_departure",
        help="The visit starts more than 12 hours from now or on another day: leaving for "
        "it now asks the technician first.",
    )
    checklist_id = fields.Many2one(
        "service.checklist",
        readonly=True,
        copy=False,
        check_company=True,
        help="The checklist copied to the visit when the technician arrived on site.",
    )
    check_ids = fields.One2many("service.visit.check", "visit_id", string="Checklist Items")
    part_ids = fields.One2many("service.visit.part", "visit_id", string="Parts Used")
    van_location_id = fields.Many2one(
        related="user_id.service_van_location_id",
        string="Van",
        help="The technician's van: the parts offered on the visit are those it holds.",
    )
    report_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Signed Service Report",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The service report posted on the request and mailed to the customer when the "
        "visit was finished: the customer's document, neither deleted nor changed.",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Parts Transfer",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The transfer of the parts used, from the technician's van to the customer, "
        "done when the visit was finished.",
    )
    photo_ids = fields.Many2many(
        "ir.attachment",
        "service_visit_photo_rel",
        "visit_id",
        "attachment_id",
        string="Photos",
        help="Photos taken on site, from the phone's camera or files.",
    )
    signature = fields.Image(
        string="Customer's Signature",
        copy=False,
        attachment=True,
        max_width=1024,
        max_height=1024,
        help="Signed by the customer on the technician's phone while the visit is on site.",
    )
    signed_by = fields.Char(
        copy=False,
        help="Who signs for the customer: the site's or the customer's contact person when "
        "the technician arrives, to be corrected on site.",
    )
    signed_on = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        (
            "service_visit_dates",
            "CHECK (date_end > date_start)",
            "A visit must end after it starts.",
        ),
        (
            "service_visit_no_overlap",
            "EXCLUDE USING gist (user_id WITH =, tsrange(date_start, date_end, '[)') WITH &&) "
            "WHERE (state != 'cancelled')",
            "The technician already has another visit at that time.",
        ),
    ]

    def _auto_init(self):
        # The exclusion constraint compares user_id with "=" inside a GiST
        # index: btree_gist gives integers that operator class. The extension
        # may serve others: the addon's uninstall leaves it.
        self.env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        return super()._auto_init()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("request_id.equipment_id.site_partner_id", "request_id.partner_id")
    def _compute_site_partner_id(self):
        for visit in self:
            request = visit.request_id
            visit.site_partner_id = request.equipment_id.site_partner_id or request.partner_id

    @api.depends(
        "site_partner_id.street",
        "site_partner_id.street2",
        "site_partner_id.city",
        "site_partner_id.zip",
    )
    def _compute_site_address(self):
        for visit in self:
            partner = visit.site_partner_id
            parts = [partner.street, partner.street2, partner.city, partner.zip]
            address = ", ".join(part for part in parts if part)
            visit.site_address = address
            visit.maps_url = (
                "https://yandex.ru/maps/?" + urlencode({"text": address}) if address else False
            )

    @api.depends("date_start", "date_end")
    def _compute_duration(self):
        for visit in self:
            if visit.date_start and visit.date_end:
                visit.duration = (visit.date_end - visit.date_start).total_seconds() / 3600
            else:
                visit.duration = 0.0

    @api.depends("date_on_the_way", "date_arrival", "date_departure")
    def _compute_actual_hours(self):
        for visit in self:
            travel = onsite = 0.0
            if visit.date_on_the_way and visit.date_arrival:
                travel = (visit.date_arrival - visit.date_on_the_way).total_seconds() / 3600
            if visit.date_arrival and visit.date_departure:
                onsite = (visit.date_departure - visit.date_arrival).total_seconds() / 3600
            visit.travel_hours = max(travel, 0.0)
            visit.onsite_hours = max(onsite, 0.0)

    @api.depends("user_id", "date_start", "date_end", "state")
    def _compute_schedule_warning(self):
        visits = self.filtered(
            lambda v: (
                v.user_id
                and v.date_start
                and v.date_end
                and v.date_end > v.date_start
                and v.state not in ("done", "cancelled")
            )
        )
        (self - visits).schedule_warning = False
        if not visits:
            return
        start = _utc(min(visits.mapped("date_start")))
        end = _utc(max(visits.mapped("date_end")))
        work, leaves = self._service_work_intervals(visits.user_id, start, end)
        for visit in visits:
            span = Intervals([(_utc(visit.date_start), _utc(visit.date_end), visit)])
            if span & leaves[visit.user_id.id]:
                visit.schedule_warning = _(
                    "%(user)s is on time off during this visit.", user=visit.user_id.name
                )
            elif span - work[visit.user_id.id]:
                visit.schedule_warning = _(
                    "This visit lies outside the working hours of %(user)s.",
                    user=visit.user_id.name,
                )
            else:
                visit.schedule_warning = False

    @api.depends_context("tz")
    @api.depends("date_start", "date_end")
    def _compute_time_range(self):
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        today = _utc(fields.Datetime.now()).astimezone(tz).date()
        for visit in self:
            if not (visit.date_start and visit.date_end):
                visit.time_range = False
                continue
            start = _utc(visit.date_start).astimezone(tz)
            end = _utc(visit.date_end).astimezone(tz)
            hours = "{}–{}".format(start.strftime("%H:%M"), end.strftime("%H:%M"))
            if start.date() != today:
                day = format_date(self.env, start.date(), date_format="dd.MM")
                hours = f"{day} {hours}"
            visit.time_range = hours

    @api.depends("equipment_id", "request_id")
    def _compute_equipment_history(self):
        units = self.equipment_id
        requests = dict(
            self.env["service.request"]._read_group(
                [("equipment_id", "in", units.ids)], ["equipment_id"], ["__count"]
            )
        )
        repairs = dict(
            self.env["repair.order"]._read_group(
                [("equipment_id", "in", units.ids)], ["equipment_id"], ["__count"]
            )
        )
        for visit in self:
            unit = visit.equipment_id
            own = 1 if unit and visit.request_id.equipment_id == unit else 0
            visit.equipment_request_count = max(requests.get(unit, 0) - own, 0)
            visit.equipment_repair_count = repairs.get(unit, 0)

    @api.depends_context("tz")
    @api.depends("state", "date_start")
    def _compute_early_departure(self):
        now = _utc(fields.Datetime.now())
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        for visit in self:
            start = visit.date_start and _utc(visit.date_start)
            visit.early_departure = bool(
                visit.state == "planned"
                and start
                and (
                    start - now > timedelta(hours=EARLY_DEPARTURE_HOURS)
                    or start.astimezone(tz).date() != now.astimezone(tz).date()
                )
            )

    # ------------------------------------------------------------------
    # Working hours
    # ------------------------------------------------------------------

    @api.model
    def _service_work_intervals(self, users, start, end):
        """Each technician's working time and time off between two aware
        datetimes, as ({user_id: Intervals}, {user_id: Intervals}).

        A working day runs from its first attendance to its last (the lunch
        break is the technician's to place around a visit); time off (the
        calendar's leaves, the technician's own and the company's) is taken
        out. A technician's calendar is their resource's, else their
        company's; one computation a calendar, however many technicians."""
        work, leaves = {}, {}
        by_calendar = defaultdict(lambda: self.env["res.users"])
        for user in users:
            calendar = (
                user.sudo().resource_calendar_id
                or user.company_id.resource_calendar_id
                or self.env.company.resource_calendar_id
            )
            by_calendar[calendar] |= user
        for calendar, members in by_calendar.items():
            if not calendar:
                for user in members:
                    work[user.id] = Intervals([(start, end, self.env["resource.calendar"])])
                    leaves[user.id] = Intervals()
                continue
            calendar = calendar.sudo()
            days = self._service_day_spans(calendar, start, end)
            resources = members.sudo().resource_ids.filtered(
                lambda r, c=calendar: r.company_id == c.company_id or not c.company_id
            )
            leave_by_resource = calendar._leave_intervals_batch(start, end, resources=resources)
            for user in members:
                resource = resources.filtered(lambda r, u=user: r.user_id == u)[:1]
                off = (
                    leave_by_resource.get(resource.id)
                    or leave_by_resource.get(False)
                    or Intervals()
                )
                work[user.id] = days - off
                leaves[user.id] = off
        return work, leaves

    @api.model
    def _service_day_spans(self, calendar, start, end):
        """The calendar's working days between two aware datetimes, each from
        its first attendance to its last, as Intervals."""
        attendances = calendar._attendance_intervals_batch(start, end)[False]
        spans = {}
        tz = pytz.timezone(calendar.tz or "UTC")
        for begin, stop, __ in attendances:
            day = begin.astimezone(tz).date()
            first, last = spans.get(day, (begin, stop))
            spans[day] = (min(first, begin), max(last, stop))
        empty = self.env["resource.calendar.attendance"]
        return Intervals([(first, last, empty) for first, last in spans.values()])

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _creation_message(self):
        # Odoo's "%s created" names the model in English words («Service Visit
        # created») and in Russian takes the wrong gender.
        self.ensure_one()
        return _("Visit booked")

    def _service_guarded_fields(self):
        guarded = super()._service_guarded_fields() | {
            "state",
            "date_on_the_way",
            "date_arrival",
            "date_departure",
            "checklist_id",
            "picking_id",
            "signed_on",
            "report_attachment_id",
        }
        if not self or any(visit.state != "on_site" for visit in self):
            # The customer signs for the work on site: before it the work is
            # not done, after it the signed report is sent; what was done is
            # written there and then.
            guarded |= {"signature", "signed_by", "work_done"}
        if any(visit.state in ("done", "cancelled") for visit in self):
            guarded |= WORK_FIELDS
        return guarded

    @api.constrains("user_id", "request_id")
    def _check_technician(self):
        env = user_lang_env(self.env)
        for visit in self:
            user = visit.user_id
            if user.share or not user._has_group("service_base.group_service_user"):
                raise ValidationError(
                    env._(
                        "%(user)s is not a service technician: only users of the service "
                        "department go on visits.",
                        user=user.name,
                    )
                )
            if visit.request_id.company_id not in user.company_ids:
                raise ValidationError(
                    env._(
                        "%(user)s does not work for %(company)s, the company of %(request)s.",
                        user=user.name,
                        company=visit.request_id.company_id.name,
                        request=visit.request_id.name,
                    )
                )

    def _service_check_times(self, vals_list):
        """Check the visits these values would give (a list of vals for a
        create; one vals for each record of ``self`` for a write) before they
        reach the database: dates in order and at most a day long, and no
        other visit of the technician at that time — named in the message.
        The exclusion constraint is the guard under parallel bookings (a
        concurrent transaction's visit is not in this one's snapshot)."""
        env = user_lang_env(self.env)
        planned = []
        # the technicians of a batch exist or not in one query, not one each
        given = {
            vals["user_id"]
            for vals in vals_list
            if type(vals.get("user_id")) is int and 0 < vals["user_id"] < 2**31
        }
        existing = set(self.env["res.users"].browse(given).exists().ids) if given else set()
        for index, vals in enumerate(vals_list):
            record = self[index] if self else self.browse()
            if vals.get("user_id") in existing:
                user_id = vals["user_id"]
            elif "user_id" in vals:
                user_id = rpc_record(env, "res.users", vals["user_id"], _lt("Technician")).id
            else:
                user_id = record.user_id.id
            start = rpc_datetime(
                env, vals.get("date_start", record.date_start), _lt("Planned Start")
            )
            end = rpc_datetime(env, vals.get("date_end", record.date_end), _lt("Planned End"))
            state = vals.get("state", record.state or "planned")
            name = record.name or env._("New")
            if not (user_id and start and end):
                continue  # required fields: the ORM says which is missing
            if end <= start:
                raise ValidationError(
                    env._("Visit %(visit)s must end after it starts.", visit=name)
                )
            if end - start > timedelta(hours=MAX_VISIT_HOURS):
                raise ValidationError(
                    env._(
                        "Visit %(visit)s lasts more than %(hours)s hours: plan a job of several "
                        "days as one visit a day.",
                        visit=name,
                        hours=MAX_VISIT_HOURS,
                    )
                )
            if state != "cancelled":
                planned.append((record.id or 0, int(user_id), start, end, name))
        if not planned:
            return
        # visits of one batch against each other: sorted per technician, a
        # visit that starts before the previous ones' latest end overlaps one
        # of them (n log n); only then the pairs, to name the first of them
        if _batch_overlaps(planned):
            self._raise_batch_overlap(planned)
        # Two bookings of one technician at once: the second waits for the
        # first and, retried with a fresh snapshot, names the first's visit
        # (lock_for_update); the exclusion constraint holds where no retry is.
        lock_for_update(self.env["res.users"].browse(sorted({p[1] for p in planned})))
        self.flush_model(["user_id", "date_start", "date_end", "state"])
        values = SQL(", ").join(
            SQL("(%s, %s, %s, %s::timestamp, %s::timestamp)", index, visit_id, user_id, start, end)
            for index, (visit_id, user_id, start, end, __) in enumerate(planned)
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT new.idx, other.id
                  FROM (VALUES %s) AS new(idx, visit_id, user_id, date_start, date_end)
                  JOIN service_visit other
                    ON other.user_id = new.user_id AND other.id != new.visit_id
                   AND other.state != 'cancelled'
                   AND tsrange(other.date_start, other.date_end, '[)')
                       && tsrange(new.date_start, new.date_end, '[)')
                 ORDER BY new.idx, other.date_start
                 LIMIT 1
                """,
                values,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return
        # sudo: the other visit may be another company's (the technician's
        # time is one); only its reference, request and times are told.
        other = self.sudo().browse(row[1])
        raise ValidationError(
            env._(
                "%(user)s already has visit %(other)s (%(request)s) from %(start)s to %(end)s: "
                "a technician cannot be in two places at once.",
                user=other.user_id.name,
                other=other.name,
                request=other.request_id.name,
                start=format_datetime(env, other.date_start, dt_format="short"),
                end=format_datetime(env, other.date_end, dt_format="short"),
            )
        )

    def _raise_batch_overlap(self, planned):
        """Name the first two visits of the batch that overlap (``planned``
        as ``_check_overlap`` lists them)."""
        env = user_lang_env(self.env)
        for index, (__, user_id, start, end, name) in enumerate(planned):
            for __, other_user, other_start, other_end, other_name in planned[index + 1 :]:
                if other_user == user_id and other_start < end and start < other_end:
                    raise ValidationError(
                        env._(
                            "Visits %(visit)s and %(other)s of %(user)s overlap: a technician "
                            "cannot be in two places at once.",
                            visit=name,
                            other=other_name,
                            user=self.env["res.users"].browse(user_id).name,
                        )
                    )

    def _check_not_past(self):
        """A visit planned now ends in the future: a past one is recorded as done."""
        now = fields.Datetime.now()
        env = user_lang_env(self.env)
        for visit in self:
            if visit.state == "planned" and visit.date_end <= now:
                raise ValidationError(
                    env._(
                        "Visit %(visit)s would be planned in the past (it ends %(end)s).",
                        visit=visit.name,
                        end=format_datetime(env, visit.date_end, dt_format="short"),
                    )
                )

    def _check_request_open(self):
        env = user_lang_env(self.env)
        for visit in self:
            if visit.request_id.is_closed and visit.state in ("planned", "on_the_way", "on_site"):
                raise UserError(
                    env._(
                        "%(request)s is closed: no visit can be planned for it.",
                        request=visit.request_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _service_is_planner(self):
        return self.env.su or self.env.user._has_group("service_base.group_service_manager")

    def _service_check_planning(self, vals_list):
        """Who plans: a service manager plans anyone's visits; a technician
        only their own (the buttons' rule, also for a write of the plan).
        A visit done is history: its technician, times and request stay."""
        env = user_lang_env(self.env)
        if not self._service_guarded_free() and any(
            vals.get("name", "/") != "/" for vals in vals_list
        ):
            self._service_guarded_refuse({"name"})
        planner = self._service_is_planner()
        for index, vals in enumerate(vals_list):
            record = self[index] if self else self.browse()
            if record and record.state == "done" and PLAN_FIELDS & set(vals):
                raise UserError(
                    env._(
                        "Visit %(visit)s is done: its technician, times and request are "
                        "history and stay as they were.",
                        visit=record.name,
                    )
                )
            if planner:
                continue
            owners = {record.user_id.id} if record else set()
            if "user_id" in vals:
                owners.add(rpc_record(env, "res.users", vals["user_id"], _lt("Technician")).id)
            if owners - {self.env.uid}:
                raise UserError(
                    env._(
                        "Only a service manager plans the visits of other technicians: "
                        "you may plan your own."
                    )
                )

    def _service_check_owner(self):
        """Only the visit's technician or a service manager changes a visit
        (any field: its notes, photos and signature as much as its plan), as
        only they press its buttons; the record rules say the same."""
        if self._service_is_planner():
            return
        env = user_lang_env(self.env)
        for visit in self:
            if visit.user_id != self.env.user:
                raise UserError(
                    env._(
                        "Only %(user)s (the visit's technician) or a service manager can "
                        "change visit %(visit)s.",
                        user=visit.user_id.name,
                        visit=visit.name,
                    )
                )

    def _service_check_work_open(self, vals):
        """A visit over is history: its notes and photos stay as its report
        told them (the guarded fields' rule, in the technician's words)."""
        if self._service_guarded_free():
            return
        over = self.filtered(lambda v: v.state in ("done", "cancelled"))
        if over and over._service_changed_fields(vals, WORK_FIELDS):
            env = user_lang_env(self.env)
            raise UserError(
                env._(
                    "Visit %(visit)s is over: its notes and photos stay as they were.",
                    visit=over[0].name,
                )
            )

    def _service_check_photos(self, added):
        """Refuse photos newly linked to this visit that the user cannot read
        or that belong to another record: a photo is uploaded on the visit
        (or on no record yet), not borrowed from another document."""
        self.ensure_one()
        if not added or self.env.su:
            return
        # sudo: where each attachment belongs is read only to refuse it
        foreign = added.sudo().filtered(
            lambda photo: (
                photo.res_field
                or (
                    photo.res_model
                    and (photo.res_model, photo.res_id)
                    not in {
                        (self._name, self.id),
                        (self._name, 0),
                    }
                )
            )
        )
        if not foreign:
            try:
                added.check("read")
            except AccessError:
                foreign = added[:1]
        if foreign:
            raise UserError(
                user_lang_env(self.env)._(
                    "Attachment %(photo)s cannot be a photo of visit %(visit)s: it belongs to "
                    "another document or is not yours to read. Upload the photo on the visit.",
                    photo=foreign[:1].id,
                    visit=self.name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self.browse()._service_check_planning(vals_list)
        self.browse()._service_check_times(vals_list)
        # named after the checks, in the transaction (no_gap): a refused
        # visit takes no number
        names = next_names(self.env, "service.visit", len(vals_list))
        for vals, name in zip(vals_list, names, strict=True):
            vals["name"] = name or _("New")
        visits = super().create(vals_list)
        for visit, vals in zip(visits, vals_list, strict=True):
            if vals.get("photo_ids"):
                visit._service_check_photos(visit.photo_ids)
        visits._check_request_open()
        visits._check_not_past()
        visits.request_id._service_sync_schedule()
        return visits

    def write(self, vals):
        requests = self.request_id
        self._service_check_owner()
        self._service_check_work_open(vals)
        if (PLAN_FIELDS | {"name"}) & set(vals):
            self._service_check_planning([vals] * len(self))
        photos = {visit.id: visit.photo_ids for visit in self} if "photo_ids" in vals else None
        if {"date_start", "date_end", "user_id", "state"} & set(vals):
            self._service_check_times([vals] * len(self))
        result = super().write(vals)
        if photos is not None:
            for visit in self:
                visit._service_check_photos(visit.photo_ids - photos[visit.id])
        if "signature" in vals and not self.env.context.get("service_guarded_action"):
            action_records(self).write(
                {"signed_on": fields.Datetime.now() if vals["signature"] else False}
            )
        if (PLAN_FIELDS | {"state"}) & set(vals):
            if PLAN_FIELDS & set(vals):
                self._check_not_past()
            self._check_request_open()
            (requests | self.request_id)._service_sync_schedule()
        return result

    def unlink(self):
        requests = self.request_id
        self._service_check_owner()
        self._service_check_unlink_history()
        result = super().unlink()
        requests.exists()._service_sync_schedule()
        return result

    def _service_check_unlink_history(self):
        """A visit done, or signed by the customer, is history: it is not
        deleted (a visit not needed is cancelled before it is done)."""
        if self.env.su:
            return
        env = user_lang_env(self.env)
        for visit in self.sudo():
            if visit.state == "done" or visit.signature:
                raise UserError(
                    env._(
                        "Visit %(visit)s is done or signed by the customer: it stays in the "
                        "history and cannot be deleted.",
                        visit=visit.name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _service_move(self, from_states, state, stamp=None):
        """Move the visits from one of ``from_states`` to ``state``, stamping
        the time in ``stamp``; the rows are locked first, so that two clicks
        at once move a visit once (the second is refused: the state moved)."""
        self._service_check_move(from_states, state)
        vals = {"state": state}
        if stamp:
            vals[stamp] = fields.Datetime.now()
        action_records(self).write(vals)
        return True

    def _service_check_move(self, from_states, state):
        """Lock the visits and refuse moving them to ``state`` unless the user
        may and each is in one of ``from_states``."""
        lock_for_update(self)
        self.invalidate_recordset(["state"])
        env = user_lang_env(self.env)
        labels = dict(self._fields["state"]._description_selection(env))
        self._service_check_owner()
        for visit in self:
            if visit.state not in from_states:
                raise UserError(
                    env._(
                        'Visit %(visit)s is "%(state)s": it cannot become "%(new)s".',
                        visit=visit.name,
                        state=labels[visit.state],
                        new=labels[state],
                    )
                )

    def action_start_travel(self):
        """The technician leaves for the site."""
        return self._service_move(("planned",), "on_the_way", "date_on_the_way")

    def action_arrive(self):
        """The technician is on site (from the road, or straight from the plan):
        the request is in progress (unless its work went further), the visit's
        checklist is copied to it."""
        result = self._service_move(("planned", "on_the_way"), "on_site", "date_arrival")
        self.request_id._service_work_started()
        self._service_copy_checklist()
        self._service_prefill_signer()
        return result

    def action_finish(self):
        """The work on site is over: the technician leaves. Refused while a
        mandatory item of the checklist is not done, or the van does not hold
        the parts used; otherwise the parts are consumed (one transfer a
        visit, from the van to the customer), and the service report is
        attached to the request and sent to the customer."""
        # Two visits of a technician finishing at once take from one van: the
        # second waits for the first, and checks the van after it.
        lock_for_update(self.user_id)
        # a second tap is told the visit is done, not that the van is empty
        self._service_check_move(("on_site",), "done")
        self._service_check_checklist_done()
        self._service_check_parts()
        result = self._service_move(("on_site",), "done", "date_departure")
        self._service_consume_parts()
        self._service_visits_finished()
        self._service_send_report()
        return result

    def action_cancel(self):
        """The visit will not take place: the technician's time is free again."""
        return self._service_move(("planned", "on_the_way"), "cancelled")

    def action_replan(self):
        """A cancelled visit planned again, if its time is still free."""
        result = self._service_move(("cancelled",), "planned")
        self._check_not_past()
        return result

    def action_open_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.request",
            "res_id": self.request_id.id,
            "view_mode": "form",
        }

    def action_view_equipment_history(self):
        """Open the unit's other service requests (its history), newest first."""
        self.ensure_one()
        if not self.equipment_id:
            raise UserError(_("Visit %(visit)s has no unit.", visit=self.name))
        return self.equipment_id._action_view_service_requests(exclude=self.request_id)

    def action_view_equipment_repairs(self):
        """Open the unit's repair orders."""
        self.ensure_one()
        if not self.equipment_id:
            raise UserError(_("Visit %(visit)s has no unit.", visit=self.name))
        return self.equipment_id.action_view_repairs()

    def action_view_picking(self):
        """Open the transfer of the visit's parts."""
        self.ensure_one()
        if not self.picking_id:
            raise UserError(
                _(
                    "Visit %(visit)s has no parts transfer: it is made when a visit with "
                    "parts is finished.",
                    visit=self.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": self.picking_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Checklist
    # ------------------------------------------------------------------

    def _service_copy_checklist(self):
        """Give each visit without checklist lines the lines of its checklist
        (one create for the batch)."""
        visits = self.filtered(lambda v: not v.check_ids)
        if not visits:
            return
        # sudo: a technician reads the checklist templates only to copy them.
        found = self.env["service.checklist"].sudo()._service_for_requests(visits.request_id)
        Check = self.env["service.visit.check"]
        vals_list = []
        by_checklist = defaultdict(lambda: self.browse())
        for visit in visits:
            checklist = found[visit.request_id]
            if not checklist:
                continue
            by_checklist[checklist] |= visit
            vals_list += Check._service_prepare_from_items(visit, checklist.item_ids)
        for checklist, members in by_checklist.items():
            action_records(members).write({"checklist_id": checklist.id})
        action_records(Check).create(vals_list)

    def _service_prefill_signer(self):
        """Name the signer of each visit that has none: the site's contact
        person, else the customer's, if either is a person, else the one
        contact person of the site's or the customer's company (a company does
        not sign; with several contacts the technician types who did)."""
        for visit in self.filtered(lambda v: not v.signed_by):
            partners = (visit.site_partner_id, visit.partner_id)
            person = next((p for p in partners if p and not p.is_company), None)
            for company in partners if not person else ():
                people = company.child_ids.filtered(
                    lambda p: not p.is_company and p.type == "contact"
                )
                if len(people) == 1:
                    person = people
                    break
            if person:
                action_records(visit).write({"signed_by": person.name})

    def _service_check_checklist_done(self):
        env = user_lang_env(self.env)
        for visit in self:
            missing = visit.check_ids.filtered(lambda c: c.mandatory and not c.done)
            if missing:
                raise UserError(
                    env._(
                        "Visit %(visit)s cannot be finished: the mandatory checklist items "
                        "%(items)s are not done.",
                        visit=visit.name,
                        items=", ".join(f"«{name}»" for name in missing.mapped("name")),
                    )
                )

    # ------------------------------------------------------------------
    # Parts from the van
    # ------------------------------------------------------------------

    def _service_check_parts(self):
        """Refuse finishing visits whose technician's van does not hold the
        parts they used (or has no van, or a tracked part has no lot)."""
        visits = self.filtered("part_ids")
        if not visits:
            return
        env = user_lang_env(self.env)
        needed = defaultdict(float)
        for visit in visits:
            van = visit.user_id.service_van_location_id
            if not van:
                raise UserError(
                    env._(
                        "%(user)s has no van location: the parts of visit %(visit)s cannot be "
                        "taken from it. A service manager creates it on the user's form.",
                        user=visit.user_id.name,
                        visit=visit.name,
                    )
                )
            if van.company_id and van.company_id != visit.company_id:
                raise UserError(
                    env._(
                        "The van location of %(user)s belongs to %(company)s, not to the "
                        "company of visit %(visit)s.",
                        user=visit.user_id.name,
                        company=van.company_id.name,
                        visit=visit.name,
                    )
                )
            for line in visit.part_ids:
                product = line.product_id
                if not product.is_storable:
                    continue
                if product.tracking != "none" and not line.lot_id:
                    raise UserError(
                        env._(
                            "%(part)s on visit %(visit)s is tracked by lot or serial: say "
                            "which one was used.",
                            part=product.display_name,
                            visit=visit.name,
                        )
                    )
                qty = line.product_uom_id._compute_quantity(line.quantity, product.uom_id)
                needed[(van, product, line.lot_id)] += qty
        # Negative stock in a van is a count the books cannot trust: a part
        # the van does not hold was taken from somewhere else, and that
        # transfer is to be recorded first.
        Quant = self.env["stock.quant"]
        for (van, product, lot), qty in needed.items():
            available = Quant._get_available_quantity(
                product, van, lot_id=lot or None, strict=bool(lot)
            )
            if float_compare(qty, available, precision_rounding=product.uom_id.rounding) > 0:
                raise UserError(
                    env._(
                        "The van %(van)s holds %(available)s %(uom)s of %(part)s%(lot)s, the "
                        "visit used %(qty)s: record the transfer that brought the rest "
                        "first. Nothing was moved.",
                        van=van.name,
                        available=_format_quantity(env, available, product.uom_id),
                        uom=product.uom_id.name,
                        part=product.display_name,
                        lot=env._(" (lot %(lot)s)", lot=lot.name) if lot else "",
                        qty=_format_quantity(env, qty, product.uom_id),
                    )
                )

    def _service_consume_parts(self):
        """Move the parts of the finished visits from their technician's van
        to the customer: one transfer a visit, all done at once (checked by
        ``_service_check_parts`` before). The transfers are made done as the
        parts were used, lots included: nothing is reserved first, and the
        batch writes once per table, not once per visit or part."""
        visits = self.filtered(lambda v: v.part_ids.product_id.filtered("is_storable"))
        if not visits:
            return
        pickings = self.env["stock.picking"].create(
            [visit._service_prepare_picking_vals() for visit in visits]
        )
        line_vals, parts_moves = [], []
        for visit, picking in zip(visits, pickings, strict=True):
            for line, move in zip(
                visit._service_storable_parts(), picking.move_ids.sorted("id"), strict=True
            ):
                line_vals.append(
                    {
                        "move_id": move.id,
                        "picking_id": picking.id,
                        "product_id": line.product_id.id,
                        "product_uom_id": line.product_uom_id.id,
                        "quantity": line.quantity,
                        "lot_id": line.lot_id.id,
                        "location_id": picking.location_id.id,
                        "location_dest_id": picking.location_dest_id.id,
                        "picked": True,
                    }
                )
                parts_moves.append((line, move))
        self.env["stock.move.line"].create(line_vals)
        for line, move in parts_moves:
            action_records(line).move_id = move
        for visit, picking in zip(visits, pickings, strict=True):
            action_records(visit).picking_id = picking
        pickings.with_context(cancel_backorder=True)._action_done()
        # as confirming a transfer does: the van's replenishment rules, if any
        pickings.move_ids._trigger_scheduler()

    def _service_storable_parts(self):
        """The visit's lines of storable parts, in the order of their moves."""
        self.ensure_one()
        return self.part_ids.filtered(lambda line: line.product_id.is_storable).sorted("id")

    def _service_prepare_picking_vals(self):
        """Values of the transfer of this visit's parts (its storable ones)."""
        self.ensure_one()
        van = self.user_id.service_van_location_id
        warehouse = van.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        customers = self.partner_id.with_company(
            self.company_id
        ).property_stock_customer or self.env.ref("stock.stock_location_customers")
        return {
            "picking_type_id": warehouse.out_type_id.id,
            "location_id": van.id,
            "location_dest_id": customers.id,
            "partner_id": (self.site_partner_id or self.partner_id).id,
            "origin": f"{self.name} ({self.request_id.name})",
            "service_request_id": self.request_id.id,
            "company_id": self.company_id.id,
            "move_ids": [
                Command.create(
                    {
                        "name": line.product_id.display_name,
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.quantity,
                        "product_uom": line.product_uom_id.id,
                        "location_id": van.id,
                        "location_dest_id": customers.id,
                        "origin": self.name,
                        "company_id": self.company_id.id,
                        "picked": True,
                    }
                )
                for line in self._service_storable_parts()
            ],
        }

    # ------------------------------------------------------------------
    # Finishing: hooks and the service report
    # ------------------------------------------------------------------

    def _service_report_filename(self):
        """The service report's file name, in the language of the context (the
        customer's when the report is mailed)."""
        self.ensure_one()
        return _("Service Report %(visit)s", visit=self.name)

    def _service_visits_finished(self):
        """Called once the visits are done, their parts consumed, before their
        report is sent: addons add what finishing a visit means to them
        (service_field_manager charges its labour)."""
        return True

    def _service_send_report(self):
        """Attach each finished visit's service report to its request and send
        it to the customer, in the request's chatter."""
        template = self.env.ref("service_field.mail_template_service_visit_done", False)
        if not template:
            return
        # sudo: the technician sends the report of their own visit as the
        # template says; rendering reads the template and the report action.
        values = template.sudo()._generate_template(
            self.ids, ("subject", "body_html", "report_template_ids")
        )
        for visit in self:
            vals = values[visit.id]
            partners = visit.partner_id.filtered("email")
            message = visit.request_id.message_post(
                subject=vals.get("subject"),
                body=vals.get("body_html"),
                # the template gives the reports base64-encoded, message_post takes bytes
                attachments=[
                    (name, base64.b64decode(content))
                    for name, content in vals.get("attachments", [])
                ],
                partner_ids=partners.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
            if message.attachment_ids:
                action_records(visit).report_attachment_id = message.attachment_ids[:1]


def _batch_overlaps(planned):
    """Whether two of ``planned`` ([(id, user_id, start, end, name)]) of one
    technician overlap."""
    latest = {}
    for __, user_id, start, end, __ in sorted(planned, key=lambda p: (p[1], p[2])):
        if user_id in latest and start < latest[user_id]:
            return True
        latest[user_id] = max(end, latest.get(user_id, end))
    return False
