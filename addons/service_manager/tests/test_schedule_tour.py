from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

RU = "ru_RU"


class ScheduleTour:
    """The technicians' schedule (OCA web_timeline) as a service manager in
    Russian: any error dialog fails the tour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang(RU)
        new_test_user(
            env,
            login="schedule_manager",
            name="Мария Диспетчер",
            groups="service_base.group_service_manager",
            lang=RU,
        )
        technician = new_test_user(
            env,
            login="schedule_tech",
            name="Тур Техник Три",
            groups="service_base.group_service_user",
            lang=RU,
        )
        cls.full = new_test_user(
            env,
            login="schedule_tech_full",
            name="Тур Техник Четыре",
            groups="service_base.group_service_user",
            lang=RU,
            service_capacity=1,
        )
        team = env["service.team"].create(
            {
                "name": "Тур бригада графика",
                "member_ids": [Command.set((technician | cls.full).ids)],
            }
        )
        customer = env["res.partner"].create({"name": "ООО «Тур График»", "is_company": True})
        soon = fields.Datetime.now() + timedelta(hours=2)
        Request = env["service.request"]
        for values in (
            {"subject": "Тур: уже у техника", "user_id": cls.full.id},
            {"subject": "Тур: выезд без техника"},
        ):
            Request.create(
                {
                    "partner_id": customer.id,
                    "team_id": team.id,
                    "date_scheduled": soon + timedelta(days=1),
                    **values,
                }
            )
        cls.visit = env["service.request"].create(
            {
                "subject": "Тур: выезд",
                "partner_id": customer.id,
                "team_id": team.id,
                "user_id": technician.id,
                "date_scheduled": fields.Datetime.now() + timedelta(hours=2),
            }
        )

    def test_schedule(self):
        action = self.env.ref("service_manager.service_request_action_schedule")
        self.assertEqual(action.view_mode.split(",")[0], "timeline")
        self.start_tour("/odoo", "service_schedule_tour", login="schedule_manager", timeout=120)
        if self.browser_size == "1366x768":
            # dragged to the full technician, assigned once the dispatcher confirmed
            self.assertEqual(self.visit.user_id, self.full)


@tagged("post_install", "-at_install")
class TestScheduleTourDesktop(ScheduleTour, HttpCase):
    browser_size = "1366x768"


@tagged("post_install", "-at_install")
class TestScheduleTourPhone(ScheduleTour, HttpCase):
    browser_size = "375x667"
    touch_enabled = True
