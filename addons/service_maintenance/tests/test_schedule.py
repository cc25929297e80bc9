import xmlrpc.client
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.service_base.tools import action_records

from .common import MaintenanceCase

# plans, requests, units (and their products, serials, customers), visits
# done and visits to come, meter trends
QUERIES = 11


@tagged("post_install", "-at_install", "service_suite")
class TestSchedule(MaintenanceCase):
    """The annual maintenance schedule (график ППР): one method's data for the
    screen, the printed schedule and the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Schedule = cls.env["service.maintenance.schedule"]
        # a year ahead: every date of it is still to come
        cls.year = cls.today.year + 1
        cls.done_stage = cls.env.ref("service_repair.stage_done")
        cls.cancelled_stage = cls.env.ref("service_repair.stage_cancelled")

    def _request(self, plan, due, **vals):
        return action_records(self.Request).create(
            {
                "subject": plan.name,
                "request_type": "maintenance",
                "partner_id": plan.equipment_id.partner_id.id,
                "equipment_id": plan.equipment_id.id,
                "maintenance_plan_id": plan.id,
                "maintenance_due_date": due,
                **vals,
            }
        )

    def _marks(self, schedule, unit):
        row = next(r for r in schedule["units"] if r["id"] == unit.id)
        return [(month + 1, mark) for month, marks in enumerate(row["months"]) for mark in marks]

    def test_fixed_schedule_and_its_requests(self):
        plan = self.plan(date_first=date(self.year, 1, 31), schedule_from="schedule")
        self._request(plan, date(self.year, 2, 28)).stage_id = self.done_stage
        opened = self._request(plan, date(self.year, 3, 31))
        self._request(plan, date(self.year, 4, 30)).stage_id = self.cancelled_stage
        data = self.Schedule._service_schedule_data(self.year, partner=self.customer)
        self.assertEqual(data["year"], self.year)
        self.assertEqual(len(data["months"]), 12)
        self.assertEqual(data["partner"]["id"], self.customer.id)
        marks = self._marks(data, self.unit)
        # one mark a month, on the schedule's dates from 31 January (not 28th after February)
        self.assertEqual([month for month, __ in marks], list(range(1, 13)))
        self.assertEqual(
            [mark["date"] for __, mark in marks][:5],
            [
                f"{self.year}-01-31",
                f"{self.year}-02-28",
                f"{self.year}-03-31",
                f"{self.year}-04-30",
                f"{self.year}-05-31",
            ],
        )
        states = [mark["state"] for __, mark in marks]
        self.assertEqual(states[:4], ["planned", "done", "open", "cancelled"])
        self.assertEqual(set(states[4:]), {"planned"})
        march = marks[2][1]
        self.assertEqual(march["request_id"], opened.id)
        self.assertEqual(march["request_name"], opened.name)
        self.assertEqual(march["plan_id"], plan.id)
        self.assertEqual(data["totals"]["planned"], 9)
        self.assertEqual(data["totals"]["done"], 1)
        # the other customer's units are not in this customer's schedule
        other = self._unit("SM-OTHER-1", self.boiler, self.other_customer)
        self.plan(equipment_id=other.id, date_first=date(self.year, 1, 10))
        data = self.Schedule._service_schedule_data(self.year, partner=self.customer)
        self.assertEqual([row["id"] for row in data["units"]], [self.unit.id])

    def test_overdue_and_visit_done(self):
        year = self.today.year - 1
        plan = self.plan(date_first=date(year, 1, 10), schedule_from="schedule")
        late = self._request(plan, date(year, 6, 10))
        visited = self._request(plan, date(year, 7, 10))
        self.env["service.visit"].create(
            {
                "request_id": visited.id,
                "user_id": self.tech_boilers.id,
                "date_start": f"{year}-07-10 08:00:00",
                "date_end": f"{year}-07-10 10:00:00",
                "state": "done",
                "date_departure": f"{year}-07-11 10:00:00",
            }
        )
        data = self.Schedule._service_schedule_data(year, partner=self.customer)
        marks = dict(self._marks(data, self.unit))
        self.assertEqual(marks[6]["state"], "overdue")
        self.assertEqual(marks[6]["request_id"], late.id)
        self.assertEqual(marks[7]["state"], "done", "the visit is done: the request may wait")
        self.assertEqual(marks[7]["done_date"], f"{year}-07-11")
        self.assertEqual(marks[1]["state"], "missed", "due, past, never requested")
        # a second visit to come: the work goes on (browser review: the
        # portal said "Done" on a request in progress)
        self.env["service.visit"].create(
            {
                "request_id": visited.id,
                "user_id": self.tech_boilers.id,
                "date_start": fields.Datetime.now() + timedelta(days=1),
                "date_end": fields.Datetime.now() + timedelta(days=1, hours=2),
            }
        )
        data = self.Schedule._service_schedule_data(year, partner=self.customer)
        self.assertEqual(dict(self._marks(data, self.unit))[7]["state"], "open")

    def test_done_based_and_meter_plans(self):
        weekly = self.plan(
            interval_type="week", interval=2, date_first=date(self.year, 1, 4), schedule_from="done"
        )
        marks = self._marks(self.Schedule._service_schedule_data(self.year), self.unit)
        dates = [mark["date"] for __, mark in marks if mark["plan_id"] == weekly.id]
        self.assertEqual(dates[0], f"{self.year}-01-04")
        self.assertEqual(len(dates), 26)
        weekly.active = False
        # a meter plan: the days its trend of 10 a day reaches every 1000
        for value, days_ago in ((1000, 40), (1200, 20), (1390, 1)):
            self.reading(self.aircon_unit, value, days_ago)
        meter = self.plan(
            equipment_id=self.aircon_unit.id,
            interval_type="meter",
            meter_interval=1000,
            meter_start=1000,
        )
        self.assertTrue(meter.next_date)
        year = meter.next_date.year
        data = self.Schedule._service_schedule_data(year, partner=self.customer)
        marks = [mark for __, mark in self._marks(data, self.aircon_unit)]
        self.assertTrue(marks)
        self.assertEqual(marks[0]["date"], str(meter.next_date))
        self.assertTrue(all(mark["projected"] and mark["state"] == "planned" for mark in marks))
        days = [date.fromisoformat(mark["date"]) for mark in marks]
        for before, after in zip(days, days[1:], strict=False):
            self.assertAlmostEqual((after - before).days, 100, delta=1)

    def test_contract_schedule(self):
        on_contract = self.plan(
            contract_id=self.contract.id,
            contract_line_id=self.line_boiler.id,
            date_first=self.contract.date_start,
        )
        self.plan(name="SM off contract", equipment_id=self.aircon_unit.id)
        data = self.Schedule._service_schedule_data(self.today.year, contract=self.contract)
        self.assertEqual(data["contract"]["id"], self.contract.id)
        rows = {row["id"]: row for row in data["units"]}
        # the contract's units, the aircon without a plan on it
        self.assertEqual(set(rows), {self.unit.id, self.aircon_unit.id})
        self.assertFalse(any(rows[self.aircon_unit.id]["months"]))
        plan_ids = {mark["plan_id"] for months in rows[self.unit.id]["months"] for mark in months}
        self.assertEqual(plan_ids, {on_contract.id})
        # nothing planned after the contract ends
        end = self.contract.date_end
        dates = [m["date"] for months in rows[self.unit.id]["months"] for m in months]
        self.assertTrue(all(day <= str(end) for day in dates))

    def test_bounded_queries(self):
        """The same number of queries for 1 unit and for 20."""
        first = self._unit("SM-Q-000", self.boiler, self.customer)
        self._request(
            self.plan(equipment_id=first.id, date_first=date(self.year, 1, 5)),
            date(self.year, 1, 5),
        )
        one = self._count_queries()
        self.assertEqual(
            len(self.Schedule._service_schedule_data(self.year, partner=self.customer)["units"]), 1
        )
        units = self.env["service.equipment"].union(
            *(self._unit(f"SM-Q-{i:03d}", self.boiler, self.customer) for i in range(1, 20))
        )
        plans = self.Plan.create(
            [
                {
                    "name": f"SM q {unit.id}",
                    "equipment_id": unit.id,
                    "date_first": date(self.year, 1, 5),
                    "interval": 1,
                }
                for unit in units
            ]
        )
        for plan in plans[:10]:
            self._request(plan, date(self.year, 1, 5))
        twenty = self._count_queries()
        self.assertEqual(
            len(self.Schedule._service_schedule_data(self.year, partner=self.customer)["units"]), 20
        )
        self.assertEqual(one, twenty)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES):
            self.Schedule._service_schedule_data(self.year, partner=self.customer)

    def _count_queries(self):
        # warm: the caches of the first call (refs, languages) are not the schedule's
        self.Schedule._service_schedule_data(self.year, partner=self.customer)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.Schedule._service_schedule_data(self.year, partner=self.customer)
        return self.cr.sql_log_count - before

    def test_rpc_entry(self):
        self.plan(date_first=date(self.year, 1, 5))
        user = new_test_user(
            self.env, login="sm_sched_user", groups="service_base.group_service_user"
        )
        answer = self.Schedule.with_user(user).get_schedule(self.year, self.customer.id)
        self.assertEqual(answer["units"][0]["id"], self.unit.id)
        self.assertIs(answer["contract"], False)
        # what XML-RPC sends back (no None, no recordset)
        xmlrpc.client.dumps((answer,), allow_none=False)
        everyone = self.Schedule.with_user(user).get_schedule(self.year)
        self.assertIs(everyone["partner"], False)
        xmlrpc.client.dumps((everyone,), allow_none=False)
        self.assertNotIn(
            None, [v for mark in answer["units"][0]["months"][0] for v in mark.values()]
        )
        with self.assertRaisesRegex(UserError, "Year must be between"):
            self.Schedule.with_user(user).get_schedule(99999)
        with self.assertRaisesRegex(UserError, "not a record id"):
            self.Schedule.with_user(user).get_schedule(self.year, "x")
        portal = new_test_user(self.env, login="sm_sched_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.Schedule.with_user(portal).get_schedule(self.year)

    def test_another_customers_contract_is_refused(self):
        self.plan(date_first=date(self.year, 1, 5))
        other = self.env["service.contract"].create(
            {"partner_id": self.other_customer.id, "date_start": self.contract.date_start}
        )
        Schedule = self.Schedule.with_user(self.tech_boilers)
        with self.assertRaisesRegex(UserError, "is not a contract of customer"):
            Schedule.get_schedule(self.year, self.other_customer.id, self.contract.id)
        with self.assertRaisesRegex(UserError, "is not a contract of customer"):
            Schedule.get_schedule(self.year, self.customer.id, other.id)
        # a contact of the customer stands for its company
        contact = self.env["res.partner"].create(
            {"name": "SM contact", "parent_id": self.customer.id}
        )
        answer = Schedule.get_schedule(self.year, contact.id, self.contract.id)
        self.assertEqual(answer["contract"]["id"], self.contract.id)
        # the printed customer's schedule with another customer's contract
        with self.assertRaisesRegex(UserError, "is not a contract of customer"):
            self.env["ir.actions.report"]._render_qweb_html(
                "service_maintenance.action_report_maintenance_schedule_partner",
                self.other_customer.ids,
                data={"year": self.year, "contract_id": self.contract.id},
            )

    def test_screen_keeps_the_chosen_customer(self):
        other = self.env["service.contract"].create(
            {"partner_id": self.other_customer.id, "date_start": self.contract.date_start}
        )
        form = Form(self.env["service.maintenance.schedule.wizard"].with_user(self.manager))
        form.partner_id = self.customer
        form.contract_id = self.contract
        self.assertEqual(form.partner_id, self.customer)
        self.assertIn(self.unit.name, str(form.schedule_html))
        # another customer: the previous customer's contract goes
        form.partner_id = self.other_customer
        self.assertFalse(form.contract_id)
        form.contract_id = other
        self.assertEqual(form.partner_id, self.other_customer)
        wizard = form.save()
        # over RPC a mismatch is refused at print, and the screen shows the customer's
        wizard.write({"contract_id": self.contract.id})
        self.assertNotIn(self.unit.name, str(wizard.schedule_html), "not the contract's units")
        with self.assertRaisesRegex(UserError, "is not a contract of customer"):
            wizard.action_print()

    def test_printed_schedule(self):
        plan = self.plan(date_first=date(self.year, 1, 31), schedule_from="schedule")
        request = self._request(plan, date(self.year, 3, 31))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "service_maintenance.action_report_maintenance_schedule_partner",
                self.customer.ids,
                data={"year": self.year},
            )[0]
            .decode()
        )
        self.assertIn(f"Maintenance Schedule for {self.year}", html)
        self.assertIn(self.customer.name, html)
        self.assertIn(self.unit.display_name, html)
        self.assertIn(request.name, html)
        self.assertIn("Requested", html, "the legend")
        self.assertNotIn("/odoo/service.request", html, "no links on paper")
        # the signatures: agreed by the service company, approved by the customer
        self.assertIn("AGREED", html)
        self.assertIn("APPROVED", html)
        self.assertIn(self.env.company.name, html)
        report = self.env.ref("service_maintenance.action_report_maintenance_schedule_partner")
        self.assertEqual(report.paperformat_id.orientation, "Landscape")
        # in the customer's language
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["service_maintenance"], ["ru_RU"], overwrite=True
        )
        self.customer.lang = "ru_RU"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "service_maintenance.action_report_maintenance_schedule_contract",
                self.contract.ids,
                data={"year": self.year},
            )[0]
            .decode()
        )
        self.assertIn(f"График ППР на {self.year}", html)
        self.assertIn("янв.", html)
        self.assertIn("Заявка создана", html)
        self.assertIn(self.contract.name, html)
        self.assertIn("УТВЕРЖДАЮ", html)
        self.assertIn("СОГЛАСОВАНО", html)

    def test_printed_schedule_bad_data(self):
        """The report's data comes from the client: junk is a clear refusal
        (it was a server error, HTTP 500)."""
        report = "service_maintenance.action_report_maintenance_schedule_partner"
        render = self.env["ir.actions.report"]._render_qweb_html
        for data, message in (
            ({"unit_ids": "abc"}, "Units: expected a list of record ids"),
            ({"unit_ids": ["x"]}, "Units: 'x' is not a record id"),
            ({"unit_ids": [999999999]}, "Units: record 999999999 does not exist"),
            ({"contract_id": "x"}, "Contract: 'x' is not a record id"),
            ({"contract_id": 999999999}, "Contract: record 999999999 does not exist"),
            ({"doc_ids": "abc"}, "Printed records: expected a list of record ids"),
        ):
            with self.subTest(data=data), self.assertRaisesRegex(UserError, message):
                render(report, [] if "doc_ids" in data else self.customer.ids, data=data)
        html = render(report, [], data={"doc_ids": [str(self.customer.id)]})[0].decode()
        self.assertIn(self.customer.name, html, "ids as strings of digits are ids")

    def test_screen(self):
        plan = self.plan(date_first=date(self.year, 1, 31), schedule_from="schedule")
        request = self._request(plan, date(self.year, 3, 31))
        manager = self.manager
        form = Form(self.env["service.maintenance.schedule.wizard"].with_user(manager))
        form.year = self.year
        form.contract_id = self.contract
        self.assertEqual(form.partner_id, self.customer)
        self.assertIn(f'href="/odoo/service.request/{request.id}"', str(form.schedule_html))
        wizard = form.save()
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["service_maintenance"], ["ru_RU"], overwrite=True
        )
        self.assertEqual(
            wizard.with_context(lang="ru_RU").display_name, f"График ППР на {wizard.year} год"
        )
        action = wizard.action_print()
        self.assertEqual(
            action["report_name"], "service_maintenance.report_maintenance_schedule_contract"
        )
        self.assertEqual(action["data"]["year"], self.year)

        def printed(action):
            """What the web client prints: a report with data has no ids in
            its URL, only the data (the year, the ids) and the context."""
            return (
                self.env["ir.actions.report"]
                .with_user(manager)
                .with_context(**action["context"])
                ._render_qweb_html(action["report_name"], None, data=action["data"])[0]
                .decode()
            )

        html = printed(action)
        self.assertIn(self.contract.name, html)
        self.assertIn(self.unit.display_name, html)
        self.assertIn(request.name, html)
        wizard.contract_id = False
        html = printed(wizard.action_print())
        self.assertIn(self.customer.name, html)
        self.assertIn(self.unit.display_name, html)
        wizard.partner_id = False
        with self.assertRaisesRegex(UserError, "Choose a customer or a contract"):
            wizard.action_print()
