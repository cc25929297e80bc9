"""Concurrency and idempotency of the suite, in real transactions.

Each scenario commits its data through its own cursors (a test transaction
cannot be seen by another one), runs the competing transactions in threads
that start together, and deletes everything it committed afterwards.
Every competing transaction goes through ``odoo.service.model.retrying``,
as an RPC call or an HTTP request does in the server: a serialization
failure is retried there, and must never surface to the caller.
"""

import threading
from functools import partial

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

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


class CommittedCase(TransactionCase):
    """Helpers to commit data and to run competing transactions."""

    @classmethod
    def _committed(cls, func):
        """Run ``func(env)`` in a transaction of its own and commit it."""
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return func(env)

    def _race(self, funcs, retry=True):
        """Run each ``func(env)`` in its own thread and transaction, all at once.

        Each transaction takes its snapshot, waits for the others, then runs
        its function under ``retrying`` (as the server does for RPC), or once
        and committed when not ``retry`` (as a scheduled action runs). Returns
        ``(results, errors, attempts)`` lists in the order of ``funcs``.
        """
        count = len(funcs)
        barrier = threading.Barrier(count, timeout=30)
        results, errors, attempts = [None] * count, [None] * count, [0] * count

        def attempt(index, env):
            attempts[index] += 1
            if attempts[index] == 1:
                # take the snapshot before the others commit anything
                env.cr.execute("SELECT 1")
                barrier.wait()
            return funcs[index](env)

        def run(index):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    if retry:
                        results[index] = retrying(partial(attempt, index, env), env)
                    else:
                        results[index] = attempt(index, env)
            except Exception as error:
                errors[index] = error

        threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(any(t.is_alive() for t in threads), "a transaction hangs")
        return results, errors, attempts


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
