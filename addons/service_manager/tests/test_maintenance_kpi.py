from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMaintenanceKpi(TransactionCase):
    """Overdue maintenance on the manager's dashboard: open maintenance
    requests whose scheduled visit is past, one click from their list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="sm_mkpi_manager", groups="service_base.group_service_manager"
        )
        cls.customer = cls.env["res.partner"].create({"name": "MKPI Customer"})
        # Known state for the hand counts below.
        cls.env["service.request"].search([]).write({"active": False})
        cls.done_stage = cls.env.ref("service_repair.stage_done")

    def _request(self, request_type, scheduled, **vals):
        return self.env["service.request"].create(
            {
                "partner_id": self.customer.id,
                "request_type": request_type,
                "subject": f"MKPI {request_type} {scheduled}",
                "date_scheduled": scheduled,
                **vals,
            }
        )

    def _kpis(self):
        # the day starts at midnight in the user's time zone
        self.manager.tz = "UTC"
        dashboard = self.env["service.kpi.dashboard"].with_user(self.manager)
        return {k["key"]: k for k in dashboard.get_kpis()}

    def test_overdue_maintenance(self):
        now = fields.Datetime.now()
        late = self._request("maintenance", now - timedelta(days=3))
        self._request("maintenance", now + timedelta(days=3))  # still to come
        # today, past its hour: not late yet
        self._request("maintenance", datetime.combine(fields.Date.today(), time(0, 0, 1)))
        self._request("maintenance", False)  # not scheduled: nothing is late
        self._request("repair", now - timedelta(days=3))  # not maintenance
        done = self._request("maintenance", now - timedelta(days=5))
        done.stage_id = self.done_stage
        self.env.flush_all()
        kpi = self._kpis()["maintenance_overdue"]
        self.assertEqual(kpi["value"], 1)
        self.assertEqual(kpi["display"], "1")
        action = kpi["action"]
        self.assertEqual(action["res_model"], "service.request")
        self.assertEqual(self.env["service.request"].search(action["domain"]), late)
        # closing it clears the figure
        late.stage_id = self.done_stage
        self.env.flush_all()
        self.assertEqual(self._kpis()["maintenance_overdue"]["value"], 0)
        self.assertNotIn(
            "maintenance_overdue",
            self.env["service.kpi.dashboard"].with_user(self.manager).get_trends(),
            "a figure of today has no trend",
        )
