import re
from datetime import date, datetime, time, timedelta
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import format_date, mute_logger

from odoo.addons.service_base.tools import action_records

from ..controllers import portal as portal_controller
from .common import MaintenanceCase


@tagged("post_install", "-at_install", "service_suite")
class TestPortalMaintenance(HttpCase, MaintenanceCase):
    """The customer's maintenance on the portal: plans and next dates, the
    year's schedule, meter readings, the service reports of its visits; and
    nothing of another customer's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        contact = cls.env["res.partner"].create(
            {
                "name": "SM Portal Contact",
                "parent_id": cls.customer.id,
                "email": "sm.portal@example.com",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="sm_portal",
            password="sm_portal_pw1",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        cls.year = cls.today.year + 1
        cls.my_plan = cls.plan(name="SM yearly check", date_first=date(cls.year, 2, 10))
        cls.other_unit = cls._unit("SM-THEIRS-1", cls.boiler, cls.other_customer)
        cls.their_plan = cls.plan(
            name="SM their plan", equipment_id=cls.other_unit.id, date_first=date(cls.year, 3, 5)
        )
        cls.reading(cls.unit, 100, 5)
        # a done visit of the customer's request and one of the other customer's
        cls.my_request = action_records(cls.Request).create(
            {
                "partner_id": cls.customer.id,
                "equipment_id": cls.unit.id,
                "subject": "SM mine",
                "request_type": "maintenance",
            }
        )
        cls.their_request = action_records(cls.Request).create(
            {
                "partner_id": cls.other_customer.id,
                "equipment_id": cls.other_unit.id,
                "subject": "SM theirs",
                "request_type": "maintenance",
            }
        )
        past = datetime.combine(cls.today - timedelta(days=2), time(9, 0))
        cls.my_visit, cls.their_visit = cls.env["service.visit"].create(
            [
                {
                    "request_id": request.id,
                    "user_id": tech.id,
                    "date_start": past,
                    "date_end": past + timedelta(hours=2),
                    "state": "done",
                    "date_departure": past + timedelta(hours=2),
                }
                for request, tech in (
                    (cls.my_request, cls.tech_boilers),
                    (cls.their_request, cls.tech_boilers2),
                )
            ]
        )
        cls.planned_visit = cls.env["service.visit"].create(
            {
                "request_id": cls.my_request.id,
                "user_id": cls.tech_boilers.id,
                "date_start": past + timedelta(days=4),
                "date_end": past + timedelta(days=4, hours=2),
            }
        )

    def _csrf(self, page):
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def test_plans_schedule_and_refusals(self):
        self.authenticate("sm_portal", "sm_portal_pw1")
        home = self.url_open("/my/maintenance")
        self.assertEqual(home.status_code, 200)
        self.assertIn("SM yearly check", home.text)
        self.assertIn(f'data-unit-id="{self.unit.id}"', home.text)
        self.assertNotIn("SM their plan", home.text)
        self.assertNotIn("SM-THEIRS-1", home.text)
        schedule = self.url_open(f"/my/maintenance/schedule?year={self.year}")
        self.assertEqual(schedule.status_code, 200)
        self.assertIn(f"Maintenance Schedule for {self.year}", schedule.text)
        self.assertIn(self.unit.name, schedule.text)
        self.assertNotIn("SM-THEIRS-1", schedule.text)
        # February to December in the table, again in the phone's list, and the
        # legend's two (planned, projected)
        self.assertEqual(schedule.text.count("o_sm_mark o_sm_planned"), 11 + 11 + 2)
        # a meter plan with no date yet: words on the phone, not the legend's
        # "—" of a cancelled request (browser review)
        self.plan(
            name="SM meter",
            equipment_id=self.aircon_unit.id,
            interval_type="meter",
            meter_interval=500,
        )
        schedule = self.url_open(f"/my/maintenance/schedule?year={self.year}")
        self.assertIn(self.aircon_unit.name, schedule.text)
        self.assertIn("No maintenance planned this year", schedule.text)
        pdf = self.url_open(f"/my/maintenance/schedule/pdf?year={self.year}")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        # a reading of another customer's unit: not found, nothing recorded
        token = self._csrf(home.text)
        with mute_logger("odoo.http"):
            refused = self.url_open(
                f"/my/maintenance/{self.other_unit.id}/reading",
                data={"csrf_token": token, "value": "500"},
            )
        self.assertEqual(refused.status_code, 404)
        self.assertFalse(self.other_unit.reading_ids)
        # without the form's token: refused
        with mute_logger("odoo.http"):
            no_csrf = self.url_open(
                f"/my/maintenance/{self.unit.id}/reading", data={"value": "500"}
            )
        self.assertEqual(no_csrf.status_code, 400)
        self.assertEqual(len(self.unit.reading_ids), 1)

    def test_next_maintenance_is_the_open_requests(self):
        due = self.today + timedelta(days=3)
        plan = self.plan(name="SM monthly check", date_first=due)
        request = self.Request.browse(plan.service_generate(horizon_days=10))
        self.assertEqual(request.maintenance_due_date, due)
        self.assertGreater(plan.next_date, due, "the plan is at its next cycle")
        self.authenticate("sm_portal", "sm_portal_pw1")
        page = self.url_open("/my/maintenance").text
        line = re.search(r"SM monthly check</strong>:(.*?)</li>", page, re.S).group(1)
        # the work already on its way, not the cycle after it
        visit_day = request.visit_ids[:1].date_start.date() if request.visit_ids else due
        self.assertIn(format_date(self.env, visit_day), line)
        self.assertNotIn(format_date(self.env, plan.next_date), line)

    def test_no_promise_from_a_contract_not_in_force(self):
        draft = self.env["service.contract"].create(
            {"partner_id": self.customer.id, "date_start": self.today}
        )
        self.plan(
            name="SM draft contract plan", equipment_id=self.aircon_unit.id, contract_id=draft.id
        )
        self.plan(
            name="SM active contract plan",
            equipment_id=self.aircon_unit.id,
            contract_id=self.contract.id,
        )
        self.authenticate("sm_portal", "sm_portal_pw1")
        page = self.url_open("/my/maintenance").text
        self.assertIn("SM active contract plan", page)
        self.assertNotIn("SM draft contract plan", page)

    def test_reading(self):
        self.authenticate("sm_portal", "sm_portal_pw1")
        token = self._csrf(self.url_open("/my/maintenance").text)
        url = f"/my/maintenance/{self.unit.id}/reading"
        page = self.url_open("/my/maintenance").text
        # the answer opens at the unit's card (browser review: on a phone its
        # message was 940 px below the top the page opened at)
        self.assertIn(f'id="unit_{self.unit.id}"', page)
        self.assertIn(f'action="{url}#unit_{self.unit.id}"', page)
        saved = self.url_open(url, data={"csrf_token": token, "value": "1 250,5"})
        self.assertEqual(saved.status_code, 200)
        self.assertIn("the reading is recorded", saved.text)
        self.assertEqual(
            saved.history[0].headers["Location"].rpartition("#")[2], f"unit_{self.unit.id}"
        )
        reading = self.unit.reading_ids.sorted("id")[-1]
        self.assertEqual(reading.value, 1250.5)
        self.assertEqual(reading.source, "portal")
        self.assertEqual(reading.user_id, self.portal_user)
        # lower than the last one: the unit's own refusal on the page, nothing saved
        lower = self.url_open(url, data={"csrf_token": token, "value": "900"})
        self.assertEqual(lower.status_code, 400)
        self.assertIn("is lower than its reading", lower.text)
        self.assertIn("o_sm_reading_error", lower.text)
        # the customer has no New Meter box: the service records a new meter
        self.assertIn("tell us: we will record the new meter", lower.text)
        self.assertNotIn("New Meter", lower.text)
        negative = self.url_open(url, data={"csrf_token": token, "value": "-5"})
        self.assertEqual(negative.status_code, 400)
        self.assertIn("cannot be negative", negative.text)
        not_a_number = self.url_open(url, data={"csrf_token": token, "value": "12e5"})
        self.assertEqual(not_a_number.status_code, 400)
        self.assertIn("Enter the reading as a number", not_a_number.text)
        self.assertEqual(len(self.unit.reading_ids), 2)
        # at most so many a day for a unit
        with patch.object(portal_controller, "MAX_PORTAL_READINGS_PER_DAY", 1):
            limited = self.url_open(url, data={"csrf_token": token, "value": "1300"})
        self.assertEqual(limited.status_code, 429)
        self.assertEqual(len(self.unit.reading_ids), 2)

    def test_reading_refused_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["service_maintenance"], ["ru_RU"], overwrite=True
        )
        self.portal_user.lang = "ru_RU"
        self.authenticate("sm_portal", "sm_portal_pw1")
        token = self._csrf(self.url_open("/my/maintenance").text)
        lower = self.url_open(
            f"/my/maintenance/{self.unit.id}/reading", data={"csrf_token": token, "value": "50"}
        )
        self.assertEqual(lower.status_code, 400)
        self.assertIn("ниже прежнего показания", lower.text)
        self.assertIn("сообщите нам", lower.text)
        self.assertIn("Плановое обслуживание", lower.text)

    def test_service_reports(self):
        self.authenticate("sm_portal", "sm_portal_pw1")
        page = self.url_open("/my/service-reports")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'data-visit-id="{self.my_visit.id}"', page.text)
        self.assertNotIn(f'data-visit-id="{self.their_visit.id}"', page.text)
        self.assertNotIn(f'data-visit-id="{self.planned_visit.id}"', page.text, "not done yet")
        has_report = bool(self.env.ref(portal_controller.SERVICE_REPORT, raise_if_not_found=False))
        with mute_logger("odoo.http"):
            theirs = self.url_open(f"/my/service-reports/{self.their_visit.id}/pdf")
            planned = self.url_open(f"/my/service-reports/{self.planned_visit.id}/pdf")
            missing = self.url_open("/my/service-reports/999999999/pdf")
        self.assertEqual(theirs.status_code, 404)
        self.assertEqual(planned.status_code, 404)
        self.assertEqual(missing.status_code, 404)
        mine = self.url_open(f"/my/service-reports/{self.my_visit.id}/pdf")
        if has_report:
            self.assertEqual(mine.status_code, 200)
            self.assertEqual(mine.headers["Content-Type"], "application/pdf")
            self.assertIn(f"/my/service-reports/{self.my_visit.id}/pdf", page.text)
        else:
            # service_field's signed report has not landed: no link, no page
            self.assertEqual(mine.status_code, 404)
            self.assertNotIn(f"/my/service-reports/{self.my_visit.id}/pdf", page.text)

    def test_home_counters(self):
        self.authenticate("sm_portal", "sm_portal_pw1")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["service_maintenance_count", "service_report_count"]}
        )
        self.assertEqual(counters, {"service_maintenance_count": 1, "service_report_count": 1})
