from datetime import datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDemoBooking(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="sm_demo_manager",
            groups="service_base.group_service_manager,sales_team.group_sale_salesman_all_leads",
        )
        model = cls.env["product.product"].create(
            {
                "name": "Demo Chiller",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        lot = cls.env["stock.lot"].create({"name": "DEMO-CH-1", "product_id": model.id})
        stock = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(model, stock, 1, lot_id=lot)
        cls.unit = cls.env["service.equipment"].create(
            {"product_id": model.id, "lot_id": lot.id, "is_demo": True}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Demo Customer", "is_company": True})
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Chillers deal", "type": "opportunity", "partner_id": cls.customer.id}
        )

    def _book(self, start, stop, **vals):
        form = Form(self.env["service.demo.booking"].with_user(self.manager))
        form.equipment_id = self.unit
        form.lead_id = self.lead
        form.date_start = start
        form.date_stop = stop
        for name, value in vals.items():
            setattr(form, name, value)
        return form.save()

    def test_booking_books_a_meeting_and_refuses_double_booking(self):
        booking = self._book(datetime(2030, 5, 6, 10), datetime(2030, 5, 6, 12))
        self.assertEqual(booking.partner_id, self.customer, "customer comes from the opportunity")
        booking.action_confirm()
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.event_id.start, datetime(2030, 5, 6, 10))
        self.assertIn(self.customer, booking.event_id.partner_ids)
        self.assertEqual(booking.event_id.opportunity_id, self.lead)

        with self.assertRaisesRegex(ValidationError, "already booked"), self.env.cr.savepoint():
            self._book(datetime(2030, 5, 6, 11), datetime(2030, 5, 6, 13))
        # Back to back is fine, and a cancelled booking frees the slot.
        self._book(datetime(2030, 5, 6, 12), datetime(2030, 5, 6, 13))
        booking.action_cancel()
        self.assertFalse(booking.event_id)
        self._book(datetime(2030, 5, 6, 10), datetime(2030, 5, 6, 11))

    def test_only_a_cancelled_booking_goes_back_to_draft(self):
        # It used to answer True and leave a confirmed or done booking as it was.
        booking = self._book(datetime(2030, 5, 8, 10), datetime(2030, 5, 8, 12))
        booking.action_confirm()
        with self.assertRaisesRegex(UserError, "cancelled demonstration"), self.env.cr.savepoint():
            booking.with_user(self.manager).action_draft()
        self.assertEqual(booking.state, "confirmed")
        booking.action_cancel()
        self.assertIs(booking.with_user(self.manager).action_draft(), True)
        self.assertEqual(booking.state, "draft")

    def test_dates_reversed_refused(self):
        with (
            self.assertRaisesRegex(ValidationError, "end after it starts"),
            self.env.cr.savepoint(),
        ):
            self._book(datetime(2030, 5, 7, 12), datetime(2030, 5, 7, 10))

    def test_off_site_demo_leaves_from_and_returns_to_its_shelf(self):
        # It used to leave from (and come back into) the warehouse's stock
        # wherever the demo unit was kept.
        stock = self.env.ref("stock.warehouse0").lot_stock_id
        shelf = self.env["stock.location"].create(
            {"name": "Demo shelf", "location_id": stock.id, "usage": "internal"}
        )
        self.env["stock.quant"]._update_available_quantity(
            self.unit.product_id, stock, -1, lot_id=self.unit.lot_id
        )
        self.env["stock.quant"]._update_available_quantity(
            self.unit.product_id, shelf, 1, lot_id=self.unit.lot_id
        )
        booking = self._book(datetime(2030, 6, 2, 9), datetime(2030, 6, 2, 17), off_site=True)
        booking.action_confirm()
        booking.action_send_out()
        self.assertEqual(booking.picking_out_id.location_id, shelf)
        booking.outcome = "ordered"
        booking.action_done()
        self.assertEqual(booking.picking_in_id.location_dest_id, shelf)

    def test_off_site_demo_books_no_valuation(self):
        """The demo unit at the customer's stays on the company's books where
        it is: it goes to the warehouse's "Units on Loan" location and back,
        with real-time FIFO valuation neither transfer is valued."""
        category = self.env["product.category"].create(
            {
                "name": "Demo Chillers",
                "property_cost_method": "fifo",
                "property_valuation": "real_time",
            }
        )
        product = self.unit.product_id
        product.write({"categ_id": category.id, "standard_price": 5000.0})
        # counted in again, so that the unit is valued in stock
        stock = self.env.ref("stock.warehouse0").lot_stock_id
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(product, stock, -1, lot_id=self.unit.lot_id)
        Quant.with_context(inventory_mode=True).create(
            {
                "product_id": product.id,
                "location_id": stock.id,
                "lot_id": self.unit.lot_id.id,
                "inventory_quantity": 1,
            }
        ).action_apply_inventory()
        value = product.value_svl
        self.assertEqual(value, 5000.0)
        booking = self._book(datetime(2030, 6, 3, 9), datetime(2030, 6, 3, 17), off_site=True)
        booking.action_confirm()
        booking.action_send_out()
        out = booking.picking_out_id
        warehouse = self.env.ref("stock.warehouse0")
        self.assertEqual(out.location_dest_id, warehouse.service_loan_location_id)
        self.assertEqual(out.location_dest_id.usage, "internal")
        out.move_ids.picked = True
        out.button_validate()
        quant = Quant.search([("lot_id", "=", self.unit.lot_id.id), ("quantity", ">", 0)])
        self.assertEqual(quant.location_id, warehouse.service_loan_location_id)
        self.assertFalse(quant.owner_id, "the company's unit")
        booking.outcome = "interested"
        booking.action_done()
        back = booking.picking_in_id
        self.assertEqual(back.location_id, warehouse.service_loan_location_id)
        back.move_ids.picked = True
        back.button_validate()
        self.assertEqual(back.state, "done")
        moves = (out | back).with_env(self.env).move_ids
        self.assertFalse(moves.stock_valuation_layer_ids, "no valuation")
        self.assertFalse(self.env["account.move"].search([("stock_move_id", "in", moves.ids)]))
        self.assertEqual(product.value_svl, value)

    def test_off_site_demo_moves_the_unit_and_reports_outcome(self):
        booking = self._book(datetime(2030, 6, 1, 9), datetime(2030, 6, 1, 17), off_site=True)
        booking.action_confirm()
        booking.action_send_out()
        self.assertEqual(booking.state, "out")
        self.assertEqual(self.unit.state, "on_loan")
        self.assertEqual(booking.picking_out_id.move_ids.product_id, self.unit.product_id)
        self.assertEqual(booking.picking_out_id.move_line_ids.lot_id, self.unit.lot_id)
        self.assertEqual(booking.picking_out_id.state, "assigned")

        with self.assertRaisesRegex(UserError, "outcome"):
            booking.action_done()
        booking.outcome = "ordered"
        booking.action_done()
        self.assertEqual(booking.state, "done")
        self.assertEqual(self.unit.state, "in_use")
        self.assertEqual(booking.picking_in_id.location_dest_id, booking.picking_out_id.location_id)
        self.assertIn("Ordered", self.lead.message_ids[0].body)
        self.assertEqual(self.lead.service_demo_count, 1)

        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        self.lead.stage_id = won_stage
        self.env.flush_all()
        wins = self.env["service.demo.booking"]._read_group(
            [("lead_won", "=", True), ("state", "=", "done")], ["equipment_id"], ["__count"]
        )
        self.assertEqual(wins, [(self.unit, 1)])
