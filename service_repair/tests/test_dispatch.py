import threading
import time
from datetime import timedelta

import odoo
from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import ServiceRepairCase

# Queries of one dispatch of any number of requests to two technicians.
DISPATCH_QUERIES = 60


@tagged("post_install", "-at_install")
class TestDispatch(ServiceRepairCase):
    def _requests(self, count, unit=None, **vals):
        unit = unit or self.unit
        return self.Request.create(
            [
                {
                    "partner_id": self.customer.id,
                    "equipment_id": unit.id,
                    "subject": f"R{i}",
                    "team_id": self.team.id,
                    **vals,
                }
                for i in range(count)
            ]
        )

    def test_skill_match_least_loaded_with_capacity(self):
        self.tech_boilers.service_capacity = 2
        self.tech_boilers2.service_capacity = 1
        requests = self._requests(4)
        dispatched = requests.with_user(self.manager).action_dispatch()
        self.assertEqual(dispatched, requests.ids)
        # boiler skills only; least loaded alternates, then capacity stops both
        self.assertEqual(
            requests.mapped("user_id"),
            self.tech_boilers | self.tech_boilers2,
        )
        self.assertEqual(len(requests.filtered(lambda r: r.user_id == self.tech_boilers)), 2)
        self.assertEqual(len(requests.filtered(lambda r: r.user_id == self.tech_boilers2)), 1)
        self.assertFalse(requests[3].user_id, "both skilled technicians are at capacity")
        self.assertNotIn(self.tech_climate, requests.user_id)
        note = requests[0].message_ids[:1].body
        self.assertIn("Tech Boilers", note)
        self.assertIn("skill match for SR Boilers", note)
        self.assertIn("least loaded", note)
        self.assertIn("Deadline:", note)
        self.assertTrue(all(r.date_deadline for r in requests))
        # already assigned requests are not dispatched again
        self.assertFalse(requests[:3].action_dispatch())
        # an assigned request is no longer new; the unassigned one still is
        self.assertEqual(requests[:3].stage_id, self.env.ref("service_repair.stage_assigned"))
        self.assertEqual(requests[3].stage_id, self.env.ref("service_repair.stage_new"))

    def test_assignment_moves_a_new_request_only(self):
        new = self.env.ref("service_repair.stage_new")
        assigned = self.env.ref("service_repair.stage_assigned")
        waiting = self.env.ref("service_repair.stage_waiting")
        fresh, parked = self._requests(2)
        parked.stage_id = waiting
        (fresh | parked).with_user(self.manager).write({"user_id": self.tech_boilers.id})
        self.assertEqual(fresh.stage_id, assigned)
        self.assertEqual(parked.stage_id, waiting, "only a new request moves")
        by_hand = self._requests(1, user_id=self.tech_boilers.id)
        self.assertEqual(by_hand.stage_id, assigned)
        self.assertEqual(self._requests(1).stage_id, new)

    def test_rule_round_robin_and_team(self):
        other_team = self.env["service.team"].create(
            {"name": "SR Climate team", "member_ids": [(6, 0, self.team.member_ids.ids)]}
        )
        rule = self.env["service.dispatch.rule"].create(
            {
                "name": "Climate",
                "product_category_ids": [(6, 0, self.categ_climate.ids)],
                "team_id": other_team.id,
                "strategy": "round_robin",
            }
        )
        self.tech_climate.service_capacity = 0  # unlimited
        climate = self._requests(2, unit=self.aircon_unit, team_id=False)
        boilers = self._requests(1, team_id=False)
        (climate | boilers).with_user(self.tech_boilers).action_dispatch()
        self.assertEqual(climate.team_id, other_team)
        self.assertEqual(climate.dispatch_rule_id, rule)
        self.assertEqual(climate.user_id, self.tech_climate)
        self.assertEqual(rule.last_user_id, self.tech_climate)
        self.assertIn("round robin", climate[0].message_ids[:1].body)
        # no rule for boilers: a team covering the customer's territory
        self.assertFalse(boilers.dispatch_rule_id)
        self.assertTrue(boilers.team_id._covers(self.customer))
        self.assertTrue(boilers.team_id._handles("repair"))
        self.assertIn(boilers.user_id, boilers.team_id.member_ids)

    def test_unit_team_then_company_default(self):
        unit_team = self.env["service.team"].create(
            {"name": "SR Unit team", "member_ids": [(6, 0, self.tech_boilers.ids)]}
        )
        self.unit.team_id = unit_team
        by_unit = self._requests(1, team_id=False)
        lonely = self.Request.create({"subject": "no unit, no customer"})
        self.env["service.team"].search([]).write({"handles_repair": False})
        self.company.service_default_team_id = self.team
        (by_unit | lonely).action_dispatch()
        self.assertEqual(by_unit.team_id, unit_team)
        self.assertEqual(by_unit.user_id, self.tech_boilers)
        self.assertEqual(lonely.team_id, self.team, "nobody handles repairs: the default team")
        self.assertIn("company default", lonely.message_ids[:1].body)

    def test_sla_deadline_per_priority(self):
        urgent = self._requests(1, priority="2")
        urgent.action_dispatch()
        self.assertAlmostEqual(
            urgent.date_deadline,
            urgent.create_date + timedelta(hours=8),
            delta=timedelta(minutes=2),
        )

    def _count_queries(self, requests):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        requests.action_dispatch()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_query_count_does_not_grow(self):
        self.team.member_ids.service_capacity = 0
        self._count_queries(self._requests(5))  # warm the caches (views, templates)
        small, large = self._requests(10), self._requests(100)
        small_count = self._count_queries(small)
        large_count = self._count_queries(large)
        self.assertEqual(small_count, large_count)
        self.assertEqual(len((small | large).filtered("user_id")), 110)
        more = self._requests(10)
        with self.assertQueryCount(__system__=DISPATCH_QUERIES):
            more.action_dispatch()
            self.env.flush_all()

    def test_dispatch_button_without_selection_takes_the_queue(self):
        requests = self._requests(3)
        action = self.Request.with_user(self.manager).browse().action_dispatch_queue()
        self.assertTrue(all(requests.mapped("user_id")))
        self.assertEqual(action["params"]["type"], "success")
        self.assertRegex(action["params"]["message"], r"^(\d+) of \1 requests assigned")

    def test_a_waiting_request_gets_one_note_not_one_a_run(self):
        self.team.member_ids.service_capacity = 1
        self._requests(3).action_dispatch()  # the team is full
        waiting = self._requests(1)
        waiting.action_dispatch()
        waiting.action_dispatch()
        self.Request._cron_dispatch()
        notes = waiting.message_ids.filtered(lambda m: "no technician assigned" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertFalse(waiting.user_id)
        self.assertIn("full capacity", waiting.dispatch_waiting_reason)
        action = self._requests(1).action_dispatch_queue()
        self.assertEqual(
            action["params"]["message"],
            "0 of 1 requests assigned to a technician. Waiting: every technician of the team "
            "with the skill for SR Boilers is at full capacity.",
        )

    def test_cron_dispatches_new_requests(self):
        requests = self._requests(3)
        self.assertTrue(self.Request._cron_dispatch())
        self.assertTrue(all(requests.mapped("user_id")))

    def test_cron_notes_in_the_team_managers_language(self):
        """OdooBot, the cron's user, has no language of the department's."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.team.user_id = new_test_user(
            self.env,
            login="sr_ru_lead",
            groups="service_base.group_service_manager",
            lang="ru_RU",
        )
        request = self._requests(1)
        self.Request.with_user(self.env.ref("base.user_root")).with_context(
            lang=None
        )._cron_dispatch()
        self.assertIn("Распределил", request.message_ids[:1].body)


@tagged("post_install", "-at_install")
class TestDispatchConcurrency(ServiceRepairCase):
    """Two dispatchers at once, each in its own real transaction."""

    def setUp(self):
        super().setUp()
        self.registry_ = self.env.registry
        with self.registry_.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            admin = env.ref("base.user_admin")
            team = env["service.team"].create(
                {"name": "SR concurrency team", "member_ids": [(6, 0, admin.ids)]}
            )
            admin.service_capacity = 0
            partner = env["res.partner"].create({"name": "SR concurrency customer"})
            requests = env["service.request"].create(
                [
                    {"partner_id": partner.id, "team_id": team.id, "subject": f"C{i}"}
                    for i in range(10)
                ]
            )
            self.ids = {"team": team.id, "partner": partner.id, "requests": requests.ids}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry_.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            requests = (
                env["service.request"].with_context(active_test=False).browse(self.ids["requests"])
            )
            env["mail.message"].search(
                [("model", "=", "service.request"), ("res_id", "in", requests.ids)]
            ).unlink()
            requests.unlink()
            env["service.team"].browse(self.ids["team"]).unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()

    def test_two_dispatchers_never_assign_twice(self):
        ids = self.ids["requests"]
        results = {}
        first_locked = threading.Event()
        second_done = threading.Event()

        def dispatch(name, subset, wait_before_commit=None, signal=None):
            with self.registry_.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                results[name] = env["service.request"].browse(subset).action_dispatch()
                if signal:
                    signal.set()
                if wait_before_commit:
                    wait_before_commit.wait(timeout=20)

        # the first dispatcher takes the first half and holds its locks ...
        first = threading.Thread(
            target=dispatch, args=("first", ids[:5], second_done, first_locked)
        )
        first.start()
        self.assertTrue(first_locked.wait(timeout=20))
        # ... while the second one dispatches everything: it skips the locked half
        dispatch("second", ids)
        second_done.set()
        first.join(timeout=30)
        self.assertEqual(sorted(results["first"]), ids[:5])
        self.assertEqual(sorted(results["second"]), ids[5:])
        with self.registry_.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            requests = env["service.request"].browse(ids)
            self.assertTrue(all(requests.mapped("user_id")), "no assignment lost")
            notes = env["mail.message"].search_count(
                [
                    ("model", "=", "service.request"),
                    ("res_id", "in", ids),
                    ("body", "ilike", "Dispatched by"),
                ]
            )
            self.assertEqual(notes, 10, "each request dispatched exactly once")

    def test_cron_defers_on_serialization_failure(self):
        ids = self.ids["requests"]
        with self.registry_.cursor() as cr_cron, self.registry_.cursor() as cr_user:
            cron_env = odoo.api.Environment(cr_cron, odoo.SUPERUSER_ID, {})
            user_env = odoo.api.Environment(cr_user, odoo.SUPERUSER_ID, {})
            # the cron's transaction takes its snapshot ...
            cron_env.cr.execute("SELECT 1")
            # ... then a user dispatches one request and commits
            user_env["service.request"].browse(ids[0]).action_dispatch()
            cr_user.commit()
            time.sleep(0.1)
            # locking a row changed after the snapshot fails: the cron defers, quietly
            self.assertFalse(cron_env["service.request"]._cron_dispatch())
            cr_cron.rollback()
        with self.registry_.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            requests = env["service.request"].browse(ids)
            self.assertEqual(len(requests.filtered("user_id")), 1)
            self.assertEqual(fields.Datetime.now().year, requests[0].create_date.year)
