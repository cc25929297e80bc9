from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields
from odoo.tests import new_test_user, tagged
from odoo.tools import format_date

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyAnswer(WarrantyCase):
    """One warranty answer, its end date and its source, wherever it is shown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        # A gadget without warranty policy: only a contract covers it.
        cls.gadget = cls.env["product.product"].create(
            {
                "name": "Contract Heat Pump HP-9",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        cls.lot = cls._lots("ANS", 1, product=cls.gadget)
        cls._receive(cls.lot)
        cls._deliver(cls.lot)
        cls.unit = cls.lot.service_equipment_ids
        cls.contract_end = cls.today + relativedelta(months=10)
        cls.contract = cls.env["service.contract"].create(
            {
                "partner_id": cls.customer.id,
                "date_start": cls.today - relativedelta(months=2),
                "date_end": cls.contract_end,
                "cover_labour": True,
                "cover_parts": True,
                "line_ids": [Command.create({"equipment_id": cls.unit.id})],
            }
        )
        cls.contract.action_activate()

    def _extended(self):
        return (
            f"Extended by contract No. {self.contract.name} until "
            f"{format_date(self.env, self.contract_end)}."
        )

    def test_contract_answer_has_its_end_date_and_source(self):
        status = (
            self.env["stock.lot"]
            .with_user(self.service_user)
            .service_warranty_status(self.lot.name)
        )
        self.assertTrue(status["in_warranty"])
        self.assertEqual(status["source"], "contract")
        self.assertEqual(status["contract_id"], self.contract.id)
        self.assertEqual(status["warranty_end"], fields.Date.to_string(self.contract_end))
        self.assertFalse(status["manufacturer_warranty_end"])
        self.assertEqual(status["days_left"], (self.contract_end - self.today).days + 1)
        self.assertEqual(status["label"], self._extended())

    def test_every_screen_shows_the_same_answer(self):
        unit = self.unit.with_user(self.service_user)
        self.assertTrue(unit.service_in_warranty)
        self.assertEqual(unit.service_warranty_source, "contract")
        self.assertEqual(unit.service_warranty_valid_until, self.contract_end)
        self.assertEqual(unit.service_warranty_label, self._extended())
        self.assertEqual(unit.lot_id.service_warranty_label, self._extended())
        notification = unit.action_service_warranty_status()
        self.assertEqual(notification["params"]["message"], self._extended())
        self.assertEqual(notification["params"]["type"], "success")
        repair = self.env["repair.order"].create(
            {"product_id": self.gadget.id, "lot_id": self.lot.id, "partner_id": self.customer.id}
        )
        self.assertEqual(repair.service_warranty_label, self._extended())
        self.assertEqual(
            repair.action_service_warranty_status()["params"]["message"], self._extended()
        )

    def test_claim_and_its_act_show_the_contract_answer(self):
        claim = (
            self.env["service.warranty.claim"]
            .with_user(self.service_user)
            .create(
                {
                    "partner_id": self.customer_contact.id,
                    "lot_id": self.lot.id,
                    "defect_description": "Compressor stops",
                }
            )
        )
        self.assertTrue(claim.in_warranty)
        self.assertEqual(claim.warranty_end, self.contract_end)
        self.assertEqual(claim.warranty_source, "contract")
        self.assertEqual(claim.warranty_label, self._extended())
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("service_contracts.action_report_warranty_claim", claim.ids)[0]
            .decode()
        )
        self.assertIn(self.contract.name, html)
        self.assertIn(format_date(self.env, self.contract_end), html)

    def test_open_ended_contract_has_no_end(self):
        self.contract.date_end = False
        status = self.env["stock.lot"].service_warranty_status(self.lot.name)
        self.assertTrue(status["in_warranty"])
        self.assertFalse(status["warranty_end"])
        self.assertIs(status["days_left"], False)
        self.assertEqual(
            status["label"], f"Extended by contract No. {self.contract.name} (open-ended)."
        )

    def test_answer_without_contract_rights_does_not_name_the_contract(self):
        storekeeper = new_test_user(
            self.env, login="wa_storekeeper", groups="stock.group_stock_user"
        )
        lot = self.lot.with_user(storekeeper)
        self.assertEqual(
            lot.service_warranty_label,
            f"Extended by a service contract until {format_date(self.env, self.contract_end)}.",
        )

    def test_manufacturer_warranty_answers_while_it_runs(self):
        lot = self._lots("ANSM", 1)
        self._receive(lot)
        self._deliver(lot)
        end = self.today + relativedelta(months=24, days=-1)
        self.assertEqual(
            lot.service_warranty_label,
            f"In manufacturer warranty until {format_date(self.env, end)}.",
        )
        self.assertEqual(lot.service_warranty_source, "warranty")
        before = self.env["stock.lot"].service_warranty_status(
            lot.name, self.today - relativedelta(days=3)
        )
        self.assertFalse(before["in_warranty"])
        self.assertEqual(
            before["label"],
            f"Manufacturer warranty starts on {format_date(self.env, self.today)}.",
        )


@tagged("post_install", "-at_install")
class TestWarrantyInstallation(WarrantyCase):
    """A policy counting from installation starts the warranty on the unit's installation date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.start_on = "installation"

    def test_unit_registered_later_with_its_installation_date(self):
        product = self.env["product.product"].create(
            {
                "name": "Boiler not registered at delivery",
                "categ_id": self.category.id,
                "is_storable": True,
                "tracking": "serial",
            }
        )
        lot = self._lots("INSL", 1, product=product)
        self._receive(lot)
        self._deliver(lot)
        self.assertFalse(lot.service_equipment_ids)
        product.is_equipment = True
        installed = fields.Date.context_today(lot) + relativedelta(days=12)
        self.env["service.equipment"].create(
            {
                "product_id": product.id,
                "lot_id": lot.id,
                "partner_id": self.customer.id,
                "installation_date": installed,
            }
        )
        self.assertEqual(lot.service_warranty_start, installed)
        self.assertEqual(lot.service_warranty_end, installed + relativedelta(months=24, days=-1))

    def test_clearing_the_installation_date_counts_from_delivery(self):
        lot = self._lots("INSC", 1)
        self._receive(lot)
        self._deliver(lot)
        delivered = lot.service_warranty_start
        unit = lot.service_equipment_ids
        unit.installation_date = delivered + relativedelta(days=40)
        self.assertEqual(lot.service_warranty_start, delivered + relativedelta(days=40))
        unit.installation_date = False
        self.assertEqual(lot.service_warranty_start, delivered)
        self.assertEqual(lot.service_warranty_end, delivered + relativedelta(months=24, days=-1))


