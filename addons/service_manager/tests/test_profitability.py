from odoo.tests import Form, TransactionCase, tagged

from .common import CostCommon


@tagged("post_install", "-at_install")
class TestProfitability(CostCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_costs("Profit")
        cls.customer = cls.env["res.partner"].create({"name": "Profit Customer"})
        model = cls.env["product.product"].create({"name": "Profit Boiler", "type": "consu"})
        cls.request = cls.env["service.request"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": model.id,
                "request_type": "repair",
                "description": "Leaks",
            }
        )
        cls.repair = cls.env["repair.order"].create(
            {
                "product_id": model.id,
                "partner_id": cls.customer.id,
                "request_id": cls.request.id,
                "service_labour_hours": 2.5,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.part.id,
                            "product_uom_qty": 2,
                            "repair_line_type": "add",
                        },
                    )
                ],
            }
        )

    def test_margin_of_a_repaired_and_invoiced_request(self):
        repair = self.repair
        repair.action_validate()
        repair.action_repair_start()
        repair.move_ids.quantity = 2
        repair.move_ids.picked = True
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        repair.action_create_sale_order()
        order = repair.sale_order_id
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()

        bill_form = Form(self.env["account.move"].with_context(default_move_type="in_invoice"))
        bill_form.partner_id = self.customer
        bill_form.invoice_date = "2026-01-15"
        with bill_form.invoice_line_ids.new() as line:
            line.name = "Service centre repair"
            line.quantity = 1
            line.price_unit = 1000.0
            line.tax_ids.clear()
        bill = bill_form.save()
        bill.service_request_id = self.request
        bill.action_post()

        request = self.request.with_user(self.manager)
        request.invalidate_recordset()
        # Hand count: 2 valves sold at 1,400; 2 consumed at 800; 2.5 h at 1,500; a 1,000 bill.
        self.assertAlmostEqual(request.service_revenue, 2800.0)
        self.assertAlmostEqual(request.service_parts_cost, 1600.0)
        self.assertAlmostEqual(request.service_labour_cost, 3750.0)
        self.assertAlmostEqual(request.service_center_cost, 1000.0)
        self.assertAlmostEqual(request.service_margin, 2800.0 - 1600.0 - 3750.0 - 1000.0)
