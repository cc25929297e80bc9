"""Fields of units and transfers that only the suite's actions set: a service
user (or a stock user) writing them over RPC is refused in words."""

import re

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ServiceBaseCase

GUARDED = "can only be set by its actions"


@tagged("post_install", "-at_install")
class TestEquipmentGates(ServiceBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls.env["service.equipment"].create(
            {
                "product_id": cls.model.id,
                "lot_id": cls._lot("SB-GATE-1").id,
                "partner_id": cls.customer_contact.id,
            }
        )
        cls.stock_user = new_test_user(cls.env, login="sb_stock", groups="stock.group_stock_user")

    def test_state_and_related_facts_refused(self):
        unit = self.unit.with_user(self.service_user)
        other_category = self.env["product.category"].create({"name": "SB other"})
        for vals in (
            {"state": "retired"},
            {"state": "on_loan"},
            {"commercial_partner_id": self.other_customer.id},
            {"categ_id": other_category.id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, GUARDED):
                unit.write(vals)
        self.assertEqual(self.unit.state, "in_use")
        self.assertEqual(self.unit.commercial_partner_id, self.customer)
        # A form edit that leaves the state alone saves.
        unit.write({"state": "in_use", "site_partner_id": self.other_customer.id})

    def test_refusal_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        with self.assertRaises(UserError) as refusal:
            self.unit.with_user(self.service_user).with_context(lang="ru_RU").write(
                {"state": "retired"}
            )
        self.assertTrue(re.search("[а-яА-Я]", str(refusal.exception)), str(refusal.exception))

    def test_retire_and_reactivate_for_managers(self):
        with self.assertRaises(AccessError):
            self.unit.with_user(self.service_user).action_retire()
        self.assertEqual(self.unit.state, "in_use")
        self.unit.with_user(self.service_manager).action_retire()
        self.assertEqual(self.unit.state, "retired")
        with self.assertRaises(AccessError):
            self.unit.with_user(self.service_user).action_reactivate()
        self.unit.with_user(self.service_manager).action_reactivate()
        self.assertEqual(self.unit.state, "in_use")
        self.assertTrue(self.unit.active)

    def test_customer_unit_never_joins_the_demo_pool(self):
        with self.assertRaisesRegex(ValidationError, "only the company's own units"):
            with self.env.cr.savepoint():
                self.unit.with_user(self.service_user).is_demo = True
        demo = self.env["service.equipment"].create(
            {"product_id": self.model.id, "lot_id": self._lot("SB-GATE-DEMO").id, "is_demo": True}
        )
        with self.assertRaisesRegex(ValidationError, "only the company's own units"):
            with self.env.cr.savepoint():
                demo.with_user(self.service_user).partner_id = self.customer
        # The company's own partner may own it.
        demo.partner_id = self.company.partner_id

    def test_service_transfer_flag_is_a_fact(self):
        """Unflagged, a service transfer to a customer reads as a sale."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        lot = self.unit.lot_id
        stock = warehouse.lot_stock_id
        self.env["stock.quant"]._update_available_quantity(self.model, stock, 1, lot_id=lot)
        customers = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"]._service_create_unit_transfer(
            self.model, lot, warehouse.out_type_id, stock, customers, self.customer, "SB-GATE"
        )
        self.assertTrue(picking.service_unit_transfer)
        with self.assertRaisesRegex(UserError, GUARDED):
            picking.with_user(self.stock_user).service_unit_transfer = False
        as_stock = self.env["stock.picking"].with_user(self.stock_user)
        values = {
            "picking_type_id": warehouse.out_type_id.id,
            "location_id": stock.id,
            "location_dest_id": customers.id,
        }
        with self.assertRaisesRegex(UserError, GUARDED):
            as_stock.create(dict(values, service_unit_transfer=True))
        # Plain transfers are the stock user's as before.
        as_stock.create(values).origin = "SB-GATE-2"
