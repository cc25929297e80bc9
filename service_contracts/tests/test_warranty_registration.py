from datetime import date

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyRegistration(WarrantyCase):
    def test_delivery_registers_warranty(self):
        lots = self._lots("REG", 2)
        self._receive(lots)
        picking = self._deliver(lots)
        today = fields.Date.context_today(lots)
        for lot in lots:
            self.assertEqual(lot.service_warranty_policy_id, self.policy)
            self.assertEqual(lot.service_warranty_start, today)
            self.assertEqual(lot.service_warranty_end, today + relativedelta(months=24, days=-1))
            self.assertEqual(lot.service_warranty_partner_id, self.customer)
            self.assertEqual(lot.service_supplier_id, self.vendor)
            self.assertEqual(
                lot.service_supplier_warranty_end, today + relativedelta(months=12, days=-1)
            )
            self.assertEqual(lot.service_warranty_move_id, picking.move_ids)
            self.assertTrue(lot.service_in_warranty)

    def test_product_policy_wins_over_category(self):
        product_policy = self.env["service.warranty.policy"].create(
            {"name": "WB-1 special", "product_id": self.model.id, "months": 36}
        )
        lots = self._lots("PRD", 1)
        self._receive(lots)
        self._deliver(lots)
        self.assertEqual(lots.service_warranty_policy_id, product_policy)
        self.assertEqual(
            lots.service_warranty_end,
            lots.service_warranty_start + relativedelta(months=36, days=-1),
        )

    def test_parent_category_policy(self):
        child = self.env["product.category"].create(
            {"name": "Wall boilers", "parent_id": self.category.id}
        )
        product = self.model.copy({"name": "Wall boiler", "categ_id": child.id})
        lots = self._lots("CHILD", 1, product=product)
        self._receive(lots)
        self._deliver(lots)
        self.assertEqual(lots.service_warranty_policy_id, self.policy)

    def test_registration_is_idempotent(self):
        lots = self._lots("IDEM", 3)
        self._receive(lots)
        picking = self._deliver(lots)
        lots[0].sudo().write({"service_warranty_start": date(2020, 1, 1)})
        ends = lots.mapped("service_warranty_end")
        picking.move_ids._service_warranty_register()
        self.assertEqual(lots[0].service_warranty_start, date(2020, 1, 1))
        self.assertEqual(lots.mapped("service_warranty_end"), ends)
        # A return and a second delivery (after a repair) do not restart the warranty.
        self._transfer(
            lots[1], self.warehouse.in_type_id, self.customer_location, self.stock, self.customer
        )
        lots[1].sudo().write({"service_warranty_start": date(2021, 5, 5)})
        self._deliver(lots[1])
        self.assertEqual(lots[1].service_warranty_start, date(2021, 5, 5))

    def test_no_registration_for_receipts_and_internal_moves(self):
        lots = self._lots("RCPT", 2)
        self._receive(lots)
        self.assertFalse(any(lots.mapped("service_warranty_start")))

    def test_service_transfer_of_a_unit_is_no_sale(self):
        """A demo or loaner unit lent to a customer (a service transfer of a unit)
        starts no warranty; the unit's later sale does."""
        lot = self._lots("LENT", 1)
        self._receive(lot)
        Picking = self.env["stock.picking"]
        transfers = [
            (self.warehouse.out_type_id, self.stock, self.customer_location),
            (self.warehouse.in_type_id, self.customer_location, self.stock),
        ]
        for picking_type, source, destination in transfers:
            picking = Picking._service_create_unit_transfer(
                self.model, lot, picking_type, source, destination, self.customer_contact, "Demo"
            )
            self.assertTrue(picking.service_unit_transfer)
            picking.move_ids.picked = True
            picking.button_validate()
            self.assertEqual(picking.state, "done")
            self.assertFalse(lot.service_warranty_start)
            self.assertFalse(lot.service_warranty_partner_id)
        self._deliver(lot, self.other_customer)
        self.assertEqual(lot.service_warranty_start, fields.Date.context_today(lot))
        self.assertEqual(lot.service_warranty_partner_id, self.other_customer)

    def _registration_queries(self, count):
        lots = self._lots(f"QC{count}", count)
        self._receive(lots)
        picking = self._deliver(lots)
        self.assertTrue(all(lots.mapped("service_warranty_start")))
        self.env.cr.execute(
            "UPDATE stock_lot SET service_warranty_start = NULL WHERE id IN %s", [tuple(lots.ids)]
        )
        self.env.invalidate_all()
        moves = self.env["stock.move"].browse(picking.move_ids.ids)
        before = self.env.cr.sql_log_count
        moves._service_warranty_register()
        queries = self.env.cr.sql_log_count - before
        self.assertTrue(all(lots.mapped("service_warranty_start")))
        return queries

    def test_registration_query_count_independent_of_serials(self):
        queries_10 = self._registration_queries(10)
        queries_100 = self._registration_queries(100)
        self.assertEqual(queries_10, queries_100)
        self.assertLessEqual(queries_100, 15)
        lots = self._lots("QCX", 10)
        self._receive(lots)
        picking = self._deliver(lots)
        self.env.cr.execute(
            "UPDATE stock_lot SET service_warranty_start = NULL WHERE id IN %s", [tuple(lots.ids)]
        )
        self.env.invalidate_all()
        moves = self.env["stock.move"].browse(picking.move_ids.ids)
        with self.assertQueryCount(queries_10):
            moves._service_warranty_register()

    def test_installation_date_overrides(self):
        self.policy.start_on = "installation"
        lots = self._lots("INST", 2)
        self._receive(lots)
        installed = date(2025, 1, 10)
        self.env["service.equipment"].create(
            {
                "product_id": self.model.id,
                "lot_id": lots[0].id,
                "partner_id": self.customer.id,
                "installation_date": installed,
            }
        )
        self._deliver(lots)
        self.assertEqual(lots[0].service_warranty_start, installed)
        self.assertEqual(lots[0].service_warranty_end, date(2027, 1, 9))
        # The second unit is installed after its delivery: the warranty moves.
        today = fields.Date.context_today(lots)
        self.assertEqual(lots[1].service_warranty_start, today)
        unit = lots[1].service_equipment_ids
        later = today + relativedelta(days=20)
        unit.write({"installation_date": later})
        self.assertEqual(lots[1].service_warranty_start, later)
        self.assertEqual(lots[1].service_warranty_end, later + relativedelta(months=24, days=-1))

    def test_installation_date_ignored_by_delivery_policy(self):
        lots = self._lots("NOINST", 1)
        self._receive(lots)
        self._deliver(lots)
        start = lots.service_warranty_start
        unit = lots.service_equipment_ids
        unit.write({"installation_date": start + relativedelta(days=30)})
        self.assertEqual(lots.service_warranty_start, start)

    def test_clock_starts_on_sale_date(self):
        self.policy.start_on = "sale"
        lots = self._lots("SALE", 1)
        self._receive(lots)
        self._sold_and_invoiced(lots, date_order="2025-06-01 10:00:00")
        self.assertEqual(lots.service_warranty_start, date(2025, 6, 1))
        self.assertEqual(lots.service_warranty_end, date(2027, 5, 31))

    def test_clock_starts_on_invoice_date(self):
        self.policy.start_on = "invoice"
        lots = self._lots("INV", 1)
        self._receive(lots)
        later = fields.Date.context_today(lots) + relativedelta(days=10)
        self._sold_and_invoiced(lots, invoice_date=later)
        self.assertEqual(lots.service_warranty_start, later)
        self.assertEqual(lots.service_warranty_end, later + relativedelta(months=24, days=-1))

    def test_policy_needs_scope_and_positive_months(self):
        Policy = self.env["service.warranty.policy"].with_user(self.service_manager)
        with self.assertRaisesRegex(ValidationError, "needs a product or a category"):
            Policy.create({"name": "Nothing", "months": 12})
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.CheckViolation),
            self.env.cr.savepoint(),
        ):
            Policy.create({"name": "Zero", "categ_id": self.category.id, "months": 0})
        with self.assertRaises(AccessError):
            self.env["service.warranty.policy"].with_user(self.service_user).create(
                {"name": "Not mine", "categ_id": self.category.id}
            )

    def test_delivery_without_policy(self):
        product = self.env["product.product"].create(
            {"name": "No policy gadget", "is_storable": True, "tracking": "serial"}
        )
        lots = self._lots("NOPOL", 2, product=product)
        self._receive(lots)
        self._deliver(lots)
        today = fields.Date.context_today(lots)
        self.assertEqual(lots.mapped("service_warranty_start"), [today, today])
        self.assertFalse(any(lots.mapped("service_warranty_end")))
        self.assertFalse(lots.service_warranty_policy_id)
        self.assertEqual(lots.service_warranty_partner_id, self.customer)
        status = self.env["stock.lot"].service_warranty_status(lots[0].name)
        self.assertEqual(status["source"], "none")
        self.assertFalse(status["in_warranty"])
