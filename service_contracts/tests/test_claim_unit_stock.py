from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install", "service_suite")
class TestClaimUnitStock(WarrantyCase):
    """A warranty claim's unit in the company's stock books, with real-time
    FIFO valuation: a unit repaired under a claim stays the customer's (no
    valuation layer, no journal entry, ever); a unit replaced or refunded
    becomes the company's, valued once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category.write({"property_cost_method": "fifo", "property_valuation": "real_time"})
        cls.lots = cls._lots("CUS", 5)
        cls._receive(cls.lots)
        cls.sold = cls.lots[:3]
        cls._deliver(cls.sold)
        cls.spare = cls.lots[3:]
        cls.repair_location = cls.warehouse._service_repair_location()
        cls.supplier_stock = cls.vendor.property_stock_supplier

    # helpers ---------------------------------------------------------------

    def _claim(self, lot, decision, partner=None, **vals):
        """A claim of ``lot`` decided by the service user (who then acts on it)."""
        claim = self.env["service.warranty.claim"].create(
            {
                "partner_id": (partner or self.customer).id,
                "lot_id": lot.id,
                "defect_description": "The burner does not ignite.",
            }
        )
        claim = claim.with_user(self.service_user)
        claim.action_start_inspection()
        claim.write({"decision": decision, **vals})
        claim.action_decide()
        return claim

    def _quants(self, lot):
        """{(location, owner): quantity} of the non-zero quants of ``lot``."""
        result = {}
        for quant in self.env["stock.quant"].search([("lot_id", "=", lot.id)]):
            key = (quant.location_id, quant.owner_id)
            result[key] = result.get(key, 0) + quant.quantity
        return {key: qty for key, qty in result.items() if qty}

    def _internal(self, lot):
        return {key: qty for key, qty in self._quants(lot).items() if key[0].usage == "internal"}

    def _layers(self, lot):
        return self.env["stock.valuation.layer"].search(
            [("stock_move_id.move_line_ids.lot_id", "=", lot.id)]
        )

    def _entries(self, moves):
        return self.env["account.move"].search([("stock_move_id", "in", moves.ids)])

    def _picking(self, action):
        self.assertEqual(action["res_model"], "stock.picking")
        return self.env["stock.picking"].browse(action["res_id"])

    def _validate(self, picking):
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    # repair: the customer's unit -----------------------------------------------

    def test_claim_repair_round_trip_books_nothing(self):
        """Accepted for the claim's repair, repaired where it stands, delivered
        back: the unit is the customer's stock throughout (consignment), so the
        accountant's stock value and journals are as they were."""
        lot, owner = self.sold[0], self.customer
        layers = self._layers(lot)
        claim = self._claim(lot, "repair")
        intake = self._picking(claim.action_receive_unit())
        self.assertEqual(
            (intake.state, intake.location_id, intake.location_dest_id, intake.owner_id),
            ("done", self.customer_location, self.repair_location, owner),
        )
        self.assertEqual(intake.move_line_ids.owner_id, owner)
        self.assertEqual(claim.unit_intake_picking_id, intake)
        self.assertIn(intake, claim.picking_ids)
        self.assertEqual(claim.equipment_id.state, "in_repair")
        self.assertEqual(self._internal(lot), {(self.repair_location, owner): 1})
        with self.assertRaisesRegex(UserError, "already been accepted"):
            claim.action_receive_unit()

        # the claim's repair works on the unit where it is kept
        repair = claim.repair_id
        self.assertEqual(repair.product_location_src_id, self.repair_location)
        self.assertEqual(repair.product_location_dest_id, self.repair_location)
        repair.action_validate()
        repair.action_repair_start()
        with self.assertRaisesRegex(UserError, "still in progress"):
            claim.action_return_to_customer()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")

        delivery = self._picking(claim.action_return_to_customer())
        self.assertEqual(
            (delivery.state, delivery.location_id, delivery.location_dest_id, delivery.owner_id),
            ("done", self.repair_location, self.customer_location, owner),
        )
        self.assertEqual(claim.unit_return_picking_id, delivery)
        self.assertEqual(claim.equipment_id.state, "in_use")
        self.assertEqual(self._internal(lot), {}, "nothing left in the company's hands")
        self.assertEqual(self._layers(lot), layers, "no valuation layer for a customer's unit")
        self.assertFalse(self._entries(claim.picking_ids.move_ids | repair.move_id))
        self.assertFalse(lot.service_warranty_move_id.picking_id.service_unit_transfer)
        self.assertNotEqual(
            lot.service_warranty_move_id, delivery.move_ids, "no warranty starts again"
        )
        with self.assertRaisesRegex(UserError, "already been returned"):
            claim.action_return_to_customer()

    def test_intake_refusals_write_nothing(self):
        replaced = self._claim(self.sold[1], "replace", replacement_lot_id=self.spare[0].id)
        pickings = self.env["stock.picking"].search_count([])
        with self.assertRaisesRegex(UserError, "has no repair"):
            replaced.action_receive_unit()
        repaired = self._claim(self.sold[2], "repair")
        with self.assertRaisesRegex(UserError, "nothing to return"):
            repaired.action_return_to_customer()
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)
        self.assertFalse(repaired.unit_intake_picking_id | repaired.unit_return_picking_id)
        # another claim of the unit accepted by the first one does not return it
        repaired.action_receive_unit()
        other = self._claim(self.sold[2], "repair")
        with self.assertRaisesRegex(UserError, "is already in"):
            other.action_receive_unit()
        with self.assertRaisesRegex(UserError, "did not take unit"):
            other.action_return_to_customer()
        self.assertEqual(other.repair_id.product_location_src_id, self.repair_location)

    # supplier claim of the customer's unit ------------------------------------

    def test_supplier_claim_of_a_customers_unit_keeps_the_owner(self):
        """The customer's unit goes to the supplier under its warranty and comes
        back, still the customer's: neither trip is valued."""
        lot, owner = self.sold[1], self.customer
        layers = self._layers(lot)
        claim = self._claim(lot, "repair")
        claim.action_receive_unit()
        claim.action_claim_supplier()
        supplier_claim = claim.supplier_claim_ids
        out = supplier_claim.return_picking_id
        self.assertEqual(
            (out.state, out.location_id, out.location_dest_id, out.owner_id),
            ("done", self.repair_location, self.supplier_stock, owner),
        )
        self.assertEqual(out.service_supplier_claim_id, supplier_claim)
        self.assertTrue(supplier_claim.is_unit_at_supplier)
        self.assertEqual(claim.equipment_id.state, "at_service_center")
        self.assertEqual(self._internal(lot), {})
        with self.assertRaisesRegex(UserError, "at supplier .*receive it back first"):
            claim.action_return_to_customer()

        back = self._picking(supplier_claim.with_user(self.service_user).action_receive_back())
        self.assertEqual(
            (back.state, back.location_id, back.location_dest_id, back.owner_id),
            ("done", self.supplier_stock, self.repair_location, owner),
        )
        self.assertEqual(supplier_claim.receipt_picking_id, back)
        self.assertFalse(supplier_claim.is_unit_at_supplier)
        self.assertEqual(claim.equipment_id.state, "in_repair")
        self.assertEqual(self._internal(lot), {(self.repair_location, owner): 1})
        with self.assertRaisesRegex(UserError, "no customer's unit at the supplier"):
            supplier_claim.action_receive_back()

        claim.action_return_to_customer()
        self.assertEqual(self._internal(lot), {})
        self.assertEqual(self._layers(lot), layers, "no valuation layer, ever")
        moves = (claim.picking_ids | out | back).move_ids
        self.assertFalse(self._entries(moves), "the accounts are untouched")

    # replace and refund: the defective unit becomes the company's ---------------

    def test_replacement_is_an_exchange_valued_once(self):
        """What the accountant expects of a warranty replacement: an exchange.

        The defective unit comes back as the company's own (a buy-back at no
        price): its receipt is a return of the delivery that sold it, valued at
        the cost it left with (400, not today's 550), debiting stock and
        crediting the stock output account as the delivery's entry did the
        other way. The replacement leaves the company's stock at FIFO cost
        (the oldest layer, 400). One layer and one journal entry per transfer,
        all in the claim's company; the stock value is then that of the units
        in stock (a spare and the defective unit at 400, the newer one at 550),
        nothing counted twice.
        """
        faulty = self.sold[0]
        self.model.standard_price = 550.0
        newer = self._lots("CUS-NEW", 1)
        self._receive(newer)
        claim = self._claim(faulty, "replace", replacement_lot_id=newer.id).with_env(self.env)
        back, out = claim.return_picking_id, claim.replacement_picking_id
        self.assertEqual(back.move_ids.origin_returned_move_id, faulty.service_warranty_move_id)
        self._validate(back)
        self._validate(out)
        company = claim.company_id
        for picking, quantity, value in ((back, 1, 400.0), (out, -1, -400.0)):
            layer = picking.move_ids.stock_valuation_layer_ids
            self.assertEqual(len(layer), 1, "valued once")
            self.assertEqual((layer.quantity, layer.value), (quantity, value))
            self.assertEqual(layer.company_id, company)
            entry = self._entries(picking.move_ids)
            self.assertEqual(len(entry), 1)
            self.assertEqual(entry.company_id, company)
            self.assertEqual(entry.amount_total, abs(value))
        self.assertEqual(self._internal(faulty), {(self.stock, self.env["res.partner"]): 1})
        self.assertEqual(self._internal(newer), {})
        in_stock = self.env["stock.quant"].search(
            [("product_id", "=", self.model.id), ("location_id.usage", "=", "internal")]
        )
        self.assertEqual(self.model.quantity_svl, sum(in_stock.mapped("quantity")))
        self.assertEqual(self.model.value_svl, 400.0 + 550.0 + 400.0)

    def test_refund_takes_the_unit_back_once(self):
        """What the accountant expects of a warranty refund: the credit note
        reverses the sale (anglo-saxon: its cost of goods sold too, at the
        invoice's cost) and the return of the unit puts it back in stock at the
        cost it was delivered at, so the stock output account, debited by the
        delivery and credited by the invoice, nets to zero again. A further
        refund of the same serial is an allowance on its price: no second
        return of the unit, no second reversal of its cost."""
        lot = self.spare[0]
        order, invoice = self._sold_and_invoiced(lot)
        delivery = order.picking_ids.move_ids
        self.model.standard_price = 550.0
        self._receive(self._lots("CUS-RF", 1))
        claim = self._claim(
            lot, "refund", refund_amount=600.0, invoice_line_id=invoice.invoice_line_ids.id
        ).with_env(self.env)
        back = claim.return_picking_id
        self.assertEqual(back.move_ids.origin_returned_move_id, delivery)
        credit_note = claim.credit_note_id
        credit_note.invoice_date = invoice.invoice_date
        credit_note.action_post()
        self._validate(back)
        layer = back.move_ids.stock_valuation_layer_ids
        self.assertEqual((layer.quantity, layer.value), (1, 400.0))
        self.assertEqual(layer.company_id, claim.company_id)
        self.assertEqual(self._internal(lot), {(self.stock, self.env["res.partner"]): 1})

        second = self._claim(
            lot, "refund", refund_amount=300.0, invoice_line_id=invoice.invoice_line_ids.id
        ).with_env(self.env)
        self.assertFalse(second.return_picking_id, "the unit is already back")
        second.credit_note_id.invoice_date = invoice.invoice_date
        second.credit_note_id.action_post()
        self.assertEqual(len(self._layers(lot).filtered(lambda svl: svl.quantity > 0)), 2)

        output = self.category.property_stock_account_output_categ_id
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", output.id),
                "|",
                ("move_id", "in", (invoice | credit_note | second.credit_note_id).ids),
                ("move_id.stock_move_id", "in", (delivery | back.move_ids).ids),
            ]
        )
        self.assertTrue(lines)
        self.assertEqual(set(lines.move_id.company_id), {claim.company_id})
        if self.company.anglo_saxon_accounting:
            self.assertFalse(
                second.credit_note_id.line_ids.filtered(lambda line: line.display_type == "cogs"),
                "the cost of the unit was reversed once",
            )
        self.assertAlmostEqual(sum(lines.mapped("balance")), 0.0)

    def test_replacement_of_a_unit_kept_as_the_customers(self):
        """A unit in the workshop as the customer's (accepted for another
        claim's repair) and then replaced: it is handed over from the
        customer's stock (not valued) and taken back as the company's (valued
        once): it is in one place, once."""
        lot, owner = self.sold[2], self.customer
        first = self._claim(lot, "repair")
        first.action_receive_unit()
        replaced = self._claim(lot, "replace", replacement_lot_id=self.spare[1].id)
        replaced = replaced.with_env(self.env)
        handover = (
            replaced.picking_ids - replaced.return_picking_id - replaced.replacement_picking_id
        )
        self.assertEqual(
            (handover.state, handover.location_id, handover.owner_id),
            ("done", self.repair_location, owner),
        )
        self.assertFalse(handover.move_ids.stock_valuation_layer_ids)
        self._validate(replaced.return_picking_id)
        self.assertEqual(self._internal(lot), {(self.stock, self.env["res.partner"]): 1})
        self.assertEqual(len(replaced.return_picking_id.move_ids.stock_valuation_layer_ids), 1)
        with self.assertRaisesRegex(UserError, "nothing to return"):
            first.action_return_to_customer()
