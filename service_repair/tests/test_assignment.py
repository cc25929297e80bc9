from contextlib import contextmanager

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.service_repair.exceptions import ServiceOverCapacityError

from .common import ServiceRepairCase


@tagged("post_install", "-at_install")
class TestAssignment(ServiceRepairCase):
    """Giving a request to a technician by hand (the board's drag and drop, the
    form, an RPC write) is held to the dispatch's rules: team and territory,
    skill, capacity; the stage follows the assignment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_new = cls.env.ref("service_repair.stage_new")
        cls.stage_assigned = cls.env.ref("service_repair.stage_assigned")
        cls.stage_in_progress = cls.env.ref("service_repair.stage_in_progress")
        cls.russia = cls.env.ref("base.ru")
        cls.france = cls.env.ref("base.fr")
        cls.customer.country_id = cls.russia
        cls.dispatcher = cls.manager

    def _request(self, unit=None, **vals):
        unit = unit or self.unit
        return self.Request.create(
            {
                "partner_id": unit.partner_id.id,
                "equipment_id": unit.id,
                "subject": "Assignment",
                "team_id": self.team.id,
                **vals,
            }
        )

    @contextmanager
    def assertRefused(self, pattern, exception=UserError):
        """Odoo's assertRaises (unlike assertRaisesRegex) rolls the refused
        write back, as the RPC's transaction is."""
        with self.assertRaises(exception) as refusal:
            yield refusal
        self.assertRegex(str(refusal.exception), pattern)

    def _assign(self, request, user, **context):
        request.with_user(self.dispatcher).with_context(**context).write({"user_id": user.id})

    def test_skill_refused_when_a_skilled_technician_exists(self):
        request = self._request()
        with self.assertRefused("Tech Climate has no skill for SR Boilers") as err:
            self._assign(request, self.tech_climate)
        self.assertIn("Tech Boilers, Tech Boilers 2", str(err.exception))
        self.assertFalse(request.user_id)
        self.assertEqual(request.stage_id, self.stage_new)
        self._assign(request, self.tech_boilers)
        self.assertEqual(request.user_id, self.tech_boilers)
        self.assertEqual(request.stage_id, self.stage_assigned)

    def test_skill_not_required_when_nobody_in_the_team_has_it(self):
        """As the dispatch: no skilled technician in the team, anyone of it."""
        climate_team = self.env["service.team"].create(
            {"name": "SR Climate only", "member_ids": [(6, 0, self.tech_climate.ids)]}
        )
        request = self._request(team_id=climate_team.id)
        self._assign(request, self.tech_climate)
        self.assertEqual(request.user_id, self.tech_climate)

    def test_territory_of_the_technicians_teams(self):
        paris = self.env["service.team"].create(
            {
                "name": "SR Paris",
                "country_ids": [(6, 0, self.france.ids)],
                "member_ids": [(6, 0, self.tech_boilers2.ids)],
            }
        )
        self.team.member_ids -= self.tech_boilers2
        request = self._request(team_id=False)
        with self.assertRefused(r"their teams \(SR Paris\) do not cover"):
            self._assign(request, self.tech_boilers2)
        self.assertFalse(request.user_id)
        # a team of theirs covering the customer's country: assigned
        paris.country_ids |= self.russia
        self._assign(request, self.tech_boilers2)
        self.assertEqual(request.user_id, self.tech_boilers2)
        # a team that does not take repairs does not cover them either
        request = self._request(team_id=False)
        paris.handles_repair = False
        with self.assertRefused("do not take Repair requests"):
            self._assign(request, self.tech_boilers2)

    def test_the_requests_own_team_needs_no_territory(self):
        """The dispatch gives a request of a team to any of its technicians."""
        self.team.country_ids = self.france
        request = self._request()
        self._assign(request, self.tech_boilers)
        self.assertEqual(request.user_id, self.tech_boilers)

    def test_technician_without_team_refused(self):
        loner = new_test_user(
            self.env, login="sr_loner", name="Lone Tech", groups="service_base.group_service_user"
        )
        loner.service_skill_ids = self.skill_boilers
        request = self._request()
        with self.assertRefused("Lone Tech is not a technician of any service team"):
            self._assign(request, loner)
        with self.assertRefused("Lone Tech is not a technician"):
            self.Request.with_user(self.dispatcher).create(
                {"partner_id": self.customer.id, "subject": "At birth", "user_id": loner.id}
            )

    def test_capacity_refused_unless_confirmed(self):
        self.tech_boilers.service_capacity = 1
        first, second = self._request(), self._request()
        self._assign(first, self.tech_boilers)
        with self.assertRaises(ServiceOverCapacityError) as err:
            self._assign(second, self.tech_boilers)
        self.assertEqual(
            str(err.exception),
            "Tech Boilers would have 2\N{NO-BREAK SPACE}open requests, over their capacity of 1.",
        )
        self.assertFalse(second.user_id)
        self._assign(second, self.tech_boilers, service_over_capacity=True)
        self.assertEqual(second.user_id, self.tech_boilers)
        self.assertEqual(second.stage_id, self.stage_assigned)
        # writing the same technician again is no new assignment
        (first | second).with_user(self.dispatcher).write({"user_id": self.tech_boilers.id})
        # a closed request is no load
        first.action_close()
        third = self._request()
        self._assign(third, self.tech_boilers, service_over_capacity=True)
        self.assertEqual(third.user_id, self.tech_boilers)

    def test_dispatch_is_not_checked_again(self):
        self.tech_boilers.service_capacity = 1
        self.tech_boilers2.service_capacity = 1
        requests = self._request() | self._request() | self._request()
        requests.with_user(self.dispatcher).action_dispatch()
        self.assertEqual(len(requests.filtered("user_id")), 2)

    def test_form_assignment_checked(self):
        request = self._request()
        form = Form(request.with_user(self.dispatcher))
        form.user_id = self.tech_climate
        with self.assertRefused("has no skill"):
            form.save()
        self.assertFalse(request.user_id)

    def test_stage_follows_the_assignment(self):
        request = self._request()
        self._assign(request, self.tech_boilers)
        self.assertEqual(request.stage_id, self.stage_assigned)
        request.with_user(self.dispatcher).user_id = False
        self.assertEqual(request.stage_id, self.stage_new, "back in the queue's stage")
        self._assign(request, self.tech_boilers2)
        request.with_user(self.tech_boilers2).stage_id = self.stage_in_progress
        request.with_user(self.dispatcher).user_id = False
        self.assertEqual(request.stage_id, self.stage_in_progress, "work started stays")
        # a stage written with the assignment is the writer's
        request.with_user(self.dispatcher).write(
            {"user_id": self.tech_boilers.id, "stage_id": self.stage_new.id}
        )
        self.assertEqual(request.stage_id, self.stage_new)

    def test_rpc_as_a_service_user(self):
        """Through ``call_kw``, as /web/dataset/call_kw and XML-RPC run it, in
        the user's language."""
        self.tech_boilers.service_capacity = 1
        self._assign(self._request(), self.tech_boilers)
        request = self._request()
        model = self.Request.with_user(self.tech_boilers2)
        with self.assertRaises(UserError) as err:
            api.call_kw(model, "write", [request.ids, {"user_id": self.tech_climate.id}], {})
        self.assertIn("has no skill", str(err.exception))
        self.env["res.lang"]._activate_lang("ru_RU")
        with self.assertRaises(ServiceOverCapacityError) as err:
            api.call_kw(
                model,
                "write",
                [request.ids, {"user_id": self.tech_boilers.id}],
                {"context": {"lang": "ru_RU"}},
            )
        self.assertEqual(
            str(err.exception),
            "Инженер Tech Boilers: будет 2\N{NO-BREAK SPACE}открытые заявки при норме 1.",
        )
        # past the capacity only a service manager assigns, and only when the
        # context says True (not any value a client sends)
        for who, value in ((model, True), (self.Request.with_user(self.manager), "false")):
            with self.assertRaises(UserError) as err:
                api.call_kw(
                    who,
                    "write",
                    [request.ids, {"user_id": self.tech_boilers.id}],
                    {"context": {"lang": "ru_RU", "service_over_capacity": value}},
                )
            self.assertIn("Только сервис-менеджер", str(err.exception))
        self.assertFalse(request.user_id)
        api.call_kw(
            self.Request.with_user(self.manager),
            "write",
            [request.ids, {"user_id": self.tech_boilers.id}],
            {"context": {"lang": "ru_RU", "service_over_capacity": True}},
        )
        self.assertEqual(request.user_id, self.tech_boilers)
        self.assertEqual(request.stage_id, self.stage_assigned)

    def test_a_closed_request_keeps_the_rules(self):
        """Given to anyone while closed, a request would take them along when
        it is opened again: the checks hold on closed requests and on reopening."""
        portal = new_test_user(self.env, login="sr_portal_tech", groups="base.group_portal")
        request = self._request()
        request.action_close()
        with self.assertRefused("is not a technician"):
            self._assign(request, portal)
        with self.assertRefused("is not a technician"):
            self.Request.with_user(self.dispatcher).create(
                {
                    "partner_id": self.customer.id,
                    "subject": "Born closed",
                    "user_id": portal.id,
                    "stage_id": self.env.ref("service_repair.stage_done").id,
                }
            )
        # over capacity while closed, then opened again: refused
        self.tech_boilers.service_capacity = 1
        self._assign(self._request(), self.tech_boilers)
        self._assign(request, self.tech_boilers)  # closed: no load
        with self.assertRaises(ServiceOverCapacityError):
            request.with_user(self.dispatcher).stage_id = self.stage_in_progress
        self.assertTrue(request.is_closed)
