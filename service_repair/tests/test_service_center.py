from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import format_date

from .common import ServiceRepairCase


@tagged("post_install", "-at_install")
class TestServiceCenter(ServiceRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.center = cls.env["res.partner"].create(
            {"name": "SR Service Centre", "is_company": True, "is_service_center": True}
        )
        cls.not_center = cls.env["res.partner"].create({"name": "SR Carrier"})
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.location_centers = cls.env.ref("service_repair.stock_location_service_centers")
        cls.request = cls.Request.create(
            {"partner_id": cls.customer.id, "equipment_id": cls.unit.id, "subject": "Send away"}
        )
        cls.tomorrow = fields.Date.today() + timedelta(days=7)

    def _quant_qty(self, lot, location):
        return sum(
            self.env["stock.quant"]
            .search([("lot_id", "=", lot.id), ("location_id", "=", location.id)])
            .mapped("quantity")
        )

    def test_send_and_receive_same_serial(self):
        picking_id = self.request.with_user(self.tech_boilers).action_send_to_service_center(
            self.center, tracking_ref="CDEK-123456", date_expected_return=self.tomorrow
        )
        picking = self.env["stock.picking"].browse(picking_id)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.location_dest_id, self.location_centers)
        self.assertEqual(picking.move_line_ids.lot_id, self.unit.lot_id)
        self.assertEqual(picking.partner_id, self.center)
        self.assertEqual(self._quant_qty(self.unit.lot_id, self.location_centers), 1)
        self.assertEqual(self.unit.state, "at_service_center")
        self.assertEqual(self.request.service_center_state, "sent")
        self.assertEqual(self.request.service_center_tracking_ref, "CDEK-123456")
        self.assertIn(picking, self.request.picking_ids)
        # sending again is refused
        with self.assertRaisesRegex(UserError, "already at a service centre"):
            self.request.action_send_to_service_center(self.center)
        # another serial coming back is refused, nothing is received
        with self.assertRaisesRegex(UserError, "is not the unit sent"):
            self.request.action_receive_from_service_center(serial="SR-OTHER-999")
        self.assertEqual(self.request.service_center_state, "sent")
        back = self.env["stock.picking"].browse(
            self.request.action_receive_from_service_center(serial="SR-BOILER-001")
        )
        self.assertEqual(back.state, "done")
        # a customer's unit comes back into the workshop, not into the company's stock
        self.assertEqual(back.location_dest_id, self.warehouse.service_repair_location_id)
        self.assertEqual(back.owner_id, self.customer)
        self.assertEqual(self._quant_qty(self.unit.lot_id, self.location_centers), 0)
        self.assertEqual(self.request.service_center_state, "returned")
        self.assertEqual(self.unit.state, "in_repair", "the request is still open")

    def test_stage_follows_the_unit_to_the_centre_and_back(self):
        """At the service centre the request stands in "At Service Centre" (an
        SLA-paused stage); back from it, work goes on "In Progress"."""
        at_centre = self.env.ref("service_repair.stage_service_center")
        self.assertTrue(at_centre.sla_paused)
        self.request.action_send_to_service_center(self.center)
        self.assertEqual(self.request.stage_id, at_centre)
        self.request.action_receive_from_service_center()
        self.assertEqual(self.request.stage_id, self.env.ref("service_repair.stage_in_progress"))

    def test_chatter_dates_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.tech_boilers.lang = "ru_RU"
        self.request.with_user(self.tech_boilers).action_send_to_service_center(
            self.center, date_expected_return=self.tomorrow
        )
        body = self.request.message_ids[:1].body
        self.assertIn(self.tomorrow.strftime("%d.%m.%Y"), body)
        self.assertNotIn(str(self.tomorrow), body)

    def test_refusals_write_nothing(self):
        pickings = self.env["stock.picking"].search_count([])
        with self.assertRaisesRegex(UserError, "is not a service centre"):
            self.request.action_send_to_service_center(self.not_center)
        with self.assertRaisesRegex(UserError, "cannot be in the past"):
            self.request.action_send_to_service_center(
                self.center, date_expected_return=fields.Date.today() - timedelta(days=1)
            )
        no_unit = self.Request.create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "no unit with a serial"):
            no_unit.action_send_to_service_center(self.center)
        with self.assertRaisesRegex(UserError, "no unit at a service centre to receive"):
            self.request.action_receive_from_service_center()
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)
        self.assertEqual(self.unit.state, "in_use")
        self.assertFalse(self.request.service_center_state)

    def test_wizard_late_return_and_bill(self):
        wizard = Form(
            self.env["service.center.transfer"].with_context(
                default_request_id=self.request.id, default_direction="send"
            )
        )
        wizard.partner_id = self.center
        wizard.tracking_ref = "DHL-1"
        wizard.date_expected_return = self.tomorrow
        wizard.save().action_confirm()
        self.assertEqual(self.request.service_center_state, "sent")
        # the unit is late (sent three days ago): filter and activity
        self.request.write(
            {
                "date_sent_to_center": fields.Date.today() - timedelta(days=3),
                "date_expected_return": fields.Date.today() - timedelta(days=1),
            }
        )
        late = self.Request.search(
            [
                ("service_center_state", "=", "sent"),
                ("date_expected_return", "<", fields.Date.today()),
            ]
        )
        self.assertIn(self.request, late)
        self.assertTrue(self.request.is_return_late)
        self.Request._cron_service_center_late_returns()
        late_type = self.env.ref("service_repair.mail_activity_type_late_return")
        self.assertEqual(self.request.activity_ids.activity_type_id, late_type)
        self.Request._cron_service_center_late_returns()
        self.assertEqual(len(self.request.activity_ids), 1, "one reminder, not one per run")
        # dates are written as the reader writes them, not as ISO
        self.assertIn(
            format_date(self.env, self.request.date_expected_return), self.request.activity_ids.note
        )
        self.assertNotIn(str(self.request.date_expected_return), self.request.activity_ids.note)
        # the centre's vendor bill carries the cost
        action = self.request.action_create_service_center_bill()
        bill_form = Form(self.env["account.move"].with_context(**action["context"]))
        with bill_form.invoice_line_ids.new() as line:
            line.name = "Repair of the heat exchanger"
            line.quantity = 1
            line.price_unit = 12500
            line.tax_ids.clear()
        bill = bill_form.save()
        self.assertEqual(bill.service_request_id, self.request)
        self.assertEqual(self.request.service_center_cost, 0, "draft bills cost nothing yet")
        bill.invoice_date = fields.Date.today()
        bill.action_post()
        self.request.invalidate_recordset(["service_center_cost"])
        self.assertEqual(self.request.service_center_cost, 12500)
        # receiving clears the reminder
        self.request.action_receive_from_service_center()
        self.assertFalse(self.request.activity_ids)


