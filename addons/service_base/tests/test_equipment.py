import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ServiceBaseCase


@tagged("post_install", "-at_install")
class TestEquipment(ServiceBaseCase):
    def test_create_through_form(self):
        lot = self._lot("SB-0001")
        form = Form(self.env["service.equipment"].with_user(self.service_user))
        form.lot_id = lot
        # Picking the serial fills the model.
        self.assertEqual(form.product_id, self.model)
        form.partner_id = self.customer_contact
        form.installation_date = "2025-03-01"
        unit = form.save()
        self.assertEqual(unit.name, "Test Boiler TB-1 / SB-0001")
        self.assertEqual(unit.commercial_partner_id, self.customer)
        self.assertEqual(unit.state, "in_use")
        self.assertEqual(self.customer.service_equipment_count, 1)
        self.assertEqual(self.customer_contact.service_equipment_count, 1)

        with Form(unit.with_user(self.service_user)) as form:
            form.site_partner_id = self.other_customer
        self.assertEqual(unit.site_partner_id, self.other_customer)

    def test_name_in_the_readers_language(self):
        """A unit named after its model reads in the reader's language, whoever
        registered it; a name typed by hand stays as typed."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.model.product_tmpl_id.update_field_translations("name", {"ru_RU": "Котёл ТБ-1"})
        lot = self._lot("SB-NAME")
        unit = (
            self.env["service.equipment"]
            .with_context(lang="en_US")
            .create({"product_id": self.model.id, "lot_id": lot.id})
        )
        self.assertEqual(unit.with_context(lang="en_US").name, "Test Boiler TB-1 / SB-NAME")
        self.assertEqual(unit.with_context(lang="ru_RU").name, "Котёл ТБ-1 / SB-NAME")
        self.assertEqual(
            self.env["service.equipment"]
            .with_context(lang="ru_RU")
            .search([("name", "ilike", "Котёл ТБ-1 / SB-NAME")]),
            unit,
        )
        # also when registered in Russian through the form
        with Form(self.env["service.equipment"].with_context(lang="ru_RU")) as form:
            form.lot_id = self._lot("SB-NAME-2")
        other = form.record
        self.assertEqual(other.with_context(lang="en_US").name, "Test Boiler TB-1 / SB-NAME-2")
        self.assertEqual(other.with_context(lang="ru_RU").name, "Котёл ТБ-1 / SB-NAME-2")
        unit.with_context(lang="ru_RU").name = "Котёл в котельной №2"
        self.assertEqual(unit.with_context(lang="ru_RU").name, "Котёл в котельной №2")

    def test_duplicate_serial_refused(self):
        lot = self._lot("SB-DUP")
        self.env["service.equipment"].create({"product_id": self.model.id, "lot_id": lot.id})
        with self.assertRaisesRegex(ValidationError, "SB-DUP is already registered"):
            self.env["service.equipment"].create({"product_id": self.model.id, "lot_id": lot.id})

    def test_duplicate_serial_refused_in_russian(self):
        lot = self._lot("SB-DUP-RU")
        self.env["res.lang"]._activate_lang("ru_RU")
        Equipment = self.env["service.equipment"].with_context(lang="ru_RU")
        Equipment.create({"product_id": self.model.id, "lot_id": lot.id})
        with self.assertRaisesRegex(ValidationError, "уже зарегистрирован"):
            Equipment.create({"product_id": self.model.id, "lot_id": lot.id})

    def test_duplicate_serial_database_constraint(self):
        """Two inserts that both pass the Python check still cannot both land."""
        lot = self._lot("SB-RACE")
        self.env["service.equipment"].create({"product_id": self.model.id, "lot_id": lot.id})
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "INSERT INTO service_equipment (name, product_id, lot_id, company_id, state)"
                    " VALUES ('{\"en_US\": \"raced\"}', %s, %s, %s, 'in_use')",
                    (self.model.id, lot.id, self.company.id),
                )

    def test_lot_of_another_product_refused(self):
        other_model = self.model.create(
            {"name": "Other model", "is_equipment": True, "is_storable": True, "tracking": "serial"}
        )
        lot = self._lot("SB-OTHER", product=other_model)
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self.env["service.equipment"].create({"product_id": self.model.id, "lot_id": lot.id})

    def test_state_change_tracked_in_chatter(self):
        unit = self.env["service.equipment"].create(
            {"product_id": self.model.id, "lot_id": self._lot("SB-TRACK").id}
        )
        # Odoo tracks changes made after the creation's transaction.
        self.env.flush_all()
        self.env.cr.precommit.run()
        unit.write({"state": "in_repair", "partner_id": self.customer.id})
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = unit.message_ids.tracking_value_ids
        fields_tracked = tracked.field_id.mapped("name")
        self.assertIn("state", fields_tracked)
        self.assertIn("partner_id", fields_tracked)
        state_value = tracked.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(state_value.old_value_char, "In Use")
        self.assertEqual(state_value.new_value_char, "In Repair")

    def test_unit_from_serial_with_delivery_history(self):
        lot = self._lot("SB-DELIV")
        stock = self.env.ref("stock.stock_location_stock")
        self.env["stock.quant"]._update_available_quantity(self.model, stock, 1, lot_id=lot)
        picking_type = self.env.ref("stock.picking_type_out")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": self.customer.id,
                "location_id": stock.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": self.model.name,
                            "product_id": self.model.id,
                            "product_uom_qty": 1,
                            "location_id": stock.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.write({"lot_id": lot.id, "quantity": 1})
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        # With service_contracts, the delivery itself registers the unit: this
        # tests registering a delivered serial by hand.
        lot.service_equipment_ids.unlink()

        action = lot.with_user(self.service_user).action_create_service_equipment()
        unit = self.env["service.equipment"].browse(action["res_id"])
        self.assertEqual(unit.lot_id, lot)
        self.assertEqual(unit.partner_id, self.customer)
        self.assertEqual(unit.sale_date, picking.date_done.date())
        self.assertEqual(unit.delivery_count, 1)
        deliveries = unit.action_view_deliveries()
        self.assertEqual(deliveries["res_model"], "stock.picking")

        with self.assertRaisesRegex(UserError, "already registered"):
            lot.action_create_service_equipment()

    def test_technician_skill_covers_subcategories(self):
        child = self.env["product.category"].create(
            {"name": "Condensing", "parent_id": self.category.id}
        )
        product = self.model.create({"name": "Condensing boiler", "categ_id": child.id})
        skill = self.env["service.skill"].create(
            {"name": "Boilers", "product_category_ids": [(6, 0, self.category.ids)]}
        )
        self.assertFalse(self.service_user._service_can_repair(product))
        self.service_user.service_skill_ids = skill
        self.assertTrue(self.service_user._service_can_repair(product))
        self.assertFalse(self.service_user._service_can_repair(self.env["product.product"]))

    def test_team_territory(self):
        ru = self.env.ref("base.ru")
        team = self.env["service.team"].create(
            {"name": "Moscow", "country_ids": [(6, 0, ru.ids)], "cities": "Москва, Moscow"}
        )
        self.customer.write({"country_id": ru.id, "city": " москва "})
        self.assertTrue(team._covers(self.customer))
        self.customer.city = "Kazan"
        self.assertFalse(team._covers(self.customer))
        team.handles_repair = False
        self.assertFalse(team._handles("repair"))
        self.assertTrue(team._handles("consultation"))


@tagged("post_install", "-at_install")
class TestDemoData(ServiceBaseCase):
    def test_demo_installed_base(self):
        """The demo database looks like a vendor's after-sales department."""
        units = self.env["service.equipment"].search([("lot_id.name", "=like", "__-2024-%")])
        self.assertGreaterEqual(len(units), 20)
        self.assertTrue(units.filtered("is_demo"))
        smirnov = self.env.ref("service_base.user_technician_smirnov")
        boiler = self.env.ref("service_base.product_boiler_vx200_product")
        self.assertTrue(smirnov._service_can_repair(boiler))
        self.assertEqual(len(self.env.ref("service_base.team_moscow").member_ids), 2)


