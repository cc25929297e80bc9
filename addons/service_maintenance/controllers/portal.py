import re
from datetime import timedelta

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.service_maintenance_schedule import FIRST_YEAR, LAST_YEAR

SERVICE_REPORT = "service_field.action_report_service_visit"
SCHEDULE_REPORT = "service_maintenance.action_report_maintenance_schedule_partner"
# Readings a customer may enter for one unit in a day (a typing slip and its
# correction, a few checks): beyond, it is a script, not a person.
MAX_PORTAL_READINGS_PER_DAY = 5
REPORTS_SHOWN = 50


class ServiceMaintenancePortal(CustomerPortal):
    """The customer's maintenance on the portal: its units' plans and next
    due dates, the year's schedule (график ППР), meter readings it enters,
    and the signed service reports of its visits.

    Everything starts from the units and requests the customer may read (the
    portal record rules of service_base and service_repair); plans, readings
    and visits, which portal users cannot read, are then read with sudo for
    those units and requests only."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_maintenance_count" in counters:
            units = self._service_my_units()
            values["service_maintenance_count"] = (
                request.env["service.maintenance.plan"]
                .sudo()
                .search_count([("equipment_id", "in", units.ids)])
                if units
                else 0
            )
        if "service_report_count" in counters:
            values["service_report_count"] = self._service_my_visits_done(count=True)
        return values

    def _service_my_units(self):
        Unit = request.env["service.equipment"]
        return Unit.search([]) if Unit.has_access("read") else Unit

    def _service_my_visits_done(self, count=False):
        Request = request.env["service.request"]
        if not Request.has_access("read"):
            return 0 if count else request.env["service.visit"].sudo()
        # sudo: portal users cannot read visits; the subquery is the requests
        # this customer may read (record rules applied), so only their visits.
        Visit = request.env["service.visit"].sudo()
        domain = [("request_id", "in", Request._search([])), ("state", "=", "done")]
        if count:
            return Visit.search_count(domain)
        return Visit.search(domain, order="date_departure desc, id desc", limit=REPORTS_SHOWN)

    def _service_maintenance_values(self, **extra):
        units = self._service_my_units()
        # sudo: the plans and last readings of the units found above, which
        # the record rules give to this customer
        plans = (
            request.env["service.maintenance.plan"]
            .sudo()
            .search([("equipment_id", "in", units.ids)], order="next_date, id")
            # a plan under a contract not in force creates no work: no promise
            # to the customer (a draft contract's plan announced a visit today)
            .filtered(lambda plan: plan._service_contract_allows(plan.next_date))
        )
        # the units with a plan first
        units_sudo = units.sudo().sorted(lambda unit: unit not in plans.equipment_id)
        # the next maintenance the customer will see: an open request's
        # booked visit (or its due date) before the plan's next cycle
        next_of = {plan.id: plan.next_date for plan in plans}
        open_requests = (
            request.env["service.request"]
            .sudo()
            .search([("maintenance_plan_id", "in", plans.ids), ("is_closed", "=", False)])
        )
        for work in open_requests:
            visits = work.visit_ids.filtered(lambda v: v.state not in ("done", "cancelled"))
            day = (
                fields.Date.context_today(request.env.user, min(visits.mapped("date_start")))
                if visits
                else work.maintenance_due_date
            )
            plan_id = work.maintenance_plan_id.id
            if day and (not next_of.get(plan_id) or day < next_of[plan_id]):
                next_of[plan_id] = day
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_maintenance",
                "units": units_sudo,
                "plans_of": {
                    unit.id: plans.filtered(lambda p, unit=unit: p.equipment_id == unit)
                    for unit in units_sudo
                },
                "next_of": next_of,
                "errors": {},
                "saved": False,
                "year": fields.Date.context_today(request.env.user).year,
                **extra,
            }
        )
        return values

    @http.route("/my/maintenance", type="http", auth="user", website=True, readonly=True)
    def portal_my_maintenance(self, saved=None, **kw):
        values = self._service_maintenance_values(saved=saved)
        return request.render("service_maintenance.portal_my_maintenance", values)

    @http.route(
        "/my/maintenance/<int:unit_id>/reading",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_maintenance_reading(self, unit_id, value=None, **kw):
        try:
            unit_sudo = self._document_check_access("service.equipment", unit_id)
        except (AccessError, MissingError):
            return request.not_found()
        errors = {}
        status = 400
        # sudo: the counter is not readable by portal users; only a hash of
        # the user id is written
        if not request.env["service.rate.limit"].sudo()._hit("portal_post", request.env.uid):
            errors[unit_id] = _("You sent too many forms in a minute. Try again shortly.")
            status = 429
        elif self._service_readings_today(unit_sudo) >= MAX_PORTAL_READINGS_PER_DAY:
            errors[unit_id] = _(
                "%(count)s readings of this unit were entered today: enter the next one "
                "tomorrow, or call us.",
                count=MAX_PORTAL_READINGS_PER_DAY,
            )
            status = 429
        else:
            text = (value or "").strip().replace("\N{NO-BREAK SPACE}", "").replace(" ", "")
            number = _portal_number(text)
            if number is None and _portal_number(text.removeprefix("-").removeprefix("−")):
                errors[unit_id] = _("A meter reading cannot be negative.")
            elif number is None:
                errors[unit_id] = _("Enter the reading as a number, like 1250 or 1250,5.")
            else:
                try:
                    with request.env.cr.savepoint():
                        # sudo: portal users cannot create readings; the unit
                        # is theirs (checked above) and the reading goes
                        # through the unit's checks, recorded as theirs
                        unit_sudo.with_user(request.env.user).sudo().service_add_reading(
                            number, source="portal"
                        )
                except (UserError, ValidationError) as error:
                    errors[unit_id] = error.args[0]
        if not errors:
            # back at the unit's card, where its message is (on a phone the
            # top of the page is far from it)
            return request.redirect("/my/maintenance?saved=%s#unit_%s" % (unit_id, unit_id))
        values = self._service_maintenance_values(errors=errors, value=value)
        return request.render("service_maintenance.portal_my_maintenance", values, status=status)

    def _service_readings_today(self, unit_sudo):
        return (
            request.env["service.equipment.reading"]
            .sudo()
            .search_count(
                [
                    ("equipment_id", "=", unit_sudo.id),
                    ("source", "=", "portal"),
                    ("create_date", ">=", fields.Datetime.now() - timedelta(days=1)),
                ]
            )
        )

    def _service_portal_year(self, year):
        try:
            year = int(year)
        except (TypeError, ValueError):
            return fields.Date.context_today(request.env.user).year
        return min(max(year, FIRST_YEAR), LAST_YEAR)

    @http.route("/my/maintenance/schedule", type="http", auth="user", website=True, readonly=True)
    def portal_my_maintenance_schedule(self, year=None, **kw):
        year = self._service_portal_year(year)
        units = self._service_my_units()
        partner = request.env.user.partner_id.commercial_partner_id
        # sudo: plans and requests of the units this customer sees (above)
        schedule = (
            request.env["service.maintenance.schedule"]
            .sudo()
            .with_context(lang=request.env.lang)
            ._service_schedule_data(year, partner=partner, units=units)
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {"page_name": "service_maintenance_schedule", "schedule": schedule, "year": year}
        )
        return request.render("service_maintenance.portal_my_maintenance_schedule", values)

    # not readonly: the first PDF of a database writes the report's assets
    @http.route("/my/maintenance/schedule/pdf", type="http", auth="user", website=True)
    def portal_my_maintenance_schedule_pdf(self, year=None, **kw):
        year = self._service_portal_year(year)
        units = self._service_my_units()
        partner = request.env.user.partner_id.commercial_partner_id
        # sudo: the report reads plans; its rows are the units found above
        pdf = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(
                SCHEDULE_REPORT, partner.ids, data={"year": year, "unit_ids": units.ids}
            )[0]
        )
        filename = "%s_%s.pdf" % (_("Maintenance_Schedule"), year)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route("/my/service-reports", type="http", auth="user", website=True, readonly=True)
    def portal_my_service_reports(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_reports",
                "visits": self._service_my_visits_done(),
                "has_report": bool(request.env.ref(SERVICE_REPORT, raise_if_not_found=False)),
            }
        )
        return request.render("service_maintenance.portal_my_service_reports", values)

    @http.route("/my/service-reports/<int:visit_id>/pdf", type="http", auth="user", website=True)
    def portal_my_service_report_pdf(self, visit_id, **kw):
        visit_sudo = request.env["service.visit"].sudo().browse(visit_id).exists()
        if not visit_sudo or visit_sudo.state != "done":
            return request.not_found()
        try:
            # the visit is the customer's when its request is
            self._document_check_access("service.request", visit_sudo.request_id.id)
        except (AccessError, MissingError):
            return request.not_found()
        if not request.env.ref(SERVICE_REPORT, raise_if_not_found=False):
            return request.not_found()
        pdf = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(visit_sudo.company_id)
            ._render_qweb_pdf(SERVICE_REPORT, visit_sudo.ids)[0]
        )
        filename = "%s.pdf" % re.sub(r"\W+", "_", visit_sudo.name or str(visit_sudo.id))
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )


def _portal_number(text):
    """The number a customer typed («1250», «1 250,5», «1250.5»), or None."""
    if not text or not re.fullmatch(r"\d{1,13}([.,]\d{1,3})?", text, re.ASCII):
        return None
    return float(text.replace(",", "."))
