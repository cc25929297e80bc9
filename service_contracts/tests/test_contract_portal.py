from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestContractPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.env["res.partner"].create(
            {"name": "Portal Customer LLC", "is_company": True}
        )
        other = cls.env["res.partner"].create({"name": "Someone Else LLC", "is_company": True})
        product = cls.env["product.product"].create(
            {"name": "Portal Maintenance Plan", "type": "service", "list_price": 120.0}
        )
        Contract = cls.env["service.contract"]
        cls.contract = Contract.create(
            {
                "partner_id": customer.id,
                "title": "Portal boiler care",
                "line_ids": [(0, 0, {"product_id": product.id})],
            }
        )
        cls.contract.action_activate()
        cls.draft = Contract.create(
            {
                "partner_id": customer.id,
                "title": "Draft under negotiation",
                "line_ids": [(0, 0, {"product_id": product.id})],
            }
        )
        cls.foreign = Contract.create(
            {
                "partner_id": other.id,
                "title": "Someone else's care",
                "line_ids": [(0, 0, {"product_id": product.id})],
            }
        )
        cls.foreign.action_activate()
        cls.portal_user = new_test_user(
            cls.env,
            login="sc_portal_web",
            password="sc_portal_web",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Portal Person", "parent_id": customer.id, "email": "pp@example.com"})
            .id,
        )

    def test_customer_sees_own_active_contracts(self):
        self.authenticate("sc_portal_web", "sc_portal_web")
        page = self.url_open("/my/contracts")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Portal boiler care", page.text)
        self.assertNotIn("Draft under negotiation", page.text)
        self.assertNotIn("Someone else", page.text)
        detail = self.url_open(f"/my/contracts/{self.contract.id}")
        self.assertIn(self.contract.name, detail.text)
        self.assertIn("Portal Maintenance Plan", detail.text)
        foreign = self.url_open(f"/my/contracts/{self.foreign.id}")
        self.assertNotIn(self.foreign.name, foreign.text)
        self.assertTrue(foreign.url.endswith("/my"))
