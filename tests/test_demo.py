"""``setup/serve``'s demo shows each promised flow with its data.

A contract near its yearly cap, a request whose SLA clock stands while the
customer decides, a customer's unit at a service centre that stays the
customer's stock, and a supplier's price list with price breaks queued for
the background import.
"""

import base64

import pytz

from odoo.tests import TransactionCase, tagged

from odoo.addons.queue_job.job import Job


@tagged("post_install", "-at_install", "service_suite")
class TestDemoFlows(TransactionCase):
    def test_contract_near_its_cap(self):
        contract = self.env.ref("service_contracts.contract_teploservis")
        self.assertEqual(contract.state, "active")
        self.assertGreater(contract.cap_used, 0)
        self.assertGreater(contract.cap_remaining, 0)
        self.assertLess(contract.cap_remaining, contract.yearly_cap * 0.2)

    def test_visits_on_working_days_in_russian(self):
        # the demo's visits fall on weekdays at 10:00 Moscow time, and their
        # chatter says so in Russian (the demo loads in English)
        for xmlid in ("visit_request_01", "visit_request_06", "visit_request_08"):
            visit = self.env.ref(f"service_field.{xmlid}")
            local = pytz.utc.localize(visit.date_start).astimezone(pytz.timezone("Europe/Moscow"))
            self.assertLess(local.weekday(), 5, visit.name)
            self.assertEqual((local.hour, local.minute), (10, 0), visit.name)
            self.assertIn("Выезд запланирован", visit.message_ids[-1:].body, visit.name)

    def test_a_technicians_hour_costs_something(self):
        # a visit or a repair of the demo has a labour cost, in the company's currency
        company = self.env.ref("base.main_company")
        self.assertEqual(company.currency_id.name, "USD")
        self.assertEqual(company.service_labour_rate, 45.0)

    def test_request_waiting_for_the_customer(self):
        request = self.env.ref("service_repair_contracts.service_request_waiting_customer")
        self.assertTrue(request.stage_id.waiting_customer)
        self.assertEqual(request.sla_state, "paused")

    def test_customers_unit_at_a_service_centre(self):
        request = self.env.ref("service_repair.service_request_12")
        unit = request.equipment_id
        self.assertEqual(unit.state, "at_service_center")
        self.assertEqual(request.service_center_state, "sent")
        self.assertEqual(request.stage_id, self.env.ref("service_repair.stage_service_center"))
        quants = self.env["stock.quant"].search(
            [("lot_id", "=", unit.lot_id.id), ("quantity", ">", 0)]
        )
        self.assertEqual(
            [(q.location_id, q.owner_id, q.quantity) for q in quants],
            [
                (
                    self.env.ref("service_repair.stock_location_service_centers"),
                    unit.partner_id.commercial_partner_id,
                    1.0,
                )
            ],
        )
        self.assertEqual(request.unit_intake_picking_id.state, "done")
        self.assertEqual(request.service_center_out_picking_id.state, "done")
        if "stock.valuation.layer" in self.env:
            layers = self.env["stock.valuation.layer"].search(
                [("stock_move_id.move_line_ids.lot_id", "=", unit.lot_id.id)]
            )
            self.assertFalse(layers, "a customer's unit is never valued")

    def test_demo_unit_goes_out_and_back_from_the_shelf(self):
        booking = self.env.ref("service_manager.demo_booking_teploservis")
        stock = self.env.ref("stock.warehouse0").lot_stock_id
        for unit in self.env["service.equipment"].search([("is_demo", "=", True)]):
            quant = self.env["stock.quant"].search(
                [("lot_id", "=", unit.lot_id.id), ("quantity", ">", 0)]
            )
            self.assertEqual((quant.location_id, quant.owner_id), (stock, self.env["res.partner"]))
        # at the customer's address: the unit leaves (it went nowhere, the review found)
        self.assertTrue(booking.off_site)
        if booking.state == "draft":
            booking.action_confirm()
        booking.action_send_out()
        out = booking.picking_out_id
        self.assertEqual(out.state, "assigned", "the unit is there to send")
        out.move_ids.picked = True
        out.button_validate()
        self.assertEqual(out.state, "done")
        booking.outcome = "interested"
        booking.action_done()
        back = booking.picking_in_id
        back.move_ids.picked = True
        back.button_validate()
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", booking.equipment_id.lot_id.id), ("quantity", ">", 0)]
        )
        self.assertEqual(quant.location_id, stock, "back on its shelf")

    def test_price_list_with_price_breaks_imports_in_the_background(self):
        batch = self.env.ref("service_parts.import_teplokomplekt")
        if batch.state == "queued":
            # the job runner of setup/serve would run it: run its jobs here
            while batch.state == "queued":
                job = self.env["queue.job"].search([("uuid", "=", batch.job_uuid)])
                self.assertEqual(job.channel, "root.service_parts")
                Job.load(self.env, job.uuid).perform()
        self.assertEqual(batch.state, "done")
        breaks = self.env["product.supplierinfo"].search(
            [("partner_id", "=", batch.partner_id.id), ("product_code", "=", "TK-HX-200-01")]
        )
        self.assertEqual(len(breaks.product_tmpl_id), 1, "one part for its three price breaks")
        self.assertEqual(
            sorted(breaks.mapped(lambda s: (s.min_qty, s.price))),
            [(0, 17500), (5, 16900), (10, 16200)],
        )
        # the line without a price is reported, in the Russian the demo ships in
        report = base64.b64decode(batch.report_file).decode("utf-8")
        self.assertTrue(report.startswith("Строка,"), report)
        self.assertIn("неверная цена", report)

    def test_maintenance_run_after_install_makes_no_duplicate(self):
        # the demo's maintenance requests are the plans' own where they fall
        # due the same day: the run adds none for a unit and day twice
        pump_request = self.env.ref("service_repair.service_request_06")
        self.assertEqual(
            pump_request.maintenance_plan_id,
            self.env.ref("service_maintenance.plan_06_meter"),
        )
        self.env["service.maintenance.plan"].service_generate()
        Request = self.env["service.request"]
        groups = Request._read_group(
            [("request_type", "=", "maintenance"), ("is_closed", "=", False)],
            ["equipment_id", "date_scheduled:day"],
            ["__count"],
        )
        twice = [(unit.display_name, day) for unit, day, count in groups if count > 1]
        self.assertFalse(twice, "two open maintenance requests for a unit on one day")

    def test_maintenance_screens_speak_russian(self):
        # the contract lines and the people on the maintenance screens: no
        # English product names, no OdooBot as responsible or recorder
        odoobot = self.env.ref("base.user_root")
        contract = self.env.ref("service_contracts.contract_teploservis")
        self.assertNotEqual(contract.user_id, odoobot)
        for line in contract.line_ids:
            self.assertNotRegex(line.name, "[A-Za-z]{4} [A-Za-z]{4}", line.name)
        readings = self.env.ref("service_base.equipment_06").reading_ids
        self.assertTrue(readings)
        self.assertNotIn(odoobot, readings.user_id)
