from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import format_date
from odoo.tools.translate import LazyTranslate

from odoo.addons.service_base.tools import rpc_number, rpc_record, user_lang_env
from odoo.addons.service_base.tools.rpc_answers import rpc_answer

from .service_equipment import project

_lt = LazyTranslate(__name__)

# A schedule shows at most this many units (a customer's or a contract's fleet;
# the whole installed base is a list, not a schedule).
MAX_UNITS = 500
# Beyond these a year is a typing error.
FIRST_YEAR, LAST_YEAR = 2000, 2999
# How many due dates of one plan a year can hold (weekly: 53), projected or not.
MAX_DUES_PER_PLAN = 60
MARK_STATES = ("planned", "missed", "open", "overdue", "done", "cancelled")


class ServiceMaintenanceSchedule(models.AbstractModel):
    """The annual maintenance schedule (график ППР) of a customer or a
    contract: the units as rows, the twelve months of a year as columns, in
    each month the maintenance planned (the plans' due dates, projected by
    the meter's trend for meter plans) and the maintenance requests of the
    unit with what became of them.

    One method builds it (``_service_schedule_data``) for the screen, the
    printed schedule and the portal; ``get_schedule`` is its RPC entry."""

    _name = "service.maintenance.schedule"
    _description = "Maintenance Schedule"

    @api.readonly
    @api.model
    def get_schedule(self, year=False, partner_id=False, contract_id=False):
        """The maintenance schedule of ``year`` (default: this year) of the
        customer ``partner_id`` (its commercial partner: all its contacts'
        units) and/or of the contract ``contract_id``; every customer's when
        neither is given. Service users only.

        Returns a dict of plain values: ``year``, ``months`` (12 labels in
        the user's language), ``title``, ``partner``/``contract`` (``{id, name}`` or
        False), ``units`` (``[{id, name, serial, product, customer, site,
        plans: [{id, name}], months: [[mark, ...] × 12]}]``), ``totals``
        (count per mark state) and ``truncated`` (True when more than
        MAX_UNITS units matched: the first ones by customer and name are
        given). A mark is ``{state, label, date, done_date, request_id,
        request_name, plan_id, plan_name, projected, date_display,
        done_display}``; ``state`` is one of
        planned (due, no request yet), missed (due in the past, never
        requested), open, overdue (open past its due date), done (closed, or
        a visit done), cancelled; ``date`` is the due date ("YYYY-MM-DD")."""
        env = user_lang_env(self.env)
        if not self.env.user.has_group("service_base.group_service_user"):
            raise AccessError(env._("Only service users can read the maintenance schedule."))
        partner = rpc_record(env, "res.partner", partner_id, _lt("Customer"))
        contract = rpc_record(env, "service.contract", contract_id, _lt("Contract"))
        return rpc_answer(
            self.with_env(env)._service_schedule_data(year, partner=partner, contract=contract)
        )

    @api.model
    def _service_year(self, year):
        env = user_lang_env(self.env)
        if not year:
            return fields.Date.context_today(self).year
        number = rpc_number(env, year, _lt("Year"), minimum=FIRST_YEAR, maximum=LAST_YEAR)
        if number != int(number):
            raise UserError(env._("The year is a whole number, like 2026."))
        return int(number)

    @api.model
    def _service_schedule_data(self, year, partner=None, contract=None, units=None):
        """The schedule (see ``get_schedule``) as the current user may read it
        (record rules apply), labels in the context's language; only of
        ``units`` when given (the portal: the units its customer sees). A
        fixed number of queries whatever the number of units and plans."""
        year = self._service_year(year)
        first, last = date(year, 1, 1), date(year, 12, 31)
        today = fields.Date.context_today(self)
        Plan = self.env["service.maintenance.plan"]
        Request = self.env["service.request"]
        commercial = partner.commercial_partner_id if partner else self.env["res.partner"]
        if commercial and contract and contract.commercial_partner_id != commercial:
            # a schedule titled with one customer lists only that customer's units
            raise UserError(
                user_lang_env(self.env)._(
                    "Contract %(contract)s is not a contract of customer %(customer)s.",
                    contract=contract.name,
                    customer=commercial.display_name,
                )
            )

        unit_domain = []
        if commercial:
            unit_domain.append(("commercial_partner_id", "=", commercial.id))
        if units is not None:
            unit_domain.append(("id", "in", units.ids))
        plan_domain = [("equipment_id", "any", unit_domain)] if unit_domain else []
        request_domain = [
            ("request_type", "=", "maintenance"),
            ("equipment_id", "!=", False),
            *([("equipment_id", "any", unit_domain)] if unit_domain else []),
        ]
        if contract:
            plan_domain.append(("contract_id", "=", contract.id))
            request_domain.append(("contract_id", "=", contract.id))
        plans = Plan.search_fetch(
            plan_domain,
            [
                "name",
                "equipment_id",
                "contract_id",
                "interval_type",
                "interval",
                "meter_interval",
                "schedule_from",
                "date_first",
                "next_date",
                "next_meter_value",
            ],
        )
        # the request's place in the schedule: its due date, else its visit's
        # day, else the day it was made
        in_year = expression.OR(
            [
                [("maintenance_due_date", ">=", first), ("maintenance_due_date", "<=", last)],
                [
                    ("maintenance_due_date", "=", False),
                    ("date_scheduled", ">=", fields.Datetime.to_datetime(first)),
                    ("date_scheduled", "<", fields.Datetime.to_datetime(last + timedelta(1))),
                ],
                [
                    ("maintenance_due_date", "=", False),
                    ("date_scheduled", "=", False),
                    ("create_date", ">=", fields.Datetime.to_datetime(first)),
                    ("create_date", "<", fields.Datetime.to_datetime(last + timedelta(1))),
                ],
            ]
        )
        requests = Request.search_fetch(
            expression.AND([request_domain, in_year]),
            [
                "name",
                "equipment_id",
                "maintenance_plan_id",
                "maintenance_due_date",
                "date_scheduled",
                "create_date",
                "is_closed",
                "date_closed",
                "stage_id",
            ],
        )
        rows_of = plans.equipment_id | requests.equipment_id
        if contract and units is None:
            rows_of |= contract.line_ids.equipment_id
        units = rows_of.sorted(lambda u: (u.partner_id.display_name or "", u.name or "", u.id))
        truncated = len(units) > MAX_UNITS
        units = units[:MAX_UNITS]
        units.fetch(["name", "product_id", "lot_id", "partner_id", "site_partner_id"])

        # visits done of the requests: the work is done before the request closes
        done_visits = dict(
            self.env["service.visit"]._read_group(
                [("request_id", "in", requests.ids), ("state", "=", "done")],
                ["request_id"],
                ["date_departure:max"],
            )
        )
        # ... unless another visit of the request is still to come: the work
        # goes on (a customer read "Done" on a request in progress)
        to_come = {
            request
            for [request] in self.env["service.visit"]._read_group(
                [
                    ("request_id", "in", requests.ids),
                    ("state", "in", ("planned", "on_the_way", "on_site")),
                ],
                ["request_id"],
            )
        }
        cancelled = self.env.ref("service_repair.stage_cancelled", raise_if_not_found=False)
        labels = self._service_mark_labels()

        rows = {
            unit.id: {
                "id": unit.id,
                "name": unit.display_name,
                "serial": unit.lot_id.name or "",
                "product": unit.product_id.display_name or "",
                "customer": unit.partner_id.display_name or "",
                "site": (unit.site_partner_id or unit.partner_id).contact_address or "",
                "plans": [],
                "months": [[] for __ in range(12)],
            }
            for unit in units
        }

        requested = set()
        for req in requests:
            row = rows.get(req.equipment_id.id)
            if row is None:
                continue
            due = req.maintenance_due_date or fields.Date.context_today(
                self, req.date_scheduled or req.create_date
            )
            if req.maintenance_plan_id:
                requested.add((req.maintenance_plan_id.id, req.maintenance_due_date))
            visit_done = done_visits.get(req)
            if req.is_closed and cancelled and req.stage_id == cancelled:
                state, done_on = "cancelled", False
            elif req.is_closed:
                state = "done"
                done_on = (
                    fields.Date.context_today(self, req.date_closed) if req.date_closed else due
                )
            elif visit_done and req not in to_come:
                state, done_on = "done", fields.Date.context_today(self, visit_done)
            else:
                # late once the day of its visit (else its due date) is past
                planned_day = (
                    fields.Date.context_today(self, req.date_scheduled)
                    if req.date_scheduled
                    else due
                )
                state, done_on = ("overdue" if planned_day < today else "open"), False
            if not first <= due <= last:
                continue
            row["months"][due.month - 1].append(
                {
                    "state": state,
                    "label": labels[state],
                    "date": fields.Date.to_string(due),
                    "date_display": format_date(self.env, due),
                    "done_date": done_on and fields.Date.to_string(done_on),
                    "done_display": done_on and format_date(self.env, done_on),
                    "request_id": req.id,
                    "request_name": req.name,
                    "plan_id": req.maintenance_plan_id.id,
                    "plan_name": req.maintenance_plan_id.name or "",
                    "projected": False,
                }
            )

        meter_units = plans.filtered(lambda p: p.interval_type == "meter").equipment_id
        trends = meter_units._service_meter_trends() if meter_units else {}
        for plan in plans:
            row = rows.get(plan.equipment_id.id)
            if row is None:
                continue
            row["plans"].append({"id": plan.id, "name": plan.name})
            for due, projected in _plan_dues(plan, first, last, trends):
                if (plan.id, due) in requested or not _plan_covers(plan, due):
                    continue
                state = "missed" if due < today else "planned"
                row["months"][due.month - 1].append(
                    {
                        "state": state,
                        "label": labels[state],
                        "date": fields.Date.to_string(due),
                        "date_display": format_date(self.env, due),
                        "done_date": False,
                        "done_display": False,
                        "request_id": False,
                        "request_name": "",
                        "plan_id": plan.id,
                        "plan_name": plan.name,
                        "projected": projected,
                    }
                )
        totals = dict.fromkeys(MARK_STATES, 0)
        for row in rows.values():
            for marks in row["months"]:
                marks.sort(key=lambda m: (m["date"], m["request_id"] or 0))
                for mark in marks:
                    totals[mark["state"]] += 1
        return {
            "year": year,
            "title": user_lang_env(self.env)._("Maintenance Schedule for %(year)s", year=year),
            "today": fields.Date.to_string(today),
            "months": [
                format_date(self.env, date(year, month, 1), date_format="LLL")
                for month in range(1, 13)
            ],
            "partner": {"id": commercial.id, "name": commercial.display_name}
            if commercial
            else False,
            "contract": {"id": contract.id, "name": contract.display_name} if contract else False,
            "units": [rows[unit.id] for unit in units],
            "totals": totals,
            "legend": [{"state": state, "label": labels[state]} for state in MARK_STATES],
            "truncated": truncated,
        }

    @api.model
    def _service_mark_labels(self):
        env = user_lang_env(self.env)
        return {
            "planned": env._("Planned"),
            "missed": env._("Not requested"),
            "open": env._("Requested"),
            "overdue": env._("Overdue"),
            "done": env._("Done"),
            "cancelled": env._("Cancelled"),
        }


