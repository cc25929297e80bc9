from datetime import date, datetime, time, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged


def _done_booking(env, unit, partner, lead, start, outcome="interested"):
    booking = env["service.demo.booking"].create(
        {
            "equipment_id": unit.id,
            "partner_id": partner.id,
            "lead_id": lead.id,
            "date_start": start,
            "date_stop": start.replace(hour=start.hour + 1),
            "outcome": outcome,
        }
    )
    booking.action_confirm()
    booking.action_done()
    return booking


@tagged("post_install", "-at_install")
class TestDashboard(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="sm_dash_manager", groups="service_base.group_service_manager"
        )
        cls.user = new_test_user(
            cls.env, login="sm_dash_user", groups="service_base.group_service_user"
        )
        # Start from a known state: the figures are compared with hand counts.
        cls.env["service.demo.booking"].search([]).write({"state": "cancelled"})
        cls.env["service.qc.check"].search([]).unlink()
        model = cls.env["product.product"].create(
            {"name": "Dash Unit", "is_storable": True, "tracking": "serial", "is_equipment": True}
        )
        lot = cls.env["stock.lot"].create({"name": "DASH-1", "product_id": model.id})
        cls.unit = cls.env["service.equipment"].create(
            {"product_id": model.id, "lot_id": lot.id, "is_demo": True}
        )
        cls.partner = cls.env["res.partner"].create({"name": "Dash Customer"})
        Lead = cls.env["crm.lead"]
        cls.lead_won = Lead.create({"name": "Won deal", "type": "opportunity"})
        cls.lead_open = Lead.create({"name": "Open deal", "type": "opportunity"})

    def _kpis(self, **period):
        return {
            k["key"]: k
            for k in self.env["service.kpi.dashboard"].with_user(self.manager).get_kpis(**period)
        }

    def test_demo_and_quality_figures_match_hand_counts(self):
        for day, lead in ((1, self.lead_won), (2, self.lead_open), (3, self.lead_open)):
            _done_booking(self.env, self.unit, self.partner, lead, datetime(2031, 1, day, 10))
        self.lead_won.stage_id = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        self.env.flush_all()

        # The demonstrations of January 2031 (those of the default period: none).
        self.assertEqual(self._kpis()["demos_done"]["value"], 0)
        kpis = self._kpis(date_from="2031-01-01", date_to="2031-01-31")
        self.assertEqual(
            self._kpis(date_from="2031-01-02", date_to="2031-01-31")["demos_done"]["value"], 2
        )
        self.assertEqual(kpis["demos_done"]["value"], 3)
        self.assertAlmostEqual(kpis["demos_won_rate"]["value"], 100 / 3)
        self.assertEqual(kpis["demos_won_rate"]["display"], "33\N{NO-BREAK SPACE}%")
        action = kpis["demos_won_rate"]["action"]
        won = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(won.lead_id, self.lead_won)
        self.assertIs(kpis["qc_pass_rate"]["value"], False, "no check done: no rate, not 0 %")
        self.assertEqual(kpis["qc_pass_rate"]["display"], "—")

    def test_figures_written_in_the_users_language(self):
        Dashboard = self.env["service.kpi.dashboard"]
        self.env["res.lang"]._activate_lang("ru_RU")
        russian = Dashboard.with_context(lang="ru_RU")
        self.assertEqual(russian._kpi("x", "X", 0.1, "s", {}, precision=1)["display"], "0,1")
        self.assertEqual(
            russian._kpi("x", "X", 12.5, "s", {}, unit="%", precision=1)["display"],
            "12,5\N{NO-BREAK SPACE}%",
        )
        self.assertEqual(
            Dashboard.with_context(lang="en_US")._kpi("x", "X", 1250, "s", {})["display"], "1,250"
        )

    def test_only_managers_read_the_dashboard(self):
        with self.assertRaises(AccessError):
            self.env["service.kpi.dashboard"].with_user(self.user).get_kpis()
        with self.assertRaises(AccessError):
            self.env["service.kpi.dashboard"].with_user(self.user).get_trends()

    def _checks(self, passed, failed, day):
        """Quality checks done on ``day``: ``passed`` passed, ``failed`` failed."""
        Check = self.env["service.qc.check"]
        repairs = self.env["repair.order"].create(
            [{"partner_id": self.partner.id} for __ in range(passed + failed)]
        )
        template = self.env["service.qc.template"].create({"name": "Dash checklist"})
        checks = Check.create(
            [{"repair_id": repair.id, "template_id": template.id} for repair in repairs]
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE service_qc_check SET state = CASE WHEN id = ANY(%s) THEN 'passed' "
            "ELSE 'failed' END, date_checked = %s WHERE id = ANY(%s)",
            [checks[:passed].ids, datetime.combine(day, time(10)), checks.ids],
        )
        Check.invalidate_model()

    def test_figures_are_coloured_against_the_companys_targets(self):
        """CSAT 0 % looked as good as 95 %: each rate has its target and state."""
        self._checks(9, 1, date(2031, 1, 10))
        period = {"date_from": "2031-01-01", "date_to": "2031-01-31"}
        company = self.env.company
        cases = ((95.0, "warning"), (90.0, "success"), (99.5, "warning"), (100.0, "warning"))
        for target, state in (*cases, (None, "danger")):
            if target is None:
                company.service_target_qc_pass = 100.0
                self._checks(0, 3, date(2031, 1, 11))  # 9 of 13 passed: 69 %
            else:
                company.service_target_qc_pass = target
            kpi = self._kpis(**period)["qc_pass_rate"]
            with self.subTest(target=target):
                self.assertEqual(kpi["state"], state)
                self.assertEqual(kpi["target"], company.service_target_qc_pass)
        self.assertEqual(kpi["target_display"], "Target: at least 100\N{NO-BREAK SPACE}%")
        # Lower is better for rework, and a figure without a value has no state.
        kpis = self._kpis(**period)
        self.assertEqual(kpis["rework_rate"]["target"], 100 - company.service_target_first_time_fix)
        self.assertIs(kpis["csat"]["state"], False, "no rating: no colour")
        self.assertEqual(kpis["demos_done"]["target_display"], "", "a count has no target")
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            company.service_target_csat = 120

    def test_trends_of_the_past_periods(self):
        self._checks(1, 1, date(2031, 1, 10))  # January: 50 %
        self._checks(3, 0, date(2031, 2, 20))  # 31 days later: 100 %
        Dashboard = self.env["service.kpi.dashboard"].with_user(self.manager)
        trends = Dashboard.get_trends("2031-02-01", "2031-03-03", periods=3)
        points = trends["qc_pass_rate"]
        self.assertEqual(len(points), 3)
        self.assertEqual([p["value"] for p in points], [False, 50.0, 100.0])
        self.assertTrue(points[0]["label"].startswith("12/01/2030"), points[0]["label"])
        self.assertNotIn("backlog_open", trends, "today's figures have no trend")
        self.assertNotIn("forecast_load", trends)
        with self.assertRaisesRegex(UserError, "1 to 24 periods"):
            Dashboard.get_trends(periods=100)
        # One set of queries per period, whatever the records.
        Dashboard.get_trends("2031-02-01", "2031-03-03", periods=2)
        with self.assertQueryCount(QUERIES_TREND_2):
            Dashboard.get_trends("2031-02-01", "2031-03-03", periods=2)

    def test_forecast_card_draws_weeks_and_capacity(self):
        kpi = self._kpis()["forecast_load"]
        chart = kpi["chart"]
        self.assertEqual(len(chart["bars"]), 12, "8 past weeks, 4 forecast weeks")
        self.assertEqual([bar["forecast"] for bar in chart["bars"]], [False] * 8 + [True] * 4)
        self.assertAlmostEqual(
            sum(bar["value"] for bar in chart["bars"][8:]), kpi["value"], delta=0.2
        )
        self.assertEqual(
            chart["capacity"],
            round(self.env["service.forecast.wizard"]._capacity_per_week(), 1),
        )


# get_trends over two periods: 18 measured with the suite installed (9 a period).
QUERIES_TREND_2 = 20


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    def test_dashboard_click_through(self):
        self.env["service.demo.booking"].search([]).write({"state": "cancelled"})
        model = self.env["product.product"].create(
            {
                "name": "Tour Demo Unit",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        lot = self.env["stock.lot"].create({"name": "DASH-TOUR-1", "product_id": model.id})
        unit = self.env["service.equipment"].create(
            {"product_id": model.id, "lot_id": lot.id, "is_demo": True}
        )
        partner = self.env["res.partner"].create({"name": "Dashboard Tour Customer"})
        lead = self.env["crm.lead"].create({"name": "Tour deal", "type": "opportunity"})
        # Held the day before yesterday: in the dashboard's default period.
        held = datetime.combine(date.today() - timedelta(days=2), time(10))
        _done_booking(self.env, unit, partner, lead, held)
        # The only repair request: the period selector decides whether it counts.
        self.env["service.request"].search([]).write({"active": False})
        self.env["service.request"].create(
            {"partner_id": partner.id, "request_type": "repair", "description": "Tour repair"}
        )
        self.start_tour("/odoo", "service_dashboard_tour", login="admin", timeout=120)
