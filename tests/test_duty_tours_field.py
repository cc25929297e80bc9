"""Every duty of the field roles, walked in a browser in Russian.

The technician, the storekeeper and the portal customer each do, as their own
user and in Russian, every duty the README's duty table gives them: the tours
(``service_duty_*_tour``) click through the screens and check Russian labels
(an English screen fails them), any error dialog fails them, and the tests
then check what the clicks left in the database. Desktop window only: the
phone layout of the main screens is ``tests/test_tours.py``'s.
"""

import re

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.service_base.tests.common import TourDataCase

from .test_i18n import suite_addons


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class FieldDutyCase(TourDataCase):
    """One customer's pump, its technician, the warehouse and the customer's portal."""

    browser_size = "1366x768"

    @classmethod
    def _setup_tour_data(cls):
        env = cls.env
        env["res.lang"]._activate_lang("ru_RU")
        env["service.dispatch.rule"].search([]).active = False
        cls.company = env.company
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.customers = env.ref("stock.stock_location_customers")
        cls.centres = env.ref("service_repair.stock_location_service_centers")

        cls.technician = new_test_user(
            env,
            login="duty_tech",
            name="Иван Техников",
            groups="service_base.group_service_user",
            lang="ru_RU",
        )
        cls.storekeeper = new_test_user(
            env,
            login="duty_store",
            name="Пётр Кладовщиков",
            groups="stock.group_stock_user",
            lang="ru_RU",
        )
        cls.customer = env["res.partner"].create(
            {
                "name": "ООО «Насосы Тура»",
                "is_company": True,
                "email": "pumps@example.com",
                "lang": "ru_RU",
            }
        )
        cls.contact = env["res.partner"].create(
            {
                "name": "Ольга Петрова",
                "parent_id": cls.customer.id,
                "email": "olga@example.com",
                "lang": "ru_RU",
            }
        )
        cls.portal_user = new_test_user(
            env,
            login="duty_portal",
            name="Ольга Петрова",
            groups="base.group_portal",
            partner_id=cls.contact.id,
            lang="ru_RU",
        )

        # The installed base: a pump in warranty, repaired by the technician's team.
        category = env["product.category"].create({"name": "Насосы (тур)"})
        skill = env["service.skill"].create(
            {"name": "Насосы (тур)", "product_category_ids": [Command.set(category.ids)]}
        )
        cls.technician.write({"service_skill_ids": [Command.link(skill.id)], "service_capacity": 0})
        cls.team = env["service.team"].create(
            {"name": "Бригада насосов", "member_ids": [Command.set(cls.technician.ids)]}
        )
        cls.pump = env["product.product"].create(
            {
                "name": "Насос ДТ-3",
                "categ_id": category.id,
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        cls.today = fields.Date.context_today(cls.pump)
        cls.unit = cls._unit("DUTY-PUMP-1", months_ago=3)
        cls.request = env["service.request"].create(
            {
                "subject": "Насос шумит на полных оборотах",
                "partner_id": cls.customer.id,
                "equipment_id": cls.unit.id,
                "team_id": cls.team.id,
                "user_id": cls.technician.id,
                "request_type": "repair",
            }
        )
        cls.maintenance = env["service.request"].create(
            {
                "subject": "Плановое ТО насоса",
                "partner_id": cls.customer.id,
                "equipment_id": cls.unit.id,
                "team_id": cls.team.id,
                "user_id": cls.technician.id,
                "request_type": "maintenance",
            }
        )
        cls.qc_template = env["service.qc.template"].create(
            {
                "name": "Насос после ремонта",
                "sequence": 1,
                "product_categ_ids": [Command.set(category.ids)],
                "require_other_user": False,
                "item_ids": [
                    Command.create({"name": "Давление в норме", "sequence": 10}),
                    Command.create({"name": "Нет утечек", "sequence": 20}),
                ],
            }
        )
        cls.center = env["res.partner"].create(
            {"name": "СЦ «Гидросервис»", "is_company": True, "is_service_center": True}
        )

        # A spare part known by its OEM number, in stock, with a substitute and a supplier.
        Product = env["product.product"]
        cls.impeller, cls.impeller_sub, cls.seal = Product.create(
            [
                {"name": name, "is_storable": True, "is_spare_part": True, "standard_price": 40}
                for name in ("Крыльчатка IM-5", "Крыльчатка IM-5S", "Уплотнение SL-2")
            ]
        )
        cls.supplier = env["res.partner"].create(
            {"name": "ООО «Запчасти насосов»", "is_company": True}
        )
        env["service.part.crossref"].create(
            {"product_id": cls.impeller.id, "code": "DUTY-OEM-7712", "code_type": "oem"}
        )
        env["service.part.substitute"].create(
            {"product_id": cls.impeller.id, "substitute_id": cls.impeller_sub.id}
        )
        env["product.supplierinfo"].create(
            [
                {
                    "partner_id": cls.supplier.id,
                    "product_tmpl_id": part.product_tmpl_id.id,
                    "price": 35.0,
                    "delay": 4,
                }
                for part in (cls.impeller, cls.seal)
            ]
        )
        Quant = env["stock.quant"]
        Quant._update_available_quantity(cls.impeller, cls.stock, 5)
        Quant._update_available_quantity(cls.impeller_sub, cls.stock, 2)

    @classmethod
    def _unit(cls, serial, months_ago=None, partner=None):
        partner = partner or cls.customer
        lot = cls.env["stock.lot"].create({"name": serial, "product_id": cls.pump.id})
        if months_ago is not None:
            lot.write(
                {
                    "service_warranty_partner_id": partner.id,
                    "service_warranty_start": fields.Date.add(cls.today, months=-months_ago),
                    "service_warranty_end": fields.Date.add(cls.today, months=24 - months_ago),
                }
            )
        return cls.env["service.equipment"].create(
            {
                "product_id": cls.pump.id,
                "lot_id": lot.id,
                "partner_id": partner.id,
                "team_id": cls.team.id,
            }
        )

    def _quants(self, lot):
        """{(location, owner): quantity} of the non-zero quants of serial ``lot``."""
        result = {}
        for quant in self.env["stock.quant"].search([("lot_id", "=", lot.id)]):
            key = (quant.location_id, quant.owner_id)
            result[key] = result.get(key, 0) + quant.quantity
        return {key: qty for key, qty in result.items() if qty}

    def _report_text(self, user, report, records):
        html, __ = (
            self.env["ir.actions.report"].with_user(user)._render_qweb_pdf(report, records.ids)
        )
        return _text(html.decode())


@tagged("post_install", "-at_install", "service_suite")
class TestTechnicianDuties(FieldDutyCase):
    def test_technician_does_the_whole_job(self):
        self.start_tour("/odoo", "service_duty_technician_tour", login="duty_tech", timeout=240)
        request, unit, lot = self.request, self.unit, self.unit.lot_id

        # 2.1: the call answered and closed, on the unit, by the technician
        call = self.env["service.request"].search([("subject", "=", "Как сбросить ошибку E12?")])
        self.assertEqual(len(call), 1)
        self.assertEqual(
            (call.request_type, call.channel, call.equipment_id, call.user_id, call.is_closed),
            ("consultation", "phone", unit, self.technician, True),
        )
        self.assertIn("Удерживать кнопку сброса", call.resolution)

        # 2.3: the unit accepted into the repair location as the customer's stock,
        # repaired with the part from the lookup after its quality check, returned
        repair = request.repair_ids
        self.assertEqual(len(repair), 1)
        self.assertEqual(
            (repair.state, repair.lot_id, repair.user_id), ("done", lot, self.technician)
        )
        parts = repair.move_ids.filtered(lambda m: m.repair_line_type == "add")
        self.assertEqual(parts.product_id, self.impeller)
        self.assertEqual((parts.state, parts.quantity), ("done", 1))
        self.assertEqual(repair.service_qc_check_ids.state, "passed")
        self.assertEqual(repair.service_qc_check_ids.checked_by_id, self.technician)
        intake = request.unit_intake_picking_id
        repair_location = self.warehouse.service_repair_location_id
        self.assertEqual(
            (intake.state, intake.location_id, intake.location_dest_id, intake.owner_id),
            ("done", self.customers, repair_location, self.customer),
        )
        # 2.2: out to the service centre and back, the same serial, still the customer's
        self.assertEqual(request.service_center_id, self.center)
        self.assertEqual(request.service_center_state, "returned")
        self.assertEqual(request.service_center_tracking_ref, "СДЭК 1234567")
        out, back = request.service_center_out_picking_id, request.service_center_in_picking_id
        self.assertEqual(
            (out.state, out.location_dest_id, out.owner_id), ("done", self.centres, self.customer)
        )
        self.assertEqual(
            (back.state, back.location_dest_id, back.owner_id),
            ("done", repair_location, self.customer),
        )
        self.assertEqual(back.move_line_ids.lot_id, lot)
        delivery = request.unit_return_picking_id
        self.assertEqual(
            (delivery.state, delivery.location_dest_id, delivery.owner_id),
            ("done", self.customers, self.customer),
        )
        self.assertTrue(request.is_closed, "the request closes with its repair")
        self.assertEqual(unit.state, "in_use")
        self.assertEqual(self._quants(lot), {}, "nothing left in the workshop, nothing ours")

        # the acts, printed as the technician, in the customer's language
        acceptance = self._report_text(
            self.technician, "service_repair.action_report_repair_acceptance", repair
        )
        self.assertIn("DUTY-PUMP-1", acceptance)
        self.assertIn("ООО «Насосы Тура»", acceptance)
        self.assertIn("Акт приёма", acceptance)
        completion = self._report_text(
            self.technician, "service_repair.action_report_repair_completion", repair
        )
        self.assertIn("Акт выполненных работ", completion)
        self.assertIn("Крыльчатка IM-5", completion)
        self.assertIn("Заменена крыльчатка", completion)

        # 2.5: the maintenance request's report
        maintenance = self.maintenance
        self.assertTrue(maintenance.is_closed)
        self.assertIn("Заменён фильтр", maintenance.resolution)
        report = self._report_text(
            self.technician, "service_repair.action_report_service_request_maintenance", maintenance
        )
        self.assertIn(maintenance.name, report)
        self.assertIn("Заменён фильтр", report)
        self.assertIn("Иван Техников", report)


@tagged("post_install", "-at_install", "service_suite")
class TestStorekeeperDuties(FieldDutyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.test_lock:
            cls._setup_warehouse_data()

    @classmethod
    def _setup_warehouse_data(cls):
        env = cls.env
        # Settings > Inventory: Storage Locations and Consignment, without which
        # nobody sees the repair location nor whose stock a customer's unit is.
        env.ref("base.group_user").implied_ids = [
            Command.link(env.ref("stock.group_stock_multi_locations").id),
            Command.link(env.ref("stock.group_tracking_owner").id),
        ]
        Request = env["service.request"].with_user(cls.technician).with_context(lang="ru_RU")
        # A unit accepted for repair, its repair waiting for two parts: one in
        # stock (reserved), one missing.
        cls.unit_in = cls._unit("DUTY-PUMP-2", months_ago=6)
        cls.request_in = Request.create(
            {
                "subject": "Насос не включается",
                "partner_id": cls.customer.id,
                "equipment_id": cls.unit_in.id,
                "request_type": "repair",
            }
        )
        cls.request_in.action_receive_unit()
        cls.request_in.action_create_repair()
        cls.repair_in = cls.request_in.repair_ids
        Product = env["product.product"]
        for part, quantity in ((cls.impeller, 1), (cls.seal, 2)):
            Product.browse(part.id).with_user(cls.technician).service_parts_add_to_repair(
                cls.repair_in.id, quantity=quantity
            )
        cls.repair_in.with_user(cls.technician).action_validate()
        # A unit at the service centre.
        cls.unit_out = cls._unit("DUTY-PUMP-3", months_ago=9)
        cls.request_out = Request.create(
            {
                "subject": "Течь по валу",
                "partner_id": cls.customer.id,
                "equipment_id": cls.unit_out.id,
                "request_type": "repair",
            }
        )
        cls.request_out.action_send_to_service_center(cls.center, tracking_ref="ПЭК 77")
        # Parts ordered from the supplier, on their way.
        cls.receipt = env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.in_type_id.id,
                "partner_id": cls.supplier.id,
                "location_id": env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": cls.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": part.name,
                            "product_id": part.id,
                            "product_uom_qty": 3,
                            "product_uom": part.uom_id.id,
                            "location_id": env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": cls.stock.id,
                        }
                    )
                    for part in (cls.impeller, cls.seal)
                ],
            }
        )
        cls.receipt.action_confirm()
        # A unit replaced under warranty: its return and the replacement to ship.
        cls.unit_claimed = cls._unit("DUTY-PUMP-4", months_ago=2)
        cls.spare = env["stock.lot"].create({"name": "DUTY-PUMP-5", "product_id": cls.pump.id})
        env["stock.quant"]._update_available_quantity(cls.pump, cls.stock, 1, lot_id=cls.spare)
        cls.claim = env["service.warranty.claim"].create(
            {
                "partner_id": cls.customer.id,
                "lot_id": cls.unit_claimed.lot_id.id,
                "defect_description": "Не держит давление.",
            }
        )
        cls.claim.action_start_inspection()
        cls.claim.write({"decision": "replace", "replacement_lot_id": cls.spare.id})
        cls.claim.action_decide()

    def test_storekeeper_does_the_whole_job(self):
        self.assertEqual(self.claim.state, "decided")
        self.assertEqual(self.repair_in.state, "confirmed")
        self.start_tour("/odoo", "service_duty_storekeeper_tour", login="duty_store", timeout=180)

        # the parts ordered are in, so nothing is missing any more
        self.assertEqual(self.receipt.state, "done")
        Requirement = self.env["service.part.requirement"]
        needs = Requirement.search([("repair_id", "=", self.repair_in.id)])
        self.assertEqual(set(needs.product_id), {self.impeller, self.seal})
        self.assertFalse(needs.filtered("missing_qty"), "the receipt covers what was missing")
        self.assertEqual(self.seal.with_context(location=self.stock.id).qty_available, 3)

        # the claim's unit came back and its replacement went out, validated in Inventory
        back, out = self.claim.return_picking_id, self.claim.replacement_picking_id
        self.assertEqual((back.state, out.state), ("done", "done"))
        self.assertEqual(self.unit_claimed.lot_id, self.spare, "the unit is the new serial")
        self.assertEqual(self.spare.service_warranty_partner_id, self.customer)
        self.assertEqual(self._quants(self.spare), {(self.customers, self.env["res.partner"]): 1})

        # the customers' units stayed the customer's stock throughout
        repair_location = self.warehouse.service_repair_location_id
        self.assertEqual(
            self._quants(self.unit_in.lot_id),
            {(repair_location, self.customer): 1, (self.customers, self.customer): -1},
        )
        self.assertEqual(
            self._quants(self.unit_out.lot_id),
            {(self.centres, self.customer): 1, (self.customers, self.customer): -1},
        )


