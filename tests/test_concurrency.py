"""Concurrency and idempotency of the suite, in real transactions.

Each scenario commits its data through its own cursors (a test transaction
cannot be seen by another one), runs the competing transactions in threads
that start together, and deletes everything it committed afterwards.
Every competing transaction goes through ``odoo.service.model.retrying``,
as an RPC call or an HTTP request does in the server: a serialization
failure is retried there, and must never surface to the caller.
"""

from datetime import datetime
from functools import partial

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.service_base.tests.common import CommittedCase

REQUESTS = 1000
EMAIL = """Return-Path: <conc.customer@example.com>
To: nobody@concurrency.example
From: Concurrency Customer <conc.customer@example.com>
Subject: {subject}
Message-ID: {message_id}
Date: Thu, 26 Nov 2026 08:10:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

The boiler stopped heating.
"""


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentDispatch(CommittedCase):
    """Two and four dispatchers on the same 1,000 requests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def setup(env):
            admin = env.ref("base.user_admin")
            team = env["service.team"].create(
                {"name": "Concurrency Team", "member_ids": [(6, 0, admin.ids)]}
            )
            rule = env["service.dispatch.rule"].create(
                {"name": "Concurrency Rule", "sequence": -1000, "team_id": team.id}
            )
            requests = (
                env["service.request"]
                .with_context(tracking_disable=True, mail_create_nolog=True)
                .create(
                    [{"subject": f"Concurrency {i}", "team_id": team.id} for i in range(REQUESTS)]
                )
            )
            capacity = admin.service_capacity
            admin.service_capacity = 0
            return team.id, rule.id, requests.ids, capacity

        cls.team_id, cls.rule_id, cls.request_ids, capacity = cls._committed(setup)
        cls.start_message_id = cls._committed(
            lambda env: env["mail.message"].search([], order="id desc", limit=1).id
        )

        def cleanup(env):
            env.ref("base.user_admin").service_capacity = capacity
            cls._delete_dispatch_messages(env)
            env["service.request"].browse(cls.request_ids).unlink()
            env["service.dispatch.rule"].browse(cls.rule_id).unlink()
            env["service.team"].browse(cls.team_id).unlink()

        cls.addClassCleanup(cls._committed, cleanup)

    @classmethod
    def _delete_dispatch_messages(cls, env):
        env["mail.message"].search(
            [
                "|",
                "&",
                ("model", "=", "service.request"),
                ("res_id", "in", cls.request_ids),
                "&",
                ("id", ">", cls.start_message_id),
                ("subject", "ilike", "Service requests assigned to you"),
            ]
        ).unlink()

    def setUp(self):
        super().setUp()

        def reset(env):
            self._delete_dispatch_messages(env)
            env["service.request"].browse(self.request_ids).with_context(
                tracking_disable=True
            ).write(
                {
                    "user_id": False,
                    "date_assigned": False,
                    "dispatch_rule_id": False,
                    "team_id": self.team_id,
                }
            )

        self._committed(reset)

    def _dispatch_concurrently(self, dispatchers):
        ids = self.request_ids
        # each dispatcher takes the whole batch, in its own order
        orders = [ids, ids[::-1], ids[1::2] + ids[::2], ids[::2] + ids[1::2]][:dispatchers]

        def dispatch(order, env):
            return env["service.request"].browse(order).action_dispatch()

        results, errors, attempts = self._race([partial(dispatch, o) for o in orders])
        self.assertEqual(errors, [None] * dispatchers, "no dispatcher fails")
        assigned = [request_id for result in results for request_id in result]
        self.assertEqual(len(assigned), REQUESTS, "each request assigned by one dispatcher only")
        self.assertEqual(set(assigned), set(ids), "no request lost")

        def check(env):
            requests = env["service.request"].browse(ids)
            self.assertFalse(requests.filtered(lambda r: not r.user_id), "every request assigned")
            notes = dict(
                env["mail.message"]._read_group(
                    [
                        ("model", "=", "service.request"),
                        ("res_id", "in", ids),
                        ("body", "ilike", "Dispatched by"),
                    ],
                    ["res_id"],
                    ["__count"],
                )
            )
            self.assertEqual(len(notes), REQUESTS)
            self.assertEqual(set(notes.values()), {1}, "one dispatch note per request")

        self._committed(check)
        return attempts

    def test_two_dispatchers(self):
        self._dispatch_concurrently(2)

    def test_four_dispatchers(self):
        self._dispatch_concurrently(4)


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentEmail(CommittedCase):
    """The same email (one Message-Id) delivered twice: one request."""

    def _cleanup(self, message_id):
        def cleanup(env):
            requests = env["service.request"].search([("email_message_id", "=", message_id)])
            env["mail.message"].search(
                [
                    "|",
                    ("message_id", "=", message_id),
                    "&",
                    ("model", "=", "service.request"),
                    ("res_id", "in", requests.ids),
                ]
            ).unlink()
            env["mail.activity"].search(
                [("res_model", "=", "service.request"), ("res_id", "in", requests.ids)]
            ).unlink()
            requests.unlink()

        self.addCleanup(self._committed, cleanup)

    def _count(self, message_id):
        return self._committed(
            lambda env: env["service.request"].search_count([("email_message_id", "=", message_id)])
        )

    @staticmethod
    def _deliver(raw, env):
        return env["mail.thread"].message_process("service.request", raw)

    def test_delivered_twice_in_sequence(self):
        message_id = "<concurrency-sequence@example.com>"
        self._cleanup(message_id)
        raw = EMAIL.format(subject="Delivered twice", message_id=message_id)
        first = self._committed(partial(self._deliver, raw))
        self.assertTrue(first)
        self.assertFalse(self._committed(partial(self._deliver, raw)), "second one ignored")
        self.assertEqual(self._count(message_id), 1)

    @mute_logger("odoo.sql_db", "odoo.service.model", "odoo.addons.mail.models.mail_thread")
    def test_delivered_twice_at_once(self):
        message_id = "<concurrency-race@example.com>"
        self._cleanup(message_id)
        raw = EMAIL.format(subject="Delivered twice at once", message_id=message_id)
        results, errors, __ = self._race([partial(self._deliver, raw)] * 2)
        self.assertEqual(self._count(message_id), 1, "one request")
        # Both passed the gateway's Message-Id check before either committed:
        # the loser's insert is refused by the unique index (the mail server
        # keeps the message and delivers it again later) ...
        winners = [r for r in results if r]
        self.assertEqual(len(winners), 1)
        for error in errors:
            if error:
                self.assertIsInstance(error, IntegrityError | ValidationError)
        # ... and that later delivery is ignored.
        self.assertFalse(self._committed(partial(self._deliver, raw)))
        self.assertEqual(self._count(message_id), 1)


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentInvoicing(CommittedCase):
    """The recurring invoicing run twice, in sequence and at once."""

    def setUp(self):
        super().setUp()
        today = fields.Date.context_today(self.env["service.contract"])
        self.today = today

        def setup(env):
            partner = env["res.partner"].create({"name": "Concurrency Contract Customer"})
            product = env["product.product"].create(
                {"name": "Concurrency Plan", "type": "service", "taxes_id": [(5, 0, 0)]}
            )
            contracts = env["service.contract"].create(
                [
                    {
                        "partner_id": partner.id,
                        "date_start": today - relativedelta(months=2),
                        "date_end": today + relativedelta(months=10, days=-1),
                        "line_ids": [(0, 0, {"product_id": product.id, "price_unit": 100.0})],
                    }
                    for __ in range(3)
                ]
            )
            contracts.action_activate()
            return partner.id, product.id, contracts.ids

        self.partner_id, self.product_id, self.contract_ids = self._committed(setup)

        def cleanup(env):
            contracts = env["service.contract"].browse(self.contract_ids)
            moves = env["account.move"].search([("service_contract_id", "in", contracts.ids)])
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            env["mail.message"].search(
                [("model", "=", "service.contract"), ("res_id", "in", contracts.ids)]
            ).unlink()
            contracts.write({"state": "draft"})
            contracts.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

        self.addCleanup(self._committed, cleanup)

    def _run(self, env):
        # what the cron runs for each batch of due contracts
        contracts = env["service.contract"].browse(self.contract_ids)
        return contracts._create_period_invoices(self.today).ids

    def _check_one_invoice_per_period(self):
        def check(env):
            contracts = env["service.contract"].browse(self.contract_ids)
            rows = env["account.move"]._read_group(
                [("service_contract_id", "in", contracts.ids)],
                ["service_contract_id", "service_period_start:day"],
                ["__count"],
            )
            # three monthly periods are due on each contract, invoiced once each
            self.assertEqual(len(rows), 3 * len(contracts))
            self.assertEqual({count for __, __, count in rows}, {1})
            self.assertFalse(contracts.filtered(lambda c: c.next_invoice_date <= self.today))

        self._committed(check)

    def test_run_twice_in_sequence(self):
        first = self._committed(self._run)
        self.assertEqual(len(first), 9)
        self.assertEqual(self._committed(self._run), [], "nothing left to invoice")
        self._check_one_invoice_per_period()

    def _stale_run(self):
        """A run whose transaction began before another run committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.cr.execute("SELECT 1")  # takes the snapshot
            first = self._committed(self._run)
            return first, self._run(env)

    def test_run_with_a_stale_snapshot(self):
        first, second = self._stale_run()
        self.assertEqual(len(first), 9)
        # the invoices of the first run are invisible to the second: it must
        # defer, not invoice again nor fail with a serialization error
        self.assertEqual(second, [])
        self._check_one_invoice_per_period()

    def test_run_twice_at_once(self):
        # as the scheduler runs them: once each, no retry
        results, errors, __ = self._race([self._run, self._run], retry=False)
        self.assertEqual(errors, [None, None], "no run fails")
        # one run invoices, the other finds the contracts locked or already
        # changed and leaves them to the next run
        self.assertEqual(sorted(len(r) for r in results), [0, 9])
        self.assertEqual(self._committed(self._run), [], "the next run finds nothing due")
        self._check_one_invoice_per_period()


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentWarranty(CommittedCase):
    """The warranty registration of a delivery, run twice and at once."""

    def setUp(self):
        super().setUp()

        def setup(env):
            partner = env["res.partner"].create({"name": "Concurrency Warranty Customer"})
            product = env["product.product"].create(
                {"name": "Concurrency Boiler", "is_storable": True, "tracking": "serial"}
            )
            env["service.warranty.policy"].create(
                {"name": "Concurrency Policy", "product_id": product.id, "months": 24}
            )
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            customers = env.ref("stock.stock_location_customers")
            lots = env["stock.lot"].create(
                [{"name": f"CONC-W-{i}", "product_id": product.id} for i in range(20)]
            )
            moves = env["stock.move"].create(
                [
                    {
                        "name": lot.name,
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": customers.id,
                        "partner_id": partner.id,
                        "state": "done",
                        "date": fields.Datetime.now(),
                        "move_line_ids": [
                            (
                                0,
                                0,
                                {
                                    "product_id": product.id,
                                    "lot_id": lot.id,
                                    "quantity": 1,
                                    "location_id": warehouse.lot_stock_id.id,
                                    "location_dest_id": customers.id,
                                    "state": "done",
                                },
                            )
                        ],
                    }
                    for lot in lots
                ]
            )
            return partner.id, product.id, lots.ids, moves.ids

        self.partner_id, self.product_id, self.lot_ids, self.move_ids = self._committed(setup)

        def cleanup(env):
            # done moves cannot be unlinked through the ORM
            env.cr.execute(
                "DELETE FROM stock_move_line WHERE move_id IN %s", [tuple(self.move_ids)]
            )
            env.cr.execute("DELETE FROM stock_move WHERE id IN %s", [tuple(self.move_ids)])
            env.cr.execute("DELETE FROM stock_quant WHERE lot_id IN %s", [tuple(self.lot_ids)])
            env.cr.execute(
                "DELETE FROM stock_valuation_layer WHERE product_id = %s", [self.product_id]
            )
            env["stock.lot"].browse(self.lot_ids).unlink()
            env["service.warranty.policy"].search([("product_id", "=", self.product_id)]).unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

        self.addCleanup(self._committed, cleanup)

    def _register(self, move_ids, env):
        env["stock.move"].browse(move_ids)._service_warranty_register()

    def _warranties(self):
        def read(env):
            return {
                lot.id: (
                    lot.service_warranty_start,
                    lot.service_warranty_end,
                    lot.service_warranty_move_id.id,
                    lot.service_warranty_partner_id.id,
                )
                for lot in env["stock.lot"].browse(self.lot_ids)
            }

        return self._committed(read)

    def _expected(self):
        today = fields.Date.context_today(self.env["stock.move"])
        end = today + relativedelta(months=24, days=-1)
        return {
            lot_id: (today, end, move_id, self.partner_id)
            for lot_id, move_id in zip(self.lot_ids, self.move_ids, strict=True)
        }

    def test_registered_twice_in_sequence(self):
        self._committed(partial(self._register, self.move_ids))
        first = self._warranties()
        self.assertEqual(first, self._expected())
        self._committed(partial(self._register, self.move_ids))
        self.assertEqual(self._warranties(), first, "a second run changes nothing")

    @mute_logger("odoo.service.model")
    def test_registered_twice_at_once(self):
        # two overlapping runs: all serials, and the second half again
        half = self.move_ids[10:]
        __, errors, __ = self._race(
            [partial(self._register, self.move_ids), partial(self._register, half)]
        )
        self.assertEqual(errors, [None, None])
        self.assertEqual(self._warranties(), self._expected(), "one warranty per serial")


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentClaimDecision(CommittedCase):
    """Two users deciding the same claim at once: one wins, the other is told."""

    def setUp(self):
        super().setUp()

        def setup(env):
            customer = env["res.partner"].create({"name": "Concurrency Claim Customer"})
            product = env["product.product"].create(
                {"name": "Concurrency Claim Boiler", "is_storable": True, "tracking": "serial"}
            )
            lot = env["stock.lot"].create({"name": "CONC-CLAIM-1", "product_id": product.id})
            lot.service_warranty_partner_id = customer
            claim = env["service.warranty.claim"].create(
                {
                    "partner_id": customer.id,
                    "lot_id": lot.id,
                    "defect_description": "No heat",
                    "state": "inspection",
                    "decision": "reject",
                    "reject_reason": "Damaged by frost",
                }
            )
            return claim.id, lot.id, product.id, customer.id

        self.claim_id, self.lot_id, self.product_id, self.partner_id = self._committed(setup)
        self.deciders = [
            self.env.ref("base.user_admin").id,
            self.env.ref("service_base.user_service_manager_orlova").id,
        ]

        def cleanup(env):
            env["mail.message"].search(
                [("model", "=", "service.warranty.claim"), ("res_id", "=", self.claim_id)]
            ).unlink()
            env["service.warranty.claim"].browse(self.claim_id).unlink()
            env["stock.lot"].browse(self.lot_id).unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

        self.addCleanup(self._committed, cleanup)

    def _decide(self, user_id, env):
        claim = env["service.warranty.claim"].browse(self.claim_id)
        return claim.with_user(user_id).with_context(lang="ru_RU").action_decide()

    def _check_decided_once(self, winner):
        def check(env):
            claim = env["service.warranty.claim"].browse(self.claim_id)
            self.assertEqual(claim.state, "rejected")
            self.assertEqual(claim.decided_by_id.id, winner)
            rejections = env["mail.message"].search_count(
                [
                    ("model", "=", "service.warranty.claim"),
                    ("res_id", "=", claim.id),
                    ("subtype_id", "=", env.ref("mail.mt_comment").id),
                ]
            )
            self.assertEqual(rejections, 1, "the customer is told once")

        self._committed(check)

    def test_decided_in_sequence(self):
        self._committed(partial(self._decide, self.deciders[0]))
        with self.assertRaisesRegex(UserError, "уже принял"):
            self._committed(partial(self._decide, self.deciders[1]))
        self._check_decided_once(self.deciders[0])

    def test_decided_after_the_other_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.cr.execute("SELECT 1")  # the second user's transaction begins
            self._committed(partial(self._decide, self.deciders[0]))
            # the first decision is invisible here: told, not a database error
            with self.assertRaisesRegex(UserError, "Другой пользователь только что изменил"):
                self._decide(self.deciders[1], env)
        self._check_decided_once(self.deciders[0])

    def test_decided_at_once_without_retry(self):
        self._decided_at_once(retry=False)

    def test_decided_at_once(self):
        self._decided_at_once(retry=True)

    @mute_logger("odoo.service.model")
    def _decided_at_once(self, retry):
        results, errors, __ = self._race(
            [partial(self._decide, uid) for uid in self.deciders], retry=retry
        )
        winners = [i for i, result in enumerate(results) if result]
        self.assertEqual(len(winners), 1, "one decision wins")
        loser = errors[1 - winners[0]]
        self.assertIsInstance(loser, UserError)
        # a clear message, in the user's language
        self.assertRegex(str(loser), "[а-яА-Я]{5,}.*рекламаци")
        self._check_decided_once(self.deciders[winners[0]])


