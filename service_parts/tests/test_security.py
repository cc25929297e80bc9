from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ServicePartsCase


@tagged("post_install", "-at_install")
class TestSecurity(ServicePartsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part = cls._part("Secured part", "SEC-1")
        cls.crossref = cls._crossref(cls.part, "SEC-0001")
        cls.employee = new_test_user(cls.env, login="sp_employee", groups="base.group_user")
        cls.other_company = cls.env["res.company"].create({"name": "Parts Other Co"})
        cls.foreign = cls._part("Foreign secured part", "SEC-2", company_id=cls.other_company.id)
        cls.foreign_crossref = cls._crossref(cls.foreign, "SEC-0002")

    def test_employee_reads_catalog_only(self):
        Crossref = self.env["service.part.crossref"].with_user(self.employee)
        self.assertEqual(Crossref.search([("code", "=", "SEC-0001")]), self.crossref)
        with self.assertRaises(AccessError):
            Crossref.create({"product_id": self.part.id, "code": "SEC-9"})
        # Their product search still works (it looks into the numbers).
        found = self.env["product.product"].with_user(self.employee).name_search("sec0001")
        self.assertIn(self.part.id, [pid for pid, _name in found])

    def test_service_user_maintains_catalog_not_imports(self):
        Crossref = self.env["service.part.crossref"].with_user(self.service_user)
        Crossref.create({"product_id": self.part.id, "code": "SEC-10", "code_type": "analog"})
        self.env["service.part.compatibility"].with_user(self.service_user).create(
            {"part_product_id": self.part.id, "equipment_product_id": self.model.id}
        )
        with self.assertRaises(AccessError):
            self.env["service.part.import"].with_user(self.service_user).create(
                {"partner_id": self.supplier_rub.id}
            )
        self.env["service.part.import"].with_user(self.service_manager).create(
            {"partner_id": self.supplier_rub.id}
        )
        self.env["service.part.requirement"].with_user(self.service_user).search([])

    def test_other_company_numbers_hidden(self):
        Crossref = self.env["service.part.crossref"].with_user(self.service_user)
        self.assertFalse(Crossref.search([("code", "=", "SEC-0002")]))
        self.service_user.company_ids |= self.other_company
        Crossref = Crossref.with_context(
            allowed_company_ids=[self.company.id, self.other_company.id]
        )
        self.assertEqual(Crossref.search([("code", "=", "SEC-0002")]), self.foreign_crossref)
