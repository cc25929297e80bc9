from datetime import datetime, time, timedelta
from unittest.mock import patch

import psycopg2.errors
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MaintenanceCase


@tagged("post_install", "-at_install", "service_suite")
class TestGenerate(MaintenanceCase):
    """The daily run: requests and proposed visits, once, in a fixed number of queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one technician, no limit of open requests: the dispatch's choice is known
        cls.rule.active = False
        cls.solo = cls.env["service.team"].create(
            {"name": "SM solo", "member_ids": [(6, 0, cls.tech_boilers.ids)]}
        )
        cls.tech_boilers.service_capacity = 0
        cls.Request = cls.env["service.request"]

    def units(self, count, prefix):
        return self.env["service.equipment"].union(
            *(
                self._unit(f"{prefix}-{index:03d}", self.boiler, self.customer)
                for index in range(count)
            )
        )

    def plans(self, units, spread=13, **vals):
        return self.Plan.create(
            [
                {
                    "name": f"SM plan {unit.id}",
                    "equipment_id": unit.id,
                    "team_id": self.solo.id,
                    "interval_type": "month",
                    "interval": 1,
                    # one due date a day: each its own visit
                    "date_first": self.today + timedelta(days=1 + index % spread),
                    "duration_hours": 2,
                    **vals,
                }
                for index, unit in enumerate(units)
            ]
        )

    def test_request_and_visit(self):
        plan = self.plans(self.unit)
        request = self.Request.browse(plan.service_generate())
        due = self.today + timedelta(days=1)
        self.assertEqual(request.user_id, self.tech_boilers, "given by the dispatch")
        self.assertEqual(request.team_id, self.solo)
        self.assertEqual(request.stage_id, self.env.ref("service_repair.stage_assigned"))
        visit = request.visit_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.state, "planned")
        self.assertEqual(visit.user_id, self.tech_boilers)
        # the first working hour of the due day, for the plan's duration
        self.assertEqual(visit.date_start, datetime.combine(due, time(8, 0)))
        self.assertEqual(visit.date_end, datetime.combine(due, time(10, 0)))
        self.assertEqual(request.date_scheduled, visit.date_start)

    def test_busy_technician_gets_no_visit(self):
        due = self.today + timedelta(days=1)
        other = self.Request.create({"subject": "SM busy", "partner_id": self.customer.id})
        self.env["service.visit"].create(
            [
                {
                    "request_id": other.id,
                    "user_id": self.tech_boilers.id,
                    "date_start": datetime.combine(due, time(hour, 0)),
                    "date_end": datetime.combine(due, time(hour + 4, 0)),
                }
                for hour in (8, 13)
            ]
        )
        # an hour free at noon: too short for the plan's two hours
        plan = self.plans(self.unit)
        request = self.Request.browse(plan.service_generate())
        self.assertEqual(request.user_id, self.tech_boilers)
        self.assertFalse(request.visit_ids)
        notes = [m.body for m in request.message_ids if "No visit booked" in m.body]
        self.assertEqual(len(notes), 1)
        self.assertIn("Find a Slot", notes[0])
        # the user's number format: "2 h", not "2.0 h"
        self.assertIn("no free 2 h within", notes[0])

    def test_two_plans_one_day_one_after_the_other(self):
        plans = self.plans(self.unit | self.aircon_unit)
        plans.write({"date_first": self.today + timedelta(days=3)})
        requests = self.Request.browse(plans.service_generate())
        visits = requests.visit_ids.sorted("date_start")
        self.assertEqual(len(visits), 2)
        self.assertEqual(visits[0].date_end, visits[1].date_start, "back to back, no overlap")

    def test_run_twice_no_duplicates(self):
        plans = self.plans(self.units(3, "SM-TWICE"), interval_type="week", horizon_days=21)
        self.assertEqual(self.Plan._cron_create_requests(), 0, "nothing left to run today")
        self.assertEqual(set(plans.mapped("last_run_date")), {self.today})
        count = self.Request.search_count([("maintenance_plan_id", "in", plans.ids)])
        self.assertEqual(count, sum(len(plan.request_ids) for plan in plans))
        self.assertGreaterEqual(count, 9)
        self.Plan._cron_create_requests()
        self.assertEqual(plans.service_generate(), [])
        self.assertEqual(
            self.Request.search_count([("maintenance_plan_id", "in", plans.ids)]), count
        )

    def test_unique_index_holds(self):
        plan = self.plans(self.unit)
        request = self.Request.browse(plan.service_generate())
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            request.sudo().copy(
                {
                    "maintenance_plan_id": plan.id,
                    "maintenance_due_date": request.maintenance_due_date,
                }
            )

    def yearly(self, count, prefix):
        # a yearly plan each, due on days of their own within 300 days (one
        # run's after the other's): one request and a visit each
        units = self.units(count, prefix)
        first = self.__dict__.setdefault("_next_day", 1)
        self._next_day = first + count
        return self.Plan.create(
            [
                {
                    "name": f"SM plan {unit.id}",
                    "equipment_id": unit.id,
                    "team_id": self.solo.id,
                    "interval_type": "month",
                    "interval": 12,
                    "date_first": self.today + timedelta(days=first + index),
                    "duration_hours": 2,
                    "horizon_days": 300,
                }
                for index, unit in enumerate(units)
            ]
        )

    def count_queries(self, plans):
        """The queries of one run over ``plans``, counted as assertQueryCount
        counts them (flushed, no random cleanup of the bus); returns
        (count, created ids)."""
        self.env.invalidate_all()
        with patch("random.random", lambda: 1):
            self.env.flush_all()
            self.env.cr.flush()
            before = self.cr.sql_log_count
            created = plans.service_generate()
            self.env.flush_all()
            self.env.cr.flush()
            return self.cr.sql_log_count - before, created

    def test_queries_do_not_grow_with_the_plans(self):
        # warm the caches (access rights, rules, views of the messages)
        self.yearly(2, "SM-WARM").service_generate()
        counts = {}
        for count in (1, 20, 60):
            queries, created = self.count_queries(self.yearly(count, f"SM-{count:03d}"))
            self.assertEqual(len(created), count)
            self.assertEqual(len(self.Request.browse(created).visit_ids), count)
            counts[count] = queries
        # Not one query more per plan: the same number for 20 and 60 plans,
        # and for 150 (over Odoo's 100 rows per INSERT and UPDATE: the batch
        # writes its requests, visits, updates, notes and followers in one
        # statement each). One plan reads four records fewer (measured: 80,
        # 84, 84): its recordsets prefetch the company and the technician's
        # partner along with the customer, where the larger runs read them
        # again (the company's time zone, the followers' kind of partner, the
        # technician's digest).
        self.assertEqual(counts[60], counts[20], counts)
        self.assertLessEqual(counts[1], counts[20], counts)
        self.assertLessEqual(counts[20], counts[1] + 4, counts)
        plans = self.yearly(150, "SM-150")
        self.env.flush_all()
        self.env.invalidate_all()
        with patch("random.random", lambda: 1), self.assertQueryCount(counts[20]):
            created = plans.service_generate()
        self.assertEqual(len(created), 150)
        requests = self.Request.browse(created)
        self.assertEqual(len(requests.visit_ids), 150)
        # what the bulk statements wrote reads as the ORM's own
        request = requests[-1]
        notes = request.message_ids.mapped("body")
        self.assertEqual(len(notes), 2, "created and dispatched; the visit has its own")
        self.assertTrue(any("created by plan" in note for note in notes), notes)
        self.assertTrue(any("Dispatched by" in note for note in notes), notes)
        self.assertEqual(request.message_partner_ids, self.customer | self.tech_boilers.partner_id)
        visit = request.visit_ids
        self.assertIn("Visit proposed by maintenance plan", visit.message_ids.body)
        self.assertEqual(visit.message_partner_ids, self.tech_boilers.partner_id)
        self.assertEqual(visit.message_ids.subtype_id, self.env.ref("mail.mt_note"))

    def test_cron_runs_in_batches(self):
        self.env["ir.config_parameter"].set_param("service_maintenance.batch_size", 2)
        self.Plan.search([]).active = False
        plans = self.yearly(5, "SM-BATCH")
        later = self.plans(self.aircon_unit, date_first=self.today + timedelta(days=200))
        cron = self.env.ref("service_maintenance.ir_cron_service_maintenance_requests")
        progress = []
        for __ in range(4):
            record = self.env["ir.cron.progress"].create({"cron_id": cron.id})
            remaining = self.Plan.with_context(
                ir_cron_progress_id=record.id
            )._cron_create_requests()
            progress.append((record.done, record.remaining))
            self.assertEqual(remaining, record.remaining)
        # two plans a batch, the plan due in 200 days not one of them; the
        # last call finds nothing left: Odoo reschedules the run for tomorrow
        self.assertEqual(progress, [(2, 3), (2, 1), (1, 0), (0, 0)])
        self.assertEqual([len(plan.request_ids) for plan in plans], [1] * 5)
        self.assertFalse(later.request_ids)
        self.assertFalse(later.last_run_date)
        # the manager's call runs its plans in the same batches, in one transaction
        more = self.yearly(3, "SM-BATCH2")
        created = more.service_generate()
        self.assertIsInstance(created, list)
        self.assertEqual(sorted(created), sorted(more.request_ids.ids))
        self.assertEqual(len(created), 3)

    def digests(self):
        """The digests of assigned requests the technician received: their
        bodies, in order."""
        return (
            self.env["mail.message"]
            .search(
                [
                    ("message_type", "=", "user_notification"),
                    ("partner_ids", "in", self.tech_boilers.partner_id.ids),
                    ("subject", "like", "Service requests assigned to you"),
                ],
                order="id",
            )
            .mapped("body")
        )

    def test_one_digest_a_technician_for_the_whole_run(self):
        """The run's batches send nothing each: when the last one is done,
        the technician gets one digest of all of them (not one a batch)."""
        self.env["ir.config_parameter"].set_param("service_maintenance.batch_size", 2)
        self.Plan.search([]).active = False
        plans = self.yearly(5, "SM-DIGEST")
        before = self.digests()
        self.assertEqual(self.Plan._cron_create_requests(), 3)
        self.assertEqual(self.Plan._cron_create_requests(), 1)
        self.assertEqual(self.digests(), before, "no digest before the run is over")
        self.assertEqual(len(plans.request_ids.filtered("maintenance_digest_pending")), 4)
        self.assertEqual(self.Plan._cron_create_requests(), 0)
        new = self.digests()[len(before) :]
        self.assertEqual(len(new), 1, new)
        for request in plans.request_ids:
            self.assertIn(request.name, new[0])
        self.assertFalse(plans.request_ids.filtered("maintenance_digest_pending"))
        # the next run of the day finds nothing, and sends nothing again
        self.assertEqual(self.Plan._cron_create_requests(), 0)
        self.assertEqual(len(self.digests()), len(before) + 1)
        # the manager's call: one digest of all its batches, nothing pending
        more = self.yearly(3, "SM-DIGEST2")
        created = more.service_generate()
        new = self.digests()[len(before) + 1 :]
        self.assertEqual(len(new), 1, new)
        for request in self.Request.browse(created):
            self.assertIn(request.name, new[0])
        self.assertFalse(more.request_ids.filtered("maintenance_digest_pending"))

    def test_long_digest_names_the_first_and_counts_the_rest(self):
        """A weekly plan's first year is 53 requests: the digest links the
        first 50 and counts the others (100,000 plans gave each of 20
        technicians a digest of 6,000 links), in the technician's language."""
        self.Plan.search([]).active = False
        self.env["res.lang"]._activate_lang("ru_RU")
        self.tech_boilers.lang = "ru_RU"
        plan = self.Plan.create(
            {
                "name": "SM weekly",
                "equipment_id": self.units(1, "SM-WEEK").id,
                "team_id": self.solo.id,
                "interval_type": "week",
                "interval": 1,
                "date_first": self.today + timedelta(days=1),
                "duration_hours": 1,
                "horizon_days": 366,
            }
        )
        Message = self.env["mail.message"]
        domain = [
            ("message_type", "=", "user_notification"),
            ("partner_ids", "in", self.tech_boilers.partner_id.ids),
        ]
        before = Message.search(domain)
        created = self.Request.browse(plan.service_generate())
        self.assertGreater(len(created), 51)
        self.assertEqual(created.user_id, self.tech_boilers)
        new = Message.search(domain) - before
        self.assertEqual(
            new.mapped("subject"), [f"Вам назначены заявки на обслуживание: {len(created)}"]
        )
        digest = new.body
        self.assertEqual(digest.count("<a "), 50)
        for request in created[:50]:
            self.assertIn(request.name, digest)
        self.assertNotIn(created[-1].name, digest)
        self.assertIn(f"и ещё {len(created) - 50}", digest)

    def test_plan_with_requests_not_deleted(self):
        # the attacker review: a manager deleted a plan, its requests lost it
        # and became deletable
        plan, unused = self.plans(self.units(2, "SM-DEL"))
        self.assertTrue(plan.service_generate())
        with self.assertRaisesRegex(UserError, "Archive the plan"):
            plan.with_user(self.manager).unlink()
        self.assertTrue(plan.exists() and plan.request_ids)
        # archived instead, over XML-RPC too (Odoo's buttons answer None)
        self.assertIs(plan.with_user(self.manager).action_archive(), True)
        self.assertFalse(plan.active)
        self.assertIs(plan.with_user(self.manager).action_unarchive(), True)
        self.assertTrue(plan.active)
        unused.request_ids = False
        unused.with_user(self.manager).unlink()
        self.assertFalse(unused.exists())

    def test_manager_call_fails_whole(self):
        self.env["ir.config_parameter"].set_param("service_maintenance.batch_size", 1)
        plans = self.yearly(3, "SM-FAIL")
        original = type(self.Plan)._service_create_due
        calls = []

        def fail_third(plans_, today, horizon):
            calls.append(plans_.ids)
            if len(calls) == 3:
                raise ValueError("SM broken")
            return original(plans_, today, horizon)

        with (
            patch.object(type(self.Plan), "_service_create_due", fail_third),
            # the server rolls the call back whole: no batch may commit before
            patch.object(self.env.cr, "commit", side_effect=AssertionError("committed")),
            self.assertRaisesRegex(ValueError, "SM broken"),
        ):
            plans.service_generate()
        self.assertEqual(len(calls), 3, "one batch a plan")

    def test_cron_skips_a_failing_plan_and_runs_the_others(self):
        self.env["ir.config_parameter"].set_param("service_maintenance.batch_size", 10)
        self.Plan.search([]).active = False
        plans = self.yearly(3, "SM-SKIP")
        # the to-do goes to the service manager who last changed the plan
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE service_maintenance_plan SET write_uid = %s WHERE id = ANY(%s)",
            [self.manager.id, plans.ids],
        )
        plans.invalidate_recordset(["write_uid"])
        bad = plans[1]
        original = type(self.Plan)._prepare_request_vals

        def fail_one(plan, due, meter):
            if plan == bad:
                raise ValueError("SM broken plan")
            return original(plan, due, meter)

        cron = self.env.ref("service_maintenance.ir_cron_service_maintenance_requests")
        record = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        with (
            patch.object(type(self.Plan), "_prepare_request_vals", fail_one),
            mute_logger("odoo.addons.service_maintenance.models.service_maintenance_plan"),
        ):
            remaining = self.Plan.with_context(
                ir_cron_progress_id=record.id
            )._cron_create_requests()
        self.assertEqual(remaining, 0, "the bad plan is skipped for the day, not left to run")
        self.assertEqual((record.done, record.remaining), (3, 0))
        self.assertEqual([len(plan.request_ids) for plan in plans], [1, 0, 1])
        self.assertEqual(plans.mapped("last_run_date"), [self.today] * 3)
        notes = bad.message_ids.filtered(lambda m: "could not create the work" in m.body)
        self.assertEqual(len(notes), 1)
        self.assertIn("SM broken plan", notes.body)
        activity = bad.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager)
        self.assertFalse(plans[0].activity_ids | plans[2].activity_ids)

    def test_visit_reading(self):
        plan = self.plans(self.unit, interval_type="meter", meter_interval=100)
        self.reading(self.unit, 0, 10)
        self.reading(self.unit, 90, 0)
        request = self.Request.browse(plan.service_generate())
        visit = request.visit_ids
        self.assertTrue(visit)
        visit = visit.with_user(self.tech_boilers)
        visit.action_arrive()
        visit.meter_reading = 80
        with self.assertRaisesRegex(Exception, "lower than its reading 90"):
            visit.action_finish()
        self.assertEqual(visit.state, "on_site", "the visit stays on site")
        self.assertEqual(len(self.unit.reading_ids), 2, "no reading written")
        visit.meter_reading = 104
        visit.action_finish()
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.reading_id.value, 104)
        self.assertEqual(visit.reading_id.source, "visit")
        self.assertEqual(self.unit.last_reading_value, 104)
        with self.assertRaisesRegex(Exception, "is done"):
            visit.meter_reading = 200

    def test_sla_counts_from_the_due_date(self):
        self.contract.sla_policy_id = self.env["service.sla.policy"].create(
            {
                "name": "SM SLA",
                "calendar_id": self.calendar.id,
                "line_ids": [
                    (0, 0, {"priority": priority, "response_hours": 4, "resolution_hours": 12})
                    for priority in ("1", "2", "3")
                ],
            }
        )
        due = self.today + timedelta(days=5)
        plan = self.plans(self.unit, date_first=due)
        request = self.Request.browse(plan.service_generate())
        self.assertEqual(request.contract_id, self.contract)
        self.assertEqual(request.visit_ids.date_start, datetime.combine(due, time(8, 0)))
        # the working hours of the due day (08:00-12:00, 13:00-17:00), not of
        # the days before it: the planned visit is within the deadlines
        self.assertEqual(request.date_response_deadline, datetime.combine(due, time(12, 0)))
        self.assertEqual(
            request.date_deadline, datetime.combine(due + timedelta(days=1), time(12, 0))
        )

    def test_past_due_visit_from_now(self):
        due = self.today - timedelta(days=10)
        plan = self.plans(self.unit, date_first=due)
        with freeze_time(datetime.combine(self.today, time(9, 20))):
            request = self.Request.browse(plan.service_generate())
        self.assertEqual(request.maintenance_due_date, due, "still due then: overdue")
        visit = request.visit_ids
        # the technician's first free time from now, not a visit ten days ago
        self.assertEqual(visit.date_start, datetime.combine(self.today, time(9, 30)))
        self.assertEqual(visit.date_end, datetime.combine(self.today, time(11, 30)))

    def test_past_due_late_in_the_day_visit_tomorrow(self):
        due = self.today - timedelta(days=3)
        plan = self.plans(self.unit, date_first=due)
        with freeze_time(datetime.combine(self.today, time(16, 0))):
            request = self.Request.browse(plan.service_generate())
        tomorrow = self.today + timedelta(days=1)
        self.assertEqual(request.visit_ids.date_start, datetime.combine(tomorrow, time(8, 0)))

    def test_service_report_in_the_customers_format(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.customer.lang = "ru_RU"
        plan = self.plans(self.unit)
        self.reading(self.unit, 1490, 1)
        visit = self.Request.browse(plan.service_generate()).visit_ids.with_user(self.tech_boilers)
        self.assertTrue(visit)
        visit.action_arrive()
        visit.meter_reading = 1495
        visit.action_finish()
        report = self.env.ref("service_field.action_report_service_visit")
        self.assertEqual(report.paperformat_id.format, "A4")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("service_field.action_report_service_visit", visit.ids)[0]
            .decode()
        )
        self.assertRegex(html, r"1[\s\u00a0\u202f]495,0")
        self.assertNotIn("1495.0", html)

    def test_done_visit_closes_the_maintenance(self):
        plan = self.plans(self.unit, schedule_from="done")
        request = self.Request.browse(plan.service_generate())
        first_next = plan.next_date
        visit = request.visit_ids.with_user(self.tech_boilers)
        visit.action_arrive()
        visit.action_finish()
        self.assertTrue(request.is_closed, "its last visit done: the maintenance is done")
        self.assertEqual(request.date_closed.date(), self.today)
        # counted from the day it was done, not from its due date
        self.assertEqual(plan.next_date, self.today + relativedelta(months=1))
        self.assertNotEqual(plan.next_date, first_next)
        # not open any more: not an overdue maintenance
        overdue = self.Request.search_count(
            [
                ("id", "=", request.id),
                ("is_closed", "=", False),
                ("request_type", "=", "maintenance"),
            ]
        )
        self.assertEqual(overdue, 0)

    def test_request_with_visits_to_come_stays_open(self):
        plan = self.plans(self.unit)
        request = self.Request.browse(plan.service_generate())
        first = request.visit_ids
        second = first.copy(
            {
                "date_start": first.date_start + timedelta(days=1),
                "date_end": first.date_end + timedelta(days=1),
            }
        )
        first.with_user(self.tech_boilers).action_arrive()
        first.with_user(self.tech_boilers).action_finish()
        self.assertFalse(request.is_closed, "another visit is planned")
        second.with_user(self.tech_boilers).action_arrive()
        second.with_user(self.tech_boilers).action_finish()
        self.assertTrue(request.is_closed)

    def test_repair_request_stays_open_after_its_visit(self):
        plan = self.plans(self.unit)
        request = self.Request.browse(plan.service_generate())
        request.request_type = "repair"
        visit = request.visit_ids.with_user(self.tech_boilers)
        visit.action_arrive()
        visit.action_finish()
        self.assertFalse(request.is_closed, "other types are closed by the office")


@tagged("post_install", "-at_install", "service_suite")
class TestPlanChecklist(TestGenerate):
    """The plan's checklist goes to its visits."""

    def test_plan_checklist_on_the_visit(self):
        checklist = self.env["service.checklist"].create(
            {
                "name": "SM yearly boiler checks",
                "item_ids": [(0, 0, {"name": "SM burner cleaned"})],
            }
        )
        plan = self.plans(self.unit, checklist_id=checklist.id)
        visit = self.Request.browse(plan.service_generate()).visit_ids
        visit.with_user(self.tech_boilers).action_arrive()
        self.assertEqual(visit.checklist_id, checklist)
        self.assertEqual(visit.check_ids.mapped("name"), ["SM burner cleaned"])
