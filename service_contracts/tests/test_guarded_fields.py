"""The rules of claims, supplier claims and contracts hold against direct writes.

Each test calls as an RPC client does (``call_kw``, as the role who could try
it): the write of what only an action may set is refused, and the action that
follows does what the rules say, not what the write wanted.
"""

from contextlib import contextmanager

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.service_base.tools import action_records

from .common import WarrantyCase
from .common_contract import ServiceContractCase


def rpc(user, records, method, *args, **kwargs):
    """``method`` of ``records`` called by ``user`` through ``call_kw``."""
    return api.call_kw(records.with_user(user), method, [records.ids, *args], kwargs)


def rpc_create(user, model, vals):
    return api.call_kw(model.with_user(user), "create", [vals], {})


class RefusalMixin:
    @contextmanager
    def refused(self, exception, pattern):
        """Like assertRaisesRegex, and undone like an RPC call that fails
        (Odoo's assertRaises rolls back to a savepoint)."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)


@tagged("post_install", "-at_install")
class TestGuardedClaims(RefusalMixin, WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.lots = cls._lots("GRD", 5)
        cls._receive(cls.lots)
        cls.storekeeper = new_test_user(
            cls.env, login="grd_storekeeper", groups="stock.group_stock_user"
        )

    def _claim(self, lot, **vals):
        form = Form(self.env["service.warranty.claim"].with_user(self.service_user))
        form.partner_id = self.customer
        form.lot_id = lot
        form.defect_description = "The burner does not ignite."
        for name, value in vals.items():
            setattr(form, name, value)
        return form.save()

    def _inspect(self, claim, **vals):
        rpc(self.service_user, claim, "action_start_inspection")
        if vals:
            rpc(self.service_user, claim, "write", vals)
        return claim

    def _credit_notes(self, claim):
        return self.env["account.move"].search([("service_warranty_claim_id", "=", claim.id)])

    def _invoice(self, partner, price=1000.0, company=None):
        company = company or self.env.company
        invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": self.today,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.model.id,
                                "quantity": 1,
                                "price_unit": price,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice.invoice_line_ids

    # warranty ------------------------------------------------------------------

    def test_in_warranty_written_then_refund_makes_no_credit_note(self):
        """Out of warranty, a claim written in_warranty=True is not refunded."""
        lot = self.lots[0]
        __, invoice = self._sold_and_invoiced(lot)
        claim = self._claim(lot, claim_date=self.today + relativedelta(months=30))
        self.assertFalse(claim.in_warranty)
        self.assertEqual(claim.invoice_id, invoice)
        with self.refused(UserError, "can only be set by its actions"):
            rpc(self.service_user, claim, "write", {"in_warranty": True})
        self.assertFalse(claim.in_warranty)
        # Even a stale fact in the table (a bug, a script) decides nothing: the
        # decision recomputes the warranty.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE service_warranty_claim SET in_warranty = TRUE WHERE id = %s", [claim.id]
        )
        claim.invalidate_recordset(["in_warranty"])
        self._inspect(claim, decision="refund", refund_amount=1000.0)
        with self.refused(UserError, "warranty has expired"):
            rpc(self.service_user, claim, "action_decide")
        self.assertFalse(self._credit_notes(claim))
        self.assertEqual(claim.state, "inspection")

    def test_serial_warranty_cannot_be_written(self):
        """The serial's warranty dates come from its delivery, not from a user."""
        lot = self.lots[1]
        self._deliver(lot)
        end = lot.service_warranty_end
        for user in (self.service_user, self.storekeeper):
            for vals in (
                {"service_warranty_end": "2099-12-31"},
                {"service_supplier_warranty_end": "2099-12-31"},
                {"service_warranty_partner_id": self.other_customer.id},
            ):
                with self.subTest(user=user.login, vals=vals):
                    with self.refused(UserError, "can only be set by its actions"):
                        rpc(user, lot, "write", vals)
        claim = self._claim(lot)
        # Through the claim's related field the serial is written: refused too.
        with self.assertRaises(UserError):
            rpc(self.service_user, claim, "write", {"supplier_warranty_end": "2099-12-31"})
        self.assertEqual(lot.service_warranty_end, end)

    def test_transfer_cannot_be_linked_to_a_claim(self):
        """A delivery linked by hand to a claim would take the claim's serial's
        warranty and unit when it is validated."""
        lot = self.lots[2]
        self._deliver(lot)
        claim = self._claim(lot)
        picking = self._receive(self._lots("GRD-X", 1))
        with self.refused(UserError, "can only be set by its actions"):
            rpc(self.storekeeper, picking, "write", {"service_warranty_claim_id": claim.id})
        with self.assertRaises(UserError):
            rpc(self.service_user, claim, "write", {"picking_ids": [Command.link(picking.id)]})

    # states and decisions -----------------------------------------------------

    def test_state_and_decider_only_by_actions(self):
        lot = self.lots[1]
        self._deliver(lot)
        Claim = self.env["service.warranty.claim"]
        with self.refused(UserError, "can only be set by its actions"):
            rpc_create(
                self.service_user,
                Claim,
                {
                    "partner_id": self.customer.id,
                    "lot_id": lot.id,
                    "defect_description": "x",
                    "state": "decided",
                    "decision": "repair",
                },
            )
        claim = self._claim(lot)
        picking = self._receive(self._lots("GRD-Y", 1))
        for vals in (
            {"state": "decided"},
            {"decided_by_id": self.service_user_2.id},
            {"decision_date": "2020-01-01 10:00:00"},
            {"return_picking_id": picking.id},
        ):
            with self.subTest(vals=vals):
                with self.refused(UserError, "can only be set by its actions"):
                    rpc(self.service_user, claim, "write", vals)
        # Chosen during the inspection, the decision is fixed once decided.
        self._inspect(claim, decision="repair")
        rpc(self.service_user, claim, "action_decide")
        self.assertEqual(claim.decided_by_id, self.service_user)
        for vals in (
            {"decision": "refund", "refund_amount": 5000.0},
            {"lot_id": self.lots[0].id},
            {"claim_date": "2020-01-01"},
        ):
            with self.subTest(vals=vals):
                with self.refused(UserError, "can only be set by its actions"):
                    rpc(self.service_user, claim, "write", vals)
        # What the form still edits passes, and the claim can be duplicated.
        rpc(self.service_user, claim, "write", {"inspection_note": "Electrode worn."})
        duplicate = Claim.browse(rpc(self.service_user, claim, "copy"))
        self.assertEqual((duplicate.state, duplicate.lot_id), ("new", lot))

    def test_decided_claim_records_its_decision(self):
        lot = self.lots[1]
        self._deliver(lot)
        claim = self._inspect(self._claim(lot), decision="repair")
        with self.refused(ValidationError, "who decided it and when"):
            action_records(claim).write({"state": "decided"})
        with self.refused(ValidationError, "rejected claim has the decision Reject"):
            action_records(claim).write(
                {
                    "state": "rejected",
                    "decided_by_id": self.service_user.id,
                    "decision_date": fields.Datetime.now(),
                }
            )

    # refunds ------------------------------------------------------------------

    def test_invoice_line_of_another_company_refused(self):
        """The refund's credit note is made with sudo: the line must be this
        customer's invoice in the claim's company."""
        company = self.env["res.company"].create({"name": "Guarded Claims Company 2"})
        self.env["account.chart.template"].try_loading("generic_coa", company=company)
        foreign_line = self._invoice(self.customer, price=5000.0, company=company)
        lot = self.lots[3]
        self._sold_and_invoiced(lot)
        claim = self._claim(lot)
        with self.assertRaises(UserError):
            rpc(self.service_user, claim, "write", {"invoice_line_id": foreign_line.id})
        self._inspect(claim)
        with self.assertRaises(UserError):
            rpc(
                self.service_user,
                claim,
                "write",
                {"decision": "refund", "refund_amount": 5000.0, "invoice_line_id": foreign_line.id},
            )
        self.assertFalse(
            self.env["account.move"].search(
                [("company_id", "=", company.id), ("move_type", "=", "out_refund")]
            )
        )

    def test_invoice_line_of_another_customer_refused(self):
        """A refund goes to the claim's customer, against what that customer paid."""
        other_line = self._invoice(self.other_customer, price=3000.0)
        lot = self.lots[4]
        self._sold_and_invoiced(lot)
        claim = self._inspect(self._claim(lot))
        with self.refused(ValidationError, "must be on a posted invoice of"):
            rpc(
                self.service_user,
                claim,
                "write",
                {"decision": "refund", "refund_amount": 3000.0, "invoice_line_id": other_line.id},
            )
        self.assertFalse(self._credit_notes(claim))

    def test_refund_amount_fixed_once_decided(self):
        lot = self.lots[0]
        __, invoice = self._sold_and_invoiced(lot)
        claim = self._inspect(self._claim(lot), decision="refund", refund_amount=600.0)
        rpc(self.service_user, claim, "action_decide")
        self.assertEqual(claim.credit_note_id.amount_untaxed, 600.0)
        for vals in ({"refund_amount": 1000.0}, {"credit_note_id": False}):
            with self.subTest(vals=vals):
                with self.refused(UserError, "can only be set by its actions"):
                    rpc(self.service_user, claim, "write", vals)
        # Even the actions cannot refund more than the line.
        with self.refused(ValidationError, "larger than the line"):
            action_records(claim).write({"refund_amount": 1000.01})

    def test_serial_refunded_once_whatever_the_line(self):
        """Two claims of one serial refunded against two invoice lines made two
        credit notes and two returns of the same unit (the attacker's review)."""
        lot = self.lots[0]
        self._sold_and_invoiced(lot)
        first = self._inspect(self._claim(lot), decision="refund", refund_amount=600.0)
        rpc(self.service_user, first, "action_decide")
        other_line = self._invoice(self.customer)
        second = self._inspect(
            self._claim(lot),
            decision="refund",
            refund_amount=500.0,
            invoice_line_id=other_line,
        )
        with self.refused(UserError, "already been refunded against another invoice line"):
            rpc(self.service_user, second, "action_decide")
        self.assertFalse(self._credit_notes(second))
        with self.refused(ValidationError, "at most"):
            rpc(self.service_user, second, "write", {"refund_amount": 1e15})

    # supplier claims ----------------------------------------------------------

    def _supplier_claim(self):
        lot = self.lots[1]
        self._deliver(lot)
        claim = self._inspect(self._claim(lot), decision="repair")
        rpc(self.service_user, claim, "action_decide")
        rpc(self.service_user, claim, "action_claim_supplier")
        return claim, claim.supplier_claim_ids

    def test_supplier_claim_settled_only_by_actions(self):
        claim, supplier_claim = self._supplier_claim()
        for vals in (
            {"state": "credited"},
            {"recovered_amount": 400.0},
            {"vendor_refund_id": self._invoice(self.vendor).move_id.id},
            {"lot_id": self.lots[0].id},
            {"claim_id": self._claim(self.lots[1]).id},
        ):
            with self.subTest(vals=vals):
                with self.refused(UserError, "can only be set by its actions"):
                    rpc(self.service_user, supplier_claim, "write", vals)
        self.assertEqual(claim.recovered_amount, 0.0)
        rpc(self.service_user, supplier_claim, "action_mark_replaced")
        self.assertEqual(supplier_claim.recovered_amount, 400.0)
        # Settled: no second settlement, no cancellation, no vendor credit note.
        for method in ("action_cancel", "action_create_vendor_refund", "action_mark_credited"):
            with self.subTest(method=method):
                with self.refused(UserError, "already settled"):
                    rpc(self.service_user, supplier_claim, method)
        self.assertFalse(supplier_claim.vendor_refund_id)
        with self.refused(UserError, "can only be set by its actions"):
            rpc(self.service_user, supplier_claim, "write", {"expected_amount": 9000.0})
        # The form's fields that stay editable save; the claim can be duplicated.
        with Form(supplier_claim.with_user(self.service_user)) as form:
            form.note = "RMA 1234"
        duplicate = supplier_claim.browse(rpc(self.service_user, supplier_claim, "copy"))
        self.assertEqual((duplicate.state, duplicate.recovered_amount), ("draft", 0.0))

    def test_supplier_claim_of_an_undecided_claim_refused(self):
        lot = self.lots[1]
        self._deliver(lot)
        claim = self._claim(lot)
        with self.refused(UserError, "once it is decided"):
            rpc(self.service_user, claim, "action_claim_supplier")
        self.assertFalse(claim.supplier_claim_ids)
        with self.refused(ValidationError, "must claim back the serial"):
            rpc_create(
                self.service_user,
                self.env["service.supplier.claim"],
                {"claim_id": claim.id, "supplier_id": self.vendor.id, "lot_id": self.lots[0].id},
            )


