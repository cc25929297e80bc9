from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import ServiceRepairCase


@tagged("post_install", "-at_install")
class TestDispatchBoard(ServiceRepairCase):
    """What the dispatch board reads: a column per technician, their load,
    capacity and skills in one call."""

    def test_columns_load_capacity_skills(self):
        self.tech_boilers.service_capacity = 5
        self.tech_climate.service_capacity = 0
        self.tech_boilers.service_skill_ids |= self.skill_climate
        requests = self.Request.create(
            [
                {"partner_id": self.customer.id, "equipment_id": self.unit.id, "subject": s}
                for s in ("A", "B", "C")
            ]
        )
        requests[:2].with_user(self.manager).user_id = self.tech_boilers
        requests[2].with_user(self.manager).user_id = self.tech_boilers
        requests[2].action_close()
        users = self.tech_boilers | self.tech_boilers2 | self.tech_climate
        columns = self.Request.with_user(self.manager).service_dispatch_board_columns(users.ids)
        self.assertEqual(
            columns[str(self.tech_boilers.id)],
            {"load": 2, "capacity": 5, "skills": ["SR boilers", "SR climate"]},
            "closed requests are no load",
        )
        self.assertEqual(columns[str(self.tech_boilers2.id)]["load"], 0)
        self.assertEqual(columns[str(self.tech_climate.id)]["capacity"], 0, "no limit")
        # string keys, as XML-RPC carries them (it refuses integer keys)
        with self.assertRaisesRegex(UserError, "list of user ids"):
            self.Request.with_user(self.manager).service_dispatch_board_columns("1,2")

    def test_columns_in_a_fixed_number_of_queries(self):
        Request = self.Request.with_user(self.manager)
        few = self.tech_boilers | self.tech_climate
        many = self.env["res.users"]
        for i in range(8):
            many |= new_test_user(
                self.env, login=f"sr_board_{i}", groups="service_base.group_service_user"
            )
        many.service_skill_ids = self.skill_boilers | self.skill_climate
        Request.service_dispatch_board_columns(few.ids)  # access rights and rules cached
        self.env.invalidate_all()
        with self.assertQueryCount(6):
            Request.service_dispatch_board_columns(few.ids)
        self.env.invalidate_all()
        with self.assertQueryCount(6):
            Request.service_dispatch_board_columns((few | many).ids)

    def test_every_technician_has_a_column_on_the_board(self):
        idle = new_test_user(
            self.env, login="sr_idle", name="Idle Tech", groups="service_base.group_service_user"
        )
        self.team.member_ids |= idle
        self.Request.create(
            {"partner_id": self.customer.id, "subject": "Queued", "team_id": self.team.id}
        )
        Request = self.Request.with_user(self.manager)
        domain = [("is_closed", "=", False)]
        groups = Request.web_read_group(domain, ["user_id"], ["user_id"])["groups"]
        self.assertNotIn(idle.id, [g["user_id"] and g["user_id"][0] for g in groups])
        board = Request.with_context(service_dispatch_board=True)
        groups = board.web_read_group(domain, ["user_id"], ["user_id"])["groups"]
        ids = [g["user_id"] and g["user_id"][0] for g in groups]
        self.assertIn(idle.id, ids, "a technician without requests gets a column")
        self.assertIn(False, ids, "the queue")

    def test_columns_refuse_what_is_not_a_list_of_ids(self):
        Request = self.Request.with_user(self.manager)
        for bad in ("1,2", [1, "x"], None, {"id": 1}):
            with self.subTest(bad=bad), self.assertRaises(UserError):
                Request.service_dispatch_board_columns(bad)
        self.assertEqual(Request.service_dispatch_board_columns([2_000_000_000]), {})
