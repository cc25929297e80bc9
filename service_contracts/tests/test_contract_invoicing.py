from datetime import date

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_contract import ServiceContractCase

TODAY = date(2026, 11, 26)


@tagged("post_install", "-at_install")
class TestContractPeriods(ServiceContractCase):
    def _periods(self, contract, until=None):
        return list(contract._service_periods(until=until))

    def test_monthly_periods_keep_their_anchor_and_prorate_the_last(self):
        contract = self._contract(date_start="2027-01-31", date_end="2027-05-15")
        self.assertEqual(
            self._periods(contract),
            [
                (date(2027, 1, 31), date(2027, 2, 27)),
                (date(2027, 2, 28), date(2027, 3, 30)),
                (date(2027, 3, 31), date(2027, 4, 29)),
                (date(2027, 4, 30), date(2027, 5, 15)),
            ],
        )
        self.assertEqual(contract._period_ratio(date(2027, 1, 31), date(2027, 2, 27)), 1.0)
        # The uncut period would run 30 Apr – 30 May (the anchor is the 31st).
        self.assertAlmostEqual(
            contract._period_ratio(date(2027, 4, 30), date(2027, 5, 15)), 16 / 31
        )

    def test_quarterly_periods(self):
        contract = self._contract(invoicing_period="quarterly")
        self.assertEqual(
            self._periods(contract),
            [
                (date(2027, 1, 1), date(2027, 3, 31)),
                (date(2027, 4, 1), date(2027, 6, 30)),
                (date(2027, 7, 1), date(2027, 9, 30)),
                (date(2027, 10, 1), date(2027, 12, 31)),
            ],
        )

    def test_yearly_periods_of_an_open_ended_contract(self):
        contract = self._contract(
            invoicing_period="yearly", date_start="2027-03-01", date_end=False
        )
        self.assertEqual(
            self._periods(contract, until=date(2029, 6, 1)),
            [
                (date(2027, 3, 1), date(2028, 2, 29)),
                (date(2028, 3, 1), date(2029, 2, 28)),
                (date(2029, 3, 1), date(2030, 2, 28)),
            ],
        )

    def test_contract_years_for_the_yearly_cap(self):
        contract = self._contract(date_start="2026-03-15", date_end="2028-06-30")
        self.assertEqual(
            contract._service_contract_year(date(2026, 3, 15)),
            (date(2026, 3, 15), date(2027, 3, 14)),
        )
        self.assertEqual(
            contract._service_contract_year(date(2027, 3, 15)),
            (date(2027, 3, 15), date(2028, 3, 14)),
        )
        self.assertEqual(
            contract._service_contract_year(date(2028, 5, 1)),
            (date(2028, 3, 15), date(2028, 6, 30)),
        )

    def test_due_periods_in_advance_and_after(self):
        advance = self._contract(date_start="2026-01-01", date_end="2026-12-31")
        after = self._contract(
            date_start="2026-01-01", date_end="2026-12-31", invoicing_mode="arrears"
        )
        today = date(2026, 3, 15)
        self.assertEqual(
            [start for start, __ in advance._due_periods(today)],
            [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)],
        )
        self.assertEqual(
            [start for start, __ in after._due_periods(today)],
            [date(2026, 1, 1), date(2026, 2, 1)],
        )
        # The day after a period ends, it is due when invoiced after the period.
        self.assertEqual(len(after._due_periods(date(2026, 3, 1))), 2)
        self.assertEqual(len(after._due_periods(date(2026, 2, 28))), 1)
        self.assertEqual(
            [start for start, __ in advance._due_periods(today, {date(2026, 2, 1)})],
            [date(2026, 1, 1), date(2026, 3, 1)],
        )


