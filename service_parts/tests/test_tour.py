import json

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestLookupTour(HttpCase):
    def test_lookup_adds_part_to_repair(self):
        part = self.env["product.product"].create(
            {"name": "Tour Pump Seal", "type": "consu", "is_storable": True, "is_spare_part": True}
        )
        supplier = self.env["res.partner"].create({"name": "Tour Supplier", "is_company": True})
        self.env["service.part.crossref"].create(
            {
                "product_id": part.id,
                "code": "TOUR-XR-4455",
                "code_type": "supplier",
                "partner_id": supplier.id,
            }
        )
        equipment = self.env["product.product"].create(
            {"name": "Tour Pump", "type": "consu", "is_equipment": True}
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer", "is_company": True})
        repair = self.env["repair.order"].create(
            {"name": "TOURREP-1", "product_id": equipment.id, "partner_id": customer.id}
        )
        self.start_tour("/odoo", "service_parts_lookup_tour", login="admin", timeout=120)
        move = repair.move_ids.filtered(lambda m: m.product_id == part)
        self.assertEqual(move.product_uom_qty, 1)
        self.assertEqual(move.repair_line_type, "add")

    def test_lookup_reads_in_russian(self):
        """The lookup's columns and the offer's lead time read as Russian: the
        stock column says «Ожидается» (not stock's «Входящий», which wins a
        shared JS msgid), and the days agree with their number («2 дня»)."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"].search(
            [("name", "in", ("service_base", "service_parts"))]
        )._update_translations("ru_RU")
        self.env.ref("base.user_admin").lang = "ru_RU"
        part = self.env["product.product"].create(
            {"name": "RU Seal", "type": "consu", "is_storable": True, "is_spare_part": True}
        )
        supplier = self.env["res.partner"].create({"name": "RU Supplier", "is_company": True})
        self.env["product.supplierinfo"].create(
            {"partner_id": supplier.id, "product_tmpl_id": part.product_tmpl_id.id, "delay": 2}
        )
        self.env["service.part.crossref"].create(
            {"product_id": part.id, "code": "RU-SEAL-77", "code_type": "supplier"}
        )
        expected = ["Свободно", "Ожидается", "срок поставки: 2\u00a0дня", "по началу номера"]
        code = """
            const expected = %s;
            const start = Date.now();
            const poll = () => {
                const input = document.querySelector("input.o_service_parts_query");
                if (input && !input.value) {
                    input.value = "ru-seal";
                    input.dispatchEvent(new Event("input", { bubbles: true }));
                }
                const table = document.querySelector(".o_service_parts_results");
                const text = table ? table.innerText : "";
                if (table && expected.every((part) => text.includes(part))) {
                    console.log("test successful");
                } else if (Date.now() - start > 30000) {
                    console.error("The lookup reads: " + (text || "nothing"));
                } else {
                    setTimeout(poll, 200);
                }
            };
            poll();
        """ % json.dumps(expected)
        self.browser_js(
            "/odoo/action-service_parts.service_parts_lookup_action", code, login="admin"
        )


class RepairLookupTour:
    """The lookup opened from a repair order, kept through a reload, and back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Product = env["product.product"]
        boiler = Product.create(
            {
                "name": "Tour Fit Boiler",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        lot = env["stock.lot"].create({"name": "TFB-1", "product_id": boiler.id})
        customer = env["res.partner"].create({"name": "Tour Fit Customer", "is_company": True})
        env["service.equipment"].create(
            {"product_id": boiler.id, "lot_id": lot.id, "partner_id": customer.id}
        )
        fits, other = Product.create(
            [
                {"name": name, "is_storable": True, "is_spare_part": True, "default_code": code}
                for name, code in (
                    ("Tour Fit Nozzle", "TOURFIT-10"),
                    ("Tour Other Nozzle", "TOURFIT-20"),
                )
            ]
        )
        env["service.part.compatibility"].create(
            {"part_product_id": fits.id, "equipment_product_id": boiler.id, "quantity": 1}
        )
        cls.fits = fits
        cls.repair = env["repair.order"].create(
            {
                "name": "TOURFIT-1",
                "product_id": boiler.id,
                "lot_id": lot.id,
                "partner_id": customer.id,
            }
        )

    def test_lookup_from_repair_and_back(self):
        url = f"/odoo/action-repair.action_repair_order_tree/{self.repair.id}"
        self.start_tour(url, "service_parts_repair_lookup_tour", login="admin", timeout=180)
        move = self.repair.move_ids.filtered(lambda m: m.product_id == self.fits)
        self.assertEqual(move.product_uom_qty, 1)


@tagged("post_install", "-at_install")
class TestRepairLookupTourDesktop(RepairLookupTour, HttpCase):
    browser_size = "1366x768"


@tagged("post_install", "-at_install")
class TestRepairLookupTourPhone(RepairLookupTour, HttpCase):
    browser_size = "375x667"
    touch_enabled = True
