from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
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

    def test_contract_of_a_request_is_the_covering_one_or_the_managers(self):
        """The contract sets the deadlines and the price of the repair: the
        service staff cannot move a request to another contract or out of it."""
        request = self._request(self.unit)
        foreign = self._contract(
            partner_id=self.other_customer.id,
            line_ids=[(0, 0, {"equipment_id": self.other_unit.id})],
            date_start="2026-01-01",
            date_end="2030-12-31",
        )
        foreign.action_activate()
        other_unit_contract = self._contract(
            date_start="2026-01-01",
            date_end="2030-12-31",
            line_ids=[(0, 0, {"equipment_id": self._unit("CB-0003", self.customer).id})],
        )
        other_unit_contract.action_activate()
        # An older contract of the unit: the one that started last covers it.
        older = self._contract(date_start="2025-06-01", date_end="2030-12-31")
        older.action_activate()
        as_technician = request.with_user(self.service_user)
        with (
            self.assertRaisesRegex(AccessError, "takes request .* out of contract"),
            self.env.cr.savepoint(),
        ):
            as_technician.write({"contract_id": False})
        with self.assertRaisesRegex(AccessError, "comes under contract"), self.env.cr.savepoint():
            as_technician.write({"contract_id": older.id})
        with (
            self.assertRaisesRegex(ValidationError, "does not cover unit"),
            self.env.cr.savepoint(),
        ):
            as_technician.write({"contract_id": other_unit_contract.id})
        request.invalidate_recordset()  # as the failed call's rollback does
        self.assertEqual(request.contract_id, self.contract)
        # Not even the manager puts it under a contract of another unit or customer.
        as_manager = request.with_user(self.service_manager)
        with (
            self.assertRaisesRegex(ValidationError, "does not cover unit"),
            self.env.cr.savepoint(),
        ):
            as_manager.write({"contract_id": other_unit_contract.id})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            as_manager.write({"contract_id": foreign.id})
        as_manager.write({"contract_id": older.id})
        as_manager.write({"contract_id": False})
        self.assertFalse(request.contract_id)
        # The unit changed: the technician's form takes the contract that comes with it.
        form = Form(request.with_user(self.service_user))
        form.equipment_id = self.other_unit
        form.partner_id = self.other_customer
        form.save()
        self.assertEqual(request.contract_id, foreign)

    def test_a_new_request_takes_the_covering_contract_only(self):
        Request = self.env["service.request"].with_user(self.service_user)
        with self.assertRaisesRegex(AccessError, "takes request .* out of contract"):
            Request.create(
                {
                    "partner_id": self.customer_contact.id,
                    "equipment_id": self.unit.id,
                    "contract_id": False,
                    "description": "No contract, please",
                }
            )
        with self.assertRaisesRegex(AccessError, "No contract of the customer covers"):
            Request.create(
                {
                    "partner_id": self.customer_contact.id,
                    "contract_id": self.contract.id,
                    "description": "Premium SLA without a unit",
                }
            )
        request = Request.create(
            {
                "partner_id": self.customer_contact.id,
                "equipment_id": self.unit.id,
                "contract_id": self.contract.id,
                "description": "Under its contract",
            }
        )
        self.assertEqual(request.contract_id, self.contract)

    def test_the_contract_pays_for_its_units_only(self):
        """A request without a unit under a contract (the manager's), its repair
        on a serial the contract does not cover: the contract does not pay."""
        request = (
            self.env["service.request"]
            .with_user(self.service_manager)
            .create(
                {
                    "partner_id": self.customer_contact.id,
                    "contract_id": self.contract.id,
                    "description": "Which unit?",
                }
            )
        )
        lot = self.env["stock.lot"].create(
            {"name": "CB-NOT-COVERED", "product_id": self.equipment_model.id}
        )
        repair = self.env["repair.order"].create(
            {
                "partner_id": self.customer.id,
                "request_id": request.id,
                "product_id": self.equipment_model.id,
                "lot_id": lot.id,
            }
        )
        self.assertFalse(repair.service_contract_id)
        repair.lot_id = self.unit.lot_id
        self.assertEqual(repair.service_contract_id, self.contract)
