"""The suite's read-only paths on a read-only cursor, as on Odoo's replica.

With ``db_replica_host`` in odoo.conf, Odoo serves the web client's calls of
methods marked ``@api.readonly`` and the routes declared ``readonly=True`` on
the replica: there a write is refused by PostgreSQL (a standby, or a
``SET TRANSACTION READ ONLY`` in tests), and Odoo replays the whole request on
the primary. These tests run each marked method on a read-only cursor and
each read-only route over HTTP, and fail on any write (the replay included).
"""

import hashlib
import logging
from contextlib import contextmanager
from unittest.mock import patch

import psycopg2.errors

from odoo.modules.registry import Registry
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.service_base.tools import on_replica
from odoo.addons.web.controllers.dataset import DataSet

# (model, method): the calls the suite marks @api.readonly (own or inherited
# from Odoo's read methods and overridden here); test_marked_methods_are_these
# fails when one is added without a test below.
READONLY_METHODS = {
    ("product.product", "service_parts_lookup"),
    ("product.product", "name_search"),
    ("stock.lot", "service_warranty_status"),
    ("service.kpi.dashboard", "get_kpis"),
    ("service.kpi.dashboard", "get_trends"),
    ("service.kpi.dashboard", "get_periods"),
    ("service.request", "service_dispatch_board_columns"),
    # service_maintenance's (installed with the suite; service_manager does
    # not depend on it)
    ("service.maintenance.schedule", "get_schedule"),
}
READONLY_ROUTES = [
    "/my/service-requests",
    "/my/contracts",
    "/my/claims",
    "/my/equipment",
    "/service/warranty",
]


def _readonly_flag(model_class, name):
    """What /web/dataset/call_kw decides (DataSet._call_kw_readonly)."""
    for cls in model_class.mro():
        method = getattr(cls, name, None)
        if method is not None and hasattr(method, "_readonly"):
            return method._readonly
    return False


class _RecordCaptures(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        # the message, and the statement refused (the traceback's end)
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)[-3000:]
        self.messages.append(message)


@contextmanager
def _warnings(*loggers):
    """The warnings logged by ``loggers`` (from any thread) in the block."""
    handler = _RecordCaptures()
    levels = {}
    for name in loggers:
        logger = logging.getLogger(name)
        # setup/test runs Odoo at --log-level=error: warnings would not reach handlers
        levels[name] = logger.level
        logger.setLevel(logging.WARNING)
        logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        for name in loggers:
            logging.getLogger(name).removeHandler(handler)
            logging.getLogger(name).setLevel(levels[name])


class ReplicaCommon:
    @classmethod
    def _setup_replica_data(cls):
        env = cls.env
        cls.manager = new_test_user(
            env,
            login="sm_replica_manager",
            password="sm_replica_manager_pw",
            groups="service_base.group_service_manager,stock.group_stock_user",
        )
        cls.customer = env.ref("service_base.partner_teploservis")
        cls.units = env["service.equipment"].search(
            [("commercial_partner_id", "=", cls.customer.id), ("lot_id", "!=", False)]
        )
        cls.serial = cls.units[:1].lot_id.name
        cls.code = env["service.part.crossref"].search([], order="id", limit=1).code
        part = env["product.product"].search([("is_spare_part", "=", True)], order="id", limit=1)
        cls.word = max(part.name.split(), key=len)
        cls.technicians = env["service.team"].search([]).member_ids
        assert cls.units and cls.serial and cls.code and cls.technicians, "demo data missing"


