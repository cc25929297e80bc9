from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.service_contracts.tests.common_contract import ServiceContractCase


@tagged("post_install", "-at_install", "service_suite")
class TestContractYearlyCap(ServiceContractCase):
    """Covered parts and labour are free until the contract year's cap is used."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part = cls.env["product.product"].create(
            {"name": "Burner nozzle", "is_storable": True, "list_price": 1400.0}
        )
        cls.labour = cls.env["product.product"].create(
            {"name": "Repair labour, hour", "type": "service", "list_price": 2000.0}
        )
        # The contract year that holds today runs from the last 1 January.
        cls.contract = cls._contract(
            date_start="2025-01-01",
            date_end="2030-12-31",
            cover_labour=True,
            cover_parts=True,
            yearly_cap=3000.0,
        )
        cls.contract.action_activate()

    def _repair(self, part_qty=1, labour_hours=0):
        form = Form(self.env["service.request"].with_user(self.service_user))
        form.partner_id = self.unit.partner_id
        form.equipment_id = self.unit
        form.description = "Boiler stopped"
        request = form.save()
        repair = self.env["repair.order"].browse(request.action_create_repair()["res_id"])
        if part_qty:
            repair.move_ids = [
                (
                    0,
                    0,
                    {
                        "product_id": self.part.id,
                        "product_uom_qty": part_qty,
                        "repair_line_type": "add",
                    },
                )
            ]
        repair.action_create_sale_order()
        if labour_hours:
            repair.sale_order_id.order_line = [
                (0, 0, {"product_id": self.labour.id, "product_uom_qty": labour_hours})
            ]
        return repair

    def _lines(self, repair):
        return {line.product_id: line for line in repair.sale_order_id.order_line}

    def test_free_until_the_cap_then_charged(self):
        first = self._repair(part_qty=1, labour_hours=2)
        self.assertFalse(first.under_warranty, "under a cap the repair is not free as a whole")
        lines = self._lines(first)
        # 1,400 of parts free; of the 4,000 of labour the 1,600 left of the cap.
        self.assertEqual(lines[self.part].price_unit, 1400.0, "the invoice shows the value")
        self.assertEqual(lines[self.part].price_subtotal, 0.0)
        self.assertEqual(lines[self.labour].discount, 40.0)
        self.assertEqual(lines[self.labour].price_subtotal, 2400.0)
        self.assertEqual(lines[self.labour].service_covered_amount, 1600.0)
        self.assertEqual(first.service_covered_amount, 3000.0)
        self.assertEqual(self.contract.cap_used, 0.0, "a quotation takes nothing yet")

        first.sale_order_id.action_confirm()
        self.contract.invalidate_recordset(["cap_used", "cap_remaining"])
        self.assertEqual(self.contract.cap_used, 3000.0)
        self.assertEqual(self.contract.cap_remaining, 0.0)
        self.assertEqual(self.contract.cap_year_start.isoformat()[5:], "01-01")
        self.assertEqual((first.service_cap_used, first.service_cap_remaining), (3000.0, 0.0))

        second = self._repair(part_qty=2)
        line = self._lines(second)[self.part]
        self.assertEqual(line.discount, 0.0, "the cap is used up: charged in full")
        self.assertEqual(line.price_subtotal, 2800.0)
        self.assertEqual(second.service_covered_amount, 0.0)
        second.sale_order_id.action_confirm()
        self.contract.invalidate_recordset(["cap_used"])
        self.assertEqual(self.contract.cap_used, 3000.0)

    def test_confirmation_takes_what_is_left_then(self):
        """Two quotations drafted while the cap was whole: the one confirmed
        second gets only what the first left."""
        first = self._repair(part_qty=2)  # 2,800
        second = self._repair(part_qty=1)  # 1,400
        self.assertEqual(self._lines(second)[self.part].price_subtotal, 0.0, "tentatively free")
        first.sale_order_id.action_confirm()
        second.sale_order_id.action_confirm()
        line = self._lines(second)[self.part]
        # 200 of 1,400 is 14.2857 %: the discount is rounded down to its 0.01 %,
        # so the contract never pays more than was left, and pays what the
        # invoice shows.
        self.assertEqual(line.discount, 14.28)
        self.assertEqual(line.price_subtotal, 1200.08)
        self.assertEqual(line.service_covered_amount, 199.92)
        self.contract.invalidate_recordset(["cap_used"])
        self.assertEqual(self.contract.cap_used, 2999.92)
        # A cancelled order gives its share back.
        first.sale_order_id._action_cancel()
        self.contract.invalidate_recordset(["cap_used", "cap_remaining"])
        self.assertEqual(self.contract.cap_used, 199.92)
        self.assertEqual(self.contract.cap_remaining, 2800.08)

    def test_next_contract_year_has_a_whole_cap(self):
        first = self._repair(part_qty=0, labour_hours=2)  # 4,000: 3,000 covered
        first.sale_order_id.action_confirm()
        later = self._repair(part_qty=1)
        # The request of the second repair came in during the next contract year.
        start = self.contract._service_contract_year()[0]
        self.env.cr.execute(
            "UPDATE service_request SET create_date = %s WHERE id = %s",
            (f"{start.replace(year=start.year + 1).isoformat()} 12:00:00", later.request_id.id),
        )
        self.env.invalidate_all()
        later.sale_order_id.action_confirm()
        line = self._lines(later)[self.part]
        self.assertEqual(line.service_covered_amount, 1400.0)
        self.assertEqual(line.service_contract_year, start.replace(year=start.year + 1))
        self.assertEqual((later.service_cap_used, later.service_cap_remaining), (1400.0, 1600.0))
        self.assertEqual((first.service_cap_used, first.service_cap_remaining), (3000.0, 0.0))

    def test_no_cap_means_everything_covered_is_free(self):
        self.contract.yearly_cap = 0.0
        repair = self._repair(part_qty=5, labour_hours=10)
        self.assertTrue(repair.under_warranty, "labour and parts covered without a cap")
        repair.sale_order_id.action_confirm()
        self.assertEqual(repair.sale_order_id.amount_untaxed, 0.0)
        self.assertEqual(self.contract.cap_remaining, 0.0)

    def test_uncovered_parts_are_not_counted(self):
        self.contract.cover_parts = False
        repair = self._repair(part_qty=1, labour_hours=1)
        lines = self._lines(repair)
        self.assertEqual(lines[self.part].price_subtotal, 1400.0)
        self.assertFalse(lines[self.part].service_contract_id)
        self.assertEqual(lines[self.labour].price_subtotal, 0.0)
        repair.sale_order_id.action_confirm()
        self.contract.invalidate_recordset(["cap_used"])
        self.assertEqual(self.contract.cap_used, 2000.0)

    def test_cap_figures_are_facts(self):
        repair = self._repair(part_qty=1)
        repair.sale_order_id.action_confirm()
        line = self._lines(repair)[self.part]
        salesman = self.env.ref("base.user_admin")
        with self.assertRaisesRegex(UserError, "can only be set by its actions"):
            line.with_user(salesman).write({"service_covered_amount": 0.0})
        with self.assertRaisesRegex(UserError, "can only be set by its actions"):
            self.contract.with_user(salesman).write({"cap_used": 0.0})
        self.assertEqual(line.service_covered_amount, 1400.0)

    def test_quotation_created_with_its_lines(self):
        """An order created at once with its repair link and its lines (an import,
        an RPC client): its lines are covered too."""
        repair = self._repair(part_qty=0)
        repair.sale_order_id.unlink()
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "repair_order_ids": [(4, repair.id)],
                "order_line": [(0, 0, {"product_id": self.labour.id, "product_uom_qty": 2})],
            }
        )
        self.assertEqual(order.order_line.service_covered_amount, 3000.0)
        self.assertEqual(order.amount_untaxed, 1000.0)

    def test_technician_reads_the_cap_figures(self):
        repair = self._repair(part_qty=1)
        repair.sale_order_id.action_confirm()
        as_technician = repair.with_user(self.service_user)
        self.assertEqual(
            as_technician.read(
                ["service_covered_amount", "service_cap_used", "service_cap_remaining"]
            )[0],
            {
                "id": repair.id,
                "service_covered_amount": 1400.0,
                "service_cap_used": 1400.0,
                "service_cap_remaining": 1600.0,
            },
        )
        contract = self.contract.with_user(self.service_user)
        self.assertEqual((contract.cap_used, contract.cap_remaining), (1400.0, 1600.0))

    def test_claim_under_a_capped_contract_warranty_uses_the_cap(self):
        """A serial whose warranty is the capped contract's: its claim's repair is
        not free as a whole, the cap pays its lines (it was free, cap or not)."""
        claim = self.env["service.warranty.claim"].create(
            {
                "partner_id": self.customer_contact.id,
                "lot_id": self.unit.lot_id.id,
                "defect_description": "No ignition",
            }
        )
        self.assertEqual((claim.warranty_source, claim.in_warranty), ("contract", True))
        first = self._repair(part_qty=2)  # 2,800 of the 3,000
        first.sale_order_id.action_confirm()
        claim.action_start_inspection()
        claim.decision = "repair"
        claim.action_decide()
        repair = claim.repair_id
        self.assertFalse(repair.under_warranty)
        self.assertEqual(repair.service_contract_id, self.contract)
        repair.move_ids = [
            (0, 0, {"product_id": self.part.id, "product_uom_qty": 1, "repair_line_type": "add"})
        ]
        repair.action_create_sale_order()
        line = self._lines(repair)[self.part]
        self.assertEqual(line.service_contract_id, self.contract)
        self.assertEqual(line.service_covered_amount, 199.92, "what was left of the cap")
        self.assertEqual(line.price_subtotal, 1200.08)
        self.assertEqual((repair.service_cap_used, repair.service_cap_remaining), (2800.0, 200.0))

    def test_warranty_tick_is_the_check_or_the_managers(self):
        """Ticking Under Warranty would zero the capped lines: the service staff
        keep the warranty check's answer; a service manager decides otherwise."""
        repair = self._repair(part_qty=1, labour_hours=2)
        line = self._lines(repair)[self.part]
        with self.assertRaisesRegex(AccessError, "only a service manager repairs it free"):
            repair.with_user(self.service_user).write({"under_warranty": True})
        self.assertEqual(line.price_unit, 1400.0)
        with self.assertRaisesRegex(AccessError, "only a service manager repairs it free"):
            self.env["repair.order"].with_user(self.service_user).create(
                {"partner_id": self.customer.id, "under_warranty": True}
            )
        repair.with_user(self.service_user).write({"under_warranty": False, "priority": "1"})
        repair.with_user(self.service_manager).write({"under_warranty": True})
        self.assertEqual(line.price_unit, 0.0, "a goodwill repair, the manager's call")
        # Without a cap the contract makes the repair free: charging is refused.
        self.contract.yearly_cap = 0.0
        free = self._repair(part_qty=1)
        self.assertTrue(free.under_warranty)
        with self.assertRaisesRegex(AccessError, "charges the customer"):
            free.with_user(self.service_user).write({"under_warranty": False})

    def _claim(self, **vals):
        return self.env["service.warranty.claim"].create(
            {
                "partner_id": self.customer_contact.id,
                "lot_id": self.unit.lot_id.id,
                "defect_description": "No ignition",
                **vals,
            }
        )

    def test_replacing_or_refunding_under_a_capped_warranty_is_the_managers(self):
        """A replacement (the unit's whole value) went past the cap unchecked."""
        claim = self._claim()
        claim.action_start_inspection()
        as_technician = claim.with_user(self.service_user)
        for decision in ("replace", "refund"):
            as_technician.decision = decision
            with (
                self.subTest(decision=decision),
                self.assertRaisesRegex(
                    AccessError, "only a service manager decides to replace or refund"
                ),
            ):
                as_technician.action_decide()
        self.assertEqual(claim.state, "inspection")

    def test_a_claim_dated_ahead_takes_no_new_cap(self):
        self._repair(part_qty=2).sale_order_id.action_confirm()  # 2,800 of 3,000
        start = self.contract._service_contract_year()[0]
        claim = self._claim(claim_date=start.replace(year=start.year + 1))
        claim.action_start_inspection()
        claim.decision = "repair"
        claim.action_decide()
        self.assertEqual(claim.repair_id.service_cap_remaining, 200.0, "this year's cap")

    def test_another_serial_gets_the_warranty_check_again(self):
        """A free repair stayed free when its serial was changed to one
        without warranty (or the contract's cover)."""
        self.contract.yearly_cap = 0.0
        repair = self._repair(part_qty=1)
        self.assertTrue(repair.under_warranty)
        self.assertEqual(repair.service_contract_id, self.contract)
        stranger = self.env["stock.lot"].create(
            {"name": "CB-OTHER-1", "product_id": self.equipment_model.id}
        )
        as_technician = repair.with_user(self.service_user)
        as_technician.write({"lot_id": stranger.id, "request_id": False, "equipment_id": False})
        self.assertFalse(repair.under_warranty)
        self.assertFalse(repair.service_contract_id, "the contract covers another unit")
        self.assertEqual(self._lines(repair)[self.part].price_unit, 1400.0)
