"""Every duty of the service manager and of the accountant, in a browser, in Russian.

The service manager (the Service / Manager group alone, as a real manager's
user has it) walks each row of the README's duty table, and the accountant
(Odoo's accountant: full accounting features) the documents the suite gives
them, each in Russian, in a 1366×768 window. A tour fails at once on any
error dialog (``service_duty_tour_utils.watchForErrors``); the reports are
rendered here as the user who prints them, and each test checks the data
the tour left behind.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.service_contracts.tests.common import done_transfer

RU = "ru_RU"


@tagged("post_install", "-at_install", "service_suite")
class TestOfficeDutyTours(HttpCase):
    browser_size = "1366x768"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang(RU)
        cls.today = fields.Date.context_today(env.user)
        cls.company = env.company
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id

        def user(login, name, groups):
            return new_test_user(
                env,
                login=login,
                name=name,
                groups=groups,
                lang=RU,
                tz="Europe/Moscow",
                email=f"{login}@example.com",
            )

        cls.manager = user(
            "duty_manager", "Мария Руководитель", "service_base.group_service_manager"
        )
        cls.accountant = user("duty_accountant", "Анна Бухгалтер", "account.group_account_user")
        cls.technician = user("duty_tech", "Пётр Инженер", "service_base.group_service_user")
        cls.salesperson = user("duty_sales", "Семён Продавец", "sales_team.group_sale_salesman")

        Partner = env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "ООО «Тур Котельная»",
                "is_company": True,
                "lang": RU,
                "email": "boiler@example.com",
            }
        )
        cls.vendor = Partner.create({"name": "Тур Завод Котлов", "is_company": True, "lang": RU})
        cls.center = Partner.create(
            {
                "name": "Тур Сервисный центр",
                "is_company": True,
                "is_service_center": True,
                "lang": RU,
            }
        )

        # The installed base: a boiler model, its team and technician.
        cls.category = env["product.category"].create({"name": "Тур Котлы"})
        skill = env["service.skill"].create(
            {"name": "Тур котлы", "product_category_ids": [Command.set(cls.category.ids)]}
        )
        cls.technician.write({"service_skill_ids": [Command.link(skill.id)], "service_capacity": 0})
        cls.team = env["service.team"].create(
            {
                "name": "Тур Бригада",
                "user_id": cls.manager.id,
                "member_ids": [Command.set(cls.technician.ids)],
            }
        )
        cls.rule = env["service.dispatch.rule"].create(
            {
                "name": "Тур: котлы в бригаду",
                "sequence": 1,
                "product_category_ids": [Command.set(cls.category.ids)],
                "team_id": cls.team.id,
                "strategy": "least_loaded",
            }
        )
        cls.boiler = env["product.product"].create(
            {
                "name": "Тур Котёл КТ-24",
                "categ_id": cls.category.id,
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
                "standard_price": 600.0,
                "list_price": 1000.0,
                "taxes_id": [Command.clear()],
                "seller_ids": [Command.create({"partner_id": cls.vendor.id, "price": 600.0})],
            }
        )
        cls.policy = env["service.warranty.policy"].create(
            {
                "name": "Тур котлы: 24 месяца",
                "categ_id": cls.category.id,
                "months": 24,
                "start_on": "delivery",
                "supplier_months": 12,
                "replacement_warranty": "continue",
            }
        )
        Lot = env["stock.lot"]
        lots = Lot.create(
            [{"name": f"ТУР-КТ-{i}", "product_id": cls.boiler.id} for i in range(1, 9)]
        )
        (
            cls.lot_call,
            cls.lot_repair,
            cls.lot_late,
            cls.lot_maint,
            cls.lot_refund,
            cls.lot_replace,
            cls.lot_demo,
            cls.lot_spare,
        ) = lots
        # Bought from the manufacturer (the supplier warranty starts), three sold.
        cls._transfer(
            lots,
            cls.warehouse.in_type_id,
            env.ref("stock.stock_location_suppliers"),
            cls.stock,
            cls.vendor,
        )
        Unit = env["service.equipment"]
        customers = env.ref("stock.stock_location_customers")
        cls._transfer(
            cls.lot_call | cls.lot_repair | cls.lot_late | cls.lot_maint | cls.lot_replace,
            cls.warehouse.out_type_id,
            cls.stock,
            customers,
            cls.customer,
        )
        cls.units = Unit.search([("lot_id", "in", lots.ids)])
        for lot in cls.lot_call | cls.lot_repair | cls.lot_late | cls.lot_maint | cls.lot_replace:
            if lot not in cls.units.lot_id:
                cls.units |= Unit.create(
                    {"product_id": cls.boiler.id, "lot_id": lot.id, "partner_id": cls.customer.id}
                )
        cls.units.team_id = cls.team

        def unit(lot):
            return cls.units.filtered(lambda u, lot=lot: u.lot_id == lot)

        cls.unit_call = unit(cls.lot_call)
        cls.unit_repair = unit(cls.lot_repair)
        cls.unit_late = unit(cls.lot_late)
        cls.unit_maint = unit(cls.lot_maint)
        cls.demo_unit = Unit.create(
            {"product_id": cls.boiler.id, "lot_id": cls.lot_demo.id, "is_demo": True}
        )

        Request = env["service.request"]
        base = {"partner_id": cls.customer.id, "team_id": cls.team.id}
        # History of the unit the customer calls about.
        cls.past_request = Request.create(
            dict(base, subject="Тур: прошлогодний ремонт", equipment_id=cls.unit_call.id)
        )
        cls.past_request.action_close()
        # A repair request: the unit comes in, is repaired and goes to a centre.
        cls.repair_request = Request.create(
            dict(
                base,
                subject="Тур: котёл не разжигается",
                equipment_id=cls.unit_repair.id,
                request_type="repair",
                user_id=cls.technician.id,
            )
        )
        # A unit at the service centre, expected back yesterday.
        cls.late_request = Request.create(
            dict(
                base,
                subject="Тур: теплообменник в сервисном центре",
                equipment_id=cls.unit_late.id,
                request_type="repair",
                user_id=cls.technician.id,
            )
        )
        cls.late_request.action_send_to_service_center(
            cls.center.id, tracking_ref="ТРЕК-77", date_expected_return=cls.today
        )
        cls.late_request.write(
            {
                "date_sent_to_center": cls.today - timedelta(days=10),
                "date_expected_return": cls.today - timedelta(days=1),
            }
        )
        # A maintenance visit, done.
        cls.maint_request = Request.create(
            dict(
                base,
                subject="Тур: ежегодное ТО",
                equipment_id=cls.unit_maint.id,
                request_type="maintenance",
                user_id=cls.technician.id,
                resolution="<p>Чистка горелки, замена уплотнений.</p>",
            )
        )
        # A complaint nobody is assigned to yet.
        cls.complaint = Request.create(
            dict(
                base,
                subject="Тур: никто не приехал",
                equipment_id=cls.unit_maint.id,
                request_type="complaint",
            )
        )

        cls._setup_deals()
        cls._setup_parts()
        cls._setup_claims()
        cls._setup_control()
        cls._setup_accounts()

    @classmethod
    def _setup_deals(cls):
        """A salesperson's opportunity and its confirmed order, an SLA policy,
        a deal lost to a competitor."""
        env = cls.env
        cls.lead = env["crm.lead"].create(
            {
                "name": "Тур: котельная на два котла",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": cls.salesperson.id,
                "expected_revenue": 2000.0,
            }
        )
        cls.plan = env["product.product"].create(
            {
                "name": "Тур: ТО котла (месяц)",
                "type": "service",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.order = (
            env["sale.order"]
            .with_user(cls.salesperson)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "opportunity_id": cls.lead.id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.plan.id, "price_unit": 100.0, "tax_id": False}
                        )
                    ],
                }
            )
        )
        cls.order.action_confirm()
        cls.sla = env["service.sla.policy"].create(
            {
                "name": "Тур: Золотой",
                "line_ids": [
                    Command.create({"priority": "1", "response_hours": 4, "resolution_hours": 24})
                ],
            }
        )
        cls.competitor = env["res.partner"].create(
            {"name": "Тур Конкурент", "is_company": True, "is_service_competitor": True}
        )
        reason = env["crm.lost.reason"].create({"name": "Тур: дорого"})
        cls.lost_lead = env["crm.lead"].create(
            {
                "name": "Тур: котельная школы",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": cls.salesperson.id,
                "expected_revenue": 1200.0,
                "service_competitor_id": cls.competitor.id,
                "service_competitor_price": 900.0,
            }
        )
        cls.lost_lead.action_set_lost(lost_reason_id=reason.id)

    @classmethod
    def _setup_parts(cls):
        """A spare part of the boiler known by its OEM number, in stock, with a supplier."""
        env = cls.env
        cls.parts_vendor = env["res.partner"].create({"name": "Тур Запчасти", "is_company": True})
        cls.electrode = env["product.product"].create(
            {
                "name": "Тур Электрод розжига",
                "is_storable": True,
                "is_spare_part": True,
                "standard_price": 10.0,
                "list_price": 25.0,
                "taxes_id": [Command.clear()],
                "supplier_taxes_id": [Command.clear()],
                "seller_ids": [
                    Command.create({"partner_id": cls.parts_vendor.id, "price": 12.0, "delay": 3})
                ],
            }
        )
        env["service.part.crossref"].create(
            {"product_id": cls.electrode.id, "code": "TUR-OEM-4512", "code_type": "oem"}
        )
        env["service.part.compatibility"].create(
            {"part_product_id": cls.electrode.id, "equipment_product_id": cls.boiler.id}
        )
        env["stock.quant"]._update_available_quantity(cls.electrode, cls.stock, 5)

    @classmethod
    def _setup_claims(cls):
        """A boiler sold, delivered and invoiced, refunded under warranty and
        claimed back from the manufacturer (drafts of the credit notes for the
        accountant); another one repaired under warranty, not claimed back yet."""
        env = cls.env
        order = env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.boiler.id, "price_unit": 1000.0, "tax_id": False}
                    )
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.move_line_ids.unlink()
        env["stock.move.line"].create(
            {
                "move_id": picking.move_ids.id,
                "picking_id": picking.id,
                "product_id": cls.boiler.id,
                "product_uom_id": cls.boiler.uom_id.id,
                "lot_id": cls.lot_refund.id,
                "quantity": 1,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
            }
        )
        picking.move_ids.picked = True
        picking._action_done()
        cls.sale_invoice = order._create_invoices()
        cls.sale_invoice.action_post()
        Claim = env["service.warranty.claim"]
        cls.refund_claim = Claim.create(
            {
                "partner_id": cls.customer.id,
                "lot_id": cls.lot_refund.id,
                "defect_description": "Тур: трещина теплообменника",
            }
        )
        cls.refund_claim.action_start_inspection()
        cls.refund_claim.write(
            {
                "inspection_note": "Литейный брак, ремонту не подлежит.",
                "decision": "refund",
                "refund_amount": 1000.0,
            }
        )
        cls.refund_claim.action_decide()
        cls.credit_note = cls.refund_claim.credit_note_id
        cls.refund_claim.action_claim_supplier()
        cls.supplier_claim = cls.refund_claim.supplier_claim_ids
        cls.supplier_claim.action_send()
        cls.supplier_claim.action_create_vendor_refund()
        cls.vendor_refund = cls.supplier_claim.vendor_refund_id

        cls.repair_claim = Claim.create(
            {
                "partner_id": cls.customer.id,
                "lot_id": cls.lot_replace.id,
                "user_id": cls.technician.id,
                "defect_description": "Тур: течь циркуляционного насоса",
            }
        )
        cls.repair_claim.action_start_inspection()
        cls.repair_claim.write({"inspection_note": "Заменить насос.", "decision": "repair"})
        cls.repair_claim.action_decide()

    @classmethod
    def _setup_control(cls):
        """The quality checklist of boilers and a repair waiting for its check, a
        rated request, a service centre's bills, weeks of history to forecast from."""
        env = cls.env
        env["service.qc.template"].create(
            {
                "name": "Тур: чек-лист котла",
                "sequence": 1,
                "product_categ_ids": [Command.set(cls.category.ids)],
                "require_other_user": True,
                "item_ids": [
                    Command.create({"name": "Тур: герметичность газового тракта"}),
                    Command.create({"name": "Тур: анализ дымовых газов"}),
                ],
            }
        )
        action = cls.maint_request.action_create_repair()
        cls.maint_repair = env["repair.order"].browse(action["res_id"])
        cls.maint_repair.user_id = cls.technician
        cls.maint_repair._action_repair_confirm()
        cls.maint_repair.action_repair_start()
        cls.qc_check = cls.maint_repair.service_qc_check_ids
        cls.qc_check.ensure_one()

        cls.past_request.user_id = cls.technician
        cls.past_request.rating_apply(
            5, token=cls.past_request._rating_get_access_token(), feedback="Всё отлично"
        )

        def bill(amount):
            return {
                "move_type": "in_invoice",
                "partner_id": cls.center.id,
                "service_request_id": cls.late_request.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Тур: замена теплообменника",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }

        Move = env["account.move"]
        posted = Move.create(dict(bill(150.0), invoice_date=cls.today))
        posted.action_post()
        cls.center_bill = Move.create(bill(90.0))  # the accountant's to check

        Request = env["service.request"]
        old = Request.create(
            [
                {
                    "subject": f"Тур: заявка {weeks} недель назад",
                    "partner_id": cls.customer.id,
                    "team_id": cls.team.id,
                }
                for weeks in range(1, 9)
            ]
        )
        for weeks, request in enumerate(old, start=1):
            env.cr.execute(
                "UPDATE service_request SET create_date = now() - make_interval(weeks => %s) "
                "WHERE id = %s",
                [weeks, request.id],
            )
        old.invalidate_recordset(["create_date"])
        old.action_close()

    @classmethod
    def _setup_accounts(cls):
        """An active contract with its first invoice in draft; analytic accounting on."""
        env = cls.env
        env.ref("base.group_user").write(
            {"implied_ids": [Command.link(env.ref("analytic.group_analytic_accounting").id)]}
        )
        cls.contract = env["service.contract"].create(
            {
                "partner_id": cls.customer.id,
                "title": "Тур: ТО котельной",
                "date_start": cls.today.replace(day=1),
                "sla_policy_id": cls.sla.id,
                "line_ids": [Command.create({"product_id": cls.plan.id, "price_unit": 100.0})],
            }
        )
        cls.contract.action_activate()
        cls.contract.action_create_invoices()
        cls.contract_invoice = cls.contract.invoice_ids
        cls.contract_invoice.ensure_one()
        # A paid repair's quotation, confirmed and invoiced
        labour = env["product.product"].create(
            {
                "name": "Тур: работа инженера (час)",
                "type": "service",
                "list_price": 45.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.paid_repair = env["repair.order"].create(
            {"product_id": cls.boiler.id, "partner_id": cls.customer.id}
        )
        cls.paid_repair.action_create_sale_order()
        order = cls.paid_repair.sale_order_id
        order.order_line = [
            Command.create({"product_id": labour.id, "product_uom_qty": 1, "tax_id": False})
        ]
        order.action_confirm()
        cls.repair_invoice = order._create_invoices()

    @classmethod
    def _transfer(cls, lots, picking_type, source, destination, partner):
        return done_transfer(cls.env, lots, picking_type, source, destination, partner)

    def _render(self, report, records, user):
        """The HTML of ``report`` for ``records``, rendered as ``user``."""
        html, __ = (
            self.env["ir.actions.report"].with_user(user)._render_qweb_html(report, records.ids)
        )
        return html.decode()

    # ------------------------------------------------------------------ manager

    def test_manager_intake_repair_and_meetings(self):
        """2.1 consultations, 2.2 service centres, 2.3 repair forms, 2.5
        maintenance reports, 2.9 dispatch, 2.10 meetings, audit."""
        self.start_tour(
            "/odoo", "service_duty_manager_intake_tour", login="duty_manager", timeout=180
        )
        # 2.1: the call, answered and closed, on the unit's history
        call = self.env["service.request"].search([("subject", "=", "Тур: как продуть котёл")])
        self.assertEqual(call.request_type, "consultation")
        self.assertEqual(call.channel, "phone")
        self.assertTrue(call.is_closed)
        self.assertEqual(call.equipment_id, self.unit_call)
        # 2.3: the unit accepted into the repair location, the repair prefilled
        request = self.repair_request
        self.assertEqual(request.unit_intake_picking_id.state, "done")
        repair = request.repair_ids
        self.assertEqual(repair.lot_id, self.lot_repair)
        for report, title in (
            ("service_repair.action_report_repair_acceptance", "Акт приёма оборудования"),
            ("service_repair.action_report_repair_completion", "Акт выполненных работ"),
        ):
            with self.subTest(report=report):
                html = self._render(report, repair, self.manager)
                self.assertIn(title, html)
                self.assertIn("ТУР-КТ-2", html)
        # 2.2: sent to the centre with its tracking, the late unit back
        self.assertEqual(request.service_center_state, "sent")
        self.assertEqual(request.service_center_id, self.center)
        self.assertEqual(request.service_center_tracking_ref, "ТРЕК-88")
        self.assertEqual(self.late_request.service_center_state, "returned")
        self.assertEqual(self.late_request.service_center_in_picking_id.state, "done")
        # 2.5: the maintenance report
        html = self._render(
            "service_repair.action_report_service_request_maintenance",
            self.maint_request,
            self.manager,
        )
        self.assertIn("Отчёт о техническом обслуживании", html)
        self.assertIn("Чистка горелки", html)
        # 2.9: dispatched by the rule to the skilled technician
        self.assertEqual(self.complaint.user_id, self.technician)
        self.assertEqual(self.complaint.dispatch_rule_id, self.rule)
        # 2.10: the meeting planned from the request
        meeting = self.env["calendar.event"].search(
            [("res_model", "=", "service.request"), ("res_id", "=", request.id)]
        )
        self.assertEqual(len(meeting), 1)
        self.assertIn(self.customer, meeting.partner_ids)
        self.assertIn(self.manager.partner_id, meeting.partner_ids)

    def test_manager_deals_demos_and_contracts(self):
        """2.4 demonstrations, 2.8 contracts and deal documents, competitors."""
        self.start_tour(
            "/odoo", "service_duty_manager_deals_tour", login="duty_manager", timeout=180
        )
        # 2.4: the demo unit booked for the opportunity, out and back, the outcome on it
        booking = self.env["service.demo.booking"].search([("lead_id", "=", self.lead.id)])
        self.assertEqual(booking.equipment_id, self.demo_unit)
        self.assertEqual(booking.state, "done")
        self.assertEqual(booking.outcome, "ordered")
        self.assertEqual(booking.user_id, self.manager)
        self.assertIn(self.customer, booking.event_id.partner_ids)
        self.assertEqual(booking.picking_out_id.move_ids.lot_ids, self.lot_demo)
        self.assertEqual(booking.picking_in_id.move_ids.lot_ids, self.lot_demo)
        self.assertIn(booking.name, " ".join(self.lead.message_ids.mapped("body")))
        # 2.8: the order's contract, active under its SLA, invoiced once, renewed
        contract = self.order.service_contract_ids.filtered(lambda c: not c.previous_contract_id)
        self.assertEqual(contract.state, "active")
        self.assertEqual(contract.sla_policy_id, self.sla)
        self.assertEqual(contract.opportunity_id, self.lead)
        self.assertEqual(contract.yearly_cap, 5000.0)
        self.assertEqual(contract.date_end, self.today + relativedelta(years=1, days=-1))
        self.assertEqual(contract.line_ids.product_id, self.plan)
        self.assertEqual(len(contract.invoice_ids), 1)
        self.assertEqual(contract.invoice_ids.service_period_start, contract.date_start)
        renewal = contract.renewal_ids
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(renewal.date_start, contract.date_end + timedelta(days=1))

    def test_manager_parts_costs_and_control(self):
        """2.6 parts, stock, 2.7 cost and revenue, claims, satisfaction, quality,
        forecast, teams, the KPI dashboard, the installed base."""
        self.start_tour(
            "/odoo", "service_duty_manager_control_tour", login="duty_manager", timeout=240
        )
        # 2.6: the part on a quotation for the customer and on an RFQ to its supplier
        quotation = self.env["sale.order"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "draft")]
        )
        self.assertEqual(quotation.order_line.product_id, self.electrode)
        rfq = self.env["purchase.order"].search(
            [("partner_id", "=", self.parts_vendor.id), ("state", "=", "draft")]
        )
        self.assertEqual(rfq.order_line.product_id, self.electrode)
        self.assertEqual(rfq.order_line.price_unit, 12.0)
        # the second unit claimed back from the manufacturer, sent
        supplier_claim = self.repair_claim.supplier_claim_ids
        self.assertEqual(supplier_claim.supplier_id, self.vendor)
        self.assertEqual(supplier_claim.state, "sent")
        # quality: the manager passed the technician's check
        self.assertEqual(self.qc_check.state, "passed")
        self.assertEqual(self.qc_check.checked_by_id, self.manager)
        self.assertEqual(set(self.qc_check.line_ids.mapped("result")), {"pass"})
        # the claim act prints for the manager
        html = self._render(
            "service_contracts.action_report_warranty_claim", self.repair_claim, self.manager
        )
        self.assertIn("Рекламационный акт", html)

    # --------------------------------------------------------------- accountant

    def test_accountant_documents_of_the_service(self):
        """Contract invoices, the service centre's bill, the claims' credit notes,
        each opening its service document; the analytic report."""
        self.start_tour(
            "/odoo", "service_duty_accountant_tour", login="duty_accountant", timeout=180
        )
        documents = (
            self.contract_invoice,
            self.repair_invoice,
            self.center_bill,
            self.credit_note,
            self.vendor_refund,
        )
        for move in documents:
            with self.subTest(move=move.move_type):
                self.assertEqual(move.state, "posted")
        line = self.contract_invoice.invoice_line_ids
        self.assertIn("период", line.name)
        self.assertEqual(self.contract_invoice.service_period_start, self.contract.date_start)
        self.assertEqual(self.repair_invoice.service_repair_id, self.paid_repair)
        self.assertEqual(self.center_bill.service_request_id, self.late_request)
        self.assertEqual(self.credit_note.service_warranty_claim_id, self.refund_claim)
        self.assertEqual(self.vendor_refund.service_supplier_claim_id, self.supplier_claim)
        # the contract's analytic account holds its invoice, as the report showed
        analytic = self.env["account.analytic.line"].search(
            [("account_id", "=", self.contract.analytic_account_id.id)]
        )
        self.assertAlmostEqual(sum(analytic.mapped("amount")), 100.0)