@tagged("post_install", "-at_install", "service_replica")
class TestReadonlyMethods(ReplicaCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_replica_data()
        # registry.cursor(readonly=True) then gives the test's transaction in a
        # read-only savepoint (SET TRANSACTION READ ONLY), as HttpCase does:
        # what a replica refuses, it refuses.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)

    @contextmanager
    def _readonly_env(self, user=None):
        self.env.flush_all()
        with self.registry.cursor(readonly=True) as cr:
            self.assertTrue(cr.readonly)
            yield self.env(cr=cr, user=user or self.env.uid)

    def _calls(self):
        """(model, method, args, kwargs, check) of every READONLY_METHODS entry."""
        unit = self.units[0]
        return [
            (
                "product.product",
                "service_parts_lookup",
                [self.code],
                {"equipment_id": unit.id, "limit": 5},
                lambda answer: self.assertTrue(answer and answer[0]["match"]["how"] == "exact"),
            ),
            (
                "product.product",
                "name_search",
                [self.code],
                {"limit": 5},
                self.assertTrue,
            ),
            (
                "stock.lot",
                "service_warranty_status",
                [self.serial],
                {},
                lambda answer: self.assertEqual(answer["serial"], self.serial),
            ),
            (
                "service.kpi.dashboard",
                "get_kpis",
                [],
                {},
                lambda answer: self.assertIn(
                    "forecast_load", {kpi["key"] for kpi in answer}, "the forecast's history"
                ),
            ),
            (
                "service.kpi.dashboard",
                "get_trends",
                [],
                {"periods": 3},
                lambda answer: self.assertEqual(len(answer["mttr"]), 3),
            ),
            ("service.kpi.dashboard", "get_periods", [], {}, self.assertTrue),
            # the other ways through the same methods
            (
                "product.product",
                "service_parts_lookup",
                [self.word],
                {"equipment_id": unit.id, "only_compatible": True, "quantity": 3},
                lambda answer: self.assertIsInstance(answer, list),
            ),
            (
                "product.product",
                "service_parts_lookup",
                [self.code[1:5]],
                {"need_date": "2030-01-01"},
                self.assertTrue,
            ),
            ("product.product", "name_search", [self.word], {}, self.assertTrue),
            (
                "stock.lot",
                "service_warranty_status",
                ["NO-SUCH-SERIAL"],
                {"date": "2025-06-30"},
                lambda answer: self.assertEqual(answer["source"], "unknown"),
            ),
            (
                "service.kpi.dashboard",
                "get_kpis",
                [],
                {"date_from": "2025-01-01", "date_to": "2025-12-31"},
                self.assertTrue,
            ),
            (
                "service.request",
                "service_dispatch_board_columns",
                [self.technicians.ids],
                {},
                lambda answer: self.assertEqual(len(answer), len(self.technicians)),
            ),
            (
                "service.maintenance.schedule",
                "get_schedule",
                [],
                {"year": 2026, "partner_id": unit.partner_id.id},
                lambda answer: self.assertIsInstance(answer, dict),
            ),
        ]

    def test_marked_methods_are_these(self):
        """Every method of the suite's models that call_kw would run on the
        replica is tested here, and each tested one is marked."""
        marked = set()
        for model_name in self.registry:
            model_class = type(self.env[model_name])
            for cls in model_class.mro():
                if not cls.__module__.startswith("odoo.addons.service_"):
                    continue
                for name, value in vars(cls).items():
                    if callable(value) and _readonly_flag(model_class, name):
                        marked.add((model_name, name))
        self.assertEqual(marked, READONLY_METHODS)
        # the decorator is what the web client's call_kw route reads
        self.assertTrue(callable(DataSet.call_kw.original_routing["readonly"]))

    def test_each_method_answers_on_a_readonly_cursor(self):
        calls = self._calls()
        self.assertEqual({(model, method) for model, method, *__ in calls}, READONLY_METHODS)
        for model, method, args, kwargs, check in calls:
            with self.subTest(method=f"{model}.{method}"):
                expected = getattr(self.env[model].with_user(self.manager), method)(*args, **kwargs)
                with self._readonly_env(self.manager) as env:
                    answer = getattr(env[model], method)(*args, **kwargs)
                check(answer)
                if method == "get_kpis":
                    # the actions' domains hold now(), to the second
                    answer, expected = (
                        {kpi["key"]: kpi["value"] for kpi in kpis} for kpis in (answer, expected)
                    )
                self.assertEqual(answer, expected)

    def test_a_write_raises_on_a_readonly_cursor(self):
        """The negative check: the cursor above does refuse writes."""
        request = self.env["service.request"].search([], limit=1)
        with self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction):
            with self._readonly_env(self.manager) as env:
                env["service.request"].browse(request.id).write({"subject": "Changed"})
                env.flush_all()
        # the public warranty page's counter: why it is not on that cursor
        with self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction):
            with self._readonly_env() as env:
                env["service.rate.limit"].sudo()._hit("warranty_check", "192.0.2.1")
        self.assertEqual(request.subject, self.env["service.request"].browse(request.id).subject)

    def test_on_replica_reads_there_and_replays_a_write(self):
        def read(env):
            return env.cr.readonly, env["stock.lot"].sudo().search_count([])

        readonly, count = on_replica(self.env, read)
        self.assertTrue(readonly)
        self.assertEqual(count, self.env["stock.lot"].sudo().search_count([]))

        def write(env):
            env["service.rate.limit"].sudo()._hit("warranty_check", "192.0.2.2")
            return env.cr.readonly

        with _warnings("odoo.addons.service_base.tools.replica") as warnings:
            self.assertFalse(on_replica(self.env, write), warnings)
        self.assertEqual(len(warnings), 1)
        self.assertIn("read/write cursor", warnings[0])
        # counted once: the write on the read-only cursor was refused
        counter = self.env["service.rate.limit"].search(
            [
                ("scope", "=", "warranty_check"),
                ("key_hash", "=", hashlib.sha256(b"192.0.2.2").hexdigest()),
            ]
        )
        self.assertEqual(counter.count, 1)