@tagged("post_install", "-at_install")
class TestEquipmentModel(ServiceBaseCase):
    def test_equipment_model_form_counts_installed_units(self):
        self.env["service.equipment"].create(
            {"product_id": self.model.id, "lot_id": self._lot("SB-COUNT-1").id}
        )
        self.env["service.equipment"].create(
            {"product_id": self.model.id, "lot_id": self._lot("SB-COUNT-2").id}
        )
        with Form(self.model.product_tmpl_id) as form:
            self.assertEqual(form.service_equipment_count, 2)
        action = self.model.product_tmpl_id.action_view_service_equipment()
        self.assertEqual(self.env["service.equipment"].search_count(action["domain"]), 2)

    def test_variant_form_counts_and_opens_installed_units(self):
        # The variant form is built from the template form and gets its smart
        # button: validating it (as `-u sale` does) needs the method there too.
        self.env.ref("product.product_normal_form_view")._check_xml()
        self.env["service.equipment"].create(
            {"product_id": self.model.id, "lot_id": self._lot("SB-VARIANT-1").id}
        )
        with Form(self.model, view="product.product_normal_form_view") as form:
            self.assertEqual(form.service_equipment_count, 1)
        action = self.model.action_view_service_equipment()
        self.assertEqual(self.env["service.equipment"].search_count(action["domain"]), 1)
