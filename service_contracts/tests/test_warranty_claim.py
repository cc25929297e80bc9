from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyClaim(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lots = cls._lots("CLM", 6)
        cls._receive(cls.lots)
        cls.sold = cls.lots[:4]
        cls._deliver(cls.sold)
        cls.spare = cls.lots[4:]  # still in stock: replacements
        cls.today = fields.Date.context_today(cls.lots)
        cls.part = cls.env["product.product"].create(
            {"name": "Ignition electrode", "is_storable": True, "standard_price": 15.0}
        )

    def _claim(self, lot, user=None, **vals):
        form = Form(self.env["service.warranty.claim"].with_user(user or self.service_user))
        form.partner_id = vals.pop("partner", self.customer_contact)
        form.lot_id = lot
        form.defect_description = vals.pop("defect", "The burner does not ignite.")
        for name, value in vals.items():
            setattr(form, name, value)
        return form.save()

    def _tracked(self, record, field):
        self.env.flush_all()
        self.env.cr.precommit.run()
        return record.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == field
        )

    def _commit(self):
        # Odoo records tracking values at the end of each transaction.
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _decide(self, claim, decision, user=None, **vals):
        claim = claim.with_user(user or self.service_user)
        if claim.state == "new":
            claim.action_start_inspection()
            self._commit()
        with Form(claim) as form:
            form.decision = decision
            for name, value in vals.items():
                setattr(form, name, value)
        claim.action_decide()
        return claim

    def test_claim_found_from_serial(self):
        claim = self._claim(self.sold[0])
        self.assertTrue(claim.name.startswith("WC/"))
        self.assertEqual(claim.state, "new")
        self.assertTrue(claim.in_warranty)
        self.assertEqual(claim.product_id, self.model)
        self.assertEqual(claim.supplier_id, self.vendor)
        self.assertEqual(claim.purchase_date, self.today)
        self.assertEqual(claim.commercial_partner_id, self.customer)

    def test_serial_not_sold_to_customer_refused(self):
        with self.assertRaisesRegex(UserError, "was not sold to Someone Else"):
            self._claim(self.sold[0], partner=self.other_customer)
        with self.assertRaisesRegex(UserError, "Only a service manager"):
            self.env["service.warranty.claim"].with_user(self.service_user).create(
                {
                    "partner_id": self.other_customer.id,
                    "lot_id": self.sold[0].id,
                    "defect_description": "Noise",
                    "override_reason": "Bought second hand",
                }
            )
        claim = self._claim(
            self.sold[0],
            user=self.service_manager,
            partner=self.other_customer,
            override_reason="Bought second hand from the first owner",
        )
        self.assertEqual(claim.partner_id, self.other_customer)
        self.assertTrue(
            claim.message_ids.filtered(
                lambda m: "claim accepted by Claim Manager: Bought second hand" in m.body
            )
        )

    def test_expired_warranty_gives_paid_repair(self):
        claim = self._claim(self.sold[1], claim_date=self.today + relativedelta(months=30))
        self.assertFalse(claim.in_warranty)
        self._decide(claim, "repair")
        self.assertEqual(claim.state, "decided")
        self.assertTrue(claim.repair_id)
        self.assertFalse(claim.repair_id.under_warranty)
        self.assertEqual(claim.repair_id.service_warranty_claim_id, claim)
        with self.assertRaisesRegex(UserError, "warranty has expired"):
            claim2 = self._claim(self.sold[1], claim_date=self.today + relativedelta(months=30))
            self._decide(claim2, "replace", replacement_lot_id=self.spare[0])

    def test_repair_under_warranty_and_states_tracked(self):
        claim = self._claim(self.sold[0])
        self._commit()
        self._decide(claim, "repair")
        self._commit()
        repair = claim.repair_id
        self.assertTrue(repair.under_warranty)
        self.assertEqual(repair.lot_id, self.sold[0])
        self.assertEqual(claim.decided_by_id, self.service_user)
        repair.write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.part.id,
                            "product_uom_qty": 2,
                            "repair_line_type": "add",
                        }
                    )
                ]
            }
        )
        self.assertEqual(claim.parts_cost, 2 * 15.0)
        claim.labour_cost = 50.0
        self.assertEqual(claim.cost_total, 80.0)
        self._commit()
        claim.action_resolve()
        self._commit()
        claim.action_close()
        states = self._tracked(claim, "state")
        self.assertEqual(
            set(states.mapped("new_value_char")), {"Inspection", "Decided", "Resolved", "Closed"}
        )

    def test_replace_continues_warranty(self):
        faulty = self.sold[2]
        faulty.sudo().write(
            {
                "service_warranty_start": self.today - relativedelta(months=3),
                "service_warranty_end": self.today + relativedelta(months=21),
            }
        )
        claim = self._claim(faulty)
        self._decide(claim, "replace", replacement_lot_id=self.spare[0])
        back, out = claim.return_picking_id, claim.replacement_picking_id
        self.assertEqual(back.location_id, self.customer_location)
        self.assertEqual(back.move_line_ids.lot_id, faulty)
        self.assertEqual(out.location_dest_id, self.customer_location)
        self.assertEqual(out.move_line_ids.lot_id, self.spare[0])
        self.assertEqual(claim.picking_ids, back | out)
        self.assertEqual(claim.replacement_cost, 400.0)
        other = self._claim(self.sold[3])
        with self.assertRaisesRegex(UserError, "already promised as the replacement"):
            self._decide(other, "replace", replacement_lot_id=self.spare[0])
        # The warehouse, not the service desk, validates the transfers.
        storekeeper = new_test_user(
            self.env, login="wc_storekeeper", groups="stock.group_stock_user"
        )
        for picking in (back | out).with_user(storekeeper):
            picking.move_ids.picked = True
            picking.button_validate()
        self.assertEqual(self.spare[0].service_warranty_start, faulty.service_warranty_start)
        self.assertEqual(self.spare[0].service_warranty_end, faulty.service_warranty_end)
        self.assertEqual(self.spare[0].service_warranty_partner_id, self.customer)

    def test_replacement_serial_takes_over_the_unit(self):
        faulty, spare = self.sold[1], self.spare[1]
        unit = faulty.service_equipment_ids
        self.assertEqual(len(unit), 1, "the delivery registered the unit")
        claim = self._claim(faulty)
        self.assertEqual(claim.equipment_id, unit)
        self._decide(claim, "replace", replacement_lot_id=spare)
        storekeeper = new_test_user(
            self.env, login="wc_storekeeper2", groups="stock.group_stock_user"
        )
        claim.return_picking_id.with_user(storekeeper).move_ids.picked = True
        claim.return_picking_id.with_user(storekeeper).button_validate()
        self.assertEqual(unit.lot_id, faulty, "the unit changes serial when the new one arrives")
        claim.replacement_picking_id.with_user(storekeeper).move_ids.picked = True
        claim.replacement_picking_id.with_user(storekeeper).button_validate()
        self.assertEqual(unit.lot_id, spare)
        self.assertEqual(unit.partner_id, self.customer)
        self.assertEqual(claim.lot_id, faulty, "the claim keeps the faulty serial")
        note = f"Serial number {faulty.name} replaced by {spare.name} under warranty claim"
        self.assertTrue(unit.message_ids.filtered(lambda m: note in m.body))
        self.assertEqual(
            self.env["stock.lot"].service_warranty_status(spare.name)["equipment_id"], unit.id
        )

    def test_replace_restarts_warranty(self):
        self.policy.replacement_warranty = "restart"
        faulty = self.sold[3]
        faulty.sudo().write({"service_warranty_start": self.today - relativedelta(months=3)})
        claim = self._claim(faulty)
        self._decide(claim, "replace", replacement_lot_id=self.spare[1])
        claim.replacement_picking_id.move_ids.picked = True
        claim.replacement_picking_id._action_done()
        self.assertEqual(self.spare[1].service_warranty_start, self.today)
        self.assertEqual(
            self.spare[1].service_warranty_end, self.today + relativedelta(months=24, days=-1)
        )

    def test_replacement_not_in_stock_refused(self):
        claim = self._claim(self.sold[0])
        with self.assertRaisesRegex(UserError, "is not in stock"):
            self._decide(claim, "replace", replacement_lot_id=self.sold[1])
        self.assertEqual(claim.state, "inspection")
        self.assertFalse(claim.picking_ids)

    def test_replacement_from_the_installed_base_refused(self):
        """A demo-pool serial was accepted as the replacement; its delivery then
        failed, after the customer had given up the faulty unit."""
        self.env["service.equipment"].create(
            {"product_id": self.model.id, "lot_id": self.spare[0].id, "is_demo": True}
        )
        claim = self._claim(self.sold[0])
        with self.assertRaisesRegex(UserError, "of the installed base, not a spare"):
            self._decide(claim, "replace", replacement_lot_id=self.spare[0])
        self.assertFalse(claim.picking_ids)

    def test_reject_sends_email_and_offers_paid_repair(self):
        claim = self._claim(self.sold[0])
        with self.assertRaisesRegex(UserError, "reason"):
            claim.action_start_inspection()
            claim.decision = "reject"
            claim.action_decide()
        self._decide(claim, "reject", reject_reason="Scale from untreated water")
        self.assertEqual(claim.state, "rejected")
        message = claim.message_ids.filtered(
            lambda m: "Scale from untreated water" in (m.body or "")
        )
        self.assertTrue(message)
        self.assertIn(self.customer_contact, message.partner_ids)
        action = claim.action_offer_paid_repair()
        self.assertEqual(action["res_model"], "repair.order")
        self.assertFalse(claim.paid_repair_id.under_warranty)
        claim.action_close()
        self.assertEqual(claim.state, "closed")

    def test_two_users_deciding_at_once(self):
        claim = self._claim(self.sold[0])
        claim.action_start_inspection()
        first = claim.with_user(self.service_user)
        second = claim.with_user(self.service_user_2)
        second.decision = "repair"
        self.assertEqual(second.state, "inspection")
        first.decision = "repair"
        first.action_decide()
        with self.assertRaisesRegex(UserError, "already decided by Claim User"):
            second.action_decide()
        self.assertEqual(
            len(self.env["repair.order"].search([("service_warranty_claim_id", "=", claim.id)])), 1
        )

    def test_supplier_claim_and_cost(self):
        claim = self._claim(self.sold[0])
        self._decide(claim, "replace", replacement_lot_id=self.spare[0])
        claim.return_picking_id.move_ids.picked = True
        claim.return_picking_id._action_done()
        claim.action_claim_supplier()
        supplier_claim = claim.supplier_claim_ids
        self.assertEqual(supplier_claim.supplier_id, self.vendor)
        self.assertEqual(supplier_claim.expected_amount, 400.0)
        picking = supplier_claim.return_picking_id
        self.assertEqual(picking.location_dest_id, self.vendor.property_stock_supplier)
        self.assertEqual(picking.move_line_ids.lot_id, self.sold[0])
        with self.assertRaisesRegex(UserError, "already claimed back"):
            claim.action_claim_supplier()
        supplier_claim.action_send()
        supplier_claim.expected_amount = 300.0
        supplier_claim.action_create_vendor_refund()
        # The accountant checks and posts the vendor credit note.
        refund = supplier_claim.vendor_refund_id.with_user(self.service_manager)
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(refund.service_supplier_claim_id, supplier_claim)
        with self.assertRaisesRegex(UserError, "Post the vendor credit note"):
            supplier_claim.action_mark_credited()
        refund.invoice_date = self.today
        refund.action_post()
        supplier_claim.action_mark_credited()
        self.assertEqual(supplier_claim.recovered_amount, 300.0)
        self.assertEqual(claim.recovered_amount, 300.0)
        self.assertEqual(claim.cost_total, 100.0)
        groups = self.env["service.warranty.claim"]._read_group(
            [("id", "=", claim.id)], ["product_id", "supplier_id"], ["cost_total:sum"]
        )
        self.assertEqual(groups, [(self.model, self.vendor, 100.0)])

    def test_supplier_warranty_expired(self):
        self.sold[1].sudo().service_supplier_warranty_end = self.today - relativedelta(days=1)
        claim = self._claim(self.sold[1])
        self._decide(claim, "repair")
        with self.assertRaisesRegex(UserError, "supplier warranty .* has expired"):
            claim.action_claim_supplier()

    def test_claim_act_renders_in_english_and_russian(self):
        claim = self._claim(self.sold[0], defect="Leaks at the heat exchanger")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("service_contracts.action_report_warranty_claim", claim.ids)[0]
            .decode()
        )
        self.assertIn("Warranty Claim Act No.", html)
        self.assertIn(claim.name, html)
        self.assertIn("Leaks at the heat exchanger", html)
        self.env["res.lang"]._activate_lang("ru_RU")
        self.customer_contact.lang = "ru_RU"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("service_contracts.action_report_warranty_claim", claim.ids)[0]
            .decode()
        )
        self.assertIn("Рекламационный акт №", html)
        self.assertIn("Заявленный клиентом дефект", html)

    def test_refund_with_credit_note(self):
        lot = self.spare[1]
        order, invoice = self._sold_and_invoiced(lot)
        claim = self._claim(lot, partner=self.customer)
        self.assertEqual(claim.sale_order_id, order)
        self.assertEqual(claim.invoice_id, invoice)
        self.assertEqual(claim.purchase_date, invoice.invoice_date)
        with self.assertRaisesRegex(UserError, "larger than what is left to refund"):
            self._decide(claim, "refund", refund_amount=1200.0)
        self.assertFalse(claim.credit_note_id)
        self._decide(claim, "refund", refund_amount=600.0)
        credit_note = claim.credit_note_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(credit_note.amount_untaxed, 600.0)
        self.assertEqual(credit_note.service_warranty_claim_id, claim)
        self.assertEqual(claim.return_picking_id.move_line_ids.lot_id, lot)
        self.assertEqual(claim.refund_cost, 600.0)
        # A second, partial refund may take what is left, not more.
        second = self._claim(lot, partner=self.customer)
        with self.assertRaisesRegex(UserError, "larger than what is left"):
            self._decide(second, "refund", refund_amount=500.0)
        self._decide(second, "refund", refund_amount=400.0)
        self.assertEqual(second.credit_note_id.amount_untaxed, 400.0)


