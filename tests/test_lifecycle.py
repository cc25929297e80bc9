"""The whole life of a customer's unit through the suite, played by its real roles.

One company of its own (so that no demo data mixes into the figures), one
customer, one boiler model; a salesperson, a service manager, two technicians,
a storekeeper, an accountant and the customer on the portal. Each step goes
through the public methods and forms those people use; the manager's
dashboard and the accountant's books are then compared with figures counted
by hand from the story.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

EMAIL = """Return-Path: <{sender}>
To: {to}
From: Olga Petrova <{sender}>
Subject: {subject}
Message-ID: <lifecycle-fault-1@northwind.example>
Date: Thu, 26 Nov 2026 08:10:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""

VAT = 0.20
UNIT_PRICE, UNIT_COST = 1000.0, 600.0
PLAN_PRICE = 100.0
ELECTRODE_COST, ELECTRODE_CHEAP, ELECTRODE_FAST = 10.0, 10.0, 14.0
SENSOR_COST, SENSOR_PRICE = 30.0, 70.0
LABOUR_PRICE, LABOUR_RATE = 45.0, 30.0
SUPPLIER_CREDIT = 500.0
CLAIM_LABOUR = 40.0


@tagged("post_install", "-at_install", "service_suite")
class TestLifecycle(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {"name": "Lifecycle Service Co", "currency_id": cls.env.ref("base.USD").id}
        )
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        env = cls.env
        company = cls.company
        company.write({"service_labour_rate": LABOUR_RATE, "service_rework_days": 30})
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)])
        cls.sale_tax = company.account_sale_tax_id.copy({"name": "LC VAT 20%", "amount": 20})
        cls.purchase_tax = company.account_purchase_tax_id.copy(
            {"name": "LC input VAT 20%", "amount": 20}
        )

        # People
        cls.customer = env["res.partner"].create(
            {"name": "Northwind Heating LLC", "is_company": True, "city": "Kazan"}
        )
        cls.contact = env["res.partner"].create(
            {
                "name": "Olga Petrova",
                "parent_id": cls.customer.id,
                "email": "olga@northwind.example",
            }
        )
        cls.vendor = env["res.partner"].create({"name": "Boiler Works GmbH", "is_company": True})
        cls.parts_cheap = env["res.partner"].create({"name": "Parts Express", "is_company": True})
        cls.parts_fast = env["res.partner"].create({"name": "QuickParts", "is_company": True})

        def user(login, name, groups, **vals):
            return new_test_user(
                env,
                login=login,
                name=name,
                groups=groups,
                email=vals.pop("email", f"{login}@lifecycle.example.com"),
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
                tz="UTC",
                **vals,
            )

        cls.salesperson = user("lc_sales", "Sam Seller", "sales_team.group_sale_salesman")
        cls.manager = user(
            "lc_manager",
            "Maria Manager",
            "service_base.group_service_manager,sales_team.group_sale_salesman_all_leads,"
            "purchase.group_purchase_user,account.group_account_readonly",
        )
        # Created first, so that without skills the dispatcher would pick him.
        cls.tech_other = user(
            "lc_tech_other", "Ivan Electrician", "service_base.group_service_user"
        )
        cls.tech = user("lc_tech", "Pavel Gasfitter", "service_base.group_service_user")
        cls.storekeeper = user("lc_store", "Stella Storekeeper", "stock.group_stock_user")
        cls.accountant = user("lc_accountant", "Anna Accountant", "account.group_account_invoice")
        cls.portal = user(
            "lc_portal",
            "Olga Petrova",
            "base.group_portal",
            partner_id=cls.contact.id,
            email=cls.contact.email,
        )

        # Products
        cls.categ = env["product.category"].create({"name": "LC Gas Boilers"})
        cls.boiler = env["product.product"].create(
            {
                "name": "LC Boiler X-200",
                "company_id": company.id,
                "categ_id": cls.categ.id,
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
                "list_price": UNIT_PRICE,
                "standard_price": UNIT_COST,
                "taxes_id": [Command.set(cls.sale_tax.ids)],
                "supplier_taxes_id": [Command.set(cls.purchase_tax.ids)],
                "seller_ids": [Command.create({"partner_id": cls.vendor.id, "price": UNIT_COST})],
            }
        )
        service_vals = {
            "company_id": company.id,
            "type": "service",
            "taxes_id": [Command.set(cls.sale_tax.ids)],
        }
        cls.plan = env["product.product"].create(
            dict(service_vals, name="LC Maintenance Plan (month)", list_price=PLAN_PRICE)
        )
        cls.labour = env["product.product"].create(
            dict(service_vals, name="LC Repair Labour (hour)", list_price=LABOUR_PRICE)
        )
        part_vals = {
            "company_id": company.id,
            "is_storable": True,
            "is_spare_part": True,
            "taxes_id": [Command.set(cls.sale_tax.ids)],
            "supplier_taxes_id": [Command.set(cls.purchase_tax.ids)],
        }
        cls.electrode = env["product.product"].create(
            dict(
                part_vals,
                name="Ignition electrode",
                default_code="IE-45",
                standard_price=ELECTRODE_COST,
                list_price=25.0,
                seller_ids=[
                    Command.create(
                        {"partner_id": cls.parts_fast.id, "price": ELECTRODE_FAST, "delay": 2}
                    ),
                    Command.create(
                        {"partner_id": cls.parts_cheap.id, "price": ELECTRODE_CHEAP, "delay": 7}
                    ),
                ],
            )
        )
        cls.sensor = env["product.product"].create(
            dict(
                part_vals,
                name="Pressure sensor",
                default_code="PS-3",
                standard_price=SENSOR_COST,
                list_price=SENSOR_PRICE,
            )
        )
        env["service.part.crossref"].create(
            {"product_id": cls.electrode.id, "code": "87 161 094", "code_type": "oem"}
        )
        env["service.part.compatibility"].create(
            {"part_product_id": cls.electrode.id, "equipment_product_id": cls.boiler.id}
        )
        env["stock.quant"]._update_available_quantity(cls.sensor, cls.warehouse.lot_stock_id, 3)

        # Service configuration
        cls.warranty_policy = env["service.warranty.policy"].create(
            {
                "name": "X-200: 12 months",
                "categ_id": cls.categ.id,
                "months": 12,
                "start_on": "delivery",
                "supplier_months": 12,
                "replacement_warranty": "continue",
            }
        )
        cls.calendar = env["resource.calendar"].create(
            {
                "name": "LC round the clock",
                "tz": "UTC",
                "company_id": company.id,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        }
                    )
                    for day in range(7)
                ],
            }
        )
        cls.sla = env["service.sla.policy"].create(
            {
                "name": "LC Gold",
                "calendar_id": cls.calendar.id,
                "line_ids": [
                    Command.create({"priority": "1", "response_hours": 4, "resolution_hours": 24})
                ],
            }
        )
        skill = env["service.skill"].create(
            {"name": "LC gas boilers", "product_category_ids": [Command.set(cls.categ.ids)]}
        )
        cls.tech.service_skill_ids = skill
        alias_domain = env["mail.alias.domain"].create({"name": "lifecycle.example.com"})
        company.alias_domain_id = alias_domain
        cls.team = env["service.team"].create(
            {
                "name": "LC Field Service",
                "user_id": cls.manager.id,
                "member_ids": [Command.set((cls.tech_other | cls.tech).ids)],
                "alias_name": "lc-service",
                "alias_domain_id": alias_domain.id,
            }
        )
        company.service_default_team_id = cls.team
        env["service.qc.template"].create(
            {
                "name": "Gas boiler checklist",
                "product_categ_ids": [Command.set(cls.categ.ids)],
                "require_other_user": True,
                "item_ids": [
                    Command.create({"name": "Gas tightness"}),
                    Command.create({"name": "Flue gas analysis"}),
                ],
            }
        )

    # ------------------------------------------------------------------ helpers

    def _commit(self):
        # Odoo records tracking values and runs post-commit hooks at the end
        # of each transaction; a user's steps are separate transactions.
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _validate(self, picking, lots=None):
        """The storekeeper validates a transfer (picking the given serials)."""
        picking = picking.with_user(self.storekeeper)
        if lots:
            move = picking.move_ids
            move.move_line_ids.unlink()
            self.env["stock.move.line"].with_user(self.storekeeper).create(
                [
                    {
                        "move_id": move.id,
                        "picking_id": picking.id,
                        "lot_id": lot.id,
                        "quantity": 1,
                        "product_id": move.product_id.id,
                        "product_uom_id": move.product_uom.id,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                    }
                    for lot in lots
                ]
            )
        picking.move_ids.picked = True
        result = picking.button_validate()
        self.assertIs(result, True, "no wizard: the transfer is complete")
        self.assertEqual(picking.state, "done")
        return picking

    def _post(self, move, date=None):
        """The accountant checks and posts a draft invoice, bill or credit note."""
        move = move.with_user(self.accountant)
        if not move.invoice_date:
            move.invoice_date = date or fields.Date.context_today(move)
        move.action_post()
        self.assertEqual(move.state, "posted")
        return move

    def _repair_confirm(self, repair, user):
        """Confirm a repair; the customer's unit is not in our stock, so Odoo asks first."""
        action = repair.with_user(user).action_validate()
        if isinstance(action, dict):
            wizard = Form(
                self.env[action["res_model"]].with_user(user).with_context(**action["context"])
            ).save()
            wizard.action_done()
        self.assertEqual(repair.state, "confirmed")

    def _pass_quality_check(self, repair):
        """The technician may not pass his own check; the manager does."""
        check = repair.service_qc_check_ids
        self.assertEqual(check.state, "todo")
        with self.assertRaisesRegex(UserError, "quality check .* has not passed"):
            repair.with_user(self.tech).action_repair_end()
        check.line_ids.with_user(self.tech).write({"result": "pass"})
        with self.assertRaisesRegex(UserError, "someone other than the technician"):
            check.with_user(self.tech).action_pass()
        check.with_user(self.manager).action_pass()
        self.assertEqual(repair.service_qc_state, "passed")

    def _do_repair(self, repair, work_done, hours):
        """The technician starts the repair, records his work and hours, the
        check is passed and he ends it."""
        repair.with_user(self.tech).action_repair_start()
        with Form(repair.with_user(self.tech)) as form:
            form.service_work_done = work_done
            form.service_labour_hours = hours
        self._pass_quality_check(repair)
        repair.with_user(self.tech).action_repair_end()
        self.assertEqual(repair.state, "done")

    # ------------------------------------------------------------------ the story

    def test_lifecycle(self):
        self._step0_stock_arrives()
        self._step1_opportunity_demo_and_sale()
        self._step2_contract_and_first_invoice()
        self._step3_email_request_dispatched()
        self._step4_repair_with_ordered_part()
        self._step5_warranty_replacement()
        self._step6_paid_repair_after_warranty()
        self._step7_dashboard()
        self._step8_accountant_checks()

    def _step0_stock_arrives(self):
        """Five boilers bought from the manufacturer, one becomes the demo unit."""
        form = Form(self.env["purchase.order"].with_user(self.manager))
        form.partner_id = self.vendor
        with form.order_line.new() as line:
            line.product_id = self.boiler
            line.product_qty = 5
        self.boiler_po = form.save()
        self.boiler_po.button_confirm()
        receipt = self.boiler_po.picking_ids.with_user(self.storekeeper)
        receipt.move_ids._generate_serial_numbers("X200-0001", next_serial_count=5)
        self._validate(receipt)
        self.lots = receipt.move_line_ids.lot_id.sorted("name")
        self.assertEqual(self.lots.mapped("name"), [f"X200-000{i}" for i in range(1, 6)])
        self.demo_unit = (
            self.env["service.equipment"]
            .with_user(self.manager)
            .create({"product_id": self.boiler.id, "lot_id": self.lots[4].id, "is_demo": True})
        )
        self.boiler_bill = self.env["account.move"].browse(
            self.boiler_po.with_user(self.accountant).action_create_invoice()["res_id"]
        )
        self._post(self.boiler_bill)

    def _step1_opportunity_demo_and_sale(self):
        """Opportunity, demonstration, quotation, sale of two serials, delivery:
        the warranty of each serial starts by itself."""
        # The salesperson opens the opportunity.
        form = Form(
            self.env["crm.lead"]
            .with_user(self.salesperson)
            .with_context(default_type="opportunity")
        )
        form.name = "Two boilers for the Kazan plant"
        form.partner_id = self.customer
        form.expected_revenue = 2 * UNIT_PRICE
        self.lead = form.save()

        # The service manager demonstrates the demo unit at the customer's.
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=1)
        form = Form(self.env["service.demo.booking"].with_user(self.manager))
        form.lead_id = self.lead
        form.equipment_id = self.demo_unit
        form.date_start = start
        form.date_stop = start + timedelta(hours=2)
        form.off_site = True
        form.location = "Northwind plant, Kazan"
        booking = form.save()
        self.assertEqual(booking.partner_id, self.customer)
        booking.action_confirm()
        self.assertIn(self.customer, booking.event_id.partner_ids)
        booking.action_send_out()
        self._validate(booking.picking_out_id)
        self.assertEqual(self.demo_unit.state, "on_loan")
        booking.outcome = "ordered"
        booking.action_done()
        self._validate(booking.picking_in_id)
        self.assertEqual(self.demo_unit.state, "in_use")
        demo_lot = self.demo_unit.lot_id
        self.assertFalse(
            demo_lot.service_warranty_start or demo_lot.service_warranty_partner_id,
            "a demo unit lent to a prospect is not sold: no warranty starts",
        )
        self.booking = booking

        # Quotation from the opportunity, confirmed: the deal is won.
        action = self.lead.with_user(self.salesperson).action_sale_quotations_new()
        form = Form(
            self.env["sale.order"].with_user(self.salesperson).with_context(**action["context"])
        )
        with form.order_line.new() as line:
            line.product_id = self.boiler
            line.product_uom_qty = 2
        self.order = form.save()
        self.assertEqual(self.order.opportunity_id, self.lead)
        self.order.action_confirm()
        self.lead.with_user(self.salesperson).action_set_won_rainbowman()
        self.assertTrue(self.lead.stage_id.is_won)

        # The storekeeper ships two serials: their warranty starts by itself.
        self.sold_lots = self.lots[:2]
        delivery = self.order.picking_ids
        self._validate(delivery, self.sold_lots)
        today = fields.Date.context_today(self.order)
        for lot in self.sold_lots:
            self.assertEqual(lot.service_warranty_policy_id, self.warranty_policy)
            self.assertEqual(lot.service_warranty_start, today)
            self.assertEqual(lot.service_warranty_end, today + relativedelta(months=12, days=-1))
            self.assertEqual(lot.service_warranty_partner_id, self.customer)
            self.assertEqual(lot.service_supplier_id, self.vendor)
            self.assertEqual(
                lot.service_supplier_warranty_end, today + relativedelta(months=12, days=-1)
            )
        status = (
            self.env["stock.lot"]
            .with_user(self.tech)
            .service_warranty_status(self.sold_lots[0].name)
        )
        self.assertTrue(status["in_warranty"])
        self.assertEqual(status["source"], "warranty")
        self.assertEqual(status["days_left"], (relativedelta(months=12) + today - today).days)

        # The salesperson invoices the delivered boilers; the accountant posts.
        wizard = Form(
            self.env["sale.advance.payment.inv"]
            .with_user(self.salesperson)
            .with_context(active_model="sale.order", active_ids=self.order.ids)
        ).save()
        wizard.create_invoices()
        self.sale_invoice = self._post(self.order.invoice_ids)
        self.assertAlmostEqual(self.sale_invoice.amount_total, 2 * UNIT_PRICE * (1 + VAT))

        # The delivery registered the two serials as the customer's units, once.
        self.units = (
            self.env["service.equipment"]
            .search([("lot_id", "in", self.sold_lots.ids)])
            .sorted("name")
        )
        self.assertEqual(len(self.units), 2)
        self.assertEqual(self.units.lot_id, self.sold_lots)
        self.assertEqual(self.units.commercial_partner_id, self.customer)
        with self.assertRaisesRegex(UserError, "already registered as units"):
            self.sold_lots.with_user(self.manager).action_create_service_equipment()
        self.unit1, self.unit2 = self.units

    def _step2_contract_and_first_invoice(self):
        """A service contract for the first unit, from the opportunity; the cron
        invoices its first month, the accountant posts it."""
        today = fields.Date.context_today(self.lead)
        action = self.lead.with_user(self.manager).action_service_contract_new()
        form = Form(
            self.env["service.contract"].with_user(self.manager).with_context(**action["context"])
        )
        form.date_end = today + relativedelta(years=1, days=-1)
        form.sla_policy_id = self.sla
        form.cover_labour = True
        form.cover_parts = True
        with form.line_ids.new() as line:
            line.equipment_id = self.unit1
        with form.line_ids.new() as line:
            line.product_id = self.plan
        self.contract = form.save()
        self.assertEqual(self.contract.opportunity_id, self.lead)
        self.assertEqual(self.contract.partner_id, self.customer)
        self.assertEqual(self.contract.amount_period, PLAN_PRICE)
        self.contract.action_activate()
        self.assertEqual(self.contract.next_invoice_date, today)
        self._commit()

        self.env.ref("service_contracts.ir_cron_service_contract_invoicing").method_direct_trigger()
        invoice = self.contract.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.service_period_start, today)
        self.assertEqual(invoice.service_period_end, today + relativedelta(months=1, days=-1))
        self.assertAlmostEqual(invoice.amount_untaxed, PLAN_PRICE)
        self.assertAlmostEqual(invoice.amount_total, PLAN_PRICE * (1 + VAT))
        # The accountant's button does not bill the month twice.
        with self.assertRaisesRegex(UserError, "Nothing to invoice"):
            self.contract.with_user(self.accountant).action_create_invoices()
        self.contract_invoice = self._post(invoice)
        self.assertEqual(self.contract.next_invoice_date, today + relativedelta(months=1))

    def _step3_email_request_dispatched(self):
        """The customer emails the fault; the request finds the unit and its
        contract, and goes to the technician who knows gas boilers."""
        serial = self.unit1.lot_id.name
        raw = EMAIL.format(
            sender=self.contact.email,
            to="lc-service@lifecycle.example.com",
            subject="Boiler stopped with error E9",
            body=f"Good morning,\nour boiler S/N {serial} shows error E9 and does not heat "
            "since 6 am.\nOlga Petrova",
        )
        # The mail gateway runs as the superuser, without a company of its own.
        gateway = api.Environment(self.env.cr, SUPERUSER_ID, {})
        request = self.env["service.request"].browse(
            gateway["mail.thread"].message_process(False, raw)
        )
        self.assertEqual(request.company_id, self.company)
        self.assertEqual(request.team_id, self.team)
        self.assertEqual(request.channel, "email")
        self.assertEqual(request.partner_id, self.contact)
        self.assertEqual(request.equipment_id, self.unit1)
        self.assertEqual(request.lot_id.name, serial)
        self.assertEqual(request.contract_id, self.contract)
        self.assertFalse(request.activity_ids, "the unit was recognised: nothing to identify")
        # The contract's SLA (24 h to resolve, 4 h to answer, round the clock),
        # not the company's default 72 hours.
        second = timedelta(seconds=1)  # the calendar counts hours as floats
        self.assertAlmostEqual(
            request.date_deadline, request.create_date + timedelta(hours=24), delta=second
        )
        self.assertAlmostEqual(
            request.date_response_deadline, request.create_date + timedelta(hours=4), delta=second
        )
        deadline = request.date_deadline

        dispatched = request.with_user(self.manager).action_dispatch()
        self.assertEqual(dispatched, request.ids)
        self.assertEqual(request.user_id, self.tech, "the skilled technician, not the first one")
        self.assertEqual(request.date_deadline, deadline)
        self.assertIn("skill match for LC Gas Boilers", request.message_ids[0].body)
        # The customer follows her request and units on the portal.
        self.assertEqual(self.env["service.request"].with_user(self.portal).search([]), request)
        self.assertEqual(
            self.env["service.equipment"].with_user(self.portal).search([]), self.units
        )
        self.request = request

    def _step4_repair_with_ordered_part(self):
        """The technician finds the part by its OEM number; it is missing, so it is
        bought from the best supplier; the repair is checked, done and rated."""
        action = self.request.with_user(self.tech).action_create_repair()
        repair = self.env["repair.order"].browse(action["res_id"])
        self.assertEqual(repair.request_id, self.request)
        self.assertEqual(repair.equipment_id, self.unit1)
        self.assertEqual(repair.lot_id, self.unit1.lot_id)
        self.assertEqual(repair.user_id, self.tech)
        self.assertTrue(repair.under_warranty)
        self.assertEqual(self.unit1.state, "in_repair")

        results = (
            self.env["product.product"]
            .with_user(self.tech)
            .service_parts_lookup("87161094", equipment_id=self.unit1.id)
        )
        hit = results[0]
        self.assertEqual(hit["product_id"], self.electrode.id)
        self.assertEqual((hit["match"]["how"], hit["match"]["code_type"]), ("exact", "oem"))
        self.assertTrue(hit["compatible"])
        self.assertEqual(hit["availability"]["free"], 0)
        self.assertEqual(hit["offer"]["partner_id"], self.parts_cheap.id)
        self.electrode.with_user(self.tech).service_parts_add_to_repair(repair.id, 1)
        self._repair_confirm(repair, self.tech)
        part_move = repair.move_ids
        self.assertEqual(part_move.product_id, self.electrode)
        self.assertNotEqual(part_move.state, "assigned")

        # The manager turns what is missing into an RFQ to the best supplier.
        lines = (
            self.env["service.part.requirement"]
            .with_user(self.manager)
            .search([("repair_id", "=", repair.id)])
        )
        self.assertEqual(lines.missing_qty, 1)
        rfq = self.env["purchase.order"].browse(lines.action_create_rfqs()["res_id"])
        self.assertEqual(rfq.partner_id, self.parts_cheap)
        self.assertEqual(rfq.service_repair_ids, repair)
        self.assertEqual(rfq.order_line.product_qty, 1)
        self.assertAlmostEqual(rfq.order_line.price_unit, ELECTRODE_CHEAP)
        rfq.with_user(self.manager).button_confirm()
        self._validate(rfq.picking_ids)
        self.assertEqual(
            part_move.state, "assigned", "the received part is reserved for the repair"
        )
        self.parts_bill = self._post(
            self.env["account.move"].browse(
                rfq.with_user(self.accountant).action_create_invoice()["res_id"]
            )
        )
        self.parts_rfq = rfq

        self._do_repair(repair, "<p>Replaced the ignition electrode; the burner lights.</p>", 1.5)
        self.assertTrue(self.request.is_closed, "the request closes with its last repair")
        self.assertEqual(self.unit1.state, "in_use")

        html = (
            self.env["ir.actions.report"]
            .with_user(self.tech)
            ._render_qweb_html("service_repair.action_report_repair_completion", repair.ids)[0]
            .decode()
        )
        for text in (
            "Work Completion Act",
            repair.name,
            self.unit1.lot_id.name,
            "Ignition electrode",
            "Replaced the ignition electrode",
            "guaranteed for",
            self.customer.name,
        ):
            self.assertIn(text, html)

        # The closing stage asked the customer for a rating; she answers by its link.
        rating = self.request.sudo().rating_ids
        self.assertEqual(len(rating), 1)
        self.assertFalse(rating.consumed)
        rating_sudo = (
            self.env["rating.rating"].sudo().search([("access_token", "=", rating.access_token)])
        )
        record_sudo = self.env[rating_sudo.res_model].sudo().browse(rating_sudo.res_id)
        record_sudo.rating_apply(5, rating=rating_sudo, feedback="Fixed within the morning")
        self.assertTrue(rating.consumed)
        self.assertEqual(self.request.rating_last_value, 5)
        self.repair1 = repair

    def _step5_warranty_replacement(self):
        """The second unit fails under warranty: it is replaced from stock, and the
        manufacturer credits part of its cost back."""
        faulty = self.unit2.lot_id
        spare = self.lots[2]
        form = Form(self.env["service.warranty.claim"].with_user(self.tech))
        form.partner_id = self.contact
        form.equipment_id = self.unit2
        form.defect_description = "Heat exchanger cracked, water on the floor."
        claim = form.save()
        self.assertEqual(claim.lot_id, faulty)
        self.assertTrue(claim.in_warranty)
        self.assertEqual(claim.sale_order_id, self.order)
        self.assertEqual(claim.invoice_id, self.sale_invoice)
        self.assertEqual(claim.supplier_id, self.vendor)
        claim.action_start_inspection()
        self._commit()
        with Form(claim) as form:
            form.inspection_note = "Casting defect of the heat exchanger: not repairable."
            form.decision = "replace"
            form.replacement_lot_id = spare
            form.labour_cost = CLAIM_LABOUR
        claim.action_decide()
        self.assertEqual(claim.state, "decided")
        back, out = claim.return_picking_id, claim.replacement_picking_id
        self.assertEqual(back.move_line_ids.lot_id, faulty)
        self.assertEqual(out.move_line_ids.lot_id, spare)
        self._validate(back)
        self._validate(out)
        self.assertEqual(spare.service_warranty_start, faulty.service_warranty_start)
        self.assertEqual(spare.service_warranty_end, faulty.service_warranty_end)
        self.assertEqual(spare.service_warranty_partner_id, self.customer)
        # The customer's unit is the replacement now.
        self.assertEqual(self.unit2.lot_id, spare)
        self.assertEqual(self.unit2.partner_id, self.customer)

        claim.action_claim_supplier()
        supplier_claim = claim.supplier_claim_ids
        self.assertEqual(supplier_claim.supplier_id, self.vendor)
        self.assertAlmostEqual(supplier_claim.expected_amount, UNIT_COST)
        self._validate(supplier_claim.return_picking_id)
        supplier_claim.action_send()
        # The manufacturer accepts to credit less than the unit's cost.
        supplier_claim.expected_amount = SUPPLIER_CREDIT
        supplier_claim.action_create_vendor_refund()
        refund = supplier_claim.vendor_refund_id
        self.assertEqual(refund.move_type, "in_refund")
        with self.assertRaisesRegex(UserError, "Post the vendor credit note"):
            supplier_claim.action_mark_credited()
        self.vendor_refund = self._post(refund)
        self.assertAlmostEqual(refund.amount_total, SUPPLIER_CREDIT * (1 + VAT))
        supplier_claim.with_user(self.manager).action_mark_credited()
        self.assertEqual(supplier_claim.state, "credited")
        self.assertAlmostEqual(supplier_claim.recovered_amount, SUPPLIER_CREDIT)
        # Hand count: a unit at cost, the inspection's labour, minus the credit.
        self.assertAlmostEqual(claim.replacement_cost, UNIT_COST)
        self.assertAlmostEqual(claim.recovered_amount, SUPPLIER_CREDIT)
        self.assertAlmostEqual(claim.cost_total, UNIT_COST + CLAIM_LABOUR - SUPPLIER_CREDIT)
        claim.action_resolve()
        claim.action_close()
        self.assertEqual(claim.state, "closed")
        self.claim = claim
        self.supplier_claim = supplier_claim

    def _step6_paid_repair_after_warranty(self):
        """A month after the replacement's warranty ended (the clock is moved there),
        the unit fails again: the claim is refused, the customer pays the repair."""
        unit = self.unit2
        later = unit.lot_id.service_warranty_end + relativedelta(months=1)
        with freeze_time(later):
            form = Form(self.env["service.warranty.claim"].with_user(self.tech))
            form.partner_id = self.contact
            form.equipment_id = unit
            form.defect_description = "Pressure drops every night."
            claim = form.save()
            self.assertEqual(claim.claim_date, later)
            self.assertFalse(claim.in_warranty)
            claim.action_start_inspection()
            self._commit()
            with Form(claim) as form:
                form.decision = "replace"
                form.replacement_lot_id = self.lots[3]
            with self.assertRaisesRegex(UserError, "warranty has expired"):
                claim.action_decide()
            with Form(claim) as form:
                form.decision = "reject"
                form.reject_reason = "The warranty ended; we offer a paid repair."
            claim.action_decide()
            self.assertEqual(claim.state, "rejected")
            repair = self.env["repair.order"].browse(claim.action_offer_paid_repair()["res_id"])
            self.assertFalse(repair.under_warranty)
            self.assertEqual(repair.lot_id, unit.lot_id)
            self.assertEqual(repair.equipment_id, unit, "the repair is in the unit's history")
            self.assertEqual(repair.user_id, self.tech)

            self.sensor.with_user(self.tech).service_parts_add_to_repair(repair.id, 1)
            self._repair_confirm(repair, self.tech)
            self.assertEqual(repair.move_ids.state, "assigned", "the sensor is in stock")
            self._do_repair(repair, "<p>Replaced the pressure sensor.</p>", 2)
            claim.with_user(self.tech).action_close()

            # The manager quotes the parts and the labour; the customer pays.
            repair.with_user(self.manager).action_create_sale_order()
            order = repair.sale_order_id
            with Form(order.with_user(self.manager)) as form:
                with form.order_line.new() as line:
                    line.product_id = self.labour
                    line.product_uom_qty = 2
            order.with_user(self.manager).action_confirm()
            wizard = Form(
                self.env["sale.advance.payment.inv"]
                .with_user(self.manager)
                .with_context(active_model="sale.order", active_ids=order.ids)
            ).save()
            wizard.create_invoices()
            invoice = self._post(order.invoice_ids)
            untaxed = SENSOR_PRICE + 2 * LABOUR_PRICE
            self.assertAlmostEqual(invoice.amount_untaxed, untaxed)
            self.assertAlmostEqual(invoice.amount_total, untaxed * (1 + VAT))
            payment_form = Form(
                self.env["account.payment.register"]
                .with_user(self.accountant)
                .with_context(active_model="account.move", active_ids=invoice.ids)
            )
            self.assertAlmostEqual(payment_form.amount, untaxed * (1 + VAT))
            payment_form.save().action_create_payments()
            self.assertEqual(invoice.payment_state, "paid")
        self.paid_claim = claim
        self.repair2 = repair
        self.repair_invoice = invoice

    def _step7_dashboard(self):
        """The manager's morning screen tells this story, and only this one."""
        self.env.flush_all()
        # The story runs from today to a month after the replacement's warranty
        # ended (the refused claim, the paid repair): the period covers it.
        dashboard = self.env["service.kpi.dashboard"].with_user(self.manager)
        period = {
            "date_from": fields.Date.context_today(dashboard) - timedelta(days=89),
            "date_to": self.paid_claim.claim_date,
        }
        kpis = {k["key"]: k["value"] for k in dashboard.get_kpis(**period)}
        request = self.request
        revenue = 2 * UNIT_PRICE + PLAN_PRICE + SENSOR_PRICE + 2 * LABOUR_PRICE
        claim_cost = UNIT_COST + CLAIM_LABOUR - SUPPLIER_CREDIT
        expected = {
            # Every request of the story is closed.
            "backlog_open": 0,
            "backlog_old": 0,
            "backlog_overdue": 0,
            "complaints_open": 0,
            "maintenance_overdue": 0,
            # One request under an SLA: assigned and closed in time.
            "sla_response": 100.0,
            "sla_resolution": 100.0,
            "mttr": (request.date_closed - request.create_date).total_seconds() / 3600,
            "first_time_fix": 100.0,
            "rework_rate": 0.0,
            # One rating, 5 of 5.
            "csat": 100.0,
            "rating_avg": 5.0,
            # The replaced unit and the refused claim; one credit from the manufacturer.
            "warranty_claims": 2,
            "warranty_cost_ratio": 100.0 * claim_cost / revenue,
            "warranty_recovered": SUPPLIER_CREDIT,
            # Both parts reached their repairs (one ordered, one from stock).
            "parts_fill_rate": 100.0,
            # No full week of history yet: nothing to forecast.
            "forecast_load": 0.0,
            "forecast_capacity": 0.0,
            "demos_done": 1,
            "demos_won_rate": 100.0,
            "qc_pass_rate": 100.0,
            "qc_todo": 0,
        }
        self.assertEqual(set(kpis), set(expected))
        for key, value in expected.items():
            with self.subTest(kpi=key):
                self.assertAlmostEqual(kpis[key], value, places=6)
        self.assertLess(expected["mttr"], 24, "closed within the SLA's 24 hours")

        # Cost and revenue of the contract and of the request under it.
        electrode_cost = ELECTRODE_COST  # consumed at its standard cost
        labour = 1.5 * LABOUR_RATE
        request = request.with_user(self.manager)
        self.assertAlmostEqual(request.service_parts_cost, electrode_cost)
        self.assertAlmostEqual(request.service_labour_cost, labour)
        self.assertAlmostEqual(request.service_revenue, 0.0, msg="repaired under warranty")
        contract = self.contract.with_user(self.manager)
        self.assertAlmostEqual(contract.service_revenue, PLAN_PRICE)
        self.assertAlmostEqual(contract.service_cost, electrode_cost + labour)
        self.assertAlmostEqual(contract.service_margin, PLAN_PRICE - electrode_cost - labour)

        # The deal's documents, in order, from the opportunity.
        action = self.lead.with_user(self.manager).action_service_deal_timeline()
        documents = (
            self.env["service.deal.document"].with_user(self.manager).search(action["domain"])
        )
        self.assertEqual(
            documents.mapped("stage"),
            ["opportunity", "sale_order", "delivery", "contract", "invoice", "invoice"],
        )
        self.assertEqual(
            {(d.res_model, d.res_id) for d in documents if d.stage == "invoice"},
            {("account.move", m.id) for m in self.sale_invoice | self.contract_invoice},
        )

    def _step8_accountant_checks(self):
        """Every invoice, credit note and bill points to the document it settles,
        and the books agree with them."""
        Move = self.env["account.move"].with_user(self.accountant)
        documents = Move.search(
            [("company_id", "=", self.company.id), ("move_type", "!=", "entry")]
        )
        self.assertEqual(
            documents,
            self.boiler_bill
            | self.sale_invoice
            | self.contract_invoice
            | self.parts_bill
            | self.vendor_refund
            | self.repair_invoice,
        )
        self.assertTrue(all(m.state == "posted" for m in documents))
        accountant = self.accountant

        def purchase_of(move):
            return move.with_user(accountant).invoice_line_ids.purchase_line_id.order_id

        def sale_of(move):
            return move.with_user(accountant).invoice_line_ids.sale_line_ids.order_id

        def shown(record, field):
            """The name the accountant reads in ``field`` on the record's form."""
            value = record.with_user(accountant).web_read(
                {field: {"fields": {"display_name": {}}}}
            )[0][field]
            return value and value["display_name"]

        # Contract invoice -> contract; vendor credit note -> supplier claim -> claim.
        self.assertEqual(shown(self.contract_invoice, "service_contract_id"), self.contract.name)
        self.assertEqual(
            shown(self.vendor_refund, "service_supplier_claim_id"), self.supplier_claim.name
        )
        self.assertEqual(self.supplier_claim.claim_id, self.claim)
        self.assertEqual(self.claim.equipment_id, self.unit2)
        # Repair invoice -> repair (-> refused claim); parts bill -> RFQ -> repair -> request.
        self.assertEqual(shown(self.repair_invoice, "service_repair_id"), self.repair2.name)
        self.assertEqual(self.paid_claim.paid_repair_id, self.repair2)
        self.assertEqual(purchase_of(self.parts_bill), self.parts_rfq)
        rfq = self.parts_rfq.with_user(accountant).web_read({"service_repair_count": {}})[0]
        self.assertEqual(rfq["service_repair_count"], 1, "the RFQ shows the repair it serves")
        self.assertEqual(self.parts_rfq.service_repair_ids, self.repair1)
        self.assertEqual(self.repair1.request_id, self.request)
        for move in documents - self.repair_invoice:
            self.assertFalse(move.with_user(accountant).service_repair_id)
        # The boilers: bought on their order, sold on the deal's order.
        self.assertEqual(purchase_of(self.boiler_bill), self.boiler_po)
        self.assertEqual(sale_of(self.sale_invoice), self.order)
        self.assertEqual(self.order.opportunity_id, self.lead)

        # Each journal balances; receivable and payable are what the documents leave open.
        Line = self.env["account.move.line"].with_user(accountant)
        posted = [("company_id", "=", self.company.id), ("parent_state", "=", "posted")]
        for journal, debit, credit in Line._read_group(
            posted, ["journal_id"], ["debit:sum", "credit:sum"]
        ):
            with self.subTest(journal=journal.name):
                self.assertAlmostEqual(debit, credit, places=2)
        balances = dict(Line._read_group(posted, ["account_type"], ["balance:sum"]))
        receivable = (2 * UNIT_PRICE + PLAN_PRICE) * (1 + VAT)  # the repair is paid
        payable = (5 * UNIT_COST + ELECTRODE_CHEAP - SUPPLIER_CREDIT) * (1 + VAT)
        self.assertAlmostEqual(balances["asset_receivable"], receivable, places=2)
        self.assertAlmostEqual(balances["liability_payable"], -payable, places=2)
        self.assertAlmostEqual(
            sum(documents.filtered(lambda m: m.is_sale_document()).mapped("amount_residual")),
            receivable,
            places=2,
        )
        self.assertAlmostEqual(
            sum(
                documents.filtered(lambda m: m.is_purchase_document()).mapped(
                    "amount_residual_signed"
                )
            ),
            -payable,
            places=2,
        )
        self.assertEqual(self.repair_invoice.payment_state, "paid")
