from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.service_base.tools import action_records

from .common import ServiceRepairCase


@tagged("post_install", "-at_install", "service_suite")
class TestUnitStock(ServiceRepairCase):
    """A customer's unit in for repair stays the customer's: owned quants,
    no valuation, nothing left in the company's stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.valued = "stock.valuation.layer" in cls.env
        if cls.valued:
            cls.categ_boilers.write(
                {"property_cost_method": "standard", "property_valuation": "real_time"}
            )
        cls.boiler.standard_price = 96000
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.centres = cls.env.ref("service_repair.stock_location_service_centers")
        cls.center = cls.env["res.partner"].create(
            {"name": "SR Stock Service Centre", "is_company": True, "is_service_center": True}
        )
        # the request comes from a person of the customer company
        cls.contact = cls.env["res.partner"].create(
            {"name": "SR Customer's Engineer", "parent_id": cls.customer.id}
        )
        cls.request = cls.Request.create(
            {
                "partner_id": cls.contact.id,
                "equipment_id": cls.unit.id,
                "subject": "Boiler does not heat",
                "request_type": "repair",
            }
        )

    def _quants(self, lot):
        """{(location, owner): quantity} of the non-zero quants of ``lot``."""
        quants = self.env["stock.quant"].search([("lot_id", "=", lot.id)])
        result = {}
        for quant in quants:
            key = (quant.location_id, quant.owner_id)
            result[key] = result.get(key, 0) + quant.quantity
        return {key: qty for key, qty in result.items() if qty}

    def _internal(self, lot):
        """The quants of ``lot`` in the company's hands."""
        return {key: qty for key, qty in self._quants(lot).items() if key[0].usage == "internal"}

    def _layers(self, lot):
        if not self.valued:
            return self.env["stock.quant"]
        return self.env["stock.valuation.layer"].search(
            [("stock_move_id.move_line_ids.lot_id", "=", lot.id)]
        )

    def _entries(self, pickings):
        return self.env["account.move"].search([("stock_move_id", "in", pickings.move_ids.ids)])

    def _picking(self, action):
        self.assertEqual(action["res_model"], "stock.picking")
        return self.env["stock.picking"].browse(action["res_id"])

    def test_round_trip_of_a_customers_unit(self):
        lot, owner = self.unit.lot_id, self.customer
        request = self.request.with_user(self.tech_boilers)
        intake = self._picking(request.action_receive_unit())
        repair_location = self.warehouse.service_repair_location_id
        self.assertTrue(repair_location, "the warehouse's repair location is created")
        self.assertEqual(repair_location.usage, "internal")
        self.assertEqual(
            (intake.state, intake.location_id, intake.location_dest_id, intake.owner_id),
            ("done", self.customers, repair_location, owner),
        )
        self.assertEqual(intake.move_line_ids.owner_id, owner)
        self.assertEqual(self.unit.state, "in_repair")
        in_workshop = {(repair_location, owner): 1, (self.customers, owner): -1}
        self.assertEqual(self._quants(lot), in_workshop, "the customer's stock, not ours")
        self.assertFalse(self._layers(lot), "no valuation of a customer's unit")

        # the repair works on the unit where it is: no "Insufficient Quantity"
        request.action_create_repair()
        repair = request.repair_ids
        self.assertEqual(repair.product_location_src_id, repair_location)
        self.assertEqual(repair.product_location_dest_id, repair_location)
        self.assertIs(repair.action_validate(), True)
        self.assertEqual(repair.state, "confirmed")

        # out to the service centre and back, still the customer's
        out_id = request.action_send_to_service_center(self.center)
        out = self.env["stock.picking"].browse(out_id)
        self.assertEqual((out.location_id, out.owner_id), (repair_location, owner))
        self.assertEqual(self._quants(lot), {(self.centres, owner): 1, (self.customers, owner): -1})
        back = self.env["stock.picking"].browse(request.action_receive_from_service_center())
        self.assertEqual((back.location_dest_id, back.owner_id), (repair_location, owner))
        self.assertEqual(self._quants(lot), in_workshop)
        self.assertFalse(self._layers(lot))

        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(self._quants(lot), in_workshop, "repaired where it stands")
        # Odoo looks for the customer's unit among the parts (the repair's
        # component location) and would move it as nobody's: it moves as the
        # customer's, so no quant without owner is left beside it
        self.assertEqual(repair.move_id.move_line_ids.owner_id, owner)
        self.assertFalse(
            self.env["stock.quant"].search([("lot_id", "=", lot.id), ("owner_id", "=", False)])
        )

        # the delivery back closes the loop
        delivery = self._picking(request.action_return_to_customer())
        self.assertEqual(
            (delivery.state, delivery.location_id, delivery.location_dest_id, delivery.owner_id),
            ("done", repair_location, self.customers, owner),
        )
        self.assertIn(delivery, request.picking_ids)
        self.assertEqual(self._quants(lot), {}, "nothing at the customers' as -1, nothing ours")
        self.assertFalse(self._layers(lot), "no valuation, ever")
        self.assertFalse(self._entries(request.picking_ids), "the accounts are untouched")
        self.assertEqual(self.unit.state, "in_use")
        with self.assertRaisesRegex(UserError, "already been returned"):
            request.action_return_to_customer()

    def test_sent_from_the_customer_and_returned(self):
        lot, owner = self.unit.lot_id, self.customer
        self.request.action_send_to_service_center(self.center)
        self.assertEqual(self._quants(lot), {(self.centres, owner): 1, (self.customers, owner): -1})
        self.request.action_receive_from_service_center()
        repair_location = self.warehouse.service_repair_location_id
        self.assertEqual(
            self._quants(lot), {(repair_location, owner): 1, (self.customers, owner): -1}
        )
        self.assertNotIn(self.stock, [loc for loc, __ in self._quants(lot)])
        self.request.action_return_to_customer()
        self.assertEqual(self._quants(lot), {})
        # Odoo would value the trip from the customers' to the centres as a dropship
        self.assertFalse(self._layers(lot))
        self.assertFalse(self._entries(self.request.picking_ids))

    def test_refusals_write_nothing(self):
        pickings = self.env["stock.picking"].search_count([])
        with self.assertRaisesRegex(UserError, "nothing to return"):
            self.request.action_return_to_customer()
        no_unit = self.Request.create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "no unit with a serial"):
            no_unit.action_receive_unit()
        loaner = self._unit("SR-STOCK-LOAN", self.boiler, self.env["res.partner"])
        loaner.is_loaner = True
        with self.assertRaisesRegex(UserError, "the company's own"):
            self.Request.create({"equipment_id": loaner.id}).action_receive_unit()
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)
        self.request.action_receive_unit()
        with self.assertRaisesRegex(UserError, "already been accepted"):
            self.request.action_receive_unit()
        other = self.Request.create({"partner_id": self.customer.id, "equipment_id": self.unit.id})
        with self.assertRaisesRegex(UserError, "is already in"):
            other.action_receive_unit()
        self.request.action_send_to_service_center(self.center)
        with self.assertRaisesRegex(UserError, "at a service centre"):
            self.request.action_return_to_customer()
        self.assertFalse(self.request.unit_return_picking_id)

    def test_repair_in_progress_is_not_returned(self):
        self.request.action_receive_unit()
        self.request.action_create_repair()
        self.request.repair_ids.action_validate()
        with self.assertRaisesRegex(UserError, "still in progress"):
            self.request.action_return_to_customer()
        # nor from another request of the same unit (the attacker's re-review)
        other = self.Request.create(
            {"partner_id": self.contact.id, "equipment_id": self.unit.id, "subject": "Noise"}
        )
        with self.assertRaisesRegex(UserError, "did not take unit"):
            other.action_return_to_customer()
        self.assertFalse(other.unit_return_picking_id)

    def _loaner_in_stock(self, name, cost_method):
        """A loaner on its own shelf, counted in by an inventory adjustment
        (valued at its cost under real-time valuation)."""
        if self.valued:
            self.categ_boilers.property_cost_method = cost_method
        loaner = self._unit(name, self.boiler, self.env["res.partner"])
        loaner.is_loaner = True
        shelf = self.env["stock.location"].create(
            {"name": f"SR Loaners {name}", "location_id": self.stock.id, "usage": "internal"}
        )
        self.env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": self.boiler.id,
                "location_id": shelf.id,
                "lot_id": loaner.lot_id.id,
                "inventory_quantity": 1,
            }
        ).action_apply_inventory()
        return loaner, shelf

    def test_loaner_round_trip_leaves_stock_as_it_was(self):
        """A loaner lent stays on the company's books where it is: it moves to
        the warehouse's "Units on Loan" location and back, neither move valued
        (FIFO or AVCO alike), its value unchanged while it is out."""
        for cost_method in ("fifo", "average"):
            with self.subTest(cost_method=cost_method):
                loaner, shelf = self._loaner_in_stock(f"SR-STOCK-LOAN-{cost_method}", cost_method)
                lot = loaner.lot_id
                before = self._internal(lot)
                self.assertEqual(before, {(shelf, self.env["res.partner"]): 1})
                layers = self._layers(lot)
                value = self.boiler.value_svl if self.valued else 0
                out = self.env["stock.picking"].browse(self.request.action_lend_loaner(loaner))
                on_loan = self.warehouse.service_loan_location_id
                self.assertEqual(on_loan.usage, "internal")
                self.assertEqual(on_loan.location_id, self.warehouse.view_location_id)
                self.assertEqual((out.location_id, out.location_dest_id), (shelf, on_loan))
                self.assertEqual(out.partner_id, self.request.partner_id)
                self.assertEqual(
                    self._internal(lot),
                    {(on_loan, self.env["res.partner"]): 1},
                    "the company's unit, and where it is",
                )
                if self.valued:
                    self.assertEqual(self.boiler.value_svl, value, "still on the company's books")
                self.assertEqual(self.unit.state, "in_use")
                back = self.env["stock.picking"].browse(self.request.action_return_loaner())
                self.assertEqual(back.location_id, on_loan)
                self.assertEqual(back.location_dest_id, shelf, "back where it was lent from")
                self.assertEqual(self._internal(lot), before)
                self.assertFalse(back.owner_id, "the company's own loaner has no owner")
                self.assertEqual(self._layers(lot), layers, "the loan books no valuation")
                self.assertFalse(self._entries(out | back))
                if self.valued:
                    self.assertEqual(self.boiler.value_svl, value)

    def test_loan_made_before_the_loan_location_comes_back(self):
        """A loaner lent to the customers' location (before the "Units on
        Loan" location) comes back from there."""
        loaner, shelf = self._loaner_in_stock("SR-STOCK-LOAN-OLD", "fifo")
        old = self.request._service_unit_transfer(
            self.warehouse.out_type_id,
            shelf,
            self.customers,
            self.request.partner_id,
            loaner.lot_id,
        )
        action_records(self.request).write(
            {
                "loaner_equipment_id": loaner.id,
                "loaner_state": "lent",
                "loaner_out_picking_id": old.id,
            }
        )
        action_records(loaner).state = "on_loan"
        back = self.env["stock.picking"].browse(self.request.action_return_loaner())
        self.assertEqual((back.location_id, back.location_dest_id), (self.customers, shelf))
        self.assertEqual(self._internal(loaner.lot_id), {(shelf, self.env["res.partner"]): 1})

    def test_repair_made_before_the_intake_works_from_the_repair_location(self):
        self.request.action_create_repair()
        repair = self.request.repair_ids
        self.assertEqual(repair.product_location_src_id, self.stock)
        self.request.action_receive_unit()
        location = self.warehouse.service_repair_location_id
        self.assertEqual(repair.product_location_src_id, location)
        self.assertEqual(repair.product_location_dest_id, location)
        self.assertIs(repair.action_validate(), True)
