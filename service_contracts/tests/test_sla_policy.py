from datetime import datetime

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