@tagged("post_install", "-at_install")
class TestLoaner(ServiceRepairCase):
    def test_lend_and_return_loaner(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        loaner = self._unit("SR-LOAN-1", self.boiler, self.env["res.partner"])
        loaner.is_loaner = True
        self.env["stock.quant"]._update_available_quantity(
            self.boiler, warehouse.lot_stock_id, 1, lot_id=loaner.lot_id
        )
        request = self.Request.create(
            {"partner_id": self.customer.id, "equipment_id": self.unit.id}
        )
        not_loaner = self.aircon_unit
        with self.assertRaisesRegex(UserError, "not in the loaner pool"):
            request.action_lend_loaner(not_loaner)
        picking = self.env["stock.picking"].browse(request.action_lend_loaner(loaner))
        self.assertEqual(picking.state, "done")
        # out with the customer, still the company's stock
        self.assertEqual(picking.location_dest_id, warehouse.service_loan_location_id)
        self.assertEqual(picking.partner_id, self.customer)
        self.assertEqual(loaner.state, "on_loan")
        self.assertEqual(request.loaner_state, "lent")
        other = self.Request.create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "not available"):
            other.action_lend_loaner(loaner)
        back = self.env["stock.picking"].browse(request.action_return_loaner())
        self.assertEqual(back.location_dest_id, warehouse.lot_stock_id)
        self.assertEqual(loaner.state, "in_use")
        self.assertEqual(request.loaner_state, "returned")
        with self.assertRaisesRegex(UserError, "No loaner unit is lent"):
            request.action_return_loaner()

    def test_loaner_not_in_stock_refused(self):
        loaner = self._unit("SR-LOAN-2", self.boiler, self.env["res.partner"])
        loaner.is_loaner = True
        request = self.Request.create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "is not in stock"):
            request.action_lend_loaner(loaner)
        self.assertFalse(request.loaner_equipment_id)
        self.assertEqual(loaner.state, "in_use")