@tagged("post_install", "-at_install", "service_replica")
class TestReadonlyRoutes(ReplicaCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_replica_data()
        contact = cls.env["res.partner"].create(
            {"name": "Replica Portal Contact", "parent_id": cls.customer.id}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="sm_replica_portal",
            password="sm_replica_portal_pw",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        cls.claim = cls.env["service.warranty.claim"].create(
            {
                "partner_id": cls.customer.id,
                "lot_id": cls.units[0].lot_id.id,
                "defect_description": "Replica test: leak at the pump",
            }
        )

    @contextmanager
    def _cursors(self):
        """The read-only flag of each cursor the server opens in the block,
        and the warnings of a replay on the primary."""
        modes = []
        original = Registry.cursor

        def cursor(registry, /, readonly=False):
            cr = original(registry, readonly=readonly)
            modes.append(cr.readonly)
            return cr

        loggers = ("odoo.http", "odoo.addons.service_base.tools.replica")
        with patch.object(Registry, "cursor", cursor), _warnings(*loggers) as warnings:
            yield modes
        self.assertFalse(
            [w for w in warnings if "read/write cursor" in w], "a write on the read-only cursor"
        )

    def _assert_served_readonly(self, modes):
        # The registry's signaling check is on the primary, then the request
        # on a read-only cursor, not replayed on a read/write one (_cursors
        # fails on the replay's warning). Odoo itself may open a read/write
        # cursor inside it for the session's device log (res.device.log,
        # written on the primary by design).
        self.assertIn(True, modes)

    def test_web_client_calls_run_on_the_readonly_cursor(self):
        self.authenticate("sm_replica_manager", "sm_replica_manager_pw")
        calls = [
            ("product.product", "service_parts_lookup", [self.code], {"limit": 5}),
            ("product.product", "name_search", [self.code], {"limit": 5}),
            ("stock.lot", "service_warranty_status", [self.serial], {}),
            ("service.kpi.dashboard", "get_kpis", [], {}),
            ("service.kpi.dashboard", "get_trends", [], {"periods": 2}),
            ("service.kpi.dashboard", "get_periods", [], {}),
            ("service.request", "service_dispatch_board_columns", [self.technicians.ids], {}),
            ("service.maintenance.schedule", "get_schedule", [], {"year": 2026}),
        ]
        self.assertEqual({(model, method) for model, method, *__ in calls}, READONLY_METHODS)
        for model, method, args, kwargs in calls:
            with self.subTest(method=f"{model}.{method}"), self._cursors() as modes:
                answer = self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/{model}/{method}",
                    {"model": model, "method": method, "args": args, "kwargs": kwargs},
                )
                self.assertTrue(answer)
            self._assert_served_readonly(modes)
        # a write through the same route stays on the primary
        with self._cursors() as modes:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/service.request/write",
                {
                    "model": "service.request",
                    "method": "write",
                    "args": [
                        self.env["service.request"].search([], limit=1).ids,
                        {"priority": "1"},
                    ],
                    "kwargs": {},
                },
            )
        self.assertNotIn(True, modes)

    def test_portal_lists_render_on_the_readonly_cursor(self):
        self.authenticate("sm_replica_portal", "sm_replica_portal_pw")
        expected = {
            "/my/service-requests": self.env["service.request"]
            .search([("partner_id", "child_of", self.customer.id)], limit=1)
            .name,
            "/my/contracts": self.env["service.contract"]
            .search(
                [("partner_id", "child_of", self.customer.id), ("state", "!=", "draft")], limit=1
            )
            .name,
            "/my/claims": self.claim.name,
            "/my/equipment": self.units[0].lot_id.name,
        }
        for url, text in expected.items():
            self.assertTrue(text, url)
            with self.subTest(url=url), self._cursors() as modes:
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn(text, response.text)
            self._assert_served_readonly(modes)

    def test_readonly_routes_are_declared_so(self):
        for url in READONLY_ROUTES:
            self.assertIs(self._routing(url, "GET")["readonly"], True, url)
        self.assertIs(
            self._routing("/service/warranty", "POST")["readonly"],
            False,
            "the counter is written there",
        )

    def _routing(self, url, method):
        # the routes as the server merges them (inherited controllers included)
        modules = sorted(self.registry._init_modules)
        for route, endpoint in self.env["ir.http"]._generate_routing_rules(modules, {}):
            methods = endpoint.routing.get("methods") or [method]
            if route == url and method in methods:
                return endpoint.routing
        raise AssertionError(f"no route {method} {url}")

    def test_warranty_page_counts_on_the_primary_answers_from_the_replica(self):
        with self._cursors() as modes:
            page = self.url_open("/service/warranty")
        self.assertEqual(page.status_code, 200)
        self._assert_served_readonly(modes)
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        Counter = self.env["service.rate.limit"].sudo()
        before = sum(Counter.search([("scope", "=", "warranty_check")]).mapped("count"))
        with self._cursors() as modes:
            response = self.url_open(
                "/service/warranty", data={"serial": self.serial, "csrf_token": token}
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_warranty_answer", response.text)
        # the route is read/write (the counter), the answer on a read-only
        # cursor, last: nothing replayed
        self.assertEqual(modes[-2:], [False, True], modes)
        Counter.invalidate_model()
        after = sum(Counter.search([("scope", "=", "warranty_check")]).mapped("count"))
        self.assertEqual(after, before + 1)