@tagged("post_install", "-at_install")
class TestDeliveredUnits(WarrantyCase):
    """A delivery to a customer registers the delivered equipment in the installed base."""

    def test_delivery_registers_one_unit_per_serial(self):
        lots = self._lots("UNIT", 2)
        self._receive(lots)
        self.assertFalse(lots.service_equipment_ids, "a receipt registers no unit")
        picking = self._deliver(lots)
        for lot in lots:
            unit = lot.service_equipment_ids
            self.assertEqual(len(unit), 1)
            self.assertEqual(unit.product_id, self.model)
            self.assertEqual(unit.partner_id, self.customer)
            self.assertEqual(unit.company_id, picking.company_id)
            self.assertEqual(unit.sale_date, fields.Date.context_today(lot))
        # A return and a second delivery (after a repair) register no other unit.
        self._transfer(
            lots[0], self.warehouse.in_type_id, self.customer_location, self.stock, self.customer
        )
        self._deliver(lots[0])
        self.assertEqual(len(lots[0].service_equipment_ids), 1)

    def test_no_unit_for_what_is_no_equipment(self):
        product = self.env["product.product"].create(
            {"name": "Spare burner", "is_storable": True, "tracking": "serial"}
        )
        lot = self._lots("NOEQ", 1, product=product)
        self._receive(lot)
        self._deliver(lot)
        self.assertFalse(lot.service_equipment_ids)
        self.assertTrue(lot.service_warranty_start)

    def test_storekeeper_delivery_registers_units(self):
        storekeeper = new_test_user(
            self.env, login="du_storekeeper", groups="stock.group_stock_user"
        )
        lot = self._lots("STK", 1)
        self._receive(lot)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer_contact.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.model.name,
                            "product_id": self.model.id,
                            "product_uom_qty": 1,
                            "product_uom": self.model.uom_id.id,
                            "location_id": self.stock.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.write({"lot_id": lot.id, "quantity": 1})
        picking.move_ids.picked = True
        picking.with_user(storekeeper).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(lot.service_equipment_ids.partner_id, self.customer)

    def _unit_queries(self, count):
        lots = self._lots(f"UQ{count}", count)
        self._receive(lots)
        picking = self._deliver(lots)
        self.env["service.equipment"].search([("lot_id", "in", lots.ids)]).unlink()
        self.env.invalidate_all()
        moves = self.env["stock.move"].browse(picking.move_ids.ids)
        before = self.env.cr.sql_log_count
        moves._service_create_delivered_units()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(
            len(self.env["service.equipment"].search([("lot_id", "in", lots.ids)])), count
        )
        return queries

    def test_unit_registration_query_count_independent_of_serials(self):
        queries_5 = self._unit_queries(5)
        queries_40 = self._unit_queries(40)
        self.assertEqual(queries_5, queries_40)
        lots = self._lots("UQX", 5)
        self._receive(lots)
        picking = self._deliver(lots)
        self.env["service.equipment"].search([("lot_id", "in", lots.ids)]).unlink()
        self.env.invalidate_all()
        moves = self.env["stock.move"].browse(picking.move_ids.ids)
        with self.assertQueryCount(queries_5):
            moves._service_create_delivered_units()


