"""Two runs of the plans at once, in real transactions (as tests/test_concurrency.py)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.service_base.tests.common import CommittedCase


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentRuns(CommittedCase):
    """Two daily runs (or two managers' calls) over the same plans create one
    request per plan and due date, and no error reaches the caller."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def setup(env):
            others = env["service.maintenance.plan"].search([])
            others.active = False
            unit = env.ref("service_base.equipment_02")
            today = fields.Date.context_today(env.user)
            plans = env["service.maintenance.plan"].create(
                [
                    {
                        "name": f"SM concurrent {index}",
                        "equipment_id": unit.id,
                        "interval_type": "week",
                        "interval": 1,
                        "horizon_days": 21,
                        "date_first": today + timedelta(days=1 + index),
                        "duration_hours": 1,
                    }
                    for index in range(3)
                ]
            )
            # batches of two plans: the runs meet within and between batches
            env["ir.config_parameter"].set_param("service_maintenance.batch_size", 2)
            return others.ids, plans.ids

        cls.other_ids, cls.plan_ids = cls._committed(setup)

        def cleanup(env):
            requests = (
                env["service.request"]
                .with_context(active_test=False)
                .search([("maintenance_plan_id", "in", cls.plan_ids)])
            )
            env["mail.message"].search(
                [
                    "|",
                    "&",
                    ("model", "=", "service.request"),
                    ("res_id", "in", requests.ids),
                    "&",
                    ("model", "=", "service.visit"),
                    ("res_id", "in", requests.visit_ids.ids),
                ]
            ).unlink()
            requests.visit_ids.unlink()
            requests.unlink()
            env["service.maintenance.plan"].browse(cls.plan_ids).unlink()
            env["service.maintenance.plan"].browse(cls.other_ids).active = True
            env["ir.config_parameter"].search(
                [("key", "=", "service_maintenance.batch_size")]
            ).unlink()
            cron = env.ref("service_maintenance.ir_cron_service_maintenance_requests")
            env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()

        cls.addClassCleanup(cls._committed, cleanup)

    def setUp(self):
        super().setUp()

        def reset(env):
            requests = (
                env["service.request"]
                .with_context(active_test=False)
                .search([("maintenance_plan_id", "in", self.plan_ids)])
            )
            requests.visit_ids.unlink()
            requests.unlink()
            env["service.maintenance.plan"].browse(self.plan_ids).write({"last_run_date": False})

        self._committed(reset)

    def _check_one_per_due_date(self):
        def check(env):
            rows = env["service.request"]._read_group(
                [("maintenance_plan_id", "in", self.plan_ids)],
                ["maintenance_plan_id", "maintenance_due_date:day"],
                ["__count"],
            )
            self.assertTrue(rows)
            self.assertEqual({count for __, __, count in rows}, {1}, "one request per due date")
            # three weekly plans, 21 days ahead: three or four due dates each
            self.assertGreaterEqual(len(rows), 9)
            return len(rows)

        return self._committed(check)

    def test_two_crons(self):
        def cron(env):
            # as Odoo runs a scheduled action: a call per batch, each
            # committed, until nothing remains (ten at most)
            left = []
            for __ in range(10):
                left.append(env["service.maintenance.plan"]._cron_create_requests())
                env.cr.commit()
                if not left[-1]:
                    break
            return left

        results, errors, __ = self._race([cron, cron], retry=False)
        self.assertEqual(errors, [None, None], "no error leaks out of a run")
        # the three plans in batches of two: one run or both did them
        self.assertIn(0, results[0] + results[1])
        self._check_one_per_due_date()

        def check(env):
            plans = env["service.maintenance.plan"].browse(self.plan_ids)
            self.assertEqual(
                set(plans.mapped("last_run_date")), {fields.Date.context_today(env.user)}
            )
            self.assertFalse(env["service.maintenance.plan"]._cron_create_requests())

        self._committed(check)

    def test_two_managers(self):
        def generate(env):
            return env["service.maintenance.plan"].browse(self.plan_ids).service_generate()

        results, errors, __ = self._race([generate, generate], retry=True)
        self.assertEqual(errors, [None, None])
        created = results[0] + results[1]
        self.assertEqual(len(created), len(set(created)), "no request created twice")
        self.assertEqual(len(created), self._check_one_per_due_date())
