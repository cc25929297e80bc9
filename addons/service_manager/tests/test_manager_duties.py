"""The service manager's duties with the manager's group alone: no other
group added by hand, as a real manager's user has it."""

from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install", "service_suite")
class TestManagerDuties(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="sm_duties_manager", groups="service_base.group_service_manager"
        )
        salesperson = new_test_user(
            cls.env, login="sm_duties_salesperson", groups="sales_team.group_sale_salesman"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Duties Customer", "is_company": True}
        )
        # a salesperson's opportunity: the manager works on the deals of others
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Duties deal",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": salesperson.id,
            }
        )
        model = cls.env["product.product"].create(
            {
                "name": "Duties Chiller",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        lot = cls.env["stock.lot"].create({"name": "DUTIES-CH-1", "product_id": model.id})
        stock = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(model, stock, 1, lot_id=lot)
        cls.demo_unit = cls.env["service.equipment"].create(
            {"product_id": model.id, "lot_id": lot.id, "is_demo": True}
        )

    def test_deal_documents_of_a_salespersons_opportunity(self):
        action = self.lead.with_user(self.manager).action_service_deal_timeline()
        self.assertEqual(action["res_model"], "service.deal.document")

    def test_demonstration_booked_and_done_on_a_salespersons_opportunity(self):
        form = Form(self.env["service.demo.booking"].with_user(self.manager))
        form.equipment_id = self.demo_unit
        form.lead_id = self.lead
        form.date_start = datetime(2031, 6, 2, 10)
        form.date_stop = datetime(2031, 6, 2, 12)
        booking = form.save()
        booking.action_confirm()
        self.assertTrue(booking.event_id)
        booking.outcome = "ordered"
        booking.action_done()
        self.assertEqual(booking.state, "done")
        self.assertIn(booking.name, " ".join(self.lead.message_ids.mapped("body")))

    def test_contract_invoices_and_revenue(self):
        today = fields.Date.context_today(self.env["service.contract"])
        plan = self.env["product.product"].create(
            {"name": "Duties Plan", "type": "service", "list_price": 100.0}
        )
        contract = (
            self.env["service.contract"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "date_start": today - relativedelta(months=1),
                    "date_end": today + relativedelta(months=11),
                    "line_ids": [(0, 0, {"product_id": plan.id, "price_unit": 100.0})],
                }
            )
        )
        contract.action_activate()
        contract.action_create_invoices()
        invoices = contract.invoice_ids
        self.assertTrue(invoices, "the manager sees the contract's invoices")
        invoices.action_post()
        contract.invalidate_recordset()
        self.assertGreater(contract.service_revenue, 0.0)

    def test_parts_lookup_offers_quotations_and_rfqs(self):
        # the lookup shows its quotation and RFQ buttons to who may create them
        for model in ("sale.order", "purchase.order", "repair.order"):
            with self.subTest(model=model):
                self.assertTrue(self.env[model].with_user(self.manager).has_access("create"))
