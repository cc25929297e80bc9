from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestEquipmentTour(HttpCase):
    def test_create_unit_in_browser(self):
        model = self.env["product.product"].create(
            {
                "name": "Tour Chiller TC-1",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        self.env["res.partner"].create({"name": "Tour Customer LLC", "is_company": True})
        self.start_tour("/odoo", "service_equipment_tour", login="admin", timeout=120)
        unit = self.env["service.equipment"].search([("lot_id.name", "=", "TOUR-SN-0001")])
        self.assertEqual(unit.product_id, model)
        self.assertEqual(unit.partner_id.name, "Tour Customer LLC")