@tagged("post_install", "-at_install")
class TestContractInvoicing(ServiceContractCase):
    def _active(self, **vals):
        values = {"date_start": "2026-09-01", "date_end": "2027-08-31"}
        values.update(vals)
        contract = self._contract(**values)
        contract.action_activate()
        return contract

    def test_invoices_once_per_period_even_when_run_twice(self):
        contract = self._active()
        moves = contract._create_period_invoices(TODAY)
        self.assertEqual(len(moves), 3)
        self.assertFalse(contract._create_period_invoices(TODAY))
        self.assertEqual(contract.invoice_count, 3)
        self.assertEqual(
            sorted(moves.mapped("service_period_start")),
            [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)],
        )
        first = moves.filtered(lambda m: m.service_period_start == date(2026, 9, 1))
        self.assertEqual(first.move_type, "out_invoice")
        self.assertEqual(first.state, "draft")
        self.assertEqual(first.partner_id, self.customer)
        self.assertEqual(first.service_contract_id, contract)
        self.assertEqual(first.service_period_end, date(2026, 9, 30))
        self.assertEqual(first.invoice_origin, contract.name)
        self.assertEqual(first.amount_untaxed, 300.0)
        self.assertEqual(first.invoice_line_ids.product_id, self.service_product)
        self.assertIn(contract.name, first.ref)
        self.assertEqual(
            contract.action_view_invoices()["domain"], [("service_contract_id", "=", contract.id)]
        )
        self.assertEqual(first.action_view_service_contract()["res_id"], contract.id)

    def test_after_the_period_and_next_invoice_date(self):
        contract = self._active(invoicing_mode="arrears")
        moves = contract._create_period_invoices(TODAY)
        self.assertEqual(
            sorted(moves.mapped("service_period_start")), [date(2026, 9, 1), date(2026, 10, 1)]
        )
        contract.invalidate_recordset(["next_invoice_date"])
        self.assertEqual(contract.next_invoice_date, date(2026, 12, 1))

    def test_invoice_in_contract_currency_with_analytic(self):
        company_currency = self.env.company.currency_id
        currency = self.env.ref("base.EUR" if company_currency.name != "EUR" else "base.USD")
        currency.active = True
        plan = self.env["account.analytic.plan"].create({"name": "Contracts"})
        analytic = self.env["account.analytic.account"].create(
            {"name": "Service Contracts", "plan_id": plan.id}
        )
        contract = self._active(currency_id=currency.id, analytic_account_id=analytic.id)
        moves = contract._create_period_invoices(date(2026, 9, 2))
        self.assertEqual(moves.currency_id, currency)
        self.assertEqual(moves.invoice_line_ids.analytic_distribution, {str(analytic.id): 100})

    def test_prorated_last_period_and_auto_post(self):
        contract = self._contract(
            date_start="2026-10-01", date_end="2026-11-15", auto_post_invoices=True
        )
        contract.state = "expired"
        moves = contract._create_period_invoices(TODAY)
        self.assertEqual(len(moves), 2)
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        last = moves.filtered(lambda m: m.service_period_start == date(2026, 11, 1))
        self.assertEqual(last.amount_untaxed, 150.0)

    def test_cancelled_contract_is_never_invoiced(self):
        contract = self._active()
        contract.action_cancel()
        self.assertFalse(contract._create_period_invoices(TODAY))
        with self.assertRaisesRegex(UserError, "is not active: it is not invoiced"):
            contract.action_create_invoices()
        draft = self._contract(date_start="2026-09-01")
        self.assertFalse(draft._create_period_invoices(TODAY))
        self.assertFalse(
            self.env["account.move"].search([("service_contract_id", "in", (contract | draft).ids)])
        )

    def test_list_action_invoices_several_contracts(self):
        start = fields.Date.context_today(self.env["service.contract"]).replace(day=1)
        end = start + relativedelta(years=1, days=-1)
        contracts = self._active(date_start=start, date_end=end) | self._active(
            date_start=start, date_end=end, invoicing_period="quarterly"
        )
        action = self.env.ref("service_contracts.service_contract_action_create_invoices")
        action.with_context(active_model="service.contract", active_ids=contracts.ids).sudo(
            False
        ).run()
        self.assertEqual(contracts.mapped("invoice_count"), [1, 1])

    def test_button_says_when_nothing_is_due(self):
        contract = self._active()
        action = contract.action_create_invoices()
        self.assertEqual(action["res_model"], "account.move")
        with self.assertRaisesRegex(UserError, "Nothing to invoice"):
            contract.action_create_invoices()

    def test_database_refuses_a_second_invoice_for_a_period(self):
        contract = self._active()
        move = contract._create_period_invoices(date(2026, 9, 2))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["account.move"].create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.customer.id,
                        "service_contract_id": contract.id,
                        "service_period_start": move.service_period_start,
                    }
                )
                self.env.flush_all()

    def test_cancelled_invoice_leaves_its_period_to_invoice_again(self):
        contract = self._active()
        move = contract._create_period_invoices(date(2026, 9, 2))
        move.button_cancel()
        self.assertEqual(contract.next_invoice_date, move.service_period_start)
        again = contract._create_period_invoices(date(2026, 9, 2))
        self.assertEqual(again.service_period_start, move.service_period_start)
        self.assertNotEqual(again, move)
        with self.assertRaisesRegex(UserError, "stays cancelled: .* bills the same period"):
            move.button_draft()
        self.assertEqual(move.state, "cancel")
        # Once the new one is cancelled in turn, the first may come back.
        again.button_cancel()
        move.button_draft()
        self.assertEqual(move.state, "draft")

    def test_cron_resumes_after_a_partial_run(self):
        today = fields.Date.context_today(self.env["service.contract"])
        start = today - relativedelta(months=2)
        first = self._active(date_start=start, date_end=start + relativedelta(years=1, days=-1))
        second = self._active(date_start=start, date_end=start + relativedelta(years=1, days=-1))
        Contract = self.env["service.contract"]
        # An earlier run stopped after the first contract's first period.
        first._create_period_invoices(start)
        # Batches of one contract: each cron call handles one, as after a crash.
        # (Demo contracts, when installed, are due as well.)
        calls = 0
        while moves := Contract._cron_create_invoices(batch_size=1):
            self.assertEqual(len(moves.service_contract_id), 1)
            calls += 1
            self.assertLess(calls, 50)
        self.assertGreaterEqual(calls, 2)
        self.assertFalse(Contract._cron_create_invoices())
        self.assertEqual(first.invoice_count, 3)
        self.assertEqual(second.invoice_count, 3)

    def test_query_count_does_not_grow_per_contract(self):
        def batch(count):
            contracts = self.env["service.contract"]
            for __ in range(count):
                contracts |= self._active(date_start="2026-11-01")
            self.env.flush_all()
            self.env.invalidate_all()
            return contracts

        # Warm the registry caches (ormcache of journals, taxes...) first.
        batch(1)._create_period_invoices(TODAY)
        one, five = batch(1), batch(5)
        counts = []
        for contracts, expected in ((one, QUERIES_ONE), (five, QUERIES_FIVE)):
            start = self.cr.sql_log_count
            with self.assertQueryCount(expected):
                moves = contracts._create_period_invoices(TODAY)
                self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
            self.assertEqual(len(moves), len(contracts))
        # Four more contracts: at most one more query each.
        self.assertLessEqual(counts[1] - counts[0], 4)