class OneDocumentCase(CommittedCase):
    """Parallel calls of an action that creates the one document of a record.

    The callers are the demo service manager and technician, in Russian, as
    they would click at once (or an RPC client would retry a slow call).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_id = cls.env.ref("service_base.user_service_manager_orlova").id
        cls.technician_id = cls.env.ref("service_base.user_technician_smirnov").id
        cls.admin_id = cls.env.ref("base.user_admin").id

    @staticmethod
    def _as(env, user_id, records):
        return records.with_env(env).with_user(user_id).with_context(lang="ru_RU")

    def _one_wins(self, funcs, pattern):
        """Race ``funcs``: exactly one succeeds, each other one is refused with
        a Russian message matching ``pattern``. Returns the winner's result."""
        results, errors, __ = self._race(funcs)
        winners = [index for index, error in enumerate(errors) if error is None]
        self.assertEqual(len(winners), 1, f"exactly one call wins; errors: {errors}")
        for error in errors:
            if error is not None:
                # a ValidationError is a UserError too; never a database error
                self.assertIsInstance(error, UserError)
                self.assertRegex(str(error), pattern)
        return results[winners[0]]

    def _count(self, model, domain):
        return self._committed(lambda env: env[model].search_count(domain))


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentRenewal(OneDocumentCase):
    """Two managers renewing one contract at once: one renewal."""

    def setUp(self):
        super().setUp()
        today = fields.Date.context_today(self.env["service.contract"])

        def setup(env):
            partner = env["res.partner"].create({"name": "Concurrency Renewal Customer"})
            product = env["product.product"].create(
                {"name": "Concurrency Renewal Plan", "type": "service"}
            )
            contract = env["service.contract"].create(
                {
                    "partner_id": partner.id,
                    "date_start": today - relativedelta(months=11),
                    "date_end": today + relativedelta(months=1, days=-1),
                    "line_ids": [(0, 0, {"product_id": product.id, "price_unit": 100.0})],
                }
            )
            contract.action_activate()
            return partner.id, product.id, contract.id

        self.partner_id, self.product_id, self.contract_id = self._committed(setup)

        def cleanup(env):
            contracts = (
                env["service.contract"]
                .with_context(active_test=False)
                .search([("partner_id", "=", self.partner_id)])
            )
            accounts = contracts.analytic_account_id
            contracts.write({"state": "draft"})
            contracts.unlink()
            accounts.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

        self.addCleanup(self._committed, cleanup)

    def _renew(self, user_id, env):
        return self._as(
            env, user_id, env["service.contract"].browse(self.contract_id)
        ).action_renew()

    @mute_logger("odoo.service.model")
    def test_renewed_twice_at_once(self):
        action = self._one_wins(
            [partial(self._renew, self.manager_id)] * 2, "уже продлён договором"
        )
        renewals = self._committed(
            lambda env: (
                env["service.contract"]
                .search([("previous_contract_id", "=", self.contract_id)])
                .ids
            )
        )
        self.assertEqual(renewals, [action["res_id"]], "one renewal")


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentSalesContract(OneDocumentCase):
    """One order made into a service contract twice at once: one contract."""

    def setUp(self):
        super().setUp()

        def setup(env):
            partner = env["res.partner"].create({"name": "Concurrency Order Customer"})
            product = env["product.product"].create(
                {"name": "Concurrency Order Plan", "type": "service", "list_price": 90.0}
            )
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
                }
            )
            return partner.id, product.id, order.id

        self.partner_id, self.product_id, self.order_id = self._committed(setup)

        def cleanup(env):
            env["service.contract"].search([("partner_id", "=", self.partner_id)]).unlink()
            env["sale.order"].browse(self.order_id).unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

        self.addCleanup(self._committed, cleanup)

    def _make_contract(self, env):
        order = env["sale.order"].browse(self.order_id)
        return order.with_context(lang="ru_RU").action_create_service_contract()

    @mute_logger("odoo.service.model")
    def test_contract_made_twice_at_once(self):
        self._one_wins([self._make_contract] * 2, "уже есть договор на обслуживание")
        domain = [("sale_order_id", "=", self.order_id)]
        self.assertEqual(self._count("service.contract", domain), 1, "one contract")


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentContractCap(OneDocumentCase):
    """Two repair quotations under one contract confirmed at once: together they
    take no more than the contract's yearly cap."""

    def setUp(self):
        super().setUp()
        today = fields.Date.context_today(self.env["service.contract"])

        def setup(env):
            partner = env["res.partner"].create({"name": "Concurrency Cap Customer"})
            model = env["product.product"].create(
                {"name": "Concurrency Cap Boiler", "is_storable": True, "tracking": "serial"}
            )
            labour = env["product.product"].create(
                {
                    "name": "Concurrency Cap Labour",
                    "type": "service",
                    "list_price": 800.0,
                    "taxes_id": [(5, 0, 0)],
                }
            )
            lot = env["stock.lot"].create({"name": "CONC-CAP-1", "product_id": model.id})
            unit = env["service.equipment"].create(
                {"product_id": model.id, "lot_id": lot.id, "partner_id": partner.id}
            )
            contract = env["service.contract"].create(
                {
                    "partner_id": partner.id,
                    "date_start": today - relativedelta(months=1),
                    "date_end": today + relativedelta(months=11),
                    "cover_labour": True,
                    "yearly_cap": 1000.0,
                    "line_ids": [(0, 0, {"equipment_id": unit.id})],
                }
            )
            contract.action_activate()
            orders = env["sale.order"]
            for __ in range(2):
                request = env["service.request"].create(
                    {
                        "subject": "Concurrency cap",
                        "partner_id": partner.id,
                        "equipment_id": unit.id,
                    }
                )
                repair = env["repair.order"].browse(request.action_create_repair()["res_id"])
                repair.action_create_sale_order()
                repair.sale_order_id.order_line = [(0, 0, {"product_id": labour.id})]
                orders |= repair.sale_order_id
            return partner.id, (model | labour).ids, unit.id, contract.id, orders.ids

        (self.partner_id, self.product_ids, unit_id, self.contract_id, self.order_ids) = (
            self._committed(setup)
        )

        def cleanup(env):
            orders = env["sale.order"].browse(self.order_ids)
            repairs = orders.repair_order_ids
            requests = repairs.request_id
            orders._action_cancel()
            orders.unlink()
            repairs.filtered(lambda r: r.state != "cancel").action_repair_cancel()
            repairs.unlink()
            requests.unlink()
            contract = env["service.contract"].browse(self.contract_id)
            accounts = contract.analytic_account_id
            contract.write({"state": "draft"})
            contract.unlink()
            accounts.unlink()
            unit = env["service.equipment"].browse(unit_id)
            lots = unit.lot_id
            unit.unlink()
            lots.unlink()
            env["product.product"].browse(self.product_ids).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

        self.addCleanup(self._committed, cleanup)

    def _confirm(self, order_id, env):
        return self._as(env, self.admin_id, env["sale.order"].browse(order_id)).action_confirm()

    @mute_logger("odoo.service.model")
    def test_confirmed_at_once(self):
        results, errors, __ = self._race([partial(self._confirm, oid) for oid in self.order_ids])
        self.assertEqual(errors, [None, None])
        covered = self._committed(
            lambda env: sorted(
                env["sale.order"].browse(self.order_ids).order_line.mapped("service_covered_amount")
            )
        )
        # 800 each; the cap pays 1,000: all of one, 200 of the other.
        self.assertEqual(covered, [200.0, 800.0])


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentContractInvoice(OneDocumentCase):
    """The "Create Invoices" button of one contract clicked twice at once."""

    def setUp(self):
        super().setUp()
        today = fields.Date.context_today(self.env["service.contract"])

        def setup(env):
            partner = env["res.partner"].create({"name": "Concurrency Button Customer"})
            product = env["product.product"].create(
                {"name": "Concurrency Button Plan", "type": "service", "taxes_id": [(5, 0, 0)]}
            )
            contract = env["service.contract"].create(
                {
                    "partner_id": partner.id,
                    "date_start": today - relativedelta(months=1),
                    "date_end": today + relativedelta(months=11, days=-1),
                    "line_ids": [(0, 0, {"product_id": product.id, "price_unit": 100.0})],
                }
            )
            contract.action_activate()
            return partner.id, product.id, contract.id

        self.partner_id, self.product_id, self.contract_id = self._committed(setup)

        def cleanup(env):
            contract = env["service.contract"].browse(self.contract_id)
            moves = env["account.move"].search([("service_contract_id", "=", contract.id)])
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            accounts = contract.analytic_account_id
            contract.write({"state": "draft"})
            contract.unlink()
            accounts.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

        self.addCleanup(self._committed, cleanup)

    def _invoice(self, env):
        # the manager of the demo data who may invoice: the administrator
        contract = env["service.contract"].browse(self.contract_id)
        return self._as(env, self.admin_id, contract).action_create_invoices()

    @mute_logger("odoo.service.model")
    def test_invoiced_twice_at_once(self):
        self._one_wins([self._invoice] * 2, "Выставлять нечего|кто-то другой")
        domain = [("service_contract_id", "=", self.contract_id)]
        # two monthly periods are due: invoiced once each
        self.assertEqual(self._count("account.move", domain), 2)


