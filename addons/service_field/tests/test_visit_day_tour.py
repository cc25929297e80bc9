from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.service_base.tests.common import TourDataCase


@tagged("post_install", "-at_install", "service_suite")
class TestVisitDayTour(TourDataCase):
    """The technician's day on a phone, in Russian, as the demo's A. Smirnov."""

    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def _setup_tour_data(cls):
        env = cls.env
        env["res.lang"]._activate_lang("ru_RU")
        cls.tech = env.ref("service_base.user_technician_smirnov")
        cls.tech.write({"password": "a.smirnov", "lang": "ru_RU", "tz": "Europe/Moscow"})
        if not cls.tech.service_van_location_id:
            cls.tech.action_service_create_van_location()
        # his other visits at this time out of the way (the demo's visit of
        # today may be there, in any state): the test's transaction is rolled back
        now = fields.Datetime.now().replace(microsecond=0)
        start, end = now - timedelta(minutes=30), now + timedelta(minutes=90)
        env["service.visit"].search(
            [("user_id", "=", cls.tech.id), ("date_start", "<", end), ("date_end", ">", start)]
        ).unlink()
        env["service.dispatch.rule"].search([]).active = False
        category = env["product.category"].create({"name": "Тур котлы"})
        boiler = env["product.product"].create(
            {
                "name": "Тур котёл",
                "categ_id": category.id,
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        lot = env["stock.lot"].create({"name": "TOUR-BOILER-1", "product_id": boiler.id})
        cls.customer = env["res.partner"].create(
            {
                "name": "ООО «Котлы Тура»",
                "is_company": True,
                "email": "boilers@example.com",
                "lang": "ru_RU",
                "street": "ул. Тверская, 1",
                "city": "Москва",
            }
        )
        unit = env["service.equipment"].create(
            {"product_id": boiler.id, "lot_id": lot.id, "partner_id": cls.customer.id}
        )
        cls.request = env["service.request"].create(
            {
                "subject": "Тур: котёл гаснет",
                "partner_id": cls.customer.id,
                "equipment_id": unit.id,
                "user_id": cls.tech.id,
            }
        )
        env["service.checklist"].create(
            {
                "name": "Тур: чек-лист котла",
                "sequence": 1,
                "product_categ_ids": [Command.set(category.ids)],
                "item_ids": [Command.create({"name": "Проверить тягу"})],
            }
        )
        cls.part = env["product.product"].create(
            {"name": "Тур прокладка", "is_storable": True, "standard_price": 100}
        )
        env["stock.quant"]._update_available_quantity(cls.part, cls.tech.service_van_location_id, 3)
        cls.visit = env["service.visit"].create(
            {
                "request_id": cls.request.id,
                "user_id": cls.tech.id,
                "date_start": start,
                "date_end": end,
            }
        )

    def test_the_technicians_day_on_a_phone(self):
        self.start_tour("/odoo", "service_field_day_tour", login="a.smirnov", timeout=180)
        visit = self.visit
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.check_ids.done)
        self.assertEqual(visit.part_ids.product_id, self.part)
        self.assertEqual(visit.picking_id.state, "done")
        self.assertEqual(visit.signed_by, "Иван Петров")
        self.assertTrue(visit.signature)
        self.assertIn("Тяга восстановлена", visit.work_done)
        report = self.request.message_ids.attachment_ids.filtered(
            lambda a: a.name.startswith("Сервисный лист")
        )
        self.assertEqual(len(report), 1)