@tagged("post_install", "-at_install")
class TestWarrantyClaimLock(TransactionCase):
    """Two transactions deciding the same claim: the second is told, not blocked."""

    def test_decision_while_row_locked(self):
        # The claim must be committed for another transaction to lock it.
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customer = env["res.partner"].create({"name": "Lock Test Customer"})
            product = env["product.product"].create(
                {"name": "Lock Test Boiler", "is_storable": True, "tracking": "serial"}
            )
            lot = env["stock.lot"].create({"name": "LOCK-TEST-1", "product_id": product.id})
            lot.service_warranty_partner_id = customer
            claim = env["service.warranty.claim"].create(
                {
                    "partner_id": customer.id,
                    "lot_id": lot.id,
                    "defect_description": "No heat",
                    "state": "inspection",
                    "decision": "repair",
                }
            )
            ids = {"claim": claim.id, "lot": lot.id, "product": product.id, "partner": customer.id}
        try:
            with self.registry.cursor() as holder, self.registry.cursor() as other:
                holder.execute(
                    "SELECT id FROM service_warranty_claim WHERE id = %s FOR UPDATE", [ids["claim"]]
                )
                env = api.Environment(other, SUPERUSER_ID, {})
                with self.assertRaisesRegex(UserError, "Another user is deciding this claim"):
                    env["service.warranty.claim"].browse(ids["claim"]).action_decide()
                self.assertFalse(
                    env["repair.order"].search([("service_warranty_claim_id", "=", ids["claim"])])
                )
                holder.rollback()
                other.rollback()
        finally:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["service.warranty.claim"].browse(ids["claim"]).unlink()
                env["stock.lot"].browse(ids["lot"]).unlink()
                env["product.product"].browse(ids["product"]).unlink()
                env["res.partner"].browse(ids["partner"]).unlink()
