"""Catalog imports, numbers, fits and substitutes hold their rules against
direct writes: an import's outcome is the job's, a started import's file is
the one that was checked, computed numbers follow their code, and no catalog
row reaches across companies."""

import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ServicePartsCase

GUARDED = "can only be set by its actions"


@tagged("post_install", "-at_install")
class TestPartsGates(ServicePartsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create({"name": "SP Gates Co 2"})
        cls.part = cls._part("Gate valve", "GT-1", company_id=cls.company.id)
        cls.other_part = cls._part("Gate gasket", "GT-2", company_id=cls.company.id)
        cls.part_2 = cls._part("Co 2 valve", "GT-C2", company_id=cls.company_2.id)
        cls.supplier_2 = cls.env["res.partner"].create(
            {"name": "Co 2 Supplier", "is_company": True, "company_id": cls.company_2.id}
        )
        cls.imp = cls.env["service.part.import"].create(
            {
                "partner_id": cls.supplier_rub.id,
                "file": base64.b64encode(b"code,price\nGT-NEW,10\n"),
                "file_name": "gates.csv",
                "col_code": "code",
                "col_price": "price",
            }
        )

    def test_import_outcome_refused(self):
        imp = self.imp.with_user(self.service_manager)
        for vals in (
            {"state": "done"},
            {"state": "queued", "job_uuid": "forged"},
            {"line_count": 1000000, "part_created_count": 1000000},
            {"rejected_count": 0, "error": False, "report_file": base64.b64encode(b"x")},
            {"duration": 0.1, "query_count": 1},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, GUARDED):
                imp.write(vals)
        self.assertEqual(self.imp.state, "draft")
        # The actions set it: started, the import is queued.
        imp.action_start()
        self.assertEqual(self.imp.state, "queued")
        self.assertTrue(self.imp.job_uuid)

    def test_started_import_keeps_its_file_and_columns(self):
        imp = self.imp.with_user(self.service_manager)
        imp.action_start()
        for vals in (
            {"file": base64.b64encode(b"code,price\nOTHER,1\n")},
            {"col_price": "code"},
            {"partner_id": self.supplier_eur.id},
            {"delimiter": ";"},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "has started"):
                imp.write(vals)
        # A queued import (its job may be running) is not reset to run twice.
        with self.assertRaisesRegex(UserError, "Only a failed import"):
            imp.action_reset()
        self.assertEqual(self.imp.state, "queued")

    def test_failed_import_reset_and_corrected(self):
        imp = self.imp.with_user(self.service_manager)
        imp.col_price = "Prix"
        self.imp._run_import_job()
        self.assertEqual(self.imp.state, "failed")
        imp.action_reset()
        self.assertEqual(self.imp.state, "draft")
        imp.col_price = "price"

    def test_crossref_computed_fields_refused(self):
        crossref = self._crossref(self.part, "GT-OEM-1").with_user(self.service_user)
        with self.assertRaisesRegex(UserError, GUARDED):
            crossref.write({"normalized_code": "SOMETHINGELSE"})
        # Its company is one of the user's, or none (a number every company sees).
        with self.assertRaisesRegex(AccessError, "only to one of your companies"):
            with self.env.cr.savepoint():
                crossref.write({"company_id": self.company_2.id})
        with self.assertRaisesRegex(AccessError, "only to one of your companies"):
            with self.env.cr.savepoint():
                crossref.copy({"company_id": self.company_2.id})
        # On a part every company shares, the number is one company's or everyone's.
        shared = self._part("Shared valve", "GT-SHARED", company_id=False)
        number = self._crossref(shared, "GT-SH-1").with_user(self.service_user)
        number.company_id = self.env.company
        self.assertEqual(number.company_id, self.env.company)
        number.company_id = False
        self.assertFalse(number.company_id)
        # Its code stays editable, and the number follows it.
        crossref.code = "gt oem 2"
        self.assertEqual(crossref.normalized_code, "GTOEM2")
        fit = self.env["service.part.compatibility"].create(
            {"part_product_id": self.part.id, "equipment_product_id": self.model.id}
        )
        with self.assertRaisesRegex(UserError, GUARDED):
            fit.with_user(self.service_user).company_id = self.company_2
        substitute = self.env["service.part.substitute"].create(
            {"product_id": self.part.id, "substitute_id": self.other_part.id}
        )
        with self.assertRaisesRegex(UserError, GUARDED):
            substitute.with_user(self.service_user).company_id = self.company_2

    def test_variant_belongs_to_its_template(self):
        """The row's company is its template's: another template's variant
        under it would show across companies."""
        crossref = self._crossref(self.part, "GT-OEM-3").with_user(self.service_user)
        with self.assertRaisesRegex(ValidationError, "is not a variant of"):
            with self.env.cr.savepoint():
                crossref.write(
                    {"product_id": self.part.id, "product_tmpl_id": self.model.product_tmpl_id.id}
                )
        # Changing the part moves the template with it.
        crossref.product_id = self.other_part
        self.assertEqual(crossref.product_tmpl_id, self.other_part.product_tmpl_id)
        substitute = self.env["service.part.substitute"].create(
            {"product_id": self.part.id, "substitute_id": self.other_part.id}
        )
        with self.assertRaisesRegex(ValidationError, "is not a variant of"):
            with self.env.cr.savepoint():
                substitute.with_user(self.service_user).write(
                    {"product_id": self.part.id, "product_tmpl_id": self.model.product_tmpl_id.id}
                )

    def test_catalog_rows_do_not_cross_companies(self):
        Crossref = self.env["service.part.crossref"].with_user(self.service_user)
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            with self.env.cr.savepoint():
                Crossref.create(
                    {
                        "product_id": self.part.id,
                        "code": "GT-SUP-2",
                        "code_type": "supplier",
                        "partner_id": self.supplier_2.id,
                    }
                )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            with self.env.cr.savepoint():
                self.env["service.part.substitute"].with_user(self.service_user).create(
                    {"product_id": self.part.id, "substitute_id": self.part_2.id}
                )
        model_2 = self.env["product.product"].create(
            {"name": "Co 2 Boiler", "is_equipment": True, "company_id": self.company_2.id}
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            with self.env.cr.savepoint():
                self.env["service.part.compatibility"].with_user(self.service_user).create(
                    {"part_product_id": self.part.id, "equipment_product_id": model_2.id}
                )

    def test_parts_purchases_stay_in_the_repairs_company(self):
        repair = self.env["repair.order"].create(
            {"product_id": self.other_model.id, "partner_id": self.customer.id}
        )
        order_2 = self.env["purchase.order"].create(
            {"partner_id": self.supplier_2.id, "company_id": self.company_2.id}
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            with self.env.cr.savepoint():
                repair.with_user(self.service_manager).service_purchase_ids = [
                    Command.link(order_2.id)
                ]
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            with self.env.cr.savepoint():
                order_2.service_repair_ids = [Command.link(repair.id)]
