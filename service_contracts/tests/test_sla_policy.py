from datetime import datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_contract import ServiceContractCase


@tagged("post_install", "-at_install")
class TestSlaPolicy(ServiceContractCase):
    def test_deadlines_count_working_hours_only(self):
        # Friday 2027-01-08 16:30 UTC: half an hour left in the working day.
        start = datetime(2027, 1, 8, 16, 30)
        deadlines = self.sla._compute_deadlines(start, "3")
        self.assertEqual(deadlines["response"], datetime(2027, 1, 11, 8, 30))
        # 0.5 h on Friday, 4 h Monday morning, 3.5 h after lunch.
        self.assertEqual(deadlines["resolution"], datetime(2027, 1, 11, 16, 30))
        self.assertEqual(deadlines["response_hours"], 1)
        self.assertEqual(deadlines["resolution_hours"], 8)

    def test_deadlines_skip_public_holidays(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2027, 1, 11, 0, 0),
                "date_to": datetime(2027, 1, 11, 23, 59),
            }
        )
        deadlines = self.sla._compute_deadlines(datetime(2027, 1, 8, 16, 30), "3")
        self.assertEqual(deadlines["response"], datetime(2027, 1, 12, 8, 30))

    def test_missing_priority_falls_back_to_lower_target(self):
        # No target for '2': the '1' target applies; none below '1' for '0'.
        start = datetime(2027, 1, 4, 8, 0)  # Monday
        high = self.sla._compute_deadlines(start, "2")
        self.assertEqual(high["response"], datetime(2027, 1, 4, 17, 0))
        low = self.sla._compute_deadlines(start, "0")
        self.assertFalse(low["response"])
        self.assertFalse(low["resolution"])

    def test_paused_stages(self):
        self.assertTrue(self.sla._is_paused_stage("waiting for parts "))
        self.assertFalse(self.sla._is_paused_stage("In Progress"))
        self.assertFalse(self.sla._is_paused_stage(False))
        self.assertTrue(self.sla._is_paused_stage("In Progress", waiting_customer=True))
        self.sla.pause_when_waiting_customer = False
        self.assertFalse(self.sla._is_paused_stage("In Progress", waiting_customer=True))

    def test_one_target_per_priority(self):
        with self.assertRaisesRegex(ValidationError, "more than one target for the same priority"):
            self.sla.write({"line_ids": [(0, 0, {"priority": "3", "response_hours": 2})]})

    def test_resolution_not_shorter_than_response(self):
        with self.assertRaisesRegex(ValidationError, "cannot be shorter than the response"):
            self.sla.line_ids[0].resolution_hours = 0.5


@tagged("post_install", "-at_install")
class TestSlaSchedules(ServiceContractCase):
    """The batch planning that requests and dispatch use: what Odoo's plan_hours
    answers for one request, for any number of them in a few queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": cls.calendar.id,
                "date_from": datetime(2027, 1, 12, 0, 0),
                "date_to": datetime(2027, 1, 12, 23, 59, 59),
            }
        )
        cls.sla.warning_percent = 75

    def test_batch_plans_equal_odoo_plan_hours(self):
        starts = [datetime(2027, 1, 8, 16, 30) + timedelta(hours=7 * i) for i in range(12)]
        hours = [0.5, 1, 8, 24, 40, 100, 7.25, 3, 16, 1000, 0.1, 12]
        plans = self.calendar._service_plan_hours_batch(list(zip(starts, hours, strict=True)))
        for start, amount, planned in zip(starts, hours, plans, strict=True):
            self.assertAlmostEqual(
                planned,
                self.calendar.plan_hours(amount, start, compute_leaves=True),
                delta=timedelta(seconds=1),
                msg=f"{amount} h from {start}",
            )
        self.assertEqual(
            self.calendar._service_plan_hours_batch([(False, 8), (starts[0], 0)]), [False, False]
        )

    def test_work_hours_across_a_weekend_and_a_holiday(self):
        friday_16 = datetime(2027, 1, 8, 16, 0)
        spans = [
            (friday_16, datetime(2027, 1, 11, 10, 0)),  # 1 h Friday, 2 h Monday
            (datetime(2027, 1, 11, 16, 0), datetime(2027, 1, 13, 9, 0)),  # Tuesday off
            (datetime(2027, 1, 11, 10, 0), friday_16),  # backwards
            (friday_16, friday_16),
        ]
        self.assertEqual(self.calendar._service_work_hours_batch(spans), [3.0, 2.0, -3.0, 0.0])

    def test_schedules_with_pauses_and_warnings(self):
        start = datetime(2027, 1, 8, 16, 30)
        plain, paused = self.env["service.sla.policy"]._compute_schedules(
            [(self.sla, start, "3", 0.0, 0.0), (self.sla, start, "3", 2.0, 4.0)]
        )
        # 1 h response, 8 h resolution (see test_deadlines_count_working_hours_only).
        self.assertEqual(plain["response"], datetime(2027, 1, 11, 8, 30))
        self.assertEqual(plain["resolution"], datetime(2027, 1, 11, 16, 30))
        # 75 % of 1 h: 45 minutes, half an hour on Friday and a quarter on Monday.
        self.assertEqual(plain["response_warning"], datetime(2027, 1, 11, 8, 15))
        self.assertEqual(plain["resolution_warning"], datetime(2027, 1, 11, 14, 30))
        self.assertEqual(paused["response"], datetime(2027, 1, 11, 10, 30))
        # Tuesday is a holiday: Monday's last half hour, then Wednesday.
        self.assertEqual(paused["resolution"], datetime(2027, 1, 13, 11, 30))
        self.sla.warning_percent = 0
        self.assertFalse(
            self.sla._compute_schedules([(self.sla, start, "3", 0, 0)])[0]["response_warning"]
        )

    def test_schedules_cost_the_same_for_ten_and_a_hundred(self):
        other = self.sla.copy(
            {"name": "Other calendar SLA", "calendar_id": self.calendar.copy().id}
        )
        Policy = self.env["service.sla.policy"]

        def items(count):
            start = datetime(2027, 1, 4, 8, 0)
            return [
                (
                    (self.sla, other)[i % 2],
                    start + timedelta(minutes=37 * i),
                    str(i % 4),
                    0.0,
                    i % 5,
                )
                for i in range(count)
            ]

        Policy._compute_schedules(items(3))  # the calendars' attendances in the cache
        counts = []
        for count in (10, 100):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Policy._compute_schedules(items(count))
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])

    def test_paused_stage_names_in_any_language(self):
        self.assertTrue(self.sla._is_paused_stage({"Ожидание клиента", "Waiting for Customer"}))
        self.assertFalse(self.sla._is_paused_stage(["Ожидание клиента", "In Progress"]))

    def test_warning_comes_before_the_deadline(self):
        for share in (100, -5):
            with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
                self.sla.warning_percent = share
