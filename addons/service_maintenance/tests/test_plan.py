from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import MaintenanceCase


@tagged("post_install", "-at_install", "service_suite")
class TestPlanSchedule(MaintenanceCase):
    """The next due date: by the calendar, by the meter, from the due date or the date done."""

    def close(self, requests):
        requests.write({"stage_id": self.env.ref("service_repair.stage_done").id})

    def test_fixed_monthly_schedule(self):
        plan = self.plan()
        self.assertEqual(plan.next_date, self.today + timedelta(days=2))
        ids = plan.service_generate()
        request = self.env["service.request"].browse(ids)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.maintenance_due_date, self.today + timedelta(days=2))
        self.assertEqual(request.request_type, "maintenance")
        self.assertEqual(request.channel, "plan")
        self.assertEqual(request.contract_id, self.contract, "the contract covering the unit")
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.equipment_id, self.unit)
        self.assertEqual(plan.next_date, self.today + timedelta(days=2) + relativedelta(months=1))
        # a fixed schedule: closing the request late does not move it
        self.close(request)
        self.assertEqual(plan.next_date, self.today + timedelta(days=2) + relativedelta(months=1))

    def test_weekly_schedule_fills_the_horizon(self):
        plan = self.plan(interval_type="week", interval=1, horizon_days=30)
        requests = self.env["service.request"].browse(plan.service_generate())
        first = self.today + timedelta(days=2)
        self.assertEqual(
            sorted(requests.mapped("maintenance_due_date")),
            [first + timedelta(weeks=week) for week in range(5)],
        )
        self.assertEqual(plan.next_date, first + timedelta(weeks=5))
        self.assertEqual(plan.service_generate(), [], "nothing twice")

    def test_month_ends_do_not_drift(self):
        plan = self.plan(date_first=self.today.replace(day=1) - relativedelta(months=12, days=1))
        # the last day of a month, counted from the first due date each time
        due = plan._service_due_after(plan.date_first)
        self.assertEqual(due, plan.date_first + relativedelta(months=1))
        self.assertEqual(
            plan._service_due_after(plan.date_first + relativedelta(months=2)),
            plan.date_first + relativedelta(months=3),
        )

    def test_overdue_dates_give_one_request(self):
        first = self.today - relativedelta(months=3)
        plan = self.plan(date_first=first, contract_id=False)
        requests = self.env["service.request"].browse(plan.service_generate())
        schedule = [first + relativedelta(months=k) for k in range(6)]
        past = [day for day in schedule if day < self.today]
        coming = [day for day in schedule if self.today <= day <= self.today + timedelta(days=14)]
        # the past due dates collapse into the last one (overdue work)
        self.assertEqual(len(past), 3)
        self.assertEqual(sorted(requests.mapped("maintenance_due_date")), past[-1:] + coming)

    def test_counted_from_the_date_done(self):
        plan = self.plan(schedule_from="done", interval=2, horizon_days=90)
        requests = self.env["service.request"].browse(plan.service_generate())
        self.assertEqual(len(requests), 1, "one at a time when counted from the date done")
        self.assertEqual(plan.service_generate(), [], "not while it is open")
        self.close(requests)
        self.assertEqual(plan.next_date, self.today + relativedelta(months=2))
        second = self.env["service.request"].browse(plan.service_generate())
        self.assertEqual(second.maintenance_due_date, self.today + relativedelta(months=2))

    def test_company_default_of_schedule_from(self):
        self.company.service_maintenance_schedule_from = "done"
        self.assertEqual(self.plan().schedule_from, "done")
        self.company.service_maintenance_schedule_from = "schedule"
        self.assertEqual(self.plan().schedule_from, "schedule")

    def test_meter_plan(self):
        # 10 a day: 100 twenty days ago, 300 yesterday-ish (days 20 and 0)
        self.reading(self.unit, 100, 20)
        self.reading(self.unit, 300, 0)
        plan = self.plan(
            interval_type="meter", meter_interval=250, meter_start=100, schedule_from="done"
        )
        self.assertEqual(plan.next_meter_value, 350)
        self.assertEqual(plan.next_date, self.today + timedelta(days=5))
        request = self.env["service.request"].browse(plan.service_generate())
        self.assertEqual(request.maintenance_meter_value, 350)
        self.assertEqual(request.maintenance_due_date, self.today + timedelta(days=5))
        self.assertEqual(plan.service_generate(), [])
        # done at 380 (read on the visit): the next at 630
        self.reading(self.unit, 380, 0)
        self.close(request)
        self.assertEqual(request.maintenance_meter_done, 380)
        self.assertEqual(plan.next_meter_value, 630)

    def test_meter_plan_on_schedule_and_no_trend(self):
        plan = self.plan(interval_type="meter", meter_interval=100, meter_start=0)
        self.assertFalse(plan.next_date, "no readings, no date")
        self.assertEqual(plan.service_generate(), [])
        self.reading(self.unit, 0, 10)
        self.reading(self.unit, 50, 0)
        self.assertEqual(plan.next_date, self.today + timedelta(days=10))
        self.assertEqual(plan.service_generate(horizon_days=10), plan.request_ids.ids)
        self.reading(self.unit, 180, 0)
        self.close(plan.request_ids)
        # on schedule: from the previous threshold, whatever the meter when done
        self.assertEqual(plan.next_meter_value, 200)

    def test_contract_dates_and_state(self):
        plan = self.plan(
            contract_id=self.contract.id,
            contract_line_id=self.line_boiler.id,
            interval_type="week",
            horizon_days=366,
        )
        requests = self.env["service.request"].browse(plan.service_generate())
        self.assertTrue(requests)
        self.assertEqual(set(requests.mapped("contract_id")), {self.contract})
        self.assertLessEqual(max(requests.mapped("maintenance_due_date")), self.contract.date_end)
        # no work for a contract not in force
        other = self.plan(contract_id=self.contract.id, equipment_id=self.aircon_unit.id)
        self.contract.with_user(self.manager).action_cancel()
        self.assertEqual(other.service_generate(), [])

    def test_button_says_why_nothing_was_created(self):
        meter = self.plan(interval_type="meter", meter_interval=500)
        manager = self.manager
        answer = meter.with_user(manager).action_generate()["params"]["message"]
        self.assertIn("is not computed yet", answer)
        # helper-74: a draft contract was told "every due date has its request"
        draft = self.env["service.contract"].create(
            {"partner_id": self.customer.id, "date_start": self.contract.date_start}
        )
        idle = self.plan(name="SM idle", contract_id=draft.id)
        answer = idle.with_user(manager).action_generate()["params"]["message"]
        self.assertIn(f"the contract {draft.name} of plan “SM idle” is not active (Draft)", answer)
        later = self.plan(name="SM later", date_first=self.today + timedelta(days=40))
        answer = later.with_user(manager).action_generate()["params"]["message"]
        self.assertIn("lies beyond its horizon of 14 days", answer)
        ending = self.plan(
            name="SM ending",
            contract_id=self.contract.id,
            date_first=self.contract.date_end + timedelta(days=1),
            horizon_days=366,
        )
        answer = ending.with_user(manager).action_generate()["params"]["message"]
        self.assertIn("is after the end of its contract", answer)
        plan = self.plan(equipment_id=self.aircon_unit.id)
        answer = plan.with_user(manager).action_generate()["params"]["message"]
        self.assertEqual(answer, "Maintenance requests created: 1.")
        answer = plan.with_user(manager).action_generate()["params"]["message"]
        self.assertIn("lies beyond its horizon", answer, "the next month's")
        self.reading(self.aircon_unit, 100, 10)
        self.reading(self.aircon_unit, 600, 1)
        once = self.plan(
            name="SM once",
            equipment_id=self.aircon_unit.id,
            interval_type="meter",
            meter_interval=500,
        )
        self.assertTrue(once.with_user(manager).service_generate(), "one at a time")
        answer = once.with_user(manager).action_generate()["params"]["message"]
        self.assertIn("every due date within the plans' horizon has its request", answer)

    def test_manager_only_and_horizon_bounded(self):
        plan = self.plan()
        with self.assertRaisesRegex(UserError, "Only a service manager"):
            plan.with_user(self.tech_boilers).service_generate()
        with self.assertRaisesRegex(UserError, "between 1 and 366"):
            plan.with_user(self.manager).service_generate(horizon_days=3650)
        with self.assertRaisesRegex(UserError, "whole number"):
            plan.with_user(self.manager).service_generate(horizon_days=2.5)
        self.assertFalse(plan.request_ids)
        ids = plan.with_user(self.manager).service_generate(horizon_days=3)
        self.assertIsInstance(ids, list)
        self.assertEqual(len(ids), 1)
        # the requests of several plans at once (it was "Expected singleton" over RPC)
        other = self.plan(equipment_id=self.aircon_unit.id)
        other_ids = other.with_user(self.manager).service_generate(horizon_days=3)
        action = (plan | other).with_user(self.manager).action_view_requests()
        found = (
            self.env["service.request"].with_context(**action["context"]).search(action["domain"])
        )
        self.assertEqual(sorted(found.ids), sorted(ids + other_ids))


