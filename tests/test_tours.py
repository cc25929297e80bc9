"""The main screens of each role in a real browser, on a desktop and on a phone.

Every tour runs twice: in a desktop-sized window and in a phone-sized one
with touch events (Odoo switches to its mobile layout below 768 pixels). Each
run ends with a screenshot of the screen the tour ended on, written to
``$SD_SCREENSHOTS`` or else to ``<Odoo's screenshots option>/<database>/service_tours``
(``/tmp/odoo_tests/sd_test_<pid>/service_tours`` under ``setup/test``), as
``<screen>_<desktop|phone>.png``.
"""

import base64
import os
import pathlib
import struct
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields, tools
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser, get_db_name

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SCROLL_TO_TOP = (
    "for (const el of document.querySelectorAll('*')) { if (el.scrollTop) el.scrollTop = 0; }"
)


def screenshot_dir():
    path = os.environ.get("SD_SCREENSHOTS")
    if path:
        return pathlib.Path(path)
    return pathlib.Path(tools.config["screenshots"]) / get_db_name() / "service_tours"


class RoleTours:
    """The tours and their data; the subclasses set the window."""

    screen = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # The users of a Russian service department, and their screens in Russian.
        env["res.lang"]._activate_lang("ru_RU")
        cls.technician = new_test_user(
            env,
            lang="ru_RU",
            login="tour_tech",
            name="Тур Техник",
            groups="service_base.group_service_user",
        )
        cls.manager = new_test_user(
            env,
            lang="ru_RU",
            login="tour_manager",
            name="Тур Руководитель",
            groups="service_base.group_service_manager",
        )
        cls.storekeeper = new_test_user(
            env,
            lang="ru_RU",
            login="tour_store",
            name="Тур Кладовщик",
            groups="stock.group_stock_user",
        )
        cls.accountant = new_test_user(
            env,
            lang="ru_RU",
            login="tour_accountant",
            name="Тур Бухгалтер",
            groups="account.group_account_invoice",
        )
        cls.customer = env["res.partner"].create(
            {
                "name": "Тур Насосная станция",
                "is_company": True,
                "email": "pumps@example.com",
                "lang": "ru_RU",
            }
        )
        contact = env["res.partner"].create(
            {
                "name": "Ольга Тур",
                "parent_id": cls.customer.id,
                "email": "olga@example.com",
                "lang": "ru_RU",
            }
        )
        cls.portal_user = new_test_user(
            env,
            lang="ru_RU",
            login="tour_portal",
            name="Ольга Тур",
            groups="base.group_portal",
            partner_id=contact.id,
        )

        # The installed base: a pump at the customer, in warranty; a team that repairs it.
        category = env["product.category"].create({"name": "Тур Насосы"})
        skill = env["service.skill"].create(
            {"name": "Тур насосы", "product_category_ids": [Command.set(category.ids)]}
        )
        cls.technician.write({"service_skill_ids": [Command.link(skill.id)], "service_capacity": 0})
        team = env["service.team"].create(
            {"name": "Тур Бригада", "member_ids": [Command.set(cls.technician.ids)]}
        )
        cls.pump = env["product.product"].create(
            {
                "name": "Тур Насос TP-3",
                "categ_id": category.id,
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        lot = env["stock.lot"].create({"name": "TOUR-PUMP-1", "product_id": cls.pump.id})
        cls.unit = env["service.equipment"].create(
            {
                "product_id": cls.pump.id,
                "lot_id": lot.id,
                "partner_id": cls.customer.id,
                "team_id": team.id,
            }
        )
        Request = env["service.request"]
        # The technician's request, with its confirmed repair order.
        cls.assigned_request = Request.create(
            {
                "subject": "Тур: шумит насос",
                "partner_id": cls.customer.id,
                "equipment_id": cls.unit.id,
                "team_id": team.id,
                "user_id": cls.technician.id,
                "request_type": "repair",
            }
        )
        action = cls.assigned_request.action_create_repair()
        cls.repair = env["repair.order"].browse(action["res_id"])
        cls.repair._action_repair_confirm()
        # A complaint waiting for dispatch.
        cls.waiting_request = Request.create(
            {
                "subject": "Тур: течёт котёл",
                "partner_id": cls.customer.id,
                "equipment_id": cls.unit.id,
                "team_id": team.id,
                "request_type": "complaint",
            }
        )
        # Due in three days at noon: the card words it in Russian's plural («Через 3 дня»).
        cls.waiting_request.write(
            {"date_deadline": fields.Datetime.now().replace(hour=12, minute=0) + timedelta(days=3)}
        )

        # Last month's request: the history the workload forecast learns from.
        old = Request.create(
            {"subject": "Тур: прошлый месяц", "partner_id": cls.customer.id, "team_id": team.id}
        )
        env.cr.execute(
            "UPDATE service_request SET create_date = now() - interval '30 days' WHERE id = %s",
            [old.id],
        )
        old.invalidate_recordset(["create_date"])

        # A spare part known by its OEM number, in stock, with a substitute and a supplier.
        Product = env["product.product"]
        cls.impeller, substitute = Product.create(
            [
                {"name": name, "is_storable": True, "is_spare_part": True, "standard_price": 40}
                for name in ("Тур Крыльчатка IM-5", "Тур Крыльчатка IM-5S")
            ]
        )
        supplier = env["res.partner"].create(
            {"name": "Тур Запчасти для насосов", "is_company": True}
        )
        env["service.part.crossref"].create(
            {"product_id": cls.impeller.id, "code": "TOUR-OEM-7712", "code_type": "oem"}
        )
        env["service.part.substitute"].create(
            {"product_id": cls.impeller.id, "substitute_id": substitute.id}
        )
        env["product.supplierinfo"].create(
            {
                "partner_id": supplier.id,
                "product_tmpl_id": cls.impeller.product_tmpl_id.id,
                "price": 35.0,
                "delay": 4,
            }
        )
        stock = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        env["stock.quant"]._update_available_quantity(cls.impeller, stock.lot_stock_id, 5)

        # A warranty claim on a serial sold to the customer, in warranty.
        claimed = env["stock.lot"].create({"name": "TOUR-CLAIM-1", "product_id": cls.pump.id})
        today = fields.Date.context_today(claimed)
        claimed.sudo().write(
            {
                "service_warranty_partner_id": cls.customer.id,
                "service_warranty_start": fields.Date.add(today, months=-3),
                "service_warranty_end": fields.Date.add(today, months=21),
            }
        )
        cls.claim = env["service.warranty.claim"].create(
            {
                "partner_id": cls.customer.id,
                "lot_id": claimed.id,
                "user_id": cls.technician.id,
                "defect_description": "Сильный стук на полных оборотах.",
            }
        )

        # A service contract and its first invoice, still a draft.
        maintenance = Product.create(
            {"name": "Тур Обслуживание насоса", "type": "service", "list_price": 120.0}
        )
        contract_customer = env["res.partner"].create(
            {"name": "Тур Клиент по договору", "is_company": True}
        )
        cls.contract = env["service.contract"].create(
            {
                "partner_id": contract_customer.id,
                "date_start": today.replace(day=1),
                "line_ids": [Command.create({"product_id": maintenance.id, "price_unit": 120.0})],
            }
        )
        cls.contract.action_activate()
        cls.contract.action_create_invoices()
        cls.invoice = cls.contract.invoice_ids
        cls.invoice.ensure_one()

    def _run_tour(self, tour, login, url="/odoo"):
        """Run ``tour`` as ``login``; save and check the screenshot of its last screen."""
        path = screenshot_dir() / f"{tour}_{self.screen}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        wait_code_ok = ChromeBrowser._wait_code_ok

        def wait_then_capture(browser, code, timeout, error_checker=None):
            wait_code_ok(browser, code, timeout, error_checker=error_checker)
            # The tour succeeded: capture the screen it ended on, from its top.
            browser._websocket_request("Runtime.evaluate", params={"expression": SCROLL_TO_TOP})
            shot = browser._websocket_request("Page.captureScreenshot", timeout=30)
            path.write_bytes(base64.b64decode(shot["data"]))

        with patch.object(ChromeBrowser, "_wait_code_ok", wait_then_capture):
            self.start_tour(url, tour, login=login, timeout=120)
        data = path.read_bytes()
        self.assertEqual(data[:8], PNG_SIGNATURE, f"{path} is not a PNG")
        width, height = struct.unpack(">II", data[16:24])
        self.assertEqual(
            f"{width}x{height}", self.browser_size.replace(",", "x"), "the window's size"
        )
        # A blank page compresses to a few hundred bytes; a screen with content does not.
        self.assertGreater(len(data), 15_000, f"{path} looks empty")
        return path

    def test_technician_request_and_repair(self):
        self._run_tour("service_technician_tour", "tour_tech")
        self.assertEqual(self.repair.state, "under_repair")

    def test_manager_dispatch_and_dashboard(self):
        self._run_tour("service_manager_tour", "tour_manager")
        self.assertEqual(self.waiting_request.user_id, self.technician)

    def test_manager_dispatch_board(self):
        self._run_tour("service_dispatch_board_screen_tour", "tour_manager")

    def test_warehouse_parts_lookup(self):
        self._run_tour("service_parts_warehouse_tour", "tour_store")

    def test_claim_form(self):
        self._run_tour("service_claim_form_tour", "tour_tech")
        self.assertEqual(self.claim.state, "decided")
        self.assertEqual(self.claim.decision, "repair")
        self.assertEqual(self.claim.repair_id.lot_id.name, "TOUR-CLAIM-1")

    def test_accountant_invoice_of_a_contract(self):
        self._run_tour("service_accountant_tour", "tour_accountant")
        self.assertEqual(self.invoice.state, "posted")

    def test_portal_customer_request(self):
        self._run_tour("service_portal_request_tour", "tour_portal", url="/my")
        new = self.env["service.request"].search([("subject", "=", "Тур: мигает дисплей")])
        self.assertEqual(new.equipment_id, self.unit)
        self.assertEqual(new.channel, "portal")


@tagged("post_install", "-at_install", "service_suite")
class TestRoleToursDesktop(RoleTours, HttpCase):
    screen = "desktop"
    browser_size = "1366x768"


@tagged("post_install", "-at_install", "service_suite")
class TestRoleToursPhone(RoleTours, HttpCase):
    screen = "phone"
    browser_size = "375x667"
    touch_enabled = True
