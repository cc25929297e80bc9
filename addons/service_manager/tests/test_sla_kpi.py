from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.service_contracts.tests.common_contract import ServiceContractCase

# Friday 8 January 2027, 10:00 UTC: the test calendar works 8-12 and 13-17.
FRIDAY_10 = datetime(2027, 1, 8, 10, 0)


@tagged("post_install", "-at_install")
class TestSlaKpis(ServiceContractCase):
    """The dashboard counts what the SLA clock decided: first responses to the
    customer, breaches unanswered, paused clocks not overdue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["service.request"].search([]).active = False
        cls.contract = cls._contract(date_start="2026-01-01", date_end="2030-12-31")
        cls.contract.action_activate()
        cls.kpi_manager = new_test_user(
            cls.env, login="sla_kpi_manager", groups="service_base.group_service_manager"
        )

    def _at(self, moment):
        return freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment)

    def _run_at(self, moment, function):
        freezer, cursor = self._at(moment)
        with freezer, cursor:
            return function()

    def _request(self, priority="2"):
        # urgent: the policy's '3' targets, 1 h to respond; normal: 8 h
        return self.env["service.request"].create(
            {
                "partner_id": self.customer_contact.id,
                "equipment_id": self.unit.id,
                "subject": "No heat",
                "priority": priority,
            }
        )

    def _reply(self, request):
        request.with_user(self.service_user).message_post(
            body="On our way.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def _kpis(self, moment):
        self.env.flush_all()
        dashboard = self.env["service.kpi.dashboard"].with_user(self.kpi_manager)
        return self._run_at(moment, lambda: {k["key"]: k for k in dashboard.get_kpis()})

    def test_response_sla_counts_first_responses_and_unanswered_breaches(self):
        Request = self.env["service.request"]
        in_time, late, unanswered, paused = self._run_at(
            FRIDAY_10, lambda: [self._request() for __ in range(4)]
        )
        not_due = self._run_at(FRIDAY_10, lambda: self._request(priority="0"))
        self._run_at(datetime(2027, 1, 8, 10, 30), lambda: self._reply(in_time))
        self._run_at(
            datetime(2027, 1, 8, 10, 40),
            lambda: paused.write({"stage_id": self.env.ref("service_repair.stage_waiting").id}),
        )
        self._run_at(datetime(2027, 1, 8, 11, 30), lambda: self._reply(late))
        self.assertTrue(late.sla_response_breached)
        escalated = self._run_at(datetime(2027, 1, 8, 11, 45), Request._cron_sla_escalations)
        self.assertEqual(escalated & (unanswered | paused | not_due), unanswered)

        kpis = self._kpis(datetime(2027, 1, 8, 11, 50))
        # in time: 1 (in_time) of the 3 decided (in_time, late, unanswered)
        self.assertAlmostEqual(kpis["sla_response"]["value"], 100 / 3)
        late_ones = Request.search(kpis["sla_response"]["action"]["domain"])
        self.assertEqual(late_ones, late | unanswered)

        # Tuesday: the resolution deadlines (Monday 10:00) have passed, but not
        # for the paused request, whose clock stands.
        self._run_at(datetime(2027, 1, 12, 8, 55), Request._cron_sla_escalations)
        self.assertTrue(unanswered.sla_resolution_breached)
        self.assertEqual(paused.sla_state, "paused")
        kpis = self._kpis(datetime(2027, 1, 12, 9, 0))
        overdue = Request.search(kpis["backlog_overdue"]["action"]["domain"])
        self.assertIn(unanswered, overdue)
        self.assertNotIn(paused, overdue, "a paused clock has not run out")