@tagged("post_install", "-at_install", "service_suite")
class TestPlanBadInput(MaintenanceCase):
    """Each bad plan is refused with a clear message, and nothing is written."""

    def assertRefused(self, pattern, **vals):
        count = self.Plan.search_count([])
        with self.assertRaisesRegex(ValidationError, pattern), self.env.cr.savepoint():
            self.plan(**vals)
        self.assertEqual(self.Plan.search_count([]), count)

    def test_intervals(self):
        self.assertRefused("interval must be a whole number", interval=0)
        self.assertRefused("interval must be a whole number", interval=-2, interval_type="week")
        self.assertRefused(
            "meter interval must be above zero", interval_type="meter", meter_interval=0
        )
        self.assertRefused(
            "meter interval must be above zero", interval_type="meter", meter_interval=-5
        )

    def test_interval_bounds(self):
        # ten years at most: a longer interval leaves the calendar in the run
        self.assertRefused("120 months", interval=121)
        self.assertRefused("520 weeks", interval=600000, interval_type="week")
        self.assertRefused("at most 1", interval_type="meter", meter_interval=1e300)
        self.assertRefused("at most 1", interval_type="meter", meter_interval=100, meter_start=1e13)
        self.assertEqual(self.plan(interval=120).interval, 120)
        self.assertEqual(self.plan(interval=520, interval_type="week").interval, 520)
        plan = self.plan()
        with self.assertRaisesRegex(ValidationError, "120 months"), self.env.cr.savepoint():
            plan.write({"interval": 1000000000})
        plan.invalidate_recordset()
        self.assertEqual(plan.interval, 1)

    def test_dates_past_the_calendar_end_the_series(self):
        # a plan from before the bounds (in the database already): its
        # series ends at year 9999, the schedule and the runs go on
        self.Plan.search([]).active = False
        plan = self.plan()
        other = self.plan(equipment_id=self.aircon_unit.id)
        self.env.cr.execute(
            "UPDATE service_maintenance_plan SET interval = 1000000000 WHERE id = %s", [plan.id]
        )
        plan.invalidate_recordset()
        self.assertFalse(plan._service_add_step(self.today))
        self.assertFalse(plan._service_due_after(plan.date_first))
        week = self.plan(interval_type="week", interval=520)
        self.env.cr.execute(
            "UPDATE service_maintenance_plan SET interval = 600000 WHERE id = %s", [week.id]
        )
        week.invalidate_recordset()
        self.assertFalse(week._service_due_after(week.date_first))
        schedule = self.env["service.maintenance.schedule"].get_schedule(self.today.year)
        self.assertTrue(schedule["units"])
        created = self.env["service.request"].browse(self.Plan.service_generate())
        self.assertEqual(created.maintenance_plan_id, plan | other | week)
        self.assertEqual(len(plan.request_ids), 1, "its first due date only")
        self.assertEqual(len(week.request_ids), 1)
        self.assertEqual(self.Plan.service_generate(), [])
        self.assertFalse(plan.next_date, "no next date past year 9999")

    def test_date_first_not_a_date(self):
        for value in ("2026-02-30", "abc"):
            with self.subTest(value=value), self.assertRaisesRegex(UserError, "is not a date"):
                self.plan(date_first=value)
        plan = self.plan()
        with self.assertRaisesRegex(UserError, "is not a date"):
            plan.write({"date_first": "2026-02-30"})

    def test_date_first_years_and_selections(self):
        # year 1 failed the next dates' computation (a bug to an RPC
        # client), year 100 gave due dates in the first century
        for value in ("0001-01-01", "0100-01-01", "1999-12-31", "3000-01-01"):
            with self.subTest(value=value):
                self.assertRefused("between the years 2000 and 2999", date_first=value)
        plan = self.plan()
        with self.assertRaisesRegex(ValidationError, "between the years"):
            plan.write({"date_first": "0001-01-01"})
        # the constraint holds for whatever path gives the date (a form's date object)
        with self.assertRaisesRegex(ValidationError, "between the years"):
            plan.write({"date_first": date(1000, 1, 1)})
        self.assertEqual(plan.date_first, self.today + timedelta(days=2))
        for field, value in (("interval_type", "bogus"), ("schedule_from", "never")):
            with self.subTest(field=field), self.assertRaisesRegex(UserError, "is not one of"):
                plan.write({field: value})
        self.assertEqual(plan.interval_type, "month")
        self.env["res.lang"]._activate_lang("ru_RU")
        with self.assertRaisesRegex(UserError, "не из"):
            plan.with_context(lang="ru_RU").write({"interval_type": "bogus"})

    def test_customer_and_company_are_the_units(self):
        plan = self.plan()
        self.assertTrue(plan._fields["partner_id"].readonly)
        self.assertTrue(plan._fields["company_id"].readonly)
        self.assertIn("company_id", plan._service_guarded_fields())
        with self.assertRaisesRegex(UserError, "can only be set"):
            plan.with_user(self.manager).write({"partner_id": self.other_customer.id})
        with self.assertRaisesRegex(UserError, "can only be set"):
            self.Plan.with_user(self.manager).create(
                {"name": "x", "equipment_id": self.unit.id, "partner_id": self.other_customer.id}
            )
        self.unit.invalidate_recordset()
        self.assertEqual(self.unit.partner_id, self.customer)
        self.assertEqual(plan.partner_id, self.customer)
        # the same value is no change
        plan.with_user(self.manager).write({"partner_id": self.customer.id, "name": "SM same"})
        self.assertEqual(plan.name, "SM same")

    def test_a_plans_request_is_cancelled_not_deleted(self):
        plan = self.plan()
        request = self.env["service.request"].browse(plan.service_generate())
        self.assertTrue(request)
        for call in (
            lambda: request.with_user(self.manager).unlink(),
            lambda: plan.with_user(self.manager).write({"request_ids": [(2, request.id)]}),
        ):
            with self.assertRaisesRegex(UserError, "Cancel it instead"), self.env.cr.savepoint():
                call()
        self.assertTrue(request.exists())
        other = self.env["service.request"].create(
            {"subject": "SM by hand", "partner_id": self.customer.id}
        )
        other.with_user(self.manager).unlink()
        self.assertFalse(other.exists())

    def test_negative_start_and_a_batch_with_one_bad_plan(self):
        self.assertRefused(
            "meter reading cannot be negative",
            interval_type="meter",
            meter_interval=100,
            meter_start=-1,
        )
        count = self.Plan.search_count([])
        with self.assertRaisesRegex(ValidationError, "interval must be"), self.env.cr.savepoint():
            self.Plan.create(
                [
                    {"name": "SM good", "equipment_id": self.unit.id},
                    {"name": "SM bad", "equipment_id": self.unit.id, "interval": 0},
                ]
            )
        self.assertEqual(self.Plan.search_count([]), count, "neither plan written")

    def test_duration_and_horizon(self):
        self.assertRefused("duration must be above zero and at most 24 hours", duration_hours=0)
        self.assertRefused("duration must be above zero and at most 24 hours", duration_hours=25)
        self.assertRefused(r"1–366 days ahead \(3650 entered\)", horizon_days=3650)
        self.assertRefused("1–366 days ahead", horizon_days=0)

    def test_contract_line(self):
        self.assertRefused(
            "covers no unit", contract_id=self.contract.id, contract_line_id=self.line_hotline.id
        )
        self.assertRefused(
            "covers SR Aircon", contract_id=self.contract.id, contract_line_id=self.line_aircon.id
        )
        other = self.contract.copy()
        self.assertRefused(
            "belongs to contract", contract_id=other.id, contract_line_id=self.line_boiler.id
        )
        self.assertRefused("belongs to contract", contract_line_id=self.line_boiler.id)
        stranger = self._unit("SM-OTHER-1", self.boiler, self.other_customer)
        self.assertRefused(
            "not the contract of the unit's owner",
            contract_id=self.contract.id,
            equipment_id=stranger.id,
        )

    def test_write_refused_too(self):
        plan = self.plan()
        with self.assertRaisesRegex(ValidationError, "interval must be"), self.env.cr.savepoint():
            plan.write({"interval": 0})
        plan.invalidate_recordset()
        self.assertEqual(plan.interval, 1)

    def test_guarded_fields(self):
        plan = self.plan()
        for vals in ({"next_date": self.today}, {"next_meter_value": 5}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "can only be set"):
                plan.with_user(self.manager).write(vals)
            with self.assertRaisesRegex(UserError, "can only be set"):
                self.Plan.with_user(self.manager).create(
                    {"name": "x", "equipment_id": self.unit.id, **vals}
                )
        request = self.env["service.request"].browse(plan.service_generate())
        for vals in (
            {"maintenance_due_date": self.today},
            {"maintenance_plan_id": False},
            {"maintenance_meter_value": 1},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "can only be set"):
                request.with_user(self.manager).write(vals)
        with self.assertRaisesRegex(UserError, "can only be set"):
            self.env["service.request"].with_user(self.manager).create(
                {
                    "subject": "fake",
                    "partner_id": self.customer.id,
                    "maintenance_plan_id": plan.id,
                    "maintenance_due_date": self.today,
                }
            )

    def test_technician_reads_plans_only(self):
        plan = self.plan()
        self.assertTrue(plan.with_user(self.tech_boilers).read(["next_date"]))
        with self.assertRaises(UserError):
            plan.with_user(self.tech_boilers).write({"name": "mine"})
        with self.assertRaises(UserError):
            self.Plan.with_user(self.tech_boilers).create(
                {"name": "mine", "equipment_id": self.unit.id}
            )

    def test_another_unit_drops_a_contract_that_does_not_fit(self):
        # browser review: the contract stayed, the save refused it
        other = self._unit("SM-NOT-COVERED", self.boiler, self.customer)
        form = Form(self.Plan.with_user(self.manager))
        form.name = "SM unit change"
        form.equipment_id = self.aircon_unit
        form.contract_id = self.contract
        form.contract_line_id = self.line_aircon
        form.equipment_id = self.unit
        self.assertEqual(form.contract_id, self.contract, "it covers this unit too")
        self.assertFalse(form.contract_line_id, "the line is the other unit's")
        form.equipment_id = other
        self.assertFalse(form.contract_id)
        form.save()

    def test_form_on_contract_line(self):
        form = Form(self.Plan.with_user(self.manager))
        form.name = "SM form plan"
        form.contract_id = self.contract
        form.contract_line_id = self.line_aircon
        self.assertEqual(form.equipment_id, self.aircon_unit, "the line's unit")
        plan = form.save()
        self.assertEqual(plan.partner_id, self.customer)

    def test_meter_plan_counts_from_readings_in_its_words(self):
        # browser review: a meter plan's options spoke of dates
        form = Form(self.Plan.with_user(self.manager))
        form.name = "SM meter form plan"
        form.equipment_id = self.unit
        form.interval_type = "meter"
        form.meter_interval = 500
        form.meter_schedule_from = "done"
        plan = form.save()
        self.assertEqual(plan.schedule_from, "done")
        plan.schedule_from = "schedule"
        self.assertEqual(plan.meter_schedule_from, "schedule")
        self.env["res.lang"]._activate_lang("ru_RU")
        labels = dict(
            self.Plan.with_context(lang="ru_RU").fields_get(["meter_schedule_from"])[
                "meter_schedule_from"
            ]["selection"]
        )
        self.assertNotIn("дат", labels["done"] + labels["schedule"])

    def _client_domain(self, field, record_values):
        """The domain the web client applies to ``field``'s dropdown, for a
        form holding ``record_values`` (as the client evaluates it)."""
        domain = self.Plan.with_user(self.manager).fields_get([field])[field].get("domain") or []
        if isinstance(domain, str):
            domain = safe_eval(domain, dict(record_values))
        return domain

    def test_new_plan_offers_the_units(self):
        """A new plan has no company yet (its unit's): the unit dropdown is
        not limited to units without a company (browser review: it was empty)."""
        domain = self._client_domain("equipment_id", {"company_id": False, "id": False})
        units = self.env["service.equipment"].with_user(self.manager).search(domain)
        self.assertIn(self.unit, units)
        plan = self.Plan.with_user(self.manager).create(
            {"name": "SM new plan", "equipment_id": self.unit.id}
        )
        self.assertEqual(plan.company_id, self.unit.company_id, "the plan's company is its unit's")

    def test_contract_dropdown_offers_the_contracts_of_the_unit(self):
        """The contract dropdown offers what the save accepts (browser review:
        the customer's contracts covering other units, refused on save; none
        for a unit of the customer's contact)."""
        Contract = self.env["service.contract"]
        start = self.contract.date_start
        contact = self.env["res.partner"].create(
            {"name": "SM contact", "parent_id": self.customer.id}
        )
        contact_unit = self._unit("SM-CONTACT-1", self.boiler, contact)
        any_unit = Contract.create(
            {
                "partner_id": self.customer.id,
                "date_start": start,
                "line_ids": [Command.create({"product_id": self.hotline.id})],
            }
        )
        other_units = Contract.create(
            {
                "partner_id": self.customer.id,
                "date_start": start,
                "line_ids": [Command.create({"equipment_id": self.aircon_unit.id, "name": "x"})],
            }
        )
        foreign = Contract.create({"partner_id": self.other_customer.id, "date_start": start})

        def offered(unit):
            values = {
                "equipment_id": unit.id,
                "partner_id": unit.partner_id.id,
                "company_id": unit.company_id.id,
            }
            return Contract.with_user(self.manager).search(
                self._client_domain("contract_id", values)
            )

        for unit, expected in (
            (self.unit, self.contract | any_unit),
            (self.aircon_unit, self.contract | any_unit | other_units),
            (contact_unit, any_unit),
        ):
            with self.subTest(unit=unit.display_name):
                found = offered(unit) & (self.contract | any_unit | other_units | foreign)
                self.assertEqual(found, expected)
                for contract in found:
                    with self.env.cr.savepoint():
                        self.plan(equipment_id=unit.id, contract_id=contract.id)
        with self.assertRaisesRegex(ValidationError, "does not cover"):
            self.plan(equipment_id=self.unit.id, contract_id=other_units.id)
        # no unit yet: any contract
        self.assertIn(
            foreign,
            Contract.search(
                self._client_domain(
                    "contract_id",
                    {
                        "equipment_id": False,
                        "partner_id": False,
                        "company_id": foreign.company_id.id,
                    },
                )
            ),
        )

    def test_line_dropdown_offers_the_units_lines(self):
        """The contract line dropdown offers the contract's lines of the plan's
        unit (browser review: every line, unit-less ones too, refused on save)."""
        values = {
            "contract_id": self.contract.id,
            "equipment_id": self.aircon_unit.id,
            "company_id": self.aircon_unit.company_id.id,
        }
        lines = self.env["service.contract.line"].search(
            self._client_domain("contract_line_id", values)
        )
        self.assertEqual(lines, self.line_aircon)
        values["equipment_id"] = False
        lines = self.env["service.contract.line"].search(
            self._client_domain("contract_line_id", values)
        )
        self.assertTrue(lines)
        self.assertTrue(all(lines.mapped("equipment_id")), "no line without a unit")
        self.assertEqual(lines.contract_id, self.contract)
