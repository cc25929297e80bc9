from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ServicePartsCase


@tagged("post_install", "-at_install")
class TestRequirements(ServicePartsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.valve = cls._part("Req valve", "RQ-V")
        cls.gasket = cls._part("Req gasket", "RQ-G")
        cls._stock(cls.valve, 5)
        cls._seller(cls.valve, cls.supplier_eur, 30, cls.eur, delay=3)
        cls._seller(cls.valve, cls.supplier_rub, 5000, cls.rub, delay=20)
        cls._seller(cls.gasket, cls.supplier_eur, 4, cls.eur, delay=2)
        now = datetime.now()
        cls.repair_1 = cls._repair([(cls.valve, 3)], now + timedelta(days=1))
        cls.repair_2 = cls._repair([(cls.valve, 4), (cls.gasket, 2)], now + timedelta(days=2))

    @classmethod
    def _repair(cls, lines, when):
        return cls.env["repair.order"].create(
            {
                "product_id": cls.other_model.id,
                "partner_id": cls.customer.id,
                "schedule_date": when,
                "move_ids": [
                    Command.create(
                        {"product_id": part.id, "product_uom_qty": qty, "repair_line_type": "add"}
                    )
                    for part, qty in lines
                ],
            }
        )

    def _lines(self):
        return self.env["service.part.requirement"].search(
            [("repair_id", "in", (self.repair_1 | self.repair_2).ids)]
        )

    def test_requirements_share_free_stock_by_schedule(self):
        lines = self._lines()
        by_key = {(line.repair_id, line.product_id): line for line in lines}
        first = by_key[self.repair_1, self.valve]
        second = by_key[self.repair_2, self.valve]
        gasket = by_key[self.repair_2, self.gasket]
        self.assertEqual(first.location_id, self.repair_1.location_id)
        self.assertEqual((first.product_qty, first.available_qty, first.missing_qty), (3, 5, 0))
        # The earlier repair takes 3 of the 5: the later one misses 2 of its 4.
        self.assertEqual((second.product_qty, second.missing_qty), (4, 2))
        self.assertEqual(gasket.missing_qty, 2)

    def test_reserved_parts_are_to_pick(self):
        self.repair_1.action_validate()
        line = self._lines().filtered(lambda rec: rec.repair_id == self.repair_1)
        self.assertEqual(line.reserved_qty, 3)
        self.assertEqual(line.missing_qty, 0)
        second = self._lines().filtered(
            lambda rec: rec.repair_id == self.repair_2 and rec.product_id == self.valve
        )
        self.assertEqual(second.available_qty, 2)
        self.assertEqual(second.missing_qty, 2)

    def test_consolidated_rfqs(self):
        other = self._repair([(self.gasket, 5)], datetime.now() + timedelta(days=3))
        lines = self.env["service.part.requirement"].search(
            [("repair_id", "in", (self.repair_1 | self.repair_2 | other).ids)]
        )
        action = lines.with_user(self.service_manager).action_create_rfqs()
        orders = self.env["purchase.order"].search(action["domain"])
        self.assertEqual(len(orders), 2)
        by_partner = {order.partner_id: order for order in orders}
        # Cheapest for the valve: 5,000 RUB = 50 < 30 EUR = 60.
        rub = by_partner[self.supplier_rub]
        self.assertEqual(rub.order_line.product_id, self.valve)
        self.assertEqual(rub.order_line.product_qty, 2)
        self.assertEqual(rub.service_repair_ids, self.repair_2)
        self.assertIn(self.repair_2.name, rub.origin)
        # Both repairs' gaskets in one line of one RFQ (wholesale).
        eur = by_partner[self.supplier_eur]
        self.assertEqual(eur.order_line.product_id, self.gasket)
        self.assertEqual(eur.order_line.product_qty, 7)
        self.assertEqual(eur.service_repair_ids, self.repair_2 | other)
        self.assertEqual(other.service_purchase_ids, eur)
        self.assertIn(eur.name, other.message_ids[0].body)
        # Nothing more to order for these repairs.
        with self.assertRaisesRegex(UserError, "already cover everything"), self.cr.savepoint():
            lines.action_create_rfqs()

    def test_rfq_refusals(self):
        lines = self._lines().filtered(lambda rec: rec.repair_id == self.repair_1)
        with self.assertRaisesRegex(UserError, "Nothing is missing"), self.cr.savepoint():
            lines.action_create_rfqs()
        orphan = self._part("Orphan part", "RQ-O")
        repair = self._repair([(orphan, 1)], datetime.now())
        lines = self.env["service.part.requirement"].search([("repair_id", "=", repair.id)])
        with (
            self.assertRaisesRegex(UserError, "No supplier for: .*Orphan part"),
            self.cr.savepoint(),
        ):
            lines.action_create_rfqs()

    def test_reorder_proposal_from_consumption(self):
        self.repair_1.action_validate()
        self.repair_1.action_repair_start()
        self.repair_1.action_repair_end()
        self.assertEqual(self.repair_1.state, "done")
        wizard_form = Form(self.env["service.part.reorder.wizard"].with_user(self.service_manager))
        wizard_form.warehouse_id = self.warehouse
        wizard_form.history_days = 30
        wizard_form.safety_days = 7
        wizard_form.cover_days = 30
        wizard = wizard_form.save()
        wizard.action_compute()
        line = wizard.line_ids.filtered(lambda rec: rec.product_id == self.valve)
        # 3 used in 30 days = 0.1 a day; best offer for 3 is the RUB one, 20 days.
        self.assertAlmostEqual(line.daily_qty, 0.1)
        self.assertEqual(line.lead_days, 20)
        self.assertEqual((line.min_qty, line.max_qty), (3, 6))
        wizard.line_ids.filtered(lambda rec: rec.product_id != self.valve).selected = False
        action = wizard.action_apply()
        orderpoint = self.env["stock.warehouse.orderpoint"].search(action["domain"])
        self.assertEqual(orderpoint.product_id, self.valve)
        self.assertEqual((orderpoint.product_min_qty, orderpoint.product_max_qty), (3, 6))
        # Run again: the existing rule is updated, not duplicated.
        wizard.action_compute()
        wizard.line_ids.filtered(lambda rec: rec.product_id == self.valve).min_qty = 4
        wizard.line_ids.filtered(lambda rec: rec.product_id != self.valve).selected = False
        wizard.action_apply()
        self.assertEqual(orderpoint.product_min_qty, 4)
        self.assertEqual(
            self.env["stock.warehouse.orderpoint"].search_count(
                [("product_id", "=", self.valve.id)]
            ),
            1,
        )