class ClaimCase(OneDocumentCase):
    """A customer, a serial in warranty sold to them, its supplier, claims."""

    def setUp(self):
        super().setUp()
        today = fields.Date.context_today(self.env["service.warranty.claim"])

        def setup(env):
            customer = env["res.partner"].create({"name": "Concurrency Claims Customer"})
            supplier = env["res.partner"].create({"name": "Concurrency Claims Supplier"})
            product = env["product.product"].create(
                {
                    "name": "Concurrency Claims Boiler",
                    "is_storable": True,
                    "tracking": "serial",
                    "standard_price": 400.0,
                    "list_price": 1000.0,
                    "taxes_id": [(5, 0, 0)],
                }
            )
            lots = env["stock.lot"].create(
                [{"name": f"CONC-CL-{i}", "product_id": product.id} for i in range(3)]
            )
            lots.write(
                {
                    "service_warranty_partner_id": customer.id,
                    "service_warranty_start": today - relativedelta(months=1),
                    "service_warranty_end": today + relativedelta(months=23),
                    "service_supplier_id": supplier.id,
                    "service_supplier_warranty_end": today + relativedelta(months=11),
                }
            )
            return customer.id, supplier.id, product.id, lots.ids

        self.customer_id, self.supplier_id, self.product_id, self.lot_ids = self._committed(setup)

        def cleanup(env):
            self._cleanup_claims(env)
            partners = env["res.partner"].browse([self.customer_id, self.supplier_id])
            moves = env["account.move"].search([("partner_id", "in", partners.ids)])
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            env["stock.lot"].browse(self.lot_ids).unlink()
            env["product.product"].browse(self.product_id).unlink()
            partners.unlink()

        self.addCleanup(self._committed, cleanup)

    def _cleanup_claims(self, env):
        claims = env["service.warranty.claim"].search([("partner_id", "=", self.customer_id)])
        pickings = env["stock.picking"].search(
            [
                "|",
                ("service_warranty_claim_id", "in", claims.ids),
                ("service_supplier_claim_id.claim_id", "in", claims.ids),
            ]
        )
        pickings.action_cancel()
        pickings.unlink()
        repairs = env["repair.order"].search([("service_warranty_claim_id", "in", claims.ids)])
        repairs.action_repair_cancel()
        repairs.move_ids.unlink()
        repairs.unlink()
        claims.supplier_claim_ids.unlink()
        claims.unlink()
        env.cr.execute("DELETE FROM stock_quant WHERE lot_id IN %s", [tuple(self.lot_ids)])
        env.invalidate_all()

    def _claims(self, env, count, **vals):
        if vals.get("state") in ("decided", "resolved", "rejected", "closed"):
            # A decided claim records its decision, who decided and when.
            vals = {
                "decision": "repair",
                "decided_by_id": SUPERUSER_ID,
                "decision_date": fields.Datetime.now(),
                **vals,
            }
        return env["service.warranty.claim"].create(
            [
                {
                    "partner_id": self.customer_id,
                    "lot_id": self.lot_ids[0],
                    "defect_description": "No heat",
                    "state": "inspection",
                    **vals,
                }
                for __ in range(count)
            ]
        )


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentClaimDocuments(ClaimCase):
    """One claim's supplier claim, vendor credit note and paid repair, twice at once."""

    def _claim_back(self, user_id, claim_id, env):
        claim = self._as(env, user_id, env["service.warranty.claim"].browse(claim_id))
        return claim.action_claim_supplier()

    @mute_logger("odoo.service.model")
    def test_claimed_back_twice_at_once(self):
        claim_id = self._committed(lambda env: self._claims(env, 1, state="decided").id)
        self._one_wins(
            [
                partial(self._claim_back, self.technician_id, claim_id),
                partial(self._claim_back, self.manager_id, claim_id),
            ],
            "рекламация поставщику уже выставлена",
        )

        def check(env):
            supplier_claims = env["service.supplier.claim"].search([("claim_id", "=", claim_id)])
            self.assertEqual(len(supplier_claims), 1, "one supplier claim")
            returns = env["stock.picking"].search(
                [("service_supplier_claim_id.claim_id", "=", claim_id)]
            )
            self.assertEqual(returns, supplier_claims.return_picking_id, "one return")

        self._committed(check)

    def _vendor_refund(self, user_id, supplier_claim_id, env):
        supplier_claim = env["service.supplier.claim"].browse(supplier_claim_id)
        return self._as(env, user_id, supplier_claim).action_create_vendor_refund()

    @mute_logger("odoo.service.model")
    def test_vendor_credit_note_twice_at_once(self):
        def setup(env):
            claim = self._claims(env, 1, state="decided")
            return (
                env["service.supplier.claim"]
                .create(
                    {
                        "claim_id": claim.id,
                        "supplier_id": self.supplier_id,
                        "lot_id": self.lot_ids[0],
                        "expected_amount": 300.0,
                    }
                )
                .id
            )

        supplier_claim_id = self._committed(setup)
        self._one_wins(
            [
                partial(self._vendor_refund, self.manager_id, supplier_claim_id),
                partial(self._vendor_refund, self.technician_id, supplier_claim_id),
            ],
            "возврат уже создан",
        )
        domain = [("service_supplier_claim_id", "=", supplier_claim_id)]
        self.assertEqual(self._count("account.move", domain), 1, "one vendor credit note")

    def _paid_repair(self, user_id, claim_id, env):
        claim = self._as(env, user_id, env["service.warranty.claim"].browse(claim_id))
        return claim.action_offer_paid_repair()

    @mute_logger("odoo.service.model")
    def test_paid_repair_twice_at_once(self):
        claim_id = self._committed(
            lambda env: (
                self._claims(env, 1, state="rejected", decision="reject", reject_reason="Frost").id
            )
        )
        self._one_wins(
            [
                partial(self._paid_repair, self.technician_id, claim_id),
                partial(self._paid_repair, self.manager_id, claim_id),
            ],
            "Платный ремонт по этой рекламации уже открыт",
        )
        domain = [("service_warranty_claim_id", "=", claim_id)]
        self.assertEqual(self._count("repair.order", domain), 1, "one paid repair")


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentClaimUnit(ClaimCase):
    """A claim's repaired unit returned to the customer twice at once: one delivery."""

    def setUp(self):
        super().setUp()

        def setup(env):
            claim = self._claims(env, 1, decision="repair")
            claim.action_decide()
            claim.action_receive_unit()
            return claim.id

        self.claim_id = self._committed(setup)

        def cleanup(env):
            # done transfers cannot be cancelled or unlinked through the ORM
            pickings = env["stock.picking"].search(
                [("service_warranty_claim_id", "=", self.claim_id)]
            )
            if pickings:
                moves = tuple(pickings.move_ids.ids)
                env.cr.execute("DELETE FROM stock_move_line WHERE move_id IN %s", [moves])
                env.cr.execute(
                    "DELETE FROM stock_valuation_layer WHERE stock_move_id IN %s", [moves]
                )
                env.cr.execute("DELETE FROM stock_move WHERE id IN %s", [moves])
                env.cr.execute("DELETE FROM stock_picking WHERE id IN %s", [tuple(pickings.ids)])
                env.invalidate_all()

        # runs before ClaimCase's cleanup of the claims (last added, first run)
        self.addCleanup(self._committed, cleanup)

    def _return(self, user_id, env):
        claim = self._as(env, user_id, env["service.warranty.claim"].browse(self.claim_id))
        return claim.action_return_to_customer()

    @mute_logger("odoo.service.model")
    def test_unit_returned_twice_at_once(self):
        self._one_wins(
            [partial(self._return, self.technician_id), partial(self._return, self.manager_id)],
            "уже возвращено клиенту",
        )
        domain = [
            ("service_warranty_claim_id", "=", self.claim_id),
            ("location_dest_id", "=", self.env.ref("stock.stock_location_customers").id),
        ]
        self.assertEqual(self._count("stock.picking", domain), 1, "one delivery back")


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentRefunds(ClaimCase):
    """Two claims refunding one 1,000 invoice line in full, decided at once."""

    def setUp(self):
        super().setUp()

        def setup(env):
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer_id,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {"product_id": self.product_id, "quantity": 1, "price_unit": 1000.0},
                        )
                    ],
                }
            )
            invoice.action_post()
            line = invoice.invoice_line_ids
            claims = self._claims(
                env, 2, decision="refund", refund_amount=1000.0, invoice_line_id=line.id
            )
            return line.id, claims.ids

        self.line_id, self.claim_ids = self._committed(setup)

    def _decide(self, user_id, claim_id, env):
        claim = self._as(env, user_id, env["service.warranty.claim"].browse(claim_id))
        return claim.action_decide()

    @mute_logger("odoo.service.model")
    def test_line_refunded_twice_at_once(self):
        self._one_wins(
            [
                partial(self._decide, self.technician_id, self.claim_ids[0]),
                partial(self._decide, self.manager_id, self.claim_ids[1]),
            ],
            "больше остатка, доступного к возврату",
        )

        def check(env):
            refunds = env["account.move"].search(
                [("service_warranty_claim_id", "in", self.claim_ids)]
            )
            self.assertEqual(len(refunds), 1, "one credit note")
            self.assertEqual(refunds.amount_untaxed, 1000.0, "no more than the line")
            claims = env["service.warranty.claim"].browse(self.claim_ids)
            self.assertEqual(sorted(claims.mapped("state")), ["decided", "inspection"])

        self._committed(check)


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentReplacements(ClaimCase):
    """Two claims replacing their units with the one spare serial, at once."""

    def setUp(self):
        super().setUp()

        def setup(env):
            spare = env["stock.lot"].browse(self.lot_ids[2])
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            env["stock.quant"]._update_available_quantity(
                spare.product_id, warehouse.lot_stock_id, 1, lot_id=spare
            )
            claims = self._claims(env, 1, decision="replace", replacement_lot_id=spare.id)
            claims |= self._claims(env, 1, decision="replace", replacement_lot_id=spare.id)
            claims[1].lot_id = self.lot_ids[1]
            return claims.ids

        self.claim_ids = self._committed(setup)

    def _decide(self, user_id, claim_id, env):
        claim = self._as(env, user_id, env["service.warranty.claim"].browse(claim_id))
        return claim.action_decide()

    @mute_logger("odoo.service.model")
    def test_spare_promised_twice_at_once(self):
        self._one_wins(
            [
                partial(self._decide, self.technician_id, self.claim_ids[0]),
                partial(self._decide, self.manager_id, self.claim_ids[1]),
            ],
            "уже обещан",
        )
        domain = [
            ("service_warranty_claim_id", "in", self.claim_ids),
            ("move_line_ids.lot_id", "=", self.lot_ids[2]),
        ]
        self.assertEqual(self._count("stock.picking", domain), 1, "one delivery of the spare")


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentBookings(OneDocumentCase):
    """Two bookings of one demo unit for overlapping times, saved at once."""

    def setUp(self):
        super().setUp()

        def setup(env):
            customer = env["res.partner"].create({"name": "Concurrency Demo Customer"})
            product = env["product.product"].create(
                {"name": "Concurrency Demo Chiller", "is_equipment": True}
            )
            unit = env["service.equipment"].create({"product_id": product.id, "is_demo": True})
            return customer.id, product.id, unit.id

        self.customer_id, self.product_id, self.unit_id = self._committed(setup)

        def cleanup(env):
            env["service.demo.booking"].search([("equipment_id", "=", self.unit_id)]).unlink()
            env["service.equipment"].browse(self.unit_id).unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.customer_id).unlink()

        self.addCleanup(self._committed, cleanup)

    def _book(self, user_id, start_hour, stop_hour, env):
        Booking = self._as(env, user_id, env["service.demo.booking"])
        return Booking.create(
            {
                "equipment_id": self.unit_id,
                "partner_id": self.customer_id,
                "date_start": datetime(2031, 3, 4, start_hour),
                "date_stop": datetime(2031, 3, 4, stop_hour),
            }
        ).id

    def _bookings(self):
        domain = [("equipment_id", "=", self.unit_id), ("state", "!=", "cancelled")]
        return self._count("service.demo.booking", domain)

    @mute_logger("odoo.service.model", "odoo.sql_db")
    def test_booked_twice_at_once(self):
        self._one_wins(
            [
                partial(self._book, self.manager_id, 10, 12),
                partial(self._book, self.technician_id, 11, 13),
            ],
            "уже забронирован|только что забронировал",
        )
        self.assertEqual(self._bookings(), 1, "one booking of the slot")

    @mute_logger("odoo.service.model", "odoo.sql_db")
    def test_moved_onto_a_booking_made_at_once(self):
        moved_id = self._committed(partial(self._book, self.manager_id, 14, 15))

        def move(env):
            booking = self._as(
                env, self.technician_id, env["service.demo.booking"].browse(moved_id)
            )
            booking.write({"date_start": datetime(2031, 3, 4, 10)})
            return True

        winner = self._one_wins(
            [partial(self._book, self.manager_id, 10, 12), move],
            "уже забронирован|только что забронировал",
        )
        # either the new booking won (two bookings) or the move did (one)
        self.assertEqual(self._bookings(), 1 if winner is True else 2)
        overlaps = self._committed(
            lambda env: env["service.demo.booking"].search_count(
                [
                    ("equipment_id", "=", self.unit_id),
                    ("date_start", "<", datetime(2031, 3, 4, 12)),
                    ("date_stop", ">", datetime(2031, 3, 4, 10)),
                ]
            )
        )
        self.assertEqual(overlaps, 1, "the slot is booked once")


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentRepairDocuments(OneDocumentCase):
    """A request's repair, a repair's quality check and the RFQ of its missing
    parts, each made twice at once."""

    def setUp(self):
        super().setUp()

        def setup(env):
            customer = env["res.partner"].create({"name": "Concurrency Repair Customer"})
            supplier = env["res.partner"].create({"name": "Concurrency Parts Supplier"})
            category = env["product.category"].create({"name": "Concurrency Boilers"})
            model = env["product.product"].create(
                {"name": "Concurrency Repair Boiler", "is_equipment": True, "categ_id": category.id}
            )
            part = env["product.product"].create(
                {
                    "name": "Concurrency Valve",
                    "is_storable": True,
                    "seller_ids": [(0, 0, {"partner_id": supplier.id, "price": 30.0})],
                }
            )
            template = env["service.qc.template"].create(
                {
                    "name": "Concurrency Checks",
                    "sequence": -1000,
                    "product_categ_ids": [(6, 0, category.ids)],
                    "item_ids": [(0, 0, {"name": "Gas tightness"})],
                }
            )
            request = env["service.request"].create(
                {"subject": "Concurrency repair", "partner_id": customer.id, "product_id": model.id}
            )
            repair = env["repair.order"].create(
                {
                    "product_id": model.id,
                    "partner_id": customer.id,
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": part.id,
                                "product_uom_qty": 2,
                                "repair_line_type": "add",
                            },
                        )
                    ],
                }
            )
            return {
                "partners": (customer | supplier).ids,
                "category": category.id,
                "products": (model | part).ids,
                "template": template.id,
                "request": request.id,
                "repair": repair.id,
            }

        self.ids = self._committed(setup)

        def cleanup(env):
            ids = self.ids
            orders = env["purchase.order"].search([("partner_id", "in", ids["partners"])])
            orders.button_cancel()
            orders.unlink()
            repairs = env["repair.order"].search([("partner_id", "in", ids["partners"])])
            repairs.action_repair_cancel()
            repairs.move_ids.unlink()
            repairs.unlink()
            env["service.request"].browse(ids["request"]).unlink()
            env["service.qc.template"].browse(ids["template"]).unlink()
            env["product.product"].browse(ids["products"]).unlink()
            env["product.category"].browse(ids["category"]).unlink()
            env["res.partner"].browse(ids["partners"]).unlink()

        self.addCleanup(self._committed, cleanup)

    def _create_repair(self, user_id, env):
        request = self._as(env, user_id, env["service.request"].browse(self.ids["request"]))
        return request.action_create_repair()

    @mute_logger("odoo.service.model")
    def test_repair_created_twice_at_once(self):
        self._one_wins(
            [
                partial(self._create_repair, self.technician_id),
                partial(self._create_repair, self.manager_id),
            ],
            "уже открыт ремонт",
        )
        domain = [("request_id", "=", self.ids["request"])]
        self.assertEqual(self._count("repair.order", domain), 1, "one repair")

    def _create_rfqs(self, user_id, env):
        Requirement = self._as(env, user_id, env["service.part.requirement"])
        return Requirement.search([("repair_id", "=", self.ids["repair"])]).action_create_rfqs()

    @mute_logger("odoo.service.model")
    def test_rfq_created_twice_at_once(self):
        self._one_wins(
            # the parts buyer of the demo data: the administrator
            [partial(self._create_rfqs, self.admin_id)] * 2,
            "уже покрывают",
        )
        domain = [("service_repair_ids", "in", self.ids["repair"])]
        self.assertEqual(self._count("purchase.order", domain), 1, "one RFQ")

    def _qc_check(self, user_id, env):
        repair = self._as(env, user_id, env["repair.order"].browse(self.ids["repair"]))
        return repair.action_service_qc_check()["res_id"]

    @mute_logger("odoo.service.model")
    def test_quality_check_opened_twice_at_once(self):
        # Opening the check is idempotent: both callers open the same one.
        results, errors, __ = self._race(
            [partial(self._qc_check, self.technician_id), partial(self._qc_check, self.manager_id)]
        )
        self.assertEqual(errors, [None, None])
        self.assertEqual(results[0], results[1], "both open the one check")
        domain = [("repair_id", "=", self.ids["repair"])]
        self.assertEqual(self._count("service.qc.check", domain), 1, "one check")


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentUnits(OneDocumentCase):
    """Units: one per serial, one loaner lent once, one unit sent once."""

    def setUp(self):
        super().setUp()

        def setup(env):
            customer = env["res.partner"].create({"name": "Concurrency Units Customer"})
            center = env["res.partner"].create(
                {"name": "Concurrency Service Centre", "is_service_center": True}
            )
            product = env["product.product"].create(
                {
                    "name": "Concurrency Unit Boiler",
                    "is_storable": True,
                    "tracking": "serial",
                    "is_equipment": True,
                }
            )
            lots = env["stock.lot"].create(
                [{"name": f"CONC-U-{i}", "product_id": product.id} for i in range(3)]
            )
            stock = (
                env["stock.warehouse"]
                .search([("company_id", "=", env.company.id)], limit=1)
                .lot_stock_id
            )
            # the loaner is in the company's stock; the customer's unit at the customer's
            env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lots[1])
            loaner = env["service.equipment"].create(
                {"product_id": product.id, "lot_id": lots[1].id, "is_loaner": True}
            )
            unit = env["service.equipment"].create(
                {"product_id": product.id, "lot_id": lots[2].id, "partner_id": customer.id}
            )
            requests = env["service.request"].create(
                [
                    {
                        "subject": f"Concurrency unit {i}",
                        "partner_id": customer.id,
                        "equipment_id": unit.id,
                    }
                    for i in range(2)
                ]
            )
            return {
                "partners": (customer | center).ids,
                "center": center.id,
                "product": product.id,
                "lots": lots.ids,
                "loaner": loaner.id,
                "requests": requests.ids,
            }

        self.ids = self._committed(setup)

        def cleanup(env):
            ids = self.ids
            pickings = env["stock.picking"].search([("service_request_id", "in", ids["requests"])])
            moves = pickings.move_ids
            # done moves cannot be unlinked through the ORM
            if moves:
                env.cr.execute(
                    "DELETE FROM stock_move_line WHERE move_id IN %s", [tuple(moves.ids)]
                )
                env.cr.execute(
                    "DELETE FROM stock_valuation_layer WHERE stock_move_id IN %s",
                    [tuple(moves.ids)],
                )
                env.cr.execute("DELETE FROM stock_move WHERE id IN %s", [tuple(moves.ids)])
                env.cr.execute("DELETE FROM stock_picking WHERE id IN %s", [tuple(pickings.ids)])
            env.invalidate_all()
            env["service.request"].browse(ids["requests"]).unlink()
            env["service.equipment"].with_context(active_test=False).search(
                [("lot_id", "in", ids["lots"])]
            ).unlink()
            env.cr.execute("DELETE FROM stock_quant WHERE lot_id IN %s", [tuple(ids["lots"])])
            env.invalidate_all()
            env["stock.lot"].browse(ids["lots"]).unlink()
            env["product.product"].browse(ids["product"]).unlink()
            env["res.partner"].browse(ids["partners"]).unlink()

        self.addCleanup(self._committed, cleanup)

    def _register(self, user_id, env):
        lot = self._as(env, user_id, env["stock.lot"].browse(self.ids["lots"][0]))
        return lot.action_create_service_equipment()

    @mute_logger("odoo.service.model", "odoo.sql_db")
    def test_unit_registered_twice_at_once(self):
        self._one_wins(
            [partial(self._register, self.manager_id), partial(self._register, self.manager_id)],
            "уже зарегистрирован",
        )
        domain = [("lot_id", "=", self.ids["lots"][0])]
        self.assertEqual(self._count("service.equipment", domain), 1, "one unit")

    def _lend(self, user_id, request_id, env):
        request = self._as(env, user_id, env["service.request"].browse(request_id))
        return request.action_lend_loaner(self.ids["loaner"])

    @mute_logger("odoo.service.model")
    def test_loaner_lent_twice_at_once(self):
        first, second = self.ids["requests"]
        self._one_wins(
            [
                partial(self._lend, self.technician_id, first),
                partial(self._lend, self.manager_id, second),
            ],
            "недоступно",
        )
        lent = self._count("service.request", [("loaner_equipment_id", "=", self.ids["loaner"])])
        self.assertEqual(lent, 1, "lent on one request")

    def _send(self, user_id, request_id, env):
        request = self._as(env, user_id, env["service.request"].browse(request_id))
        return request.action_send_to_service_center(self.ids["center"])

    @mute_logger("odoo.service.model")
    def test_unit_sent_twice_at_once(self):
        first, second = self.ids["requests"]
        self._one_wins(
            [
                partial(self._send, self.technician_id, first),
                partial(self._send, self.manager_id, first),
                partial(self._send, self.manager_id, second),
            ],
            "уже находится в сервисном центре",
        )
        domain = [
            ("service_request_id", "in", self.ids["requests"]),
            (
                "location_dest_id",
                "=",
                self.env.ref("service_repair.stock_location_service_centers").id,
            ),
        ]
        self.assertEqual(self._count("stock.picking", domain), 1, "one shipment")

    def _receive(self, user_id, request_id, env):
        request = self._as(env, user_id, env["service.request"].browse(request_id))
        return request.action_receive_unit()

    @mute_logger("odoo.service.model")
    def test_unit_received_twice_at_once(self):
        first, second = self.ids["requests"]
        self._one_wins(
            [
                partial(self._receive, self.technician_id, first),
                partial(self._receive, self.manager_id, first),
                partial(self._receive, self.manager_id, second),
            ],
            "уже принято|уже находится",
        )
        domain = [
            ("service_request_id", "in", self.ids["requests"]),
            ("location_id", "=", self.env.ref("stock.stock_location_customers").id),
        ]
        self.assertEqual(self._count("stock.picking", domain), 1, "one acceptance")

    def _return(self, user_id, request_id, env):
        request = self._as(env, user_id, env["service.request"].browse(request_id))
        return request.action_return_to_customer()

    @mute_logger("odoo.service.model")
    def test_unit_returned_twice_at_once(self):
        first = self.ids["requests"][0]
        self._committed(lambda env: env["service.request"].browse(first).action_receive_unit())
        self._one_wins(
            [
                partial(self._return, self.technician_id, first),
                partial(self._return, self.manager_id, first),
            ],
            "уже возвращено клиенту",
        )
        domain = [
            ("service_request_id", "=", first),
            ("location_dest_id", "=", self.env.ref("stock.stock_location_customers").id),
        ]
        self.assertEqual(self._count("stock.picking", domain), 1, "one delivery back")


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentVisits(CommittedCase):
    """Two dispatchers book the same technician's slot at the same moment:
    one visit is booked, the other dispatcher gets a translated refusal."""

    def setUp(self):
        super().setUp()

        def setup(env):
            tech = env["res.users"].create(
                {
                    "name": "Concurrency Visit Technician",
                    "login": "conc_visit_tech",
                    "groups_id": [(6, 0, env.ref("service_base.group_service_user").ids)],
                }
            )
            requests = env["service.request"].create(
                [{"subject": f"Concurrency visit {i}"} for i in range(2)]
            )
            return tech.id, requests.ids

        self.tech_id, self.request_ids = self._committed(setup)

        def cleanup(env):
            env["service.visit"].search([("user_id", "=", self.tech_id)]).unlink()
            env["service.request"].browse(self.request_ids).unlink()
            env["res.users"].browse(self.tech_id).unlink()

        self.addCleanup(self._committed, cleanup)
        self.start = (fields.Datetime.now() + relativedelta(days=2)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )

    def _book(self, request_id, hours_later, env):
        start = self.start + relativedelta(hours=hours_later)
        return (
            env["service.visit"]
            .create(
                {
                    "request_id": request_id,
                    "user_id": self.tech_id,
                    "date_start": start,
                    "date_end": start + relativedelta(hours=2),
                }
            )
            .id
        )

    def test_the_same_slot_booked_twice_at_once(self):
        with mute_logger("odoo.sql_db", "odoo.service.model"):
            results, errors, __ = self._race(
                [
                    partial(self._book, self.request_ids[0], 0),
                    partial(self._book, self.request_ids[1], 1),
                ]
            )
        self.assertEqual(sum(1 for result in results if result), 1, errors)
        refused = [error for error in errors if error]
        self.assertEqual(len(refused), 1)
        self.assertIsInstance(refused[0], ValidationError)
        self.assertIn("already", str(refused[0]))

        def count(env):
            return env["service.visit"].search_count([("user_id", "=", self.tech_id)])

        self.assertEqual(self._committed(count), 1)

    def test_two_slots_of_one_technician_at_once(self):
        results, errors, __ = self._race(
            [
                partial(self._book, self.request_ids[0], 0),
                partial(self._book, self.request_ids[1], 2),
            ]
        )
        self.assertEqual(errors, [None, None])
        self.assertTrue(all(results))


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentVisitFinish(CommittedCase):
    """A visit finished twice at once (two taps, two tabs) charges its labour
    and takes its parts from the van once; two visits of one technician
    finishing at once do not take the van's last part twice."""

    def setUp(self):
        super().setUp()
        now = fields.Datetime.now()

        def setup(env):
            company = env.company
            rate = company.service_labour_rate
            company.service_labour_rate = 1500.0
            tech = env["res.users"].create(
                {
                    "name": "Concurrency Finish Technician",
                    "login": "conc_finish_tech",
                    "groups_id": [(6, 0, env.ref("service_base.group_service_user").ids)],
                }
            )
            tech.action_service_create_van_location()
            plan = env.ref("service_manager.analytic_plan_service")
            account = env["account.analytic.account"].create(
                {"name": "Concurrency finish team", "plan_id": plan.id}
            )
            team = env["service.team"].create(
                {"name": "Concurrency finish team", "analytic_account_id": account.id}
            )
            part = env["product.product"].create(
                {"name": "Concurrency finish gasket", "is_storable": True, "standard_price": 10}
            )
            env["stock.quant"]._update_available_quantity(part, tech.service_van_location_id, 1)
            requests = env["service.request"].create(
                [{"subject": f"Concurrency finish {i}", "team_id": team.id} for i in range(2)]
            )
            visits = env["service.visit"].create(
                [
                    {
                        "request_id": request.id,
                        "user_id": tech.id,
                        "date_start": now + relativedelta(hours=hour),
                        "date_end": now + relativedelta(hours=hour + 1),
                        "part_ids": [(0, 0, {"product_id": part.id, "quantity": 1})],
                    }
                    for hour, request in zip((1, 2), requests, strict=True)
                ]
            )
            visits.action_arrive()
            # an hour on site: labour worth a line
            visits.write({"date_arrival": now - relativedelta(hours=1)})
            return rate, tech.id, account.id, team.id, part.id, requests.ids, visits.ids

        (
            rate,
            self.tech_id,
            self.account_id,
            self.team_id,
            self.part_id,
            self.request_ids,
            self.visit_ids,
        ) = self._committed(setup)

        def cleanup(env):
            visits = env["service.visit"].browse(self.visit_ids)
            pickings = visits.picking_id
            van = env["res.users"].browse(self.tech_id).service_van_location_id
            env["account.analytic.line"].search([("account_id", "=", self.account_id)]).unlink()
            if pickings:
                # done moves cannot be deleted through the ORM: the test's own rows
                env.flush_all()
                ids = tuple(pickings.ids)
                env.cr.execute(
                    "DELETE FROM stock_valuation_layer WHERE stock_move_id IN "
                    "(SELECT id FROM stock_move WHERE picking_id IN %s)",
                    [ids],
                )
                env.cr.execute("DELETE FROM stock_move_line WHERE picking_id IN %s", [ids])
                env.cr.execute("DELETE FROM stock_move WHERE picking_id IN %s", [ids])
                env.cr.execute("DELETE FROM stock_picking WHERE id IN %s", [ids])
                env.invalidate_all()
            env["stock.quant"].search([("product_id", "=", self.part_id)]).unlink()
            env["service.request"].browse(self.request_ids).unlink()
            env["service.team"].browse(self.team_id).unlink()
            env["account.analytic.account"].browse(self.account_id).unlink()
            env["product.product"].browse(self.part_id).unlink()
            env["res.users"].browse(self.tech_id).unlink()
            van.unlink()
            env.company.service_labour_rate = rate

        self.addCleanup(self._committed, cleanup)

    def _finish(self, visit_id, env):
        return env["service.visit"].browse(visit_id).action_finish()

    def _counts(self, env):
        visits = env["service.visit"].browse(self.visit_ids)
        lines = env["account.analytic.line"].search([("account_id", "=", self.account_id)])
        return (
            visits.mapped("state"),
            len(lines),
            len(visits.picking_id),
            env["stock.quant"]._get_available_quantity(
                env["product.product"].browse(self.part_id),
                env["res.users"].browse(self.tech_id).service_van_location_id,
            ),
        )

    @mute_logger("odoo.service.model")
    def test_finished_twice_at_once(self):
        results, errors, __ = self._race([partial(self._finish, self.visit_ids[0])] * 2)
        self.assertEqual(sum(1 for error in errors if error is None), 1, errors)
        refused = next(error for error in errors if error)
        self.assertIsInstance(refused, UserError)
        self.assertIn("cannot become", str(refused))
        states, lines, pickings, left = self._committed(self._counts)
        self.assertEqual(states, ["done", "on_site"])
        self.assertEqual((lines, pickings, left), (1, 1, 0.0), "labour and parts once")

    @mute_logger("odoo.service.model")
    def test_two_visits_take_the_vans_last_part_at_once(self):
        results, errors, __ = self._race(
            [partial(self._finish, visit_id) for visit_id in self.visit_ids]
        )
        self.assertEqual(sum(1 for error in errors if error is None), 1, errors)
        refused = next(error for error in errors if error)
        self.assertIsInstance(refused, UserError)
        self.assertIn("holds 0 Units", str(refused))
        states, lines, pickings, left = self._committed(self._counts)
        self.assertEqual(sorted(states), ["done", "on_site"])
        self.assertEqual((pickings, left), (1, 0.0), "the van's part taken once")


