import re

from lxml import etree

from odoo.tests import tagged

from .common import ServiceRepairCase


@tagged("post_install", "-at_install", "service_suite")
class TestCompletionActParts(ServiceRepairCase):
    """Parts planned on a repair but not used (out of stock, skipped when Odoo
    asks on ending the repair) are named on the work completion act and in the
    repair's chatter, not dropped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.lang = "en_US"
        cls.request = cls.Request.create(
            {
                "partner_id": cls.customer.id,
                "equipment_id": cls.unit.id,
                "subject": "Leak",
                "user_id": cls.tech_boilers.id,
            }
        )
        Product = cls.env["product.product"]
        cls.gasket = Product.create(
            {"name": "SR Gasket G-12", "type": "consu", "is_storable": True}
        )
        cls.valve = Product.create({"name": "SR Valve V-3", "type": "consu", "is_storable": True})

    def _repair_with_parts(self, gasket_qty, gasket_stock, valve_qty):
        action = self.request.with_user(self.tech_boilers).action_create_repair()
        repair = self.env["repair.order"].browse(action["res_id"])
        self.env["stock.quant"]._update_available_quantity(
            self.gasket, repair.location_id, gasket_stock
        )
        repair.move_ids = [
            (0, 0, {"product_id": product.id, "product_uom_qty": qty, "repair_line_type": "add"})
            for product, qty in ((self.gasket, gasket_qty), (self.valve, valve_qty))
        ]
        repair.action_validate()
        repair.action_repair_start()
        return repair

    def _act_text(self, repair):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("service_repair.action_report_repair_completion", repair.ids)[0]
            .decode()
        )
        return " ".join(re.sub(r"<[^>]+>", " ", html).split())

    def _sections(self, repair):
        text = self._act_text(repair)
        used, _sep, rest = text.partition("Parts Used")
        used_part, sep, unused = rest.partition("Planned but Not Used")
        self.assertTrue(used_part, "the act has a Parts Used section")
        return used_part.partition("Warranty on the Repair")[0], (
            unused.partition("Warranty on the Repair")[0] if sep else ""
        )

    def test_odoo_still_asks_before_ending_with_parts_unused(self):
        repair = self._repair_with_parts(2, 2, 1)
        self.assertTrue(repair.has_uncomplete_moves)
        arch = etree.fromstring(repair.get_views([(False, "form")])["views"]["form"]["arch"])
        # the End Repair button shown while parts are not all used asks first
        buttons = arch.xpath(
            "//button[@name='action_repair_end'"
            " and contains(@invisible, 'not has_uncomplete_moves')]"
        )
        self.assertTrue(buttons)
        self.assertTrue(all(button.get("confirm") for button in buttons))

    def test_act_lists_used_and_planned_but_not_used(self):
        repair = self._repair_with_parts(2, 2, 1)
        repair.with_user(self.tech_boilers).action_repair_end()
        self.assertEqual(repair.state, "done")
        valve_move = repair.move_ids.filtered(lambda m: m.product_id == self.valve)
        self.assertEqual(valve_move.state, "cancel", "Odoo cancels the part not used")
        used, unused = self._sections(repair)
        self.assertRegex(used, r"SR Gasket G-12 — 2(\.0+)? Units")
        self.assertNotIn("SR Valve V-3", used)
        self.assertRegex(unused, r"SR Valve V-3 1(\.0+)? Units")
        self.assertNotIn("SR Gasket G-12", unused)
        messages = repair.message_ids.filtered(lambda m: "planned but not used" in (m.body or ""))
        self.assertEqual(len(messages), 1)
        self.assertIn("SR Valve V-3", messages.body)
        self.assertNotIn("SR Gasket G-12", messages.body)

    def test_part_used_in_part(self):
        repair = self._repair_with_parts(3, 2, 1)
        repair.with_user(self.tech_boilers).action_repair_end()
        used, unused = self._sections(repair)
        self.assertRegex(used, r"SR Gasket G-12 — 2(\.0+)? Units")
        self.assertRegex(unused, r"SR Gasket G-12 1(\.0+)? Units")
        self.assertRegex(unused, r"SR Valve V-3 1(\.0+)? Units")
        message = repair.message_ids.filtered(lambda m: "planned but not used" in (m.body or ""))
        self.assertIn("SR Gasket G-12: 1.00 Units", message.body)
        # ending it again (over RPC, say) records nothing twice
        repair.action_repair_done()
        self.assertEqual(
            len(repair.message_ids.filtered(lambda m: "planned but not used" in (m.body or ""))), 1
        )

    def test_all_used_no_unused_section_nor_message(self):
        repair = self._repair_with_parts(2, 2, 0)
        repair.move_ids.filtered(lambda m: m.product_id == self.valve).unlink()
        self.assertFalse(repair.has_uncomplete_moves)
        repair.action_repair_end()
        used, unused = self._sections(repair)
        self.assertIn("SR Gasket G-12", used)
        self.assertFalse(unused)
        self.assertFalse(
            repair.message_ids.filtered(lambda m: "planned but not used" in (m.body or ""))
        )

    def test_act_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        # the shipped ru.po as it is, also over a database that had older wording
        self.env["ir.module.module"]._load_module_terms(
            ["service_repair"], ["ru_RU"], overwrite=True
        )
        self.customer.lang = "ru_RU"
        repair = self._repair_with_parts(2, 2, 1)
        repair.action_repair_end()
        text = self._act_text(repair)
        self.assertIn("Использованные запчасти", text)
        self.assertIn("Запланировано, но не использовано", text)
        self.assertLess(
            text.index("SR Gasket G-12"), text.index("Запланировано, но не использовано")
        )
        self.assertGreater(
            text.index("SR Valve V-3"), text.index("Запланировано, но не использовано")
        )