def _plan_dues(plan, first, last, trends):
    """[(due date, projected)] of this plan between ``first`` and ``last``
    (dates): every date of a fixed schedule; from the next due date on for
    a plan counted from the date done (the earlier ones are its requests);
    for a meter plan the days its meter's trend (``trends``, see
    ``service.equipment._service_meter_trends``) reaches the next values,
    projected. No query."""
    dues = []
    if plan.interval_type == "meter":
        trend = trends.get(plan.equipment_id.id)
        value = plan.next_meter_value
        if not trend or plan.meter_interval <= 0 or not value:
            return dues
        while len(dues) < MAX_DUES_PER_PLAN:
            due = project(trend, value)
            if not due or due > last:
                break
            if due >= first:
                dues.append((due, True))
            value += plan.meter_interval
        return dues
    if plan.interval <= 0 or not plan.date_first:
        return dues
    fixed = plan.schedule_from == "schedule"
    due = plan._service_due_after(first - timedelta(days=1)) if fixed else plan.next_date
    while due and due <= last and len(dues) < MAX_DUES_PER_PLAN:
        if due >= first:
            dues.append((due, False))
        # a fixed schedule counts from its first date (31 Jan, 28 Feb, 31 Mar)
        due = plan._service_due_after(due) if fixed else plan._service_add_step(due)
    return dues


def _plan_covers(plan, due):
    """Whether the plan makes work due on ``due``: its contract active
    and ``due`` within the contract's dates, as the plan's run decides."""
    contract = plan.contract_id
    if not contract:
        return True
    if contract.state != "active" or due < contract.date_start:
        return False
    return not contract.date_end or due <= contract.date_end
