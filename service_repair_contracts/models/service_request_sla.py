from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_datetime

from odoo.addons.service_base.tools import action_records

# Requests know three priorities, SLA policies four (with "Low" below "Normal"):
# a normal request gets the policy's medium targets.
SLA_PRIORITY = {"0": "1", "1": "2", "2": "3"}

SLA_STATES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("breached", "Breached"),
    ("met", "Met"),
]

# What only the SLA clock below sets. TODO: return them from
# _service_guarded_fields() once service.request inherits service.guarded.mixin
# (another branch adds it); every write of them here goes through action_records.
SLA_GUARDED_FIELDS = {
    "date_response_deadline",
    "date_response_warning",
    "date_deadline_warning",
    "date_first_response",
    "sla_paused_since",
    "sla_paused_hours",
    "sla_response_paused_hours",
    "sla_response_warned",
    "sla_resolution_warned",
    "sla_response_breached",
    "sla_resolution_breached",
    "sla_state",
}


class ServiceRequest(models.Model):
    """The SLA clock of a request under a contract: its deadlines in the policy's
    working hours, paused in the stages that stop it, the first response to the
    customer, the warning before a deadline and the escalation at a breach."""

    _inherit = "service.request"

    sla_policy_id = fields.Many2one(
        related="contract_id.sla_policy_id", string="SLA Policy", groups="base.group_user"
    )
    date_response_deadline = fields.Datetime(
        string="Response Deadline",
        compute="_compute_sla_dates",
        store=True,
        copy=False,
        help="When the customer must have had a first response, by the contract's SLA "
        "(moved later by the working time the request spent in paused stages before it).",
    )
    date_response_warning = fields.Datetime(
        string="Response Warning",
        compute="_compute_sla_dates",
        store=True,
        copy=False,
        help="When the policy's warning share of the response time is used.",
        groups="base.group_user",
    )
    date_deadline_warning = fields.Datetime(
        string="Resolution Warning",
        compute="_compute_sla_dates",
        store=True,
        copy=False,
        help="When the policy's warning share of the resolution time is used.",
        groups="base.group_user",
    )
    date_first_response = fields.Datetime(
        string="First Response",
        readonly=True,
        copy=False,
        help="When the customer had the first response: a reply sent to the customer from "
        "the chatter (not an internal note) or the technician's assignment, as the SLA "
        "policy counts it; closing a request unanswered counts as its response.",
        groups="base.group_user",
    )
    sla_paused_since = fields.Datetime(
        string="SLA Paused Since",
        readonly=True,
        copy=False,
        help="The request entered a stage that stops its SLA clock at this moment.",
        groups="base.group_user",
    )
    sla_paused_hours = fields.Float(
        string="SLA Paused (h)",
        readonly=True,
        copy=False,
        help="Working hours spent in stages that stop the SLA clock: the resolution "
        "deadline moved later by them.",
        groups="base.group_user",
    )
    sla_response_paused_hours = fields.Float(
        string="SLA Paused before the Response (h)",
        readonly=True,
        copy=False,
        help="The paused working hours before the first response: the response deadline "
        "moved later by them.",
        groups="base.group_user",
    )
    sla_response_warned = fields.Boolean(
        string="Response Warning Sent", readonly=True, copy=False, groups="base.group_user"
    )
    sla_resolution_warned = fields.Boolean(
        string="Resolution Warning Sent", readonly=True, copy=False, groups="base.group_user"
    )
    sla_response_breached = fields.Boolean(
        string="Response SLA Breached",
        readonly=True,
        copy=False,
        help="The first response came after its deadline (or has not come): escalated to "
        "the team leader.",
        groups="base.group_user",
    )
    sla_resolution_breached = fields.Boolean(
        string="Resolution SLA Breached",
        readonly=True,
        copy=False,
        help="The request was not resolved by its deadline: escalated to the team leader.",
        groups="base.group_user",
    )
    sla_state = fields.Selection(
        SLA_STATES,
        string="SLA",
        compute="_compute_sla_state",
        store=True,
        index=True,
        copy=False,
        help="Running: the clock counts; Paused: the request waits in a stage that stops "
        "the clock; Breached: a deadline was missed; Met: closed with every deadline kept.",
        groups="base.group_user",
    )
    sla_hours_left = fields.Float(
        string="SLA Time Left",
        compute="_compute_sla_hours_left",
        # the policy's calendar, which customers on the portal may not read
        compute_sudo=True,
        help="Working hours left to the next deadline of the SLA (the response while the "
        "customer waits for it, then the resolution); negative once it has passed. A paused "
        "clock keeps what was left when it stopped.",
        groups="base.group_user",
    )

    @api.depends(
        "priority", "company_id", "partner_id", "team_id", "contract_id", "sla_paused_hours"
    )
    def _compute_date_deadline(self):
        return super()._compute_date_deadline()

    @api.depends("priority", "contract_id", "sla_paused_hours", "sla_response_paused_hours")
    def _compute_sla_dates(self):
        schedules = self._sla_schedules()
        for request in self:
            schedule = schedules.get(request.id, {})
            request.date_response_deadline = schedule.get("response") or False
            request.date_response_warning = schedule.get("response_warning") or False
            request.date_deadline_warning = schedule.get("resolution_warning") or False

    @api.depends(
        "contract_id",
        "date_deadline",
        "date_response_deadline",
        "sla_paused_since",
        "is_closed",
        "sla_response_breached",
        "sla_resolution_breached",
    )
    def _compute_sla_state(self):
        for request in self:
            if not request.sla_policy_id or not (
                request.date_deadline or request.date_response_deadline
            ):
                request.sla_state = False
            elif request.sla_response_breached or request.sla_resolution_breached:
                request.sla_state = "breached"
            elif request.is_closed:
                request.sla_state = "met"
            elif request.sla_paused_since:
                request.sla_state = "paused"
            else:
                request.sla_state = "running"

    @api.depends("sla_state", "date_deadline", "date_response_deadline", "date_first_response")
    def _compute_sla_hours_left(self):
        now = fields.Datetime.now()
        running = self.filtered(lambda r: r.sla_state and not r.is_closed)
        spans = [
            (request.sla_policy_id, request.sla_paused_since or now, request._sla_next_deadline())
            for request in running
        ]
        hours = self.env["service.sla.policy"]._service_work_hours(spans)
        left = {request.id: value for request, value in zip(running, hours, strict=True)}
        for request in self:
            request.sla_hours_left = left.get(request.id, 0.0)

    @api.depends("sla_paused_since")
    def _compute_is_overdue(self):
        # A paused clock has not run out: the deadline moves when it resumes.
        result = super()._compute_is_overdue()
        # The portal reads whether its request is late, not the clock itself.
        self.sudo().filtered("sla_paused_since").with_env(self.env).is_overdue = False
        return result

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        requests._sla_follow_stage()
        requests.filtered("user_id")._sla_record_response("assignment")
        return requests

    def write(self, vals):
        result = super().write(vals)
        if {"stage_id", "contract_id", "equipment_id"} & set(vals):
            self._sla_follow_stage()
        if vals.get("user_id"):
            self._sla_record_response("assignment")
        return result

    def _message_post_after_hook(self, message, msg_values):
        result = super()._message_post_after_hook(message, msg_values)
        if self._sla_is_reply_to_customer(message):
            self._sla_record_response("reply", message.date)
        return result

    # ------------------------------------------------------------------
    # The SLA clock
    # ------------------------------------------------------------------

    def _get_sla_deadline(self):
        """The contract's SLA policy, in its working hours, wins over the default times."""
        deadlines = super()._get_sla_deadline()
        for request_id, schedule in self._sla_schedules().items():
            if schedule.get("resolution"):
                deadlines[request_id] = schedule["resolution"]
        return deadlines

    def _sla_schedules(self):
        """Deadlines and warning moments of the requests under an SLA policy, as
        ``{request_id: dict}`` (see ``service.sla.policy._compute_schedules``).

        Counted from each request's arrival (``_service_sla_start``) with the policy's target for its
        priority plus the working hours it spent paused; a few queries per
        calendar for the whole batch.
        """
        requests = self.filtered("contract_id.sla_policy_id")
        items = [
            (
                request.contract_id.sla_policy_id,
                request._service_sla_start(),
                SLA_PRIORITY.get(request.priority, "1"),
                request.sla_response_paused_hours,
                request.sla_paused_hours,
            )
            for request in requests
        ]
        schedules = self.env["service.sla.policy"]._compute_schedules(items)
        return {request.id: schedule for request, schedule in zip(requests, schedules, strict=True)}

    def _sla_next_deadline(self):
        """The deadline the clock runs to: the response while none was given, then the
        resolution."""
        self.ensure_one()
        if (
            self.date_response_deadline
            and not self.date_first_response
            and not self.sla_response_breached
        ):
            return self.date_response_deadline
        return self.date_deadline or self.date_response_deadline

    def _sla_response_on(self):
        """What counts as this request's first response: 'reply' or 'assignment'."""
        self.ensure_one()
        return self.contract_id.sla_policy_id.response_on or "reply"

    def _sla_paused_requests(self):
        """The requests of self whose stage stops their SLA clock."""
        requests = self.filtered(
            lambda r: r.contract_id.sla_policy_id and r.stage_id and not r.stage_id.is_closed
        )
        # Names typed in a policy may be in the user's language or in English.
        english = {stage.id: stage.name for stage in requests.stage_id.with_context(lang="en_US")}
        return requests.filtered(
            lambda r: (
                r.stage_id.sla_paused
                or r.contract_id.sla_policy_id._is_paused_stage(
                    {r.stage_id.name, english[r.stage_id.id]},
                    waiting_customer=r.stage_id.waiting_customer,
                )
            )
        )

    def _sla_follow_stage(self, now=None):
        """Stop the clock of the requests entering a paused stage, restart the others'.

        A deadline already passed when the clock stops is breached first; on
        restart the deadlines still running move later by the working time paused.
        Closed requests have their response and deadlines checked.
        """
        now = now or fields.Datetime.now()
        paused = self._sla_paused_requests()
        to_pause = paused.filtered(lambda r: not r.sla_paused_since)
        if to_pause:
            to_pause._sla_check_breaches(now)
            action_records(to_pause).write({"sla_paused_since": now})
        to_resume = (self - paused).filtered("sla_paused_since")
        if to_resume:
            to_resume._sla_resume(now)
        closed = self.filtered(lambda r: r.is_closed and r.contract_id.sla_policy_id)
        if closed:
            # The resolution is the customer's answer when none came before.
            unanswered = closed.filtered(lambda r: not r.date_first_response)
            for request in unanswered:
                action_records(request).date_first_response = request.date_closed or now
            closed._sla_check_breaches(now)

    def _sla_resume(self, now):
        """Restart the stopped clocks: add the working time paused to each deadline
        that had not passed when the clock stopped."""
        policy = self.env["service.sla.policy"]
        hours = policy._service_work_hours(
            [(r.contract_id.sla_policy_id, r.sla_paused_since, now) for r in self]
        )
        for request, paused in zip(self, hours, strict=True):
            since = request.sla_paused_since
            vals = {"sla_paused_since": False}
            if paused > 0 and request.date_deadline and request.date_deadline > since:
                vals["sla_paused_hours"] = request.sla_paused_hours + paused
            if (
                paused > 0
                and not request.date_first_response
                and request.date_response_deadline
                and request.date_response_deadline > since
            ):
                vals["sla_response_paused_hours"] = request.sla_response_paused_hours + paused
            action_records(request).write(vals)

    def _sla_record_response(self, how, moment=None):
        """Record the first response of the requests whose SLA counts ``how``
        ('reply' or 'assignment') as one, and check it against the deadline."""
        todo = self.filtered(lambda r: not r.date_first_response and r._sla_response_on() == how)
        if not todo:
            return
        # sudo: whoever may answer the customer or assign the technician causes
        # the response; it writes the SLA's facts of these requests and nothing else.
        todo = todo.sudo()
        by_moment = defaultdict(lambda: self.browse())
        for request in todo:
            by_moment[moment or request.date_assigned or fields.Datetime.now()] |= request
        for when, requests in by_moment.items():
            action_records(requests).write({"date_first_response": when})
        todo._sla_check_breaches()

    def _sla_is_reply_to_customer(self, message):
        """Whether ``message`` answers the customer: sent from the chatter or by
        e-mail (not logged as an internal note) by an internal user, with the
        customer among its recipients or the request's followers."""
        self.ensure_one()
        customer = self.partner_id
        if (
            not customer
            or self.date_first_response
            or message.message_type not in ("comment", "email")
            or not message.subtype_id
            or message.subtype_id.internal
        ):
            return False
        authors = message.author_id.sudo().user_ids
        if not authors or all(user.share for user in authors):
            return False
        return customer in message.partner_ids or customer in self.message_partner_ids

    # ------------------------------------------------------------------
    # Warnings and escalation
    # ------------------------------------------------------------------

    def _sla_check_breaches(self, now=None):
        """Flag the missed deadlines of these requests and escalate them once.

        The clock shows the closing, the start of a pause or now; the response
        is late when it came (or has not come) after its deadline. Returns the
        requests found breached.
        """
        now = now or fields.Datetime.now()
        response = resolution = self.browse()
        for request in self.filtered("contract_id.sla_policy_id"):
            clock = request.date_closed or request.sla_paused_since or now
            answered = request.date_first_response or clock
            deadline = request.date_response_deadline
            if not request.sla_response_breached and deadline and answered > deadline:
                response |= request
            deadline = request.date_deadline
            if not request.sla_resolution_breached and deadline and clock > deadline:
                resolution |= request
        if response:
            action_records(response).write(
                {"sla_response_breached": True, "sla_response_warned": True}
            )
        if resolution:
            action_records(resolution).write(
                {"sla_resolution_breached": True, "sla_resolution_warned": True}
            )
        breached = response | resolution
        if breached:
            breached._sla_escalate(response, resolution)
        return breached

    def _sla_escalate(self, response, resolution):
        """Escalate the breaches to the team leaders: a note on each request, an
        activity for the leader on the open ones and one message per leader."""
        activity_type = self.env.ref("service_repair_contracts.mail_activity_type_sla_breach")
        bodies = {}
        activities = []
        by_leader = defaultdict(lambda: self.browse())
        for request in self:
            leader = request._sla_team_leader()
            # In the leader's language and time zone (else the company's): the
            # cron runs as OdooBot, whose English and Brussels time nobody reads.
            company = request.company_id.partner_id
            lang = leader.lang or company.lang or self.env.lang
            # never the cron user's (OdooBot's Brussels time) for want of one
            tz = leader.tz or company.tz or "UTC"
            env = request.with_context(lang=lang).env
            targets = [
                (request in response, env._("response"), request.date_response_deadline),
                (request in resolution, env._("resolution"), request.date_deadline),
            ]
            missed, dues = [], []
            for hit, label, deadline in targets:
                if hit:
                    when = format_datetime(env, deadline, tz=tz, dt_format="short", lang_code=lang)
                    missed.append((label, deadline))
                    dues.append(env._("%(target)s due %(deadline)s", target=label, deadline=when))
            bodies[request.id] = env._(
                "SLA breached: %(targets)s. Escalated to %(leader)s.",
                targets=", ".join(dues),
                leader=leader.name or env._("nobody (no team leader)"),
            )
            if leader and not request.is_closed:
                activities.append(
                    request._sla_activity_vals(
                        activity_type,
                        leader,
                        env._(
                            "SLA breached: %(targets)s",
                            targets=", ".join(label for label, __ in missed),
                        ),
                        fields.Date.context_today(request),
                    )
                )
                by_leader[leader] |= request
        self._message_log_batch(bodies=bodies)
        self._sla_create_activities(activities)
        for leader, requests in by_leader.items():
            env = self.with_context(lang=leader.lang).env
            links = Markup(", ").join(r._get_html_link(title=r.name) for r in requests)
            # sudo: the leader is told of requests the caller just escalated.
            self.env["mail.thread"].sudo().with_context(lang=leader.lang).message_notify(
                partner_ids=leader.partner_id.ids,
                subject=env._("Service requests past their SLA: %(count)s", count=len(requests)),
                body=Markup("<p>%s</p>") % env._("Escalated to you: %(requests)s", requests=links),
            )

    def _sla_send_warnings(self, now=None):
        """Give the technician and the team leader an activity when the policy's
        share of a target's time is used (once per target)."""
        now = now or fields.Datetime.now()
        response = self.filtered(
            lambda r: (
                not r.sla_response_warned
                and not r.date_first_response
                and r.date_response_warning
                and r.date_response_warning <= now
            )
        )
        resolution = self.filtered(
            lambda r: (
                not r.sla_resolution_warned
                and r.date_deadline_warning
                and r.date_deadline_warning <= now
            )
        )
        if response:
            action_records(response).write({"sla_response_warned": True})
        if resolution:
            action_records(resolution).write({"sla_resolution_warned": True})
        activity_type = self.env.ref("service_repair_contracts.mail_activity_type_sla_warning")
        activities = []
        for request in response | resolution:
            if request in response:
                label, deadline = "response", request.date_response_deadline
            else:
                label, deadline = "resolution", request.date_deadline
            for user in request.user_id | request._sla_team_leader():
                # the user's time zone, else the company's (never the cron user's)
                tz = user.tz or request.company_id.partner_id.tz or "UTC"
                env = request.with_context(lang=user.lang, tz=tz).env
                when = format_datetime(env, deadline, tz=tz)
                summary = (
                    env._("SLA: respond to the customer by %(deadline)s", deadline=when)
                    if label == "response"
                    else env._("SLA: resolve the request by %(deadline)s", deadline=when)
                )
                activities.append(
                    request._sla_activity_vals(
                        activity_type,
                        user,
                        summary,
                        fields.Date.context_today(request.with_context(tz=tz), deadline),
                    )
                )
        self._sla_create_activities(activities)
        return response | resolution

    def _sla_team_leader(self):
        self.ensure_one()
        return self.team_id.user_id or self.company_id.service_default_team_id.user_id

    def _sla_activity_vals(self, activity_type, user, summary, date_deadline):
        self.ensure_one()
        return {
            "activity_type_id": activity_type.id,
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "user_id": user.id,
            "summary": summary,
            "date_deadline": date_deadline,
            "automated": True,
        }

    def _sla_create_activities(self, vals_list):
        if vals_list:
            # sudo: the SLA assigns these to the technician and the team leader
            # whoever moved the clock; one batch, no e-mail per activity (the
            # leader gets one message per escalation run).
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                vals_list
            )

    @api.model
    def _sla_due_domain(self, now):
        """Open running requests with a warning or a deadline due at ``now``."""
        unanswered = [("date_first_response", "=", False)]
        return [
            ("is_closed", "=", False),
            ("sla_paused_since", "=", False),
            ("sla_state", "in", ("running", "breached")),
            "|",
            "|",
            "|",
            "&",
            ("sla_response_warned", "=", False),
            "&",
            *unanswered,
            ("date_response_warning", "<=", now),
            "&",
            ("sla_resolution_warned", "=", False),
            ("date_deadline_warning", "<=", now),
            "&",
            ("sla_response_breached", "=", False),
            "&",
            *unanswered,
            ("date_response_deadline", "<", now),
            "&",
            ("sla_resolution_breached", "=", False),
            ("date_deadline", "<", now),
        ]

    @api.model
    def _cron_sla_escalations(self, limit=5000):
        """Send the warnings and escalate the breaches that came due since the last
        run: one search, then the whole batch at once."""
        now = fields.Datetime.now()
        requests = self.search(self._sla_due_domain(now), order="id", limit=limit)
        requests._sla_send_warnings(now)
        requests._sla_check_breaches(now)
        return requests