# Measured on Odoo 18 with the suite installed: 72 queries for one contract,
# 74 for five (the account.move create is batched per company); the bounds
# leave a query per contract for other addons' hooks on account.move.
QUERIES_ONE = 76
QUERIES_FIVE = 80


@tagged("post_install", "-at_install", "service_suite")
class TestContractFromOrderInvoicing(ServiceContractCase):
    """An order's service line that became a contract is billed by the contract only."""

    def test_one_invoice_per_period_in_all(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    (0, 0, {"product_id": self.equipment_model.id, "product_uom_qty": 1}),
                    (
                        0,
                        0,
                        {
                            "product_id": self.service_product.id,
                            "price_unit": 300.0,
                            "product_uom_qty": 1,
                        },
                    ),
                ],
            }
        )
        order.action_confirm()
        unit_line, plan_line = order.order_line
        self.assertEqual(plan_line.invoice_status, "to invoice")
        contract = self.env["service.contract"].browse(
            order.action_create_service_contract()["res_id"]
        )
        self.assertEqual(contract.line_ids.sale_line_id, plan_line)
        self.assertEqual((plan_line.qty_to_invoice, plan_line.invoice_status), (0.0, "no"))
        self.assertEqual(unit_line.invoice_status, "to invoice", "the unit is the order's")
        contract.write({"date_start": "2026-09-01", "date_end": "2027-08-31"})
        contract.action_activate()

        order_invoice = order._create_invoices()
        self.assertEqual(order_invoice.invoice_line_ids.product_id, self.equipment_model)
        self.assertEqual(order.invoice_status, "no", "nothing left for the order to invoice")
        contract._create_period_invoices(TODAY)
        # Sep, Oct and Nov 2026 are due: one bill of the service each, all told.
        plan_lines = self.env["account.move.line"].search(
            [
                ("move_id.partner_id", "=", self.customer.id),
                ("product_id", "=", self.service_product.id),
                ("display_type", "=", "product"),
            ]
        )
        self.assertEqual(len(plan_lines), 3)
        self.assertEqual(
            sorted(plan_lines.move_id.mapped("service_period_start")),
            [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)],
        )
        self.assertFalse(plan_line.invoice_lines)

        # Cancelled after it billed periods, the contract keeps the line: the
        # order would bill the service a second time.
        contract.action_cancel()
        self.assertEqual((plan_line.qty_to_invoice, plan_line.invoice_status), (0.0, "no"))
        # Nor does a second contract from the order bill those periods again.
        with self.assertRaisesRegex(UserError, "cancelled after it invoiced"):
            order.action_create_service_contract()
        # Its invoices cancelled too, nothing was billed: the order invoices it.
        contract.invoice_ids.button_cancel()
        self.assertEqual(plan_line.invoice_status, "to invoice")

    def test_cancelled_contract_without_invoices_gives_the_line_back(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.service_product.id})],
            }
        )
        order.action_confirm()
        contract = self.env["service.contract"].browse(
            order.action_create_service_contract()["res_id"]
        )
        self.assertEqual(order.order_line.invoice_status, "no")
        contract.action_cancel()
        self.assertEqual(order.order_line.invoice_status, "to invoice")

    def test_service_invoiced_by_the_order_is_not_billed_again(self):
        """The order invoiced its service line before the contract was made:
        the contract does not take that line over (its first period would bill
        it again); an order with nothing else to take over is refused."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    (0, 0, {"product_id": self.service_product.id, "price_unit": 300.0}),
                ],
            }
        )
        order.action_confirm()
        order._create_invoices().action_post()
        with self.assertRaisesRegex(UserError, "invoiced by the order already"):
            order.action_create_service_contract()
        self.assertFalse(order.service_contract_ids)
        # a second service, not yet invoiced: only it is taken over
        second = self.env["product.product"].create(
            {"name": "Remote monitoring", "type": "service", "list_price": 50.0}
        )
        order.order_line = [(0, 0, {"product_id": second.id, "price_unit": 50.0})]
        contract = self.env["service.contract"].browse(
            order.action_create_service_contract()["res_id"]
        )
        self.assertEqual(contract.line_ids.product_id, second)
        self.assertIn("already invoiced", contract.message_ids[0].body)

    def test_contract_line_keeps_its_order_line(self):
        contract = self._contract()
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.service_product.id})],
            }
        )
        with self.assertRaisesRegex(UserError, "can only be set by its actions"):
            contract.line_ids[0].with_user(self.service_manager).write(
                {"sale_line_id": order.order_line.id}
            )


@tagged("post_install", "-at_install", "service_suite")
class TestContractInvoicePeriods(ServiceContractCase):
    """Each invoice of a contract, and each of its lines, names the period it bills."""

    def _invoices(self, lang):
        self.customer.lang = lang
        contract = self._contract(date_start="2026-09-01", date_end="2027-08-31")
        contract.action_activate()
        moves = contract._create_period_invoices(date(2026, 10, 5))
        return contract, moves.sorted("service_period_start")

    def test_lines_name_the_period_in_the_customers_language(self):
        __, moves = self._invoices("ru_RU")
        self.assertEqual(
            moves.invoice_line_ids.mapped("name"),
            [
                "Boiler Maintenance Plan — период 01.09.2026–30.09.2026",
                "Boiler Maintenance Plan — период 01.10.2026–31.10.2026",
            ],
        )
        self.assertIn("период 01.09.2026–30.09.2026", moves[0].ref)

    def test_lines_name_the_period_in_english(self):
        __, moves = self._invoices("en_US")
        self.assertEqual(
            moves[0].invoice_line_ids.name,
            "Boiler Maintenance Plan — period 09/01/2026–09/30/2026",
        )

    def test_contract_invoice_list_shows_the_period(self):
        contract, moves = self._invoices("en_US")
        action = contract.action_view_invoices()
        views = {kind: view for view, kind in action["views"]}
        arch = self.env["account.move"].get_view(views["list"], "list")["arch"]
        self.assertIn('name="service_period_start"', arch)
        self.assertIn('name="service_period_end"', arch)
        self.assertEqual(self.env["account.move"].search(action["domain"]), moves)
        self.assertEqual(
            [(m.state, m.service_period_start) for m in moves],
            [("draft", date(2026, 9, 1)), ("draft", date(2026, 10, 1))],
        )
