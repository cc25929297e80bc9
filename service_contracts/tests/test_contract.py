from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common_contract import ServiceContractCase


@tagged("post_install", "-at_install")
class TestServiceContract(ServiceContractCase):
    def test_sequence_and_amount(self):
        contract = self._contract()
        self.assertTrue(contract.name.startswith("SC/"))
        self.assertEqual(contract.amount_period, 300.0)
        self.assertEqual(contract.commercial_partner_id, self.customer)
        self.assertEqual(contract.equipment_ids, self.unit)

    def test_contracts_and_supplier_claims_numbered_apart(self):
        # the accountant reads both numbers, on invoices and on vendor credit notes
        prefixes = {
            self.env.ref(f"service_contracts.{xmlid}").prefix
            for xmlid in ("seq_service_contract", "seq_service_supplier_claim")
        }
        self.assertEqual(len(prefixes), 2, prefixes)

    def test_end_before_start_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot end .* before it starts"):
            self._contract(date_start="2027-06-01", date_end="2027-05-31")

    def test_line_needs_unit_or_service(self):
        with self.assertRaisesRegex(ValidationError, "needs a covered unit, a service, or both"):
            self._contract(line_ids=[(0, 0, {"name": "Nothing", "price_unit": 10})])

    def test_unit_of_another_customer_refused(self):
        with self.assertRaisesRegex(ValidationError, "belongs to Other Customer LLC"):
            self._contract(line_ids=[(0, 0, {"equipment_id": self.other_unit.id})])

    def test_activation_is_tracked(self):
        contract = self._contract(date_end=False)
        with self.assertRaisesRegex(UserError, "has no lines"):
            self._contract(line_ids=[]).action_activate()
        self.env.cr.precommit.run()  # the contract was created in an earlier transaction
        contract.with_user(self.service_user).action_activate()
        self.assertEqual(contract.state, "active")
        self.env.cr.precommit.run()  # tracking values are written before commit
        tracked = contract.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(tracked.mapped("new_value_char"), ["Active"])
        self.assertEqual(tracked.old_value_char, "Draft")
        with self.assertRaisesRegex(UserError, "Only a draft contract can be activated"):
            contract.action_activate()

    def test_cancel_and_reset(self):
        contract = self._contract(date_end=False)
        contract.action_activate()
        contract.action_cancel()
        self.assertEqual(contract.state, "cancelled")
        contract.action_draft()
        self.assertEqual(contract.state, "draft")

    def test_expiry_cron(self):
        today = fields.Date.context_today(self.env["service.contract"])
        ended = self._contract(date_start=today - relativedelta(years=1), date_end=today)
        ended.action_activate()
        ended.date_end = today - relativedelta(days=1)
        running = self._contract(date_start=today, date_end=today + relativedelta(days=5))
        running.action_activate()
        self.env["service.contract"]._cron_update_states()
        self.assertEqual(ended.state, "expired")
        self.assertEqual(running.state, "active")

    def test_renewal_reminder_once(self):
        today = fields.Date.context_today(self.env["service.contract"])
        contract = self._contract(
            date_start=today - relativedelta(months=11),
            date_end=today + relativedelta(days=20),
            user_id=self.service_manager.id,
        )
        far = self._contract(date_start=today, date_end=today + relativedelta(days=200))
        (contract | far).action_activate()
        Contract = self.env["service.contract"]
        Contract._cron_renewal_reminders()
        Contract._cron_renewal_reminders()
        activities = contract.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.service_manager)
        self.assertIn(contract.name, activities.summary)
        self.assertFalse(far.activity_ids)
        # Extended, then close to its new end again: reminded once more.
        contract.date_end = today + relativedelta(days=25)
        Contract._cron_renewal_reminders()
        self.assertEqual(len(contract.activity_ids), 2)

    def test_one_click_renewal(self):
        contract = self._contract(date_start="2027-01-01", date_end="2027-12-31")
        with self.assertRaisesRegex(UserError, "Only an active or expired contract"):
            contract.action_renew()
        contract.action_activate()
        action = contract.action_renew()
        renewal = self.env["service.contract"].browse(action["res_id"])
        self.assertEqual(renewal.previous_contract_id, contract)
        self.assertEqual(renewal.date_start, date(2028, 1, 1))
        self.assertEqual(renewal.date_end, date(2028, 12, 31))
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(len(renewal.line_ids), 2)
        self.assertNotEqual(renewal.name, contract.name)
        self.assertEqual(contract.renewal_ids, renewal)
        with self.assertRaisesRegex(UserError, "already renewed by"):
            contract.action_renew()

    def test_contract_from_opportunity(self):
        lead = self.env["crm.lead"].create(
            {"name": "Boiler service deal", "type": "opportunity", "partner_id": self.customer.id}
        )
        action = lead.action_service_contract_new()
        with Form(self.env["service.contract"].with_context(**action["context"])) as form:
            with form.line_ids.new() as line:
                line.product_id = self.service_product
        contract = form.record
        self.assertEqual(contract.opportunity_id, lead)
        self.assertEqual(contract.partner_id, self.customer)
        self.assertEqual(contract.title, "Boiler service deal")
        self.assertEqual(contract.line_ids.price_unit, 300.0)
        self.assertEqual(lead.service_contract_count, 1)
        self.assertEqual(lead.action_view_service_contracts()["res_id"], contract.id)
        self.assertEqual(contract.action_view_opportunity()["res_id"], lead.id)

    def test_contract_from_sale_order(self):
        lead = self.env["crm.lead"].create(
            {"name": "SO deal", "type": "opportunity", "partner_id": self.customer.id}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "opportunity_id": lead.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.service_product.id,
                            "price_unit": 250.0,
                            "product_uom_qty": 2,
                        },
                    ),
                    (0, 0, {"display_type": "line_note", "name": "A note"}),
                ],
            }
        )
        action = order.action_create_service_contract()
        contract = self.env["service.contract"].browse(action["res_id"])
        self.assertEqual(contract.sale_order_id, order)
        self.assertEqual(contract.opportunity_id, lead)
        self.assertEqual(contract.line_ids.product_id, self.service_product)
        self.assertEqual(contract.amount_period, 500.0)
        self.assertEqual(order.service_contract_count, 1)
        with self.assertRaisesRegex(UserError, "already has service contract"):
            order.action_create_service_contract()
        self.assertEqual(contract.action_view_sale_order()["res_id"], order.id)
        order._action_cancel()
        with self.assertRaisesRegex(UserError, "cancelled order cannot become a contract"):
            order.action_create_service_contract()

    def test_active_contract_of_units(self):
        unit_2 = self._unit("CB-0003", self.customer)
        unit_3 = self._unit("CB-0004", self.customer)
        contract = self._contract(
            line_ids=[(0, 0, {"equipment_id": self.unit.id}), (0, 0, {"equipment_id": unit_2.id})]
        )
        contract.action_activate()
        draft = self._contract(line_ids=[(0, 0, {"equipment_id": unit_3.id})])
        units = self.unit | unit_2 | unit_3 | self.other_unit
        units.invalidate_recordset()
        with self.assertQueryCount(3):
            result = units._service_active_contracts(date(2027, 6, 1))
        self.assertEqual(result, {self.unit.id: contract, unit_2.id: contract})
        self.assertFalse(units._service_active_contracts(date(2028, 6, 1)))
        self.assertEqual(self.unit._service_active_contract(date(2027, 6, 1)), contract)
        self.assertFalse(unit_3._service_active_contract(date(2027, 6, 1)))
        self.assertTrue(draft)
        self.assertEqual(self.unit.service_contract_count, 1)


