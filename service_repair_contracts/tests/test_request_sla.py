from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.service_contracts.tests.common_contract import ServiceContractCase
from odoo.addons.service_repair_contracts.models.service_request_sla import SLA_PRIORITY

# Friday 8 January 2027, 10:00 UTC; the calendar works 9:00-18:00 Monday to Friday.
FRIDAY_10 = datetime(2027, 1, 8, 10, 0)
MONDAY = datetime(2027, 1, 11)

# Queries of one dispatch of requests under contracts to one team (see
# service_repair's DISPATCH_QUERIES for requests without a contract; two of them move
# the assigned requests from "New" to "Assigned").
DISPATCH_QUERIES = 41


@tagged("post_install", "-at_install")
class TestRequestSla(ServiceContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar_9_18 = cls.env["resource.calendar"].create(
            {
                "name": "SLA 9-18",
                "tz": "UTC",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 18,
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        cls.sla.write(
            {
                "calendar_id": cls.calendar_9_18.id,
                "response_on": "reply",
                "warning_percent": 80,
                "pause_when_waiting_customer": True,
            }
        )
        # Urgent requests (priority '2') take the policy's '3' targets: 4 h and 16 h.
        cls.sla.line_ids.filtered(lambda line: line.priority == "3").write(
            {"response_hours": 4, "resolution_hours": 16}
        )
        cls.leader = new_test_user(
            cls.env,
            login="sla_leader",
            name="SLA Leader",
            groups="service_base.group_service_manager",
        )
        cls.technician = new_test_user(
            cls.env, login="sla_tech", name="SLA Tech", groups="service_base.group_service_user"
        )
        cls.team = cls.env["service.team"].create(
            {
                "name": "SLA team",
                "user_id": cls.leader.id,
                "member_ids": [(6, 0, cls.technician.ids)],
            }
        )
        cls.contract = cls._contract(date_start="2026-01-01", date_end="2030-12-31")
        cls.contract.action_activate()
        cls.stage_new = cls.env.ref("service_repair.stage_new")
        cls.stage_in_progress = cls.env.ref("service_repair.stage_in_progress")
        cls.stage_waiting_customer = cls.env.ref("service_repair.stage_waiting")
        cls.stage_waiting_parts = cls.env.ref("service_repair.stage_waiting_parts")
        cls.stage_done = cls.env.ref("service_repair.stage_done")
        cls.Request = cls.env["service.request"]
        # other rules (demo data) must not take the requests to other teams, nor
        # the demo requests come due in the cron runs below
        cls.env["service.dispatch.rule"].search([]).active = False
        cls.Request.search([]).active = False

    @contextmanager
    def _at(self, moment):
        """The clock at ``moment``, the transaction's timestamp (create_date) too."""
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            yield

    def _request(self, **vals):
        values = {
            "partner_id": self.unit.partner_id.id,
            "equipment_id": self.unit.id,
            "subject": "Boiler stopped",
            "priority": "2",
            "team_id": self.team.id,
            "stage_id": self.stage_new.id,
        }
        values.update(vals)
        return self.Request.with_user(self.service_user).create(values)

    def _activities(self, request, xmlid):
        return request.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(f"service_repair_contracts.{xmlid}")
        )

    def test_pause_and_resume_move_the_deadlines_by_working_time_only(self):
        with self._at(FRIDAY_10):
            request = self._request()
            self.assertEqual(request.contract_id, self.contract)
            self.assertEqual(request.date_response_deadline, datetime(2027, 1, 8, 14, 0))
            # 8 h on Friday (10:00-18:00), 8 more on Monday.
            self.assertEqual(request.date_deadline, datetime(2027, 1, 11, 17, 0))
            self.assertEqual(request.sla_state, "running")
            self.assertEqual(request.sla_hours_left, 4.0)
        with self._at(datetime(2027, 1, 8, 12, 0)):
            request.with_user(self.service_user).stage_id = self.stage_waiting_customer
            self.assertEqual(request.sla_state, "paused")
            self.assertEqual(request.sla_paused_since, datetime(2027, 1, 8, 12, 0))
        with self._at(datetime(2027, 1, 11, 10, 0)):
            # The stored deadline has passed, but the clock stands: 2 h left, not overdue.
            self.assertEqual(request.sla_hours_left, 2.0)
            self.assertFalse(request.is_overdue)
            self.assertFalse(self.Request._cron_sla_escalations())
        with self._at(datetime(2027, 1, 11, 11, 0)):
            request.with_user(self.service_user).stage_id = self.stage_in_progress
            # Paused Friday 12:00-18:00 and Monday 9:00-11:00: 8 working hours
            # (71 hours on the wall clock).
            self.assertEqual(request.sla_paused_hours, 8.0)
            self.assertEqual(request.sla_response_paused_hours, 8.0)
            self.assertEqual(request.sla_state, "running")
            self.assertFalse(request.sla_paused_since)
            # Friday 14:00 + 8 h: Friday 14:00-18:00 and Monday 9:00-13:00.
            self.assertEqual(request.date_response_deadline, datetime(2027, 1, 11, 13, 0))
            # Monday 17:00 + 8 h: Monday 17:00-18:00 and Tuesday 9:00-16:00.
            self.assertEqual(request.date_deadline, datetime(2027, 1, 12, 16, 0))
            self.assertEqual(request.sla_hours_left, 2.0)
        with self._at(datetime(2027, 1, 11, 12, 0)):
            request.message_post(
                body="We come tomorrow morning.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.service_user.partner_id.id,
            )
            # After the response only the resolution deadline moves on a pause.
            request.stage_id = self.stage_waiting_parts
        with self._at(datetime(2027, 1, 12, 9, 30)):
            request.stage_id = self.stage_in_progress
            self.assertEqual(request.sla_paused_hours, 8.0 + 6.5)
            self.assertEqual(request.sla_response_paused_hours, 8.0)
            self.assertEqual(request.date_response_deadline, datetime(2027, 1, 11, 13, 0))
            # Tuesday 16:00 + 6.5 h: Tuesday 16:00-18:00, Wednesday 9:00-13:30.
            self.assertEqual(request.date_deadline, datetime(2027, 1, 13, 13, 30))
        with self._at(datetime(2027, 1, 13, 11, 0)):
            request.stage_id = self.stage_done
            self.assertEqual(request.sla_state, "met")
            self.assertFalse(request.sla_response_breached or request.sla_resolution_breached)

    def test_stages_that_stop_the_clock(self):
        parts = self._request(stage_id=self.stage_waiting_parts.id)
        self.assertEqual(parts.sla_state, "paused", "the stage's own flag")
        named = self.env["service.request.stage"].create({"name": "Waiting for Customer "})
        self.assertEqual(self._request(stage_id=named.id).sla_state, "paused", "the policy's list")
        self.sla.pause_when_waiting_customer = False
        customer = self._request(stage_id=self.stage_waiting_customer.id)
        self.assertEqual(
            customer.sla_state, "paused", "Waiting for Customer is in the policy's names too"
        )
        self.sla.paused_stage_names = "Waiting for Parts"
        customer = self._request(stage_id=self.stage_waiting_customer.id)
        self.assertEqual(
            customer.sla_state, "running", "this policy runs while the customer thinks"
        )
        without_contract = self._request(
            equipment_id=self.other_unit.id,
            partner_id=self.other_unit.partner_id.id,
            stage_id=self.stage_waiting_parts.id,
        )
        self.assertFalse(without_contract.sla_state)
        self.assertFalse(without_contract.sla_paused_since)

    def test_first_response_is_a_reply_to_the_customer(self):
        with self._at(FRIDAY_10):
            request = self._request()
        with self._at(datetime(2027, 1, 8, 11, 0)):
            request.with_user(self.technician).write({"user_id": self.technician.id})
            self.assertFalse(request.date_first_response, "this policy counts replies only")
            request.with_user(self.service_user).message_post(
                body="Checked the history of the unit.", subtype_xmlid="mail.mt_note"
            )
            self.assertFalse(request.date_first_response, "an internal note answers nobody")
            portal = new_test_user(
                self.env,
                login="sla_portal",
                groups="base.group_portal",
                partner_id=self.customer_contact.id,
            )
            request.with_user(portal).message_post(
                body="Any news?", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            self.assertFalse(request.date_first_response, "the customer's own message")
        with self._at(datetime(2027, 1, 8, 13, 0)):
            request.with_user(self.service_user).message_post(
                body="A technician comes at 15:00.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertEqual(request.date_first_response, datetime(2027, 1, 8, 13, 0))
            self.assertFalse(request.sla_response_breached)
        with self._at(datetime(2027, 1, 8, 15, 0)):
            request.with_user(self.service_user).message_post(
                body="On site.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            self.assertEqual(request.date_first_response, datetime(2027, 1, 8, 13, 0))
            self.assertTrue(request.response_met)

    def test_first_response_is_the_assignment_by_the_policy(self):
        self.sla.response_on = "assignment"
        with self._at(FRIDAY_10):
            request = self._request()
        with self._at(datetime(2027, 1, 8, 16, 0)):
            request.with_user(self.service_user).message_post(
                body="Noted.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            self.assertFalse(request.date_first_response)
            request.with_user(self.service_user).user_id = self.technician
            self.assertEqual(request.date_first_response, datetime(2027, 1, 8, 16, 0))
            # The deadline was 14:00: a late response, escalated at once.
            self.assertTrue(request.sla_response_breached)
            self.assertEqual(request.sla_state, "breached")
            self.assertFalse(request.response_met)
            self.assertEqual(
                self._activities(request, "mail_activity_type_sla_breach").user_id, self.leader
            )

    def test_warning_before_the_deadline_once(self):
        with self._at(FRIDAY_10):
            request = self._request(user_id=self.technician.id)
            # 80 % of 4 h: 3.2 h after 10:00.
            self.assertEqual(request.date_response_warning, datetime(2027, 1, 8, 13, 12))
        with self._at(datetime(2027, 1, 8, 13, 0)):
            self.assertFalse(self.Request._cron_sla_escalations())
        with self._at(datetime(2027, 1, 8, 13, 15)):
            self.assertEqual(self.Request._cron_sla_escalations(), request)
            warnings = self._activities(request, "mail_activity_type_sla_warning")
            self.assertEqual(warnings.user_id, self.technician | self.leader)
            self.assertIn("respond to the customer", warnings[0].summary)
            self.assertTrue(request.sla_response_warned)
            self.assertFalse(request.sla_response_breached)
        with self._at(datetime(2027, 1, 8, 13, 30)):
            self.assertFalse(self.Request._cron_sla_escalations())
            self.assertEqual(len(self._activities(request, "mail_activity_type_sla_warning")), 2)

    def test_warning_in_the_users_time_zone_never_the_crons(self):
        """A user without a time zone read the deadline an hour late: the cron
        (OdooBot, in Brussels time) wrote it in its own."""
        self.env.ref("base.user_root").tz = "Europe/Brussels"
        self.technician.tz = False
        self.leader.tz = "Europe/Moscow"
        self.env.company.partner_id.tz = False
        with self._at(FRIDAY_10):
            request = self._request(user_id=self.technician.id)
        with self._at(datetime(2027, 1, 8, 13, 15)):
            self.Request.with_user(self.env.ref("base.user_root"))._cron_sla_escalations()
        warnings = self._activities(request, "mail_activity_type_sla_warning")
        by_user = {activity.user_id: activity.summary for activity in warnings}
        self.assertIn("2:00:00 PM", by_user[self.technician], "UTC, as no zone is set")
        self.assertIn("5:00:00 PM", by_user[self.leader], "the leader's Moscow time")

    def test_breach_is_escalated_to_the_team_leader_and_counted(self):
        with self._at(FRIDAY_10):
            request = self._request(user_id=self.technician.id)
        with self._at(datetime(2027, 1, 8, 14, 30)):
            self.Request._cron_sla_escalations()
            self.assertTrue(request.sla_response_breached)
            self.assertFalse(request.sla_resolution_breached)
            self.assertEqual(request.sla_state, "breached")
            breach = self._activities(request, "mail_activity_type_sla_breach")
            self.assertEqual(breach.user_id, self.leader)
            note = request.message_ids.filtered(lambda m: "SLA breached" in m.body)
            self.assertEqual(len(note), 1)
            self.assertIn("SLA Leader", note.body)
            leader_messages = self.env["mail.message"].search(
                [
                    ("partner_ids", "in", self.leader.partner_id.ids),
                    ("subject", "ilike", "past their SLA"),
                ]
            )
            self.assertTrue(leader_messages, "the team leader is told")
            self.assertFalse(self.Request._cron_sla_escalations(), "escalated once")
        with self._at(datetime(2027, 1, 11, 17, 30)):
            self.Request._cron_sla_escalations()
            self.assertTrue(request.sla_resolution_breached)
            self.assertEqual(len(self._activities(request, "mail_activity_type_sla_breach")), 2)
            request.stage_id = self.stage_done
            self.assertEqual(request.sla_state, "breached")
            self.assertFalse(request.sla_met)
            self.assertFalse(request.response_met)
            self.assertEqual(request.date_first_response, request.date_closed)

    def test_escalation_in_the_leaders_language(self):
        """The cron (OdooBot, English) writes the breach note and the leader's
        activity in the leader's language, with the deadline in their format."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.leader.write({"lang": "ru_RU", "tz": "Europe/Moscow"})
        with self._at(FRIDAY_10):
            request = self._request(user_id=self.technician.id)
        with self._at(datetime(2027, 1, 8, 14, 30)):
            self.Request.with_context(lang="en_US")._cron_sla_escalations()
        breach = self._activities(request, "mail_activity_type_sla_breach")
        self.assertIn("реакция", breach.summary.lower(), breach.summary)
        self.assertNotIn("response", breach.summary)
        note = request.message_ids.filtered(lambda m: "SLA нарушено" in m.body)
        self.assertTrue(note)
        self.assertNotIn("response due", note[0].body)
        self.assertNotIn(" due ", note[0].body, "every word of it Russian")
        self.assertRegex(note[0].body, r"\d\d\.\d\d\.\d{4}", "a Russian date")

    def test_closing_late_without_the_cron_is_a_breach(self):
        with self._at(FRIDAY_10):
            request = self._request()
        with self._at(datetime(2027, 1, 12, 10, 0)):
            request.stage_id = self.stage_done
            self.assertTrue(request.sla_resolution_breached)
            self.assertEqual(request.sla_state, "breached")
            self.assertFalse(
                self._activities(request, "mail_activity_type_sla_breach"),
                "a closed request needs no one to take it in hand",
            )
            self.assertTrue(request.message_ids.filtered(lambda m: "SLA breached" in m.body))

    def test_a_pause_after_a_missed_deadline_moves_it_no_more(self):
        with self._at(FRIDAY_10):
            request = self._request()
        with self._at(datetime(2027, 1, 8, 15, 0)):
            request.stage_id = self.stage_waiting_customer
            self.assertTrue(request.sla_response_breached, "breached before the clock stopped")
        with self._at(MONDAY + timedelta(hours=10)):
            request.stage_id = self.stage_in_progress
            self.assertEqual(request.sla_response_paused_hours, 0.0)
            self.assertEqual(request.date_response_deadline, datetime(2027, 1, 8, 14, 0))
            # Paused Friday 15:00-18:00 and Monday 9:00-10:00.
            self.assertEqual(request.sla_paused_hours, 4.0)

    def test_dispatch_queries_do_not_grow_with_sla_calendars(self):
        other_calendar = self.calendar_9_18.copy({"name": "SLA 9-18 bis"})
        other_sla = self.sla.copy({"name": "Other SLA", "calendar_id": other_calendar.id})
        other_unit = self._unit("CB-0100", self.customer_contact)
        self._contract(
            sla_policy_id=other_sla.id,
            date_start="2026-01-01",
            date_end="2030-12-31",
            line_ids=[(0, 0, {"equipment_id": other_unit.id})],
        ).action_activate()
        self.technician.service_capacity = 0

        def requests(count):
            return self.Request.create(
                [
                    {
                        "partner_id": self.customer_contact.id,
                        "equipment_id": (self.unit if i % 2 else other_unit).id,
                        "subject": f"SLA {i}",
                        "priority": str(i % 3),
                        "team_id": self.team.id,
                    }
                    for i in range(count)
                ]
            )

        for __ in range(2):  # warm the caches (templates, first messages of a thread)
            requests(5).action_dispatch()
            self.env.flush_all()
        small = requests(10)
        with self.assertQueryCount(__system__=DISPATCH_QUERIES):
            small.action_dispatch()
        large = requests(100)
        with self.assertQueryCount(__system__=DISPATCH_QUERIES):
            large.action_dispatch()
        self.assertEqual(len((small | large).contract_id.sla_policy_id.calendar_id), 2)
        self.assertTrue(all((small | large).mapped("user_id")))
        deadlines = {r.id: (r.date_response_deadline, r.date_deadline) for r in small | large}
        for request in small | large:
            expected = request.sla_policy_id._compute_deadlines(
                request.create_date, SLA_PRIORITY[request.priority]
            )
            self.assertEqual(deadlines[request.id], (expected["response"], expected["resolution"]))

        # The assignment as the first response: recorded for the whole batch at once.
        (self.sla | other_sla).response_on = "assignment"
        for count in (10, 100):
            batch = requests(count)
            with self.assertQueryCount(__system__=DISPATCH_QUERIES):
                batch.action_dispatch()
            self.assertEqual(
                set(batch.mapped("date_first_response")), set(batch.mapped("date_assigned"))
            )

    def test_cron_queries_do_not_grow(self):
        with self._at(FRIDAY_10):
            batches = [
                self.Request.create([self._request_vals(i) for i in range(count)])
                for count in (3, 10, 30)
            ]
        counts = []
        with self._at(datetime(2027, 1, 8, 14, 30)):
            for requests in batches:  # the first one warms the caches
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                requests._sla_send_warnings()
                requests._sla_check_breaches()
                self.env.flush_all()
                counts.append(self.env.cr.sql_log_count - before)
            self.assertTrue(all(batches[2].mapped("sla_response_breached")))
            self.assertEqual(len(batches[2].activity_ids), 30 * 3, "2 warnings, 1 escalation each")
        # The same queries for 30 requests as for 10 (the ORM writes new rows by
        # hundreds: 90 activities are one batch).
        self.assertEqual(counts[1], counts[2])

    def _request_vals(self, index):
        return {
            "partner_id": self.customer_contact.id,
            "equipment_id": self.unit.id,
            "subject": f"SLA {index}",
            "priority": "2",
            "team_id": self.team.id,
            "user_id": self.technician.id,
        }
