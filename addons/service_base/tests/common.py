from odoo.tests import TransactionCase, new_test_user


class ServiceBaseCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.category = cls.env["product.category"].create({"name": "Test Boilers"})
        cls.model = cls.env["product.product"].create(
            {
                "name": "Test Boiler TB-1",
                "categ_id": cls.category.id,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Customer A", "is_company": True})
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Contact of A", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Customer B", "is_company": True}
        )
        cls.service_user = new_test_user(
            cls.env, login="sb_user", groups="service_base.group_service_user"
        )
        cls.service_manager = new_test_user(
            cls.env, login="sb_manager", groups="service_base.group_service_manager"
        )

    @classmethod
    def _lot(cls, name, product=None, company=None):
        return cls.env["stock.lot"].create(
            {
                "name": name,
                "product_id": (product or cls.model).id,
                "company_id": (company or cls.company).id,
            }
        )
