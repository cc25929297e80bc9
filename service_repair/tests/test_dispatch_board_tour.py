from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

RU = "ru_RU"


class DispatchBoardTour:
    """The dispatcher's board in a browser, as a service manager in Russian
    (``service_dispatch_board_tour``): any error dialog fails the tour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang(RU)
        # demo rules would send the tour's requests elsewhere
        env["service.dispatch.rule"].search([]).active = False

        def user(login, name, groups, **vals):
            return new_test_user(env, login=login, name=name, groups=groups, lang=RU, **vals)

        cls.dispatcher = user(
            "board_manager", "Мария Диспетчер", "service_base.group_service_manager"
        )
        category = env["product.category"].create({"name": "Тур Насосы"})
        skill = env["service.skill"].create(
            {"name": "Тур: насосы", "product_category_ids": [Command.set(category.ids)]}
        )
        cls.full = user(
            "board_tech_1",
            "Тур Техник Один",
            "service_base.group_service_user",
            service_capacity=1,
        )
        cls.free = user(
            "board_tech_2",
            "Тур Техник Два",
            "service_base.group_service_user",
            service_capacity=5,
        )
        (cls.full | cls.free).service_skill_ids = skill
        team = env["service.team"].create(
            {"name": "Тур бригада", "member_ids": [Command.set((cls.full | cls.free).ids)]}
        )
        model = env["product.product"].create(
            {
                "name": "Тур Насос ТН-1",
                "categ_id": category.id,
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        customer = env["res.partner"].create({"name": "ООО «Тур Водоканал»", "is_company": True})
        lot = env["stock.lot"].create({"name": "TOUR-BOARD-1", "product_id": model.id})
        unit = env["service.equipment"].create(
            {"product_id": model.id, "lot_id": lot.id, "partner_id": customer.id}
        )
        Request = env["service.request"]
        # the demo's queue would change the board's counts
        Request.search([("user_id", "=", False), ("is_closed", "=", False)]).active = False
        common = {"partner_id": customer.id, "equipment_id": unit.id, "team_id": team.id}
        Request.create({**common, "subject": "Тур: насос гудит", "user_id": cls.full.id})
        cls.ticked = Request.create({**common, "subject": "Тур: насос шумит"})
        cls.rest = Request.create({**common, "subject": "Тур: насос течёт"})

    def test_dispatch_board(self):
        self.start_tour("/odoo", "service_dispatch_board_tour", login="board_manager", timeout=180)
        assigned = self.env.ref("service_repair.stage_assigned")
        self.assertEqual(self.ticked.user_id, self.free)
        self.assertEqual(self.ticked.stage_id, assigned)
        self.assertEqual(self.rest.stage_id, assigned)
        self.assertEqual(self.rest.user_id, self.dragged_to)


@tagged("post_install", "-at_install")
class TestDispatchBoardTourDesktop(DispatchBoardTour, HttpCase):
    browser_size = "1366x768"

    @property
    def dragged_to(self):
        return self.full


@tagged("post_install", "-at_install")
class TestDispatchBoardTourPhone(DispatchBoardTour, HttpCase):
    browser_size = "375x667"
    touch_enabled = True

    @property
    def dragged_to(self):
        # no drag and drop on a phone
        return self.free
