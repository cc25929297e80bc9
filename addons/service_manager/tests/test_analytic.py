from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from odoo.addons.service_contracts.tests.common import WarrantyCommon

from .common import CostCommon


def analytic_report(env, account):
    """What the accountant's Analytic Report shows for ``account``: the sum of
    its analytic items, in total and by origin (invoice, vendor bill, other)."""
    Line = env["account.analytic.line"]
    domain = [("account_id", "=", account.id)]
    [(total,)] = Line._read_group(domain, [], ["amount:sum"])
    return total or 0.0, dict(Line._read_group(domain, ["category"], ["amount:sum"]))


@tagged("post_install", "-at_install")
class TestContractAnalytic(CostCommon, TransactionCase):
    """A contract's analytic account receives its invoices, its requests' repairs
    (parts, labour, invoiced lines) and service-centre bills: the accountant's
    analytic report and the cockpit's margin are the same hand-computed figure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_costs("Analytic")
        cls.plan_product = cls.env["product.product"].create(
            {
                "name": "Boiler care, monthly",
                "type": "service",
                "list_price": 1000.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Analytic Customer"})
        cls.center = cls.env["res.partner"].create(
            {"name": "Analytic Service Centre", "is_service_center": True}
        )
        cls.model = cls.env["product.product"].create({"name": "Analytic Boiler", "type": "consu"})
        today = fields.Date.context_today(cls.env.user)
        cls.contract = cls.env["service.contract"].create(
            {
                "partner_id": cls.customer.id,
                "date_start": today.replace(day=1),
                "date_end": today.replace(day=1) + relativedelta(years=1, days=-1),
                "auto_post_invoices": True,
                "cover_parts": False,
                "line_ids": [
                    Command.create({"product_id": cls.plan_product.id, "price_unit": 1000.0})
                ],
            }
        )

    def _repair(self, request, hours, parts, user=None):
        repair = (
            self.env["repair.order"]
            .with_user(user or self.env.user)
            .create(
                {
                    "product_id": self.model.id,
                    "partner_id": self.customer.id,
                    "request_id": request.id,
                    "service_labour_hours": hours,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.part.id,
                                "product_uom_qty": parts,
                                "repair_line_type": "add",
                            }
                        )
                    ],
                }
            )
        )
        repair.action_validate()
        repair.action_repair_start()
        repair.move_ids.quantity = parts
        repair.move_ids.picked = True
        repair.action_repair_end()
        repair = repair.with_user(self.env.user)
        repair.action_create_sale_order()
        repair.sale_order_id.action_confirm()
        repair.sale_order_id._create_invoices().action_post()
        return repair

    def _center_bill(self, request, amount):
        bill_form = Form(
            self.env["account.move"].with_context(
                default_move_type="in_invoice", default_service_request_id=request.id
            )
        )
        bill_form.partner_id = self.center
        bill_form.invoice_date = fields.Date.context_today(self.env.user)
        with bill_form.invoice_line_ids.new() as line:
            line.name = "Board repaired at the centre"
            line.quantity = 1
            line.price_unit = amount
            line.tax_ids.clear()
        bill = bill_form.save()
        bill.action_post()
        return bill

    def test_analytic_report_agrees_with_contract_margin(self):
        self.contract.action_activate()
        account = self.contract.analytic_account_id
        self.assertTrue(account, "an active contract gets its own analytic account")
        self.assertEqual(account.partner_id, self.customer)
        self.assertEqual(account.plan_id, self.env.ref("service_manager.analytic_plan_service"))
        invoice = self.contract.action_create_invoices() and self.contract.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.analytic_distribution, {str(account.id): 100})

        request = self.env["service.request"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.model.id,
                "request_type": "repair",
                "description": "Leaks",
                "contract_id": self.contract.id,
            }
        )
        self.assertEqual(request.analytic_account_id, account)
        repair = self._repair(request, hours=2.5, parts=2)
        self.assertEqual(
            repair.sale_order_id.order_line.analytic_distribution, {str(account.id): 100}
        )
        bill = self._center_bill(request, 1000.0)
        self.assertEqual(bill.invoice_line_ids.analytic_distribution, {str(account.id): 100})

        # By hand: the contract invoices 1,000; the repair sells 2 valves at
        # 1,400 (parts are not covered), consumes 2 at 800, takes 2.5 h at
        # 1,500; the service centre bills 1,000.
        revenue, parts, labour, center = 1000.0 + 2800.0, 1600.0, 3750.0, 1000.0
        margin = revenue - parts - labour - center
        self.assertEqual(margin, -2550.0)

        repair_figures = repair.with_user(self.manager)
        self.assertAlmostEqual(repair_figures.service_revenue, 2800.0)
        self.assertAlmostEqual(repair_figures.service_parts_cost, 1600.0)
        self.assertAlmostEqual(repair_figures.service_labour_cost, 3750.0)
        self.assertAlmostEqual(repair_figures.service_margin, 2800.0 - 1600.0 - 3750.0)
        contract = self.contract.with_user(self.manager)
        self.assertAlmostEqual(contract.service_revenue, revenue)
        self.assertAlmostEqual(contract.service_parts_cost, parts)
        self.assertAlmostEqual(contract.service_labour_cost, labour)
        self.assertAlmostEqual(contract.service_center_cost, center)
        self.assertAlmostEqual(contract.service_margin, margin)

        total, by_origin = analytic_report(self.env, account)
        self.assertAlmostEqual(total, margin)
        self.assertAlmostEqual(by_origin["invoice"], revenue)
        self.assertAlmostEqual(by_origin["vendor_bill"], -center)
        self.assertAlmostEqual(by_origin["other"], -parts - labour)

        # More hours booked afterwards: the labour line follows, both sides agree.
        repair.service_labour_hours = 3.0
        total, __ = analytic_report(self.env, account)
        self.assertAlmostEqual(total, margin - 750.0)
        self.env.invalidate_all()
        self.assertAlmostEqual(contract.service_margin, margin - 750.0)

    def test_technician_without_accounting_rights_finishes_a_charged_repair(self):
        technician = new_test_user(
            self.env, login="sm_analytic_tech", groups="service_base.group_service_user"
        )
        self.contract.action_activate()
        account = self.contract.analytic_account_id
        request = self.env["service.request"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.model.id,
                "request_type": "repair",
                "description": "Pilot light",
                "contract_id": self.contract.id,
            }
        )
        repair = self._repair(request, hours=1.0, parts=1, user=technician)
        self.assertEqual(repair.state, "done")
        lines = self.env["account.analytic.line"].search([("account_id", "=", account.id)])
        self.assertEqual(
            sorted(lines.mapped("amount")), [-1500.0, -800.0, 1400.0], "labour, part, sale"
        )

    def test_requests_without_contract_go_to_their_team(self):
        plan = self.env.ref("service_manager.analytic_plan_service")
        team_account = self.env["account.analytic.account"].create(
            {"name": "Field team", "plan_id": plan.id}
        )
        team = self.env["service.team"].create(
            {"name": "Analytic team", "analytic_account_id": team_account.id}
        )
        request = self.env["service.request"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.model.id,
                "request_type": "repair",
                "description": "Noisy",
                "team_id": team.id,
            }
        )
        self.assertEqual(request.analytic_account_id, team_account)
        self._repair(request, hours=1.0, parts=1)
        self._center_bill(request, 200.0)
        request = request.with_user(self.manager)
        margin = 1400.0 - 800.0 - 1500.0 - 200.0
        self.assertAlmostEqual(request.service_margin, margin)
        self.assertAlmostEqual(analytic_report(self.env, team_account)[0], margin)


@tagged("post_install", "-at_install")
class TestClaimAnalytic(WarrantyCommon, TransactionCase):
    """A replaced unit claimed back from the supplier: the claim's analytic
    account and its cockpit margin agree on the hand-computed figure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_warranty()
        cls.lots = cls._lots("ANL", 2)
        cls._receive(cls.lots)
        cls._deliver(cls.lots[:1])

    def test_replacement_recovered_from_supplier(self):
        manager = self.service_manager
        account = self.env.ref("service_manager.analytic_account_warranty_claims")
        before, __ = analytic_report(self.env, account)
        claim = (
            self.env["service.warranty.claim"]
            .with_user(manager)
            .create(
                {
                    "partner_id": self.customer_contact.id,
                    "lot_id": self.lots[0].id,
                    "defect_description": "Cracked heat exchanger",
                    "labour_cost": 120.0,
                }
            )
        )
        self.assertEqual(claim.analytic_account_id, account)

        claim.action_start_inspection()
        claim.write({"decision": "replace", "replacement_lot_id": self.lots[1].id})
        claim.action_decide()
        replacement = claim.replacement_picking_id
        replacement.move_ids.picked = True
        replacement._action_done()
        supplier_claim = self.env["service.supplier.claim"].browse(
            claim.action_claim_supplier()["res_id"]
        )
        supplier_claim.expected_amount = 300.0
        supplier_claim.action_create_vendor_refund()
        refund = supplier_claim.vendor_refund_id
        self.assertEqual(refund.invoice_line_ids.analytic_distribution, {str(account.id): 100})
        refund.invoice_date = fields.Date.context_today(refund)
        refund.action_post()
        supplier_claim.action_mark_credited()

        # By hand: the replacement unit left stock at its cost of 400, 120 of
        # labour was spent, the supplier credited 300.
        margin = -400.0 - 120.0 + 300.0
        claim.invalidate_recordset()
        self.assertAlmostEqual(claim.service_parts_cost, 400.0)
        self.assertAlmostEqual(claim.service_labour_cost, 120.0)
        self.assertAlmostEqual(claim.service_recovered, 300.0)
        self.assertAlmostEqual(claim.service_margin, margin)
        after, __ = analytic_report(self.env, account)
        self.assertAlmostEqual(after - before, margin)