@tagged("post_install", "-at_install", "service_suite")
class TestPortalCustomerDuties(FieldDutyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.test_lock:
            cls._setup_portal_data()

    @classmethod
    def _setup_portal_data(cls):
        env = cls.env
        service = env["product.product"].create(
            {"name": "ТО насоса раз в квартал", "type": "service", "list_price": 9000.0}
        )
        cls.contract = env["service.contract"].create(
            {
                "partner_id": cls.customer.id,
                "title": "Обслуживание насосной станции",
                "date_start": cls.today.replace(day=1),
                "line_ids": [Command.create({"product_id": service.id, "price_unit": 9000.0})],
            }
        )
        cls.contract.action_activate()
        cls.old_claim = env["service.warranty.claim"].create(
            {
                "partner_id": cls.customer.id,
                "lot_id": cls.unit.lot_id.id,
                "defect_description": "Стучит подшипник.",
            }
        )

    def test_portal_customer_does_the_whole_job(self):
        self.start_tour("/my", "service_duty_portal_tour", login="duty_portal", timeout=180)
        partner = self.contact
        # a message on the request, from the customer
        message = self.request.message_ids.filtered(
            lambda m: "Когда приедет инженер?" in (m.body or "")
        )
        self.assertEqual(message.author_id, partner)
        self.assertEqual(message.message_type, "comment")
        # a new request for the unit, from the portal
        new = self.env["service.request"].search([("subject", "=", "Насос гудит при пуске")])
        self.assertEqual(
            (new.partner_id, new.equipment_id, new.channel), (partner, self.unit, "portal")
        )
        # a new claim for the unit, from the portal
        claim = self.env["service.warranty.claim"].search(
            [("defect_description", "=", "Течёт сальник после ремонта.")]
        )
        self.assertEqual((claim.partner_id, claim.lot_id), (partner, self.unit.lot_id))
        self.assertEqual(claim.state, "new")
        self.assertTrue(claim.in_warranty)


@tagged("post_install", "-at_install", "service_suite")
class TestFieldRoleGaps(TransactionCase):
    """What the tours above found, one test each (each failed before its fix)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.storekeeper = new_test_user(
            cls.env, login="gap_store", groups="stock.group_stock_user", lang="ru_RU"
        )

    def test_storekeeper_receives_parts_a_repair_waits_for(self):
        env = self.env
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        customer = env["res.partner"].create({"name": "Gap Customer", "is_company": True})
        model = env["product.product"].create(
            {"name": "Gap Pump", "is_storable": True, "tracking": "serial", "is_equipment": True}
        )
        lot = env["stock.lot"].create({"name": "GAP-PUMP-1", "product_id": model.id})
        unit = env["service.equipment"].create(
            {"product_id": model.id, "lot_id": lot.id, "partner_id": customer.id}
        )
        part = env["product.product"].create({"name": "Gap Seal", "is_storable": True})
        request = env["service.request"].create(
            {"partner_id": customer.id, "equipment_id": unit.id, "request_type": "repair"}
        )
        request.action_receive_unit()
        request.action_create_repair()
        repair = request.repair_ids
        part.service_parts_add_to_repair(repair.id, quantity=2)
        repair.action_validate()
        need = repair.move_ids.filtered(lambda m: m.product_id == part)
        self.assertEqual(need.state, "confirmed", "waiting for the part")
        suppliers = env.ref("stock.stock_location_suppliers")
        receipt = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": suppliers.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": part.name,
                            "product_id": part.id,
                            "product_uom_qty": 2,
                            "product_uom": part.uom_id.id,
                            "location_id": suppliers.id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        self.env.invalidate_all()  # the storekeeper's own reads, as in a new request
        # Receiving reserves the part for the repair: stock_account then asks the
        # repair's analytic account, which read its request as the storekeeper.
        receipt.with_user(self.storekeeper).button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(need.state, "assigned")

    def test_storekeeper_finds_the_parts_requirements_in_inventory(self):
        Menu = self.env["ir.ui.menu"].with_user(self.storekeeper)
        visible = Menu._visible_menu_ids()
        inventory = self.env.ref("stock.menu_stock_root")
        for xmlid in (
            "service_parts.menu_service_parts_lookup_stock",
            "service_parts.menu_service_parts_requirement_stock",
        ):
            with self.subTest(menu=xmlid):
                menu = self.env.ref(xmlid, raise_if_not_found=False)
                self.assertTrue(menu, "the menu exists")
                self.assertIn(menu.id, visible)
                self.assertIn(str(inventory.id), menu.parent_path.split("/"))
        Requirement = self.env["service.part.requirement"].with_user(self.storekeeper)
        Requirement.check_access("read")
        Requirement.search_count([])

    def test_quality_check_is_named_after_its_repair(self):
        check = self.env["service.qc.check"].new({})
        check.repair_id = self.env["repair.order"].new({"name": "WH/RO/0042"})
        self.assertEqual(check.display_name, "Quality check of WH/RO/0042")
        self.assertEqual(
            check.with_context(lang="ru_RU").display_name, "Проверка качества WH/RO/0042"
        )

    def test_web_client_terms_are_not_overridden(self):
        # The web client merges every module's terms into one table, in no set
        # order: a term of ours that another module translates otherwise shows
        # either translation ("days": "дни" after a number, "Incoming": "Входящий").
        terms = self._web_terms(self.env.registry._init_modules)
        ours = set(suite_addons())
        clashes = sorted(
            (module, msgid, other)
            for module in ours & set(terms)
            for msgid, string in terms[module].items()
            for other, other_terms in terms.items()
            if other not in ours and other_terms.get(msgid, string) != string
        )
        self.assertFalse(clashes, "terms translated otherwise by another module")

    def _web_terms(self, modules):
        translations, __ = self.env["ir.http"].get_translations_for_webclient(modules, "ru_RU")
        return {
            module: {m["id"]: m["string"] for m in data.get("messages", ())}
            for module, data in translations.items()
        }
