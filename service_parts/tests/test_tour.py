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
