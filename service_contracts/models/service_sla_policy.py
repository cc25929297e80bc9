from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# The priorities of service requests (service_repair), so that a policy line
# matches a request's priority value as is.
SLA_PRIORITIES = [
    ("0", "Low"),
    ("1", "Medium"),
    ("2", "High"),
    ("3", "Urgent"),
]


class ServiceSlaPolicy(models.Model):
    _name = "service.sla.policy"
    _description = "Service SLA Policy"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the policy between companies.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        required=True,
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Response and resolution times count only the working hours of this calendar "
        "(public holidays of the calendar excluded).",
    )
    line_ids = fields.One2many("service.sla.policy.line", "policy_id", string="Targets", copy=True)
    paused_stage_names = fields.Char(
        string="Paused Stages",
        help="Comma-separated names of request stages in which the SLA clock stops "
        "(for example: Waiting for Customer, Waiting for Parts).",
        groups="base.group_user",
    )
    pause_when_waiting_customer = fields.Boolean(
        string="Pause While Waiting for the Customer",
        default=True,
        help="The clock also stops while a request waits for the customer's answer.",
        groups="base.group_user",
    )
    response_on = fields.Selection(
        [("reply", "Reply to the Customer"), ("assignment", "Technician Assigned")],
        string="First Response",
        required=True,
        default="reply",
        help="What counts as the first response to the customer: a reply sent to the "
        "customer from the request's chatter (internal notes do not count), or the "
        "assignment of a technician.",
        groups="base.group_user",
    )
    warning_percent = fields.Float(
        string="Warn At (%)",
        default=80.0,
        help="When this share of a target's working time is used, the technician and the "
        "team leader get an activity (once per target); 0 sends no warning.",
        groups="base.group_user",
    )
    description = fields.Html()
    contract_ids = fields.One2many(
        "service.contract",
        "sla_policy_id",
        string="Contracts under the Policy",
        groups="base.group_user",
    )
    contract_count = fields.Integer(
        compute="_compute_contract_count", string="Contracts", groups="base.group_user"
    )

    def _compute_contract_count(self):
        counts = dict(
            self.env["service.contract"]._read_group(
                [("sla_policy_id", "in", self.ids)], ["sla_policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.contract_count = counts.get(policy, 0)

    @api.constrains("line_ids")
    def _check_one_line_per_priority(self):
        for policy in self:
            priorities = policy.line_ids.mapped("priority")
            if len(priorities) != len(set(priorities)):
                raise ValidationError(
                    _(
                        "SLA policy %(policy)s has more than one target for the same priority.",
                        policy=policy.name,
                    )
                )

    @api.constrains("warning_percent")
    def _check_warning_percent(self):
        for policy in self:
            if not 0 <= policy.warning_percent < 100:
                raise ValidationError(
                    _(
                        "The SLA warning of %(policy)s comes before the deadline: set it "
                        "between 0 and 100 %% of the time (0 sends none).",
                        policy=policy.name,
                    )
                )

    def _paused_stage_name_set(self):
        """Lower-cased names of the stages where the clock stops."""
        self.ensure_one()
        return {
            name.strip().lower()
            for name in (self.paused_stage_names or "").split(",")
            if name.strip()
        }

    def _is_paused_stage(self, stage_name, waiting_customer=False):
        """Whether the SLA clock of a request is stopped.

        :param stage_name: the name of the request's stage, or its names in
            several languages (a stage named in the list in any of them pauses)
        :param bool waiting_customer: the request waits for the customer's answer
        """
        self.ensure_one()
        if waiting_customer and self.pause_when_waiting_customer:
            return True
        names = [stage_name] if isinstance(stage_name, str) or not stage_name else stage_name
        paused = self._paused_stage_name_set()
        return any(name and name.strip().lower() in paused for name in names)

    def _line_for_priority(self, priority):
        """The target line of ``priority``; without one, the nearest lower priority's."""
        self.ensure_one()
        lines = self.line_ids.sorted("priority", reverse=True)
        exact = lines.filtered(lambda line: line.priority == str(priority))
        if exact:
            return exact[:1]
        return lines.filtered(lambda line: line.priority < str(priority))[:1]

    def _compute_deadlines(self, start_datetime, priority):
        """Response and resolution deadlines of a request opened at ``start_datetime``.

        :param datetime start_datetime: naive UTC datetime (as the ORM stores them)
        :param str priority: a request priority, '0' (low) to '3' (urgent)
        :return: ``{"response": datetime|False, "resolution": datetime|False,
                   "response_hours": float, "resolution_hours": float}``;
                 deadlines are naive UTC, counted in working hours of the policy's
                 calendar (its leaves excluded); False when the policy sets no target
                 for that priority.
        """
        self.ensure_one()
        if not start_datetime:
            raise UserError(_("An SLA deadline needs a start date and time."))
        return self._compute_schedules([(self, start_datetime, priority, 0.0, 0.0)])[0]

    @api.model
    def _compute_schedules(self, items):
        """SLA deadlines and warning moments of many requests at once.

        A few queries per calendar, whatever the number of items: each calendar's
        working time is read once for all of them.

        :param list items: ``(policy, start, priority, response_paused_hours,
            resolution_paused_hours)`` tuples; the paused working hours move the
            response and the resolution deadline (and their warnings) later
        :return: one dict per item, in order: what :meth:`_compute_deadlines`
                 returns, plus ``response_warning`` and ``resolution_warning``
                 (when ``warning_percent`` of the target's time is used; False
                 without a warning share)
        """
        keys = ("response", "resolution")
        results = []
        plans_by_calendar = {}
        for policy, start, priority, *paused in items:
            line = policy._line_for_priority(priority or "0")
            result = {
                "response_hours": line.response_hours,
                "resolution_hours": line.resolution_hours,
            }
            share = policy.warning_percent / 100.0
            for key, paused_hours in zip(keys, paused, strict=True):
                hours = line[f"{key}_hours"]
                result[key] = result[f"{key}_warning"] = False
                if hours > 0:
                    plans = plans_by_calendar.setdefault(policy.calendar_id, [])
                    plans.append((result, key, (start, hours + paused_hours)))
                    if share:
                        plans.append(
                            (result, f"{key}_warning", (start, hours * share + paused_hours))
                        )
            results.append(result)
        for calendar, plans in plans_by_calendar.items():
            moments = calendar._service_plan_hours_batch([plan for __, __, plan in plans])
            for (result, key, __), moment in zip(plans, moments, strict=True):
                result[key] = moment
        return results

    @api.model
    def _service_work_hours(self, spans):
        """Working hours on each policy's calendar between the bounds of each span.

        :param list spans: ``(policy, start, end)`` tuples of naive UTC datetimes
        :return: a list of floats in order, negative when ``end`` comes first (0.0
                 without a policy)
        """
        by_calendar = {}
        for index, (policy, start, end) in enumerate(spans):
            if policy.calendar_id:
                by_calendar.setdefault(policy.calendar_id, []).append((index, (start, end)))
        result = [0.0] * len(spans)
        for calendar, items in by_calendar.items():
            hours = calendar._service_work_hours_batch([span for __, span in items])
            for (index, __), value in zip(items, hours, strict=True):
                result[index] = value
        return result


class ServiceSlaPolicyLine(models.Model):
    _name = "service.sla.policy.line"
    _description = "Service SLA Target"
    _order = "policy_id, priority desc"

    policy_id = fields.Many2one("service.sla.policy", required=True, ondelete="cascade", index=True)
    priority = fields.Selection(SLA_PRIORITIES, required=True, default="1")
    response_hours = fields.Float(
        string="Response Time (h)", help="Working hours to the first response."
    )
    resolution_hours = fields.Float(
        string="Resolution Time (h)", help="Working hours to the resolution."
    )

    _sql_constraints = [
        (
            "hours_positive",
            "CHECK(response_hours >= 0 AND resolution_hours >= 0)",
            "SLA times cannot be negative.",
        ),
    ]

    @api.constrains("response_hours", "resolution_hours")
    def _check_response_before_resolution(self):
        for line in self:
            if (
                line.response_hours
                and line.resolution_hours
                and (line.resolution_hours < line.response_hours)
            ):
                raise ValidationError(
                    _("The resolution time cannot be shorter than the response time.")
                )