@tagged("post_install", "-at_install", "service_suite")
class TestConcurrentCapacity(CommittedCase):
    """Two dispatchers give a technician's last free place at the same
    moment, each to a request of another customer: one of them gets it."""

    def setUp(self):
        super().setUp()

        def setup(env):
            tech = env["res.users"].create(
                {
                    "name": "Concurrency Capacity Technician",
                    "login": "conc_capacity_tech",
                    "groups_id": [(6, 0, env.ref("service_base.group_service_user").ids)],
                    "service_capacity": 1,
                }
            )
            team = env["service.team"].create(
                {"name": "Concurrency Capacity Team", "member_ids": [(6, 0, tech.ids)]}
            )
            partners = env["res.partner"].create(
                [{"name": f"Concurrency Capacity Customer {i}"} for i in range(2)]
            )
            requests = env["service.request"].create(
                [
                    {
                        "subject": f"Concurrency capacity {i}",
                        "team_id": team.id,
                        "partner_id": partner.id,
                    }
                    for i, partner in enumerate(partners)
                ]
            )
            return tech.id, team.id, partners.ids, requests.ids

        self.tech_id, self.team_id, self.partner_ids, self.request_ids = self._committed(setup)

        def cleanup(env):
            requests = env["service.request"].browse(self.request_ids)
            env["mail.message"].search(
                [("model", "=", "service.request"), ("res_id", "in", requests.ids)]
            ).unlink()
            requests.unlink()
            env["service.team"].browse(self.team_id).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            env["res.users"].browse(self.tech_id).unlink()

        self.addCleanup(self._committed, cleanup)

    def _assign(self, request_id, env):
        manager = env.ref("base.user_admin")
        env["service.request"].with_user(manager).browse(request_id).write(
            {"user_id": self.tech_id}
        )
        return True

    def test_the_last_place_given_twice_at_once(self):
        with mute_logger("odoo.service.model"):
            results, errors, __ = self._race(
                [partial(self._assign, request_id) for request_id in self.request_ids]
            )
        self.assertEqual(results.count(True), 1, errors)
        refused = [error for error in errors if error]
        self.assertEqual(len(refused), 1)
        self.assertIn("capacity", str(refused[0]))

        def assigned(env):
            return env["service.request"].search_count([("user_id", "=", self.tech_id)])

        self.assertEqual(self._committed(assigned), 1)
