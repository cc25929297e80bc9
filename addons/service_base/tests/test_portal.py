from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestEquipmentPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        model = cls.env["product.product"].create(
            {
                "name": "Portal Boiler",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        customer_a = cls.env["res.partner"].create(
            {"name": "Portal Customer A", "is_company": True}
        )
        customer_b = cls.env["res.partner"].create(
            {"name": "Portal Customer B", "is_company": True}
        )
        Lot = cls.env["stock.lot"]
        cls.unit_a = cls.env["service.equipment"].create(
            {
                "product_id": model.id,
                "lot_id": Lot.create({"name": "PORTAL-A-1", "product_id": model.id}).id,
                "partner_id": customer_a.id,
            }
        )
        cls.unit_b = cls.env["service.equipment"].create(
            {
                "product_id": model.id,
                "lot_id": Lot.create({"name": "PORTAL-B-1", "product_id": model.id}).id,
                "partner_id": customer_b.id,
            }
        )
        contact_a = cls.env["res.partner"].create(
            {"name": "Anna of A", "parent_id": customer_a.id, "email": "anna@a.example.com"}
        )
        new_test_user(
            cls.env,
            login="portal_a",
            password="portal_a_pw",
            groups="base.group_portal",
            partner_id=contact_a.id,
        )

    def test_portal_lists_and_opens_only_own_units(self):
        self.authenticate("portal_a", "portal_a_pw")
        home = self.url_open("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn("My Equipment", home.text)

        listing = self.url_open("/my/equipment")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("PORTAL-A-1", listing.text)
        self.assertNotIn("PORTAL-B-1", listing.text)

        own = self.url_open(f"/my/equipment/{self.unit_a.id}")
        self.assertIn("PORTAL-A-1", own.text)

        # Guessing another customer's id leads back to the portal home.
        other = self.url_open(f"/my/equipment/{self.unit_b.id}")
        self.assertNotIn("PORTAL-B-1", other.text)
        self.assertTrue(other.url.endswith("/my"), other.url)
        missing = self.url_open("/my/equipment/999999999")
        self.assertTrue(missing.url.endswith("/my"), missing.url)

    def test_public_is_sent_to_login(self):
        response = self.url_open(f"/my/equipment/{self.unit_a.id}")
        self.assertIn("/web/login", response.url)
        self.assertNotIn("PORTAL-A-1", response.text)
