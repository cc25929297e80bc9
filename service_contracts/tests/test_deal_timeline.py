from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common_contract import ServiceContractCase


@tagged("post_install", "-at_install")
class TestDealTimeline(ServiceContractCase):
    def test_timeline_lists_every_document_of_the_deal(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Heating deal",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "expected_revenue": 9000,
            }
        )
        lot = self.env["stock.lot"].create(
            {"name": "DEAL-SN-1", "product_id": self.equipment_model.id}
        )
        stock = self.env.ref("stock.stock_location_stock")
        self.env["stock.quant"]._update_available_quantity(
            self.equipment_model, stock, 1, lot_id=lot
        )
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "opportunity_id": lead.id,
                "order_line": [(0, 0, {"product_id": self.service_product.id})],
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "opportunity_id": lead.id,
                "order_line": [
                    (0, 0, {"product_id": self.equipment_model.id, "price_unit": 5000}),
                    (0, 0, {"product_id": self.service_product.id, "price_unit": 300}),
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.move_line_ids.write({"quantity": 1, "lot_id": lot.id})
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        unit = lot.service_equipment_ids
        self.assertEqual(len(unit), 1, "the delivery registered the unit")
        contract = self.env["service.contract"].browse(
            order.action_create_service_contract()["res_id"]
        )
        self.assertIn(unit, contract.equipment_ids)
        contract.write({"date_start": "2026-09-01", "date_end": "2027-08-31"})
        contract.action_activate()
        invoice = contract._create_period_invoices(contract.date_start)
        invoice.action_post()
        payment = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
            ._create_payments()
        )

        action = lead.action_service_deal_timeline()
        rows = self.env["service.deal.document"].search(action["domain"])
        by_stage = {}
        for row in rows:
            by_stage.setdefault(row.stage, self.env["service.deal.document"])
            by_stage[row.stage] |= row
        self.assertEqual(
            list(by_stage),
            [
                "opportunity",
                "quotation",
                "sale_order",
                "delivery",
                "contract",
                "invoice",
                "payment",
            ],
        )
        self.assertEqual(by_stage["quotation"].res_id, quotation.id)
        self.assertEqual(by_stage["sale_order"].res_id, order.id)
        self.assertEqual(by_stage["sale_order"].amount, order.amount_total)
        self.assertEqual(by_stage["delivery"].res_id, picking.id)
        self.assertEqual(by_stage["delivery"].state, "Done")
        self.assertEqual(by_stage["contract"].res_id, contract.id)
        self.assertEqual(by_stage["contract"].state, "Active")
        self.assertEqual(by_stage["invoice"].res_id, invoice.id)
        self.assertIn("Posted", by_stage["invoice"].state)
        self.assertEqual(by_stage["payment"].res_model, "account.payment")
        self.assertEqual(by_stage["payment"].res_id, payment.id)
        self.assertEqual(by_stage["payment"].amount, 300.0)
        # The same timeline opens from the contract and the order of the deal.
        for document in (contract, order):
            again = document.action_service_deal_timeline()
            self.assertEqual(
                self.env["service.deal.document"].search(again["domain"]).mapped("res_id"),
                rows.mapped("res_id"),
            )
        opened = by_stage["contract"].action_open_document()
        self.assertEqual((opened["res_model"], opened["res_id"]), ("service.contract", contract.id))

    def test_salesman_without_accounting_sees_the_rest(self):
        salesman = self.env["res.users"].create(
            {
                "name": "Deal Salesman",
                "login": "sc_salesman",
                "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_salesman").id])],
            }
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Small deal",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "user_id": salesman.id,
            }
        )
        with Form(
            self.env["service.contract"]
            .with_user(salesman)
            .with_context(**lead.action_service_contract_new()["context"])
        ) as form:
            with form.line_ids.new() as line:
                line.product_id = self.service_product
        action = lead.with_user(salesman).action_service_deal_timeline()
        rows = self.env["service.deal.document"].with_user(salesman).search(action["domain"])
        self.assertEqual(rows.mapped("stage"), ["opportunity", "contract"])

    def test_the_deal_reads_as_a_flow(self):
        """The deal opens as a board of its steps, in the deal's order, the steps it has not
        reached kept as empty columns."""
        lead = self.env["crm.lead"].create(
            {"name": "Early deal", "type": "opportunity", "partner_id": self.customer.id}
        )
        self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "opportunity_id": lead.id,
                "order_line": [(0, 0, {"product_id": self.service_product.id})],
            }
        )
        action = lead.action_service_deal_timeline()
        self.assertEqual([mode for __, mode in action["views"]], ["kanban", "list", "form"])
        arch = self.env["service.deal.document"].get_views([(action["views"][0][0], "kanban")])
        self.assertIn('default_group_by="stage"', arch["views"]["kanban"]["arch"])
        # as the kanban reads its columns
        groups = self.env["service.deal.document"].web_read_group(
            action["domain"], ["stage"], ["stage"]
        )["groups"]
        self.assertEqual(
            [(group["stage"], group["stage_count"]) for group in groups],
            [
                ("opportunity", 1),
                ("quotation", 1),
                ("sale_order", 0),
                ("delivery", 0),
                ("contract", 0),
                ("invoice", 0),
                ("payment", 0),
            ],
        )

    def test_the_rows_are_their_builders_and_read_only(self):
        """A row holds what its builder's rights let them see (amounts of
        invoices, payments): no other user reads it, no client writes one."""
        salesman = new_test_user(
            self.env, login="deal_salesman", groups="sales_team.group_sale_salesman_all_leads"
        )
        colleague = new_test_user(
            self.env,
            login="deal_colleague",
            groups="sales_team.group_sale_salesman_all_leads,service_base.group_service_user",
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Private deal",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "expected_revenue": 5000,
            }
        )
        action = lead.with_user(salesman).action_service_deal_timeline()
        Document = self.env["service.deal.document"]
        mine = Document.with_user(salesman).search(action["domain"])
        self.assertEqual(mine.mapped("amount"), [5000.0])
        self.assertFalse(Document.with_user(colleague).search([("id", "in", mine.ids)]))
        with self.assertRaises(AccessError):
            mine.with_user(colleague).read(["amount"])
        with self.assertRaises(AccessError):
            mine.with_user(salesman).write({"amount": 1.0})
        with self.assertRaises(AccessError):
            mine.with_user(salesman).unlink()
        with self.assertRaises(AccessError):
            Document.with_user(salesman).create(
                {"lead_id": lead.id, "stage": "invoice", "res_model": "res.users", "res_id": 1}
            )
        self.assertEqual(mine.amount, 5000.0)
