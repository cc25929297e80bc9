from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.service_field.tests.test_visit_day import VisitDayCase


@tagged("post_install", "-at_install", "service_suite")
class TestVisitLabour(VisitDayCase):
    """A visit's travel and time on site are labour on its request, charged to
    the request's analytic account as a repair's labour is."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.service_labour_rate = 1500.0
        plan = cls.env.ref("service_manager.analytic_plan_service")
        cls.account = cls.env["account.analytic.account"].create(
            {"name": "SFM field team", "plan_id": plan.id}
        )
        cls.team.analytic_account_id = cls.account
        cls.request.team_id = cls.team
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.van, 5)

    def finished(self, travel=0.5, onsite=2.0, parts=0):
        visit = self.visit(start=9, end=11).with_user(self.tech_boilers)
        visit.action_start_travel()
        visit.action_arrive()
        now = fields.Datetime.now()
        # sudo: the times as if the technician had left and arrived earlier
        visit.sudo().write(
            {
                "date_on_the_way": now - timedelta(hours=travel + onsite),
                "date_arrival": now - timedelta(hours=onsite),
            }
        )
        if parts:
            visit.part_ids = [Command.create({"product_id": self.part.id, "quantity": parts})]
        self.tick(visit)
        visit.action_finish()
        return visit

    def lines(self):
        return self.env["account.analytic.line"].search([("account_id", "=", self.account.id)])

    def test_finishing_charges_the_labour_once(self):
        visit = self.finished()
        self.assertAlmostEqual(visit.service_labour_hours, 2.5, places=2)
        self.assertAlmostEqual(visit.service_labour_cost, 1500.0 * 2.5, delta=1.0)
        line = self.lines()
        self.assertEqual(len(line), 1)
        self.assertEqual(line.service_visit_id, visit)
        self.assertAlmostEqual(line.amount, -visit.service_labour_cost)
        self.assertAlmostEqual(line.unit_amount, visit.service_labour_hours)
        self.assertEqual(line.user_id, self.tech_boilers)
        # a second click (or a second tab) is refused and charges nothing more
        with self.assertRaises(UserError):
            visit.action_finish()
        visit._service_sync_labour_analytic()
        self.assertEqual(self.lines(), line)
        self.assertAlmostEqual(line.amount, -visit.service_labour_cost)

    def test_a_visit_not_done_charges_nothing(self):
        visit = self.visit(start=9, end=11).with_user(self.tech_boilers)
        visit.action_arrive()
        self.assertEqual(visit.service_labour_cost, 0.0)
        self.assertFalse(self.lines())
        cancelled = self.visit(start=13, end=15).with_user(self.tech_boilers)
        cancelled.action_start_travel()
        cancelled.action_cancel()
        self.assertEqual(cancelled.service_labour_cost, 0.0)
        self.assertFalse(self.lines())

    def test_the_requests_cost_and_margin_count_the_visits(self):
        before = self.request.with_user(self.manager)
        self.assertEqual(before.service_labour_cost, 0.0)
        visit = self.finished(parts=2)
        request = self.request.with_user(self.manager)
        request.invalidate_recordset()
        self.assertAlmostEqual(request.service_labour_cost, visit.service_labour_cost)
        self.assertAlmostEqual(request.service_parts_cost, 2 * 150.0)
        self.assertAlmostEqual(
            request.service_margin, -(visit.service_labour_cost + 300.0), delta=0.01
        )

    def test_the_labour_is_set_by_finishing_only(self):
        visit = self.visit(start=9, end=11).with_user(self.tech_boilers)
        with self.assertRaises(UserError):
            visit.write({"service_labour_hours": 10})

    def test_the_units_warranty_shows_on_the_visit(self):
        visit = self.visit(start=9, end=11)
        self.assertEqual(visit.service_warranty_label, self.unit.service_warranty_label)
        self.assertTrue(visit.service_warranty_label)
