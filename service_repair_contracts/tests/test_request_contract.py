from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.service_contracts.tests.common_contract import ServiceContractCase


@tagged("post_install", "-at_install")
class TestRequestUnderContract(ServiceContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._contract(date_start="2026-01-01", date_end="2030-12-31")
        cls.contract.action_activate()

    def _request(self, unit, priority="2"):
        form = Form(self.env["service.request"].with_user(self.service_user))
        form.partner_id = unit.partner_id
        form.equipment_id = unit
        form.description = "Boiler stopped"
        form.priority = priority
        return form.save()

    def test_request_takes_the_contract_sla(self):
        request = self._request(self.unit)
        self.assertEqual(request.contract_id, self.contract)
        # An urgent request gets the policy's urgent targets (1 h / 8 h), in the
        # working hours of its calendar (test_sla_policy pins that arithmetic).
        expected = self.sla._compute_deadlines(request.create_date, "3")
        self.assertEqual(request.date_response_deadline, expected["response"])
        self.assertAlmostEqual(
            request.date_deadline, expected["resolution"], delta=timedelta(minutes=1)
        )
        self.assertLess(request.date_response_deadline, request.date_deadline)
        self.assertEqual(self.contract.service_request_count, 1)
        action = self.contract.action_view_service_requests()
        self.assertEqual(self.env["service.request"].search(action["domain"]), request)

    def test_request_without_contract_keeps_default_deadline(self):
        request = self._request(self.other_unit)
        self.assertFalse(request.contract_id)
        self.assertFalse(request.date_response_deadline)

    def test_repair_under_contract_coverage(self):
        request = self._request(self.unit)
        self.contract.write({"cover_labour": True, "cover_parts": False})
        self.assertFalse(request._is_under_warranty())
        self.contract.cover_parts = True
        self.assertTrue(request._is_under_warranty())
        action = request.action_create_repair()
        repair = self.env["repair.order"].browse(action["res_id"])
        self.assertTrue(repair.under_warranty)

    def test_repair_quotation_follows_the_coverage(self):
        part = self.env["product.product"].create(
            {"name": "Burner nozzle", "is_storable": True, "list_price": 1400.0}
        )
        labour = self.env["product.product"].create(
            {"name": "Repair labour, hour", "type": "service", "list_price": 2000.0}
        )
        self.contract.write({"cover_labour": True, "cover_parts": False})
        request = self._request(self.unit)
        repair = self.env["repair.order"].browse(request.action_create_repair()["res_id"])
        self.assertFalse(repair.under_warranty, "labour only: not a free repair")
        repair.move_ids = [
            (0, 0, {"product_id": part.id, "product_uom_qty": 1, "repair_line_type": "add"})
        ]
        repair.action_create_sale_order()
        order = repair.sale_order_id
        order.order_line = [(0, 0, {"product_id": labour.id, "product_uom_qty": 2})]
        prices = {line.product_id: line.price_subtotal for line in order.order_line}
        self.assertEqual(prices[part], 1400.0, "parts are not covered: charged")
        self.assertEqual(prices[labour], 0.0, "labour is covered: free")

        self.contract.cover_parts = True
        other = self._request(self.unit)
        repair = self.env["repair.order"].browse(other.action_create_repair()["res_id"])
        self.assertTrue(repair.under_warranty, "labour and parts covered: a free repair")

    def test_request_only_under_its_customers_contract_in_force(self):
        """The contract makes a repair free: a request cannot be put under
        another customer's contract, or one not in force, by a write."""
        other_contract = self._contract(
            partner_id=self.other_customer.id,
            date_start="2026-01-01",
            date_end="2030-12-31",
            line_ids=[(0, 0, {"equipment_id": self.other_unit.id})],
        )
        other_contract.action_activate()
        draft = self._contract(date_start="2026-01-01", date_end="2030-12-31")
        request = self._request(self.unit)
        for contract in (other_contract, draft):
            with self.subTest(contract=contract.display_name):
                # assertRaises undoes the write, as the RPC layer does.
                with self.assertRaises(ValidationError) as caught:
                    request.with_user(self.service_user).write({"contract_id": contract.id})
                self.assertIn("cannot be under contract", str(caught.exception))
        self.assertEqual(request.contract_id, self.contract)
        with self.assertRaisesRegex(UserError, "can only be set by its actions"):
            request.with_user(self.service_user).write(
                {"date_response_deadline": "2099-01-01 00:00:00"}
            )
