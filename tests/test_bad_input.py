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
import hashlib
import inspect
import re
from datetime import date, timedelta

import psycopg2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import _as_validation_error
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from .world import build_world

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
NOT_IDS = [None, False, True, -1, 0, 2**31, 2**63, 1.5, "1", "abc", [], [1, 2], {}, {"id": 1}]
QUANTITIES = [0, -1, -1e9, 1e12, 1e308, float("nan"), float("inf"), "ten", None, [], {}]
DATES = ["", "2026-13-45", "31.12.2026", "0000-00-00", "9999-12-31", -5, [], {}, "x" * 10_000]
JUNK = TEXT + NOT_IDS + QUANTITIES + DATES

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
        message = str(error.args[0] if error.args else "")
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
        for value in [*TEXT, *NOT_IDS, other["service.equipment"].id, other["service.request"].id]:
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
            st.lists(st.sampled_from(TEXT[:8]) | st.text(max_size=30), max_size=6), max_size=8
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

        self._undone("service.part.import", run_import)

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
        self.env.flush_all()
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
        for rate in [*QUANTITIES, *TEXT[:4], True, 6, -0.5]:
            kind, __ = self._call(
                "service.request", "rating_apply", [rate], {"feedback": "x"}, ids=request.ids
            )
            self.assertEqual(kind, "error", rate)
        # A valid rate without a rating to apply it to: refused in words.
        kind, __ = self._call("service.request", "rating_apply", [4], ids=request.ids)
        self.assertEqual(kind, "error")
        for feedback in NOT_IDS[2:]:
            self._call(
                "service.request", "rating_apply", [4], {"feedback": feedback}, ids=request.ids
            )
        for msg_dict in [*NOT_IDS, *TEXT[:3]]:
            self._call("service.request", "message_new", [msg_dict])
        for part in [*NOT_IDS, {"a": 1}]:
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


def _short(value):
    text = repr(value)
    return text if len(text) < 160 else text[:150] + "…"