@tagged("post_install", "-at_install")
class TestServiceContractSecurity(ServiceContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._contract()
        cls.other_contract = cls._contract(
            partner_id=cls.other_customer.id,
            line_ids=[(0, 0, {"product_id": cls.service_product.id})],
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="sc_portal",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create(
                {"name": "Portal of CC", "parent_id": cls.customer.id, "email": "p@example.com"}
            )
            .id,
        )
        cls.company_b = cls.env["res.company"].create({"name": "Contracts Company B"})
        cls.user_b = new_test_user(
            cls.env,
            login="sc_user_b",
            groups="service_base.group_service_manager",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )

    def test_portal_sees_only_own_contracts(self):
        """Their own contracts in force: not another customer's, not a draft."""
        self.contract.action_activate()
        draft = self._contract()
        Contract = self.env["service.contract"].with_user(self.portal_user)
        self.assertEqual(Contract.search([]), self.contract)
        with self.assertRaises(AccessError):
            draft.with_user(self.portal_user).read(["name"])
        self.assertEqual(
            self.contract.with_user(self.portal_user).line_ids.mapped("price_subtotal"),
            [0.0, 300.0],
        )
        with self.assertRaises(AccessError):
            self.other_contract.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.contract.with_user(self.portal_user).write({"title": "Mine"})

    def test_other_company_does_not_see_contracts(self):
        Contract = self.env["service.contract"].with_user(self.user_b)
        self.assertFalse(Contract.search([("id", "in", (self.contract | self.other_contract).ids)]))
        with self.assertRaises(AccessError):
            self.contract.with_user(self.user_b).read(["name"])

    def test_service_user_cannot_delete(self):
        with self.assertRaises(AccessError):
            self.contract.with_user(self.service_user).unlink()
        self.contract.with_user(self.service_manager).unlink()
        self.assertFalse(self.contract.exists())

    def test_accountant_opens_the_contract_of_an_invoice(self):
        accountant = new_test_user(
            self.env, login="sc_accountant", groups="account.group_account_invoice"
        )
        lead = self.env["crm.lead"].create(
            {"name": "Accounted deal", "type": "opportunity", "partner_id": self.customer.id}
        )
        contract = self._contract(date_start="2026-09-01", opportunity_id=lead.id)
        contract.action_activate()
        invoice = contract._create_period_invoices(date(2026, 9, 2))
        action = invoice.with_user(accountant).action_view_service_contract()
        self.assertEqual(action["res_id"], contract.id)
        form = Form(contract.with_user(accountant))
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.invoice_count, 1)
        self.assertEqual(
            contract.with_user(accountant).action_view_invoices()["res_id"], invoice.id
        )

    def test_service_user_and_salesman_open_an_invoiced_contract(self):
        salesman = new_test_user(
            self.env, login="sc_sales", groups="sales_team.group_sale_salesman"
        )
        contract = self._contract(date_start="2026-09-01")
        contract.action_activate()
        contract._create_period_invoices(date(2026, 9, 2))
        for user in (self.service_user, salesman):
            with self.subTest(user=user.login):
                form = Form(contract.with_user(user))
                self.assertEqual(form.partner_id, self.customer)
                form.title = "Edited"
                form.save()