@tagged("post_install", "-at_install")
class TestGuardedContracts(RefusalMixin, ServiceContractCase):
    def test_state_only_by_actions(self):
        contract = self._contract(line_ids=[])
        with self.refused(UserError, "can only be set by its actions"):
            rpc(self.service_user, contract, "write", {"state": "active"})
        with self.refused(UserError, "has no lines"):
            rpc(self.service_user, contract, "action_activate")
        with self.refused(UserError, "can only be set by its actions"):
            rpc_create(
                self.service_user,
                self.env["service.contract"],
                {"partner_id": self.customer.id, "state": "active"},
            )

    def test_renewal_link_and_invoicing_facts_only_by_actions(self):
        contract = self._contract()
        contract.action_activate()
        other = self._contract(partner_id=self.other_customer.id, line_ids=[])
        for vals in (
            {"previous_contract_id": contract.id},
            {"renewal_reminder_sent": True},
            {"amount_period": 1.0},
            {"next_invoice_date": "2099-01-01"},
        ):
            with self.subTest(vals=vals):
                with self.refused(UserError, "can only be set by its actions"):
                    rpc(self.service_user, other, "write", vals)
        with self.assertRaises(UserError):
            rpc(self.service_user, contract, "write", {"renewal_ids": [Command.link(other.id)]})
        # The renewal, by its action, links the terms.
        action = rpc(self.service_user, contract, "action_renew")
        renewal = self.env["service.contract"].browse(action["res_id"])
        self.assertEqual(renewal.previous_contract_id, contract)
        # A running contract is duplicated as a new draft of its own.
        duplicate = self.env["service.contract"].browse(rpc(self.service_user, contract, "copy"))
        self.assertEqual((duplicate.state, duplicate.previous_contract_id.id), ("draft", False))

    def test_running_contract_keeps_its_invoicing_terms(self):
        """Another start or period would bill the invoiced periods again."""
        contract = self._contract(date_start="2026-09-01")
        contract.action_activate()
        contract._create_period_invoices(fields.Date.to_date("2026-10-02"))
        for vals in (
            {"date_start": "2026-09-02"},
            {"invoicing_period": "quarterly"},
            {"partner_id": self.other_customer.id},
        ):
            with self.subTest(vals=vals):
                with self.refused(UserError, "can only be set by its actions"):
                    rpc(self.service_manager, contract, "write", vals)
        # What a running contract may change still saves, and asks for a new reminder.
        contract.renewal_reminder_sent = True
        rpc(self.service_manager, contract, "write", {"date_end": "2027-06-30"})
        rpc(self.service_user, contract, "write", {"title": "Longer"})
        self.assertFalse(contract.renewal_reminder_sent)
        # A draft is edited freely.
        draft = self._contract()
        rpc(self.service_user, draft, "write", {"date_start": "2027-02-01"})

    def test_invoice_period_only_by_the_contract(self):
        """An invoice moved to another period would let the period be invoiced twice."""
        accountant = new_test_user(
            self.env, login="grd_accountant", groups="account.group_account_invoice"
        )
        contract = self._contract(date_start="2026-09-01")
        contract.action_activate()
        invoice = contract._create_period_invoices(fields.Date.to_date("2026-09-02"))
        self.assertEqual(invoice.service_contract_id, contract)
        for vals in (
            {"service_period_start": "2026-10-01"},
            {"service_contract_id": False},
        ):
            with self.subTest(vals=vals):
                with self.refused(UserError, "can only be set by its actions"):
                    rpc(accountant, invoice, "write", vals)

    def test_contract_line_stays_on_its_contract(self):
        contract = self._contract()
        other = self._contract(line_ids=[])
        line = contract.line_ids[1]
        for vals in ({"contract_id": other.id}, {"price_subtotal": 1.0}):
            with self.subTest(vals=vals):
                with self.refused(UserError, "can only be set by its actions"):
                    rpc(self.service_user, line, "write", vals)
        rpc(self.service_user, line, "write", {"price_unit": 350.0})
        self.assertEqual(contract.amount_period, 350.0)

    def test_running_contract_price_only_by_a_manager(self):
        """A technician changed an active contract's price, to a negative total
        the customer saw on the portal (the attacker's review)."""
        contract = self._contract()
        contract.action_activate()
        line = contract.line_ids.filtered("product_id")[:1]
        self.assertTrue(line)
        for vals in ({"price_unit": 1.0}, {"quantity": 3}, {"product_id": False}):
            with self.subTest(vals=vals):
                with self.refused(UserError, "can only be set by its actions"):
                    rpc(self.service_user, line, "write", vals)
        with self.refused(AccessError, "only a service manager adds or removes"):
            rpc(self.service_user, line, "unlink")
        with self.refused(AccessError, "only a service manager adds or removes"):
            rpc(
                self.service_user,
                contract,
                "write",
                {
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Free extra",
                                "price_unit": 1.0,
                                "product_id": line.product_id.id,
                            },
                        )
                    ]
                },
            )
        # the manager agrees a new price with the customer, never a negative total
        rpc(self.service_manager, line, "write", {"price_unit": 120.0})
        self.assertEqual(line.price_unit, 120.0)
        with self.refused(ValidationError, "cannot be negative"):
            rpc(self.service_manager, line, "write", {"price_unit": -99999.0})

    def test_running_contract_terms_only_by_a_manager(self):
        """A technician raised an active contract's cap, moved its end, covered
        parts and put another unit on it (the integrator's review)."""
        contract = self._contract(yearly_cap=1000.0, cover_parts=False)
        contract.action_activate()
        unit_line = contract.line_ids.filtered("equipment_id")
        other_sla = self.sla.copy({"name": "Faster"})
        for vals in (
            {"yearly_cap": 1_000_000.0},
            {"date_end": "2099-12-31"},
            {"cover_parts": True},
            {"cover_travel": True},
            {"sla_policy_id": other_sla.id},
            {"invoicing_mode": "arrears"},
        ):
            with self.subTest(vals=vals):
                with self.refused(AccessError, "only a service manager changes"):
                    rpc(self.service_user, contract, "write", vals)
        unit = self._unit("CB-0009", self.customer)
        with self.refused(UserError, "can only be set by its actions"):
            rpc(self.service_user, unit_line, "write", {"equipment_id": unit.id})
        # The same values, a draft's terms and the manager's changes save.
        rpc(self.service_user, contract, "write", {"yearly_cap": 1000.0, "title": "Same"})
        rpc(self.service_user, self._contract(), "write", {"yearly_cap": 5.0})
        rpc(self.service_manager, contract, "write", {"yearly_cap": 2000.0, "cover_parts": True})
        rpc(self.service_manager, unit_line, "write", {"equipment_id": unit.id})
        self.assertEqual((contract.yearly_cap, contract.equipment_ids), (2000.0, unit))

    def test_running_contract_is_cancelled_reopened_or_archived_by_a_manager(self):
        """Cancel, reset to draft, edit and activate again rewrote a running
        contract (and re-dated its invoiced periods); archiving stopped its
        invoicing silently."""
        contract = self._contract(date_start="2026-09-01")
        contract.action_activate()
        contract._create_period_invoices(fields.Date.to_date("2026-09-02"))
        with self.refused(AccessError, "Only a service manager can"):
            rpc(self.service_user, contract, "action_cancel")
        with self.refused(AccessError, "only a service manager changes"):
            rpc(self.service_user, contract, "write", {"active": False})
        rpc(self.service_manager, contract, "action_cancel")
        with self.refused(AccessError, "Only a service manager can"):
            rpc(self.service_user, contract, "action_draft")
        rpc(self.service_manager, contract, "action_draft")
        # A draft that invoiced keeps the start and period of its invoices.
        for vals in ({"date_start": "2026-08-15"}, {"invoicing_period": "quarterly"}):
            with self.subTest(vals=vals):
                with self.refused(UserError, "can only be set by its actions"):
                    rpc(self.service_manager, contract, "write", vals)
        # A draft never activated is the service staff's to cancel.
        draft = self._contract()
        rpc(self.service_user, draft, "action_cancel")
        self.assertEqual(draft.state, "cancelled")
