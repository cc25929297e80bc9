from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ServicePartsCase


@tagged("post_install", "-at_install")
class TestCatalog(ServicePartsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part_a = cls._part("Valve A", "PA-1")
        cls.part_b = cls._part("Valve B", "PB-1")
        cls.part_c = cls._part("Valve C", "PC-1")

    def test_normalized_code(self):
        crossref = self._crossref(self.part_a, " ab-12/c.x ", partner=self.manufacturer)
        self.assertEqual(crossref.normalized_code, "AB12CX")
        crossref.code = "zz 9"
        self.assertEqual(crossref.normalized_code, "ZZ9")

    def test_code_without_letters_or_digits(self):
        with (
            self.assertRaisesRegex(ValidationError, "has no letters or digits"),
            self.cr.savepoint(),
        ):
            self._crossref(self.part_a, "--/--")

    def test_duplicate_crossref(self):
        self._crossref(self.part_a, "AB-12", partner=self.manufacturer)
        with (
            self.assertRaisesRegex(ValidationError, r"AB12 \(OEM, Maker Co\) is already recorded"),
            self.cr.savepoint(),
        ):
            self._crossref(self.part_a, "ab 12", partner=self.manufacturer)
        # Same number, other type or other partner: allowed.
        self._crossref(self.part_a, "AB12", code_type="analog")
        self._crossref(self.part_a, "AB12", partner=self.supplier_rub)

    def test_duplicate_crossref_without_partner_database(self):
        self._crossref(self.part_b, "NP-1", code_type="analog")
        # The database refuses it too (NULLS NOT DISTINCT), e.g. for SQL imports.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env.cr.execute(
                "INSERT INTO service_part_crossref (product_id, product_tmpl_id, code, code_type,"
                " normalized_code) VALUES (%s, %s, 'np1', 'analog', 'NP1')",
                (self.part_b.id, self.part_b.product_tmpl_id.id),
            )

    def test_indexes(self):
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'service_part_crossref'"
        )
        defs = dict(self.env.cr.fetchall())
        self.assertIn("gin_trgm_ops", defs["service_part_crossref__normalized_code_index"])
        self.assertIn("text_pattern_ops", defs["service_part_crossref_normalized_code_btree"])

    def test_substitute_cycle_refused(self):
        Substitute = self.env["service.part.substitute"]
        Substitute.create({"product_id": self.part_a.id, "substitute_id": self.part_b.id})
        Substitute.create({"product_id": self.part_b.id, "substitute_id": self.part_c.id})
        with self.assertRaisesRegex(ValidationError, "would be a cycle"), self.cr.savepoint():
            Substitute.create({"product_id": self.part_c.id, "substitute_id": self.part_a.id})
        with self.assertRaisesRegex(ValidationError, "the other way"), self.cr.savepoint():
            Substitute.create({"product_id": self.part_b.id, "substitute_id": self.part_a.id})

    def test_two_way_and_supersession(self):
        Substitute = self.env["service.part.substitute"]
        with (
            self.assertRaisesRegex(ValidationError, "supersession goes one way"),
            self.cr.savepoint(),
        ):
            Substitute.create(
                {
                    "product_id": self.part_a.id,
                    "substitute_id": self.part_b.id,
                    "direction": "two_way",
                    "is_supersession": True,
                }
            )
        Substitute.create(
            {"product_id": self.part_a.id, "substitute_id": self.part_b.id, "is_supersession": True}
        )
        Substitute.create(
            {"product_id": self.part_b.id, "substitute_id": self.part_c.id, "is_supersession": True}
        )
        chains = Substitute._supersession_chains(self.part_a | self.part_b)
        self.assertEqual(chains[self.part_a.id], [self.part_b.id, self.part_c.id])
        self.assertEqual(chains[self.part_b.id], [self.part_c.id])

    def test_edit_from_both_sides(self):
        # What the part's "Fits" tab sends (a one2many line on the template).
        self.part_a.product_tmpl_id.write(
            {
                "service_fits_ids": [
                    Command.create(
                        {"equipment_product_id": self.model.id, "quantity": 2, "position": "Burner"}
                    )
                ]
            }
        )
        compat = self.part_a.product_tmpl_id.service_fits_ids
        self.assertEqual(compat.part_product_id, self.part_a)
        self.assertEqual(compat.equipment_tmpl_id, self.model.product_tmpl_id)
        # What the equipment model's "Spare parts" tab sends.
        self.model.product_tmpl_id.write(
            {
                "service_spare_part_ids": [
                    Command.create({"part_product_id": self.part_b.id, "position": "Gas line"})
                ]
            }
        )
        self.assertEqual(
            self.model.product_tmpl_id.service_spare_part_ids.part_product_id,
            self.part_a | self.part_b,
        )
        self.assertEqual(
            self.part_b.product_tmpl_id.service_fits_ids.equipment_product_id, self.model
        )

    def test_new_part_with_numbers_in_one_save(self):
        template = self.env["product.template"].create(
            {
                "name": "Brand new sensor",
                "is_spare_part": True,
                "service_crossref_ids": [Command.create({"code_type": "oem", "code": "SEN-77"})],
            }
        )
        self.assertEqual(template.service_crossref_ids.product_id, template.product_variant_id)
        self.assertEqual(template.service_crossref_ids.normalized_code, "SEN77")

    def test_compatibility_needs_target(self):
        with (
            self.assertRaisesRegex(ValidationError, "Choose the equipment model or the category"),
            self.cr.savepoint(),
        ):
            self.env["service.part.compatibility"].create({"part_product_id": self.part_a.id})

    def test_reversed_serial_range(self):
        with self.assertRaisesRegex(ValidationError, "is reversed"), self.cr.savepoint():
            self.env["service.part.compatibility"].create(
                {
                    "part_product_id": self.part_a.id,
                    "equipment_product_id": self.model.id,
                    "serial_from": "Z",
                    "serial_to": "A",
                }
            )

    def test_serial_ranges_compare_numbers(self):
        """A serial fits a range as a person reads it: the same prefix, the
        number by its value. Python (_matches_serial) and the lookup's SQL
        (service_parts_serial_fits) give the same answers."""
        compat = self.env["service.part.compatibility"].create(
            {
                "part_product_id": self.part_a.id,
                "equipment_product_id": self.model.id,
                "serial_from": "CH-100",
                "serial_to": "CH-200",
            }
        )
        cases = [
            # (serial, from, to, fits)
            ("CH-1000", "CH-100", "CH-200", False),
            ("CH-150", "CH-100", "CH-200", True),
            ("CH-100", "CH-100", "CH-200", True),
            ("CH-200", "CH-100", "CH-200", True),
            ("CH-99", "CH-100", "CH-200", False),
            ("CH-0150", "CH-100", "CH-200", True),  # leading zeros do not count
            ("ch-150", "CH-100", "CH-200", True),
            ("XX-150", "CH-100", "CH-200", False),  # another series
            ("CH-150", "CH-100", False, True),
            ("CH-50", False, "CH-200", True),
            ("CH-250", False, "CH-200", False),
            ("CH-150B", "CH-150A", "CH-150C", True),
            ("CH-150D", "CH-150A", "CH-150C", False),
            ("TB1-0500", "TB1-04", "TB1-06", False),
            ("TB1-0500", "TB1-50", "TB1-600", True),
            ("B", "A", "C", True),
            ("", "CH-100", "CH-200", True),  # no serial: not excluded
        ]
        for serial, start, end, fits in cases:
            with self.subTest(serial=serial, start=start, end=end):
                compat.write({"serial_from": start, "serial_to": end})
                self.assertEqual(compat._matches_serial(serial), fits)
                self.env.cr.execute(
                    "SELECT service_parts_serial_fits(%s, %s, %s)",
                    (serial, start or None, end or None),
                )
                self.assertEqual(self.env.cr.fetchone()[0], fits)
        with self.assertRaisesRegex(ValidationError, "is reversed"), self.cr.savepoint():
            compat.write({"serial_from": "CH-1000", "serial_to": "CH-200"})
        with self.assertRaisesRegex(ValidationError, "two series"), self.cr.savepoint():
            compat.write({"serial_from": "CH-100", "serial_to": "XX-200"})

    def test_name_search_finds_crossref(self):
        self._crossref(self.part_c, "XQ-7788-11", code_type="supplier", partner=self.supplier_rub)
        found = self.env["product.product"].name_search("xq7788")
        self.assertIn(self.part_c.id, [pid for pid, _name in found])
        found = self.env["product.product"].name_search("XQ 7788 11", operator="=")
        self.assertIn(self.part_c.id, [pid for pid, _name in found])
        # The list search (display name) too.
        self.assertIn(
            self.part_c, self.env["product.product"].search([("display_name", "ilike", "7788-11")])
        )