@tagged("post_install", "-at_install")
class TestWarrantyCompanyIsolation(WarrantyCase):
    """A serial of one company answers nobody of another."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Warranty Company B"})
        cls.user_b = new_test_user(
            cls.env,
            login="wa_user_b",
            groups="service_base.group_service_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )

    def _receive_new_serial(self, name):
        """A receipt that creates its serial from the typed number, as a storekeeper does."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "partner_id": self.vendor.id,
                "location_id": self.supplier_location.id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.model.name,
                            "product_id": self.model.id,
                            "product_uom_qty": 1,
                            "product_uom": self.model.uom_id.id,
                            "location_id": self.supplier_location.id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.write({"lot_name": name, "quantity": 1})
        picking.move_ids.picked = True
        picking.button_validate()
        return picking.move_ids.move_line_ids.lot_id

    def test_lot_created_at_receipt_takes_the_company(self):
        lot = self._receive_new_serial("ISO-RCPT-1")
        self.assertEqual(lot.company_id, self.company)

    def test_status_answers_only_for_readable_serials(self):
        lot = self._receive_new_serial("ISO-1")
        self._deliver(lot)
        env_b = api.Environment(self.env.cr, self.user_b.id, {})
        status = api.call_kw(env_b["stock.lot"], "service_warranty_status", ["ISO-1"], {})
        self.assertEqual(status["source"], "unknown")
        self.assertFalse(status["partner"])
        self.assertFalse(status["warranty_end"])
        env_a = api.Environment(self.env.cr, self.service_user.id, {})
        status = api.call_kw(env_a["stock.lot"], "service_warranty_status", ["ISO-1"], {})
        self.assertEqual(status["source"], "warranty")
        self.assertEqual(status["partner"][0], self.customer.id)

    def test_delivery_gives_a_lot_without_company_its_company(self):
        lot = self.env["stock.lot"].create({"name": "ISO-NOCOMP", "product_id": self.model.id})
        self.assertFalse(lot.company_id)
        self._receive(lot)
        self._deliver(lot)
        self.assertEqual(lot.company_id, self.company)
        env_b = api.Environment(self.env.cr, self.user_b.id, {})
        status = env_b["stock.lot"].service_warranty_status("ISO-NOCOMP")
        self.assertEqual(status["source"], "unknown")
