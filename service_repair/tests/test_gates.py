"""The rules of requests, units, service centres, loaners and repairs hold
against direct writes: a service user (or a stock user) writing over RPC the
field an action guards, then running the next action, is refused in words."""

import re

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import ServiceRepairCase

GUARDED = "can only be set by its actions"


@tagged("post_install", "-at_install")
class TestGates(ServiceRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.center = cls.env["res.partner"].create(
            {"name": "SR Gate Centre", "is_company": True, "is_service_center": True}
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.request = cls.Request.create(
            {"partner_id": cls.customer.id, "equipment_id": cls.unit.id, "subject": "Gate"}
        )
        cls.stock_user = new_test_user(
            cls.env, login="sr_gate_stock", groups="stock.group_stock_user"
        )

    def _as_tech(self, records):
        return records.with_user(self.tech_boilers)

    def assertGuarded(self, records, vals):
        with self.assertRaisesRegex(UserError, GUARDED), self.env.cr.savepoint():
            records.write(vals)

    def test_request_facts_refused(self):
        request = self._as_tech(self.request)
        rule = self.env["service.dispatch.rule"].create({"name": "Gate", "team_id": self.team.id})
        for vals in (
            {"date_closed": "2026-01-01 10:00:00"},
            {"date_assigned": "2020-01-01 10:00:00"},
            {"date_deadline": "2099-01-01 10:00:00"},
            {"dispatch_rule_id": rule.id},
            {"email_message_id": "<forged@ext>"},
            {"is_closed": True},
            {"commercial_partner_id": self.other_customer.id},
        ):
            with self.subTest(vals=vals):
                self.assertGuarded(request, vals)
        with self.assertRaisesRegex(UserError, GUARDED):
            self.Request.with_user(self.tech_boilers).create(
                {"partner_id": self.customer.id, "subject": "Closed at birth", "is_closed": True}
            )
        # The next action sees the request as it is: open, in the queue.
        self.assertFalse(self.request.is_closed)
        self.assertEqual(self.request.commercial_partner_id, self.customer)
        self.assertEqual(request.action_dispatch(), self.request.ids)
        self.assertTrue(self.request.user_id)

    def test_mail_gateway_values_cannot_set_facts(self):
        """message_new is public: its custom values (an alias default, an RPC
        caller's) do not reach the guarded fields it sets itself."""
        request = self.Request.with_user(self.tech_boilers).message_new(
            {"message_id": "<gate-forged@ext>", "subject": "Forged", "body": "x"},
            {
                "date_deadline": "2099-01-01 00:00:00",
                "email_message_id": "<other@ext>",
                "is_closed": True,
                "team_id": self.team.id,
            },
        )
        self.assertEqual(request.email_message_id, "<gate-forged@ext>")
        self.assertFalse(request.is_closed)
        self.assertNotEqual(request.date_deadline.year, 2099)
        self.assertEqual(request.team_id, self.team)

    def test_refusal_in_the_users_language(self):
        # as an RPC client sends it: the user's language in the context
        with self.assertRaises(UserError) as refusal:
            self._as_tech(self.request).with_context(lang="ru_RU").write({"is_closed": True})
        self.assertTrue(re.search("[а-яА-Я]", str(refusal.exception)), str(refusal.exception))

    def test_dates_are_facts_of_the_form_edits(self):
        """Assigning and closing from the form still work and date themselves."""
        with Form(self._as_tech(self.request)) as form:
            form.user_id = self.tech_boilers2
        self.assertTrue(self.request.date_assigned)
        self.assertFalse(self.request.date_closed)
        self._as_tech(self.request).stage_id = self.env.ref("service_repair.stage_done")
        self.assertTrue(self.request.date_closed)
        self.assertTrue(self.request.is_closed)
        self._as_tech(self.request).stage_id = self.env.ref("service_repair.stage_new")
        self.assertFalse(self.request.date_closed)

    def test_service_centre_and_loaner_states_refused(self):
        request = self._as_tech(self.request)
        other = self._unit("SR-GATE-OTHER", self.boiler, self.customer)
        self.env["stock.quant"]._update_available_quantity(
            self.boiler, self.warehouse.lot_stock_id, 1, lot_id=other.lot_id
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.warehouse.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        for vals in (
            {
                "service_center_id": self.center.id,
                "service_center_state": "sent",
                "service_center_out_picking_id": picking.id,
            },
            {"service_center_state": "sent"},
            {"date_sent_to_center": "2026-01-01", "date_returned": "2026-01-02"},
            {"loaner_state": "lent", "loaner_equipment_id": other.id},
            {"loaner_out_picking_id": picking.id},
        ):
            with self.subTest(vals=vals):
                self.assertGuarded(request, vals)
        # Nothing was sent nor lent, so nothing comes back.
        with self.assertRaisesRegex(UserError, "no unit at a service centre"):
            request.action_receive_from_service_center()
        with self.assertRaisesRegex(UserError, "No loaner unit is lent"):
            request.action_return_loaner()
        # What the form edits stays editable.
        request.write({"service_center_tracking_ref": "CDEK-1"})

    def test_expected_return_not_before_sending(self):
        request = self._as_tech(self.request)
        request.action_send_to_service_center(self.center)
        with (
            self.assertRaisesRegex(ValidationError, "expected back before it was sent"),
            self.env.cr.savepoint(),
        ):
            request.date_expected_return = "2000-01-01"

    def test_unit_state_refused_and_actions_move_it(self):
        unit = self._as_tech(self.unit)
        for state in ("retired", "at_service_center", "on_loan", "in_repair"):
            with self.subTest(state=state):
                self.assertGuarded(unit, {"state": state})
        with self.assertRaisesRegex(UserError, GUARDED):
            self.env["service.equipment"].with_user(self.tech_boilers).create(
                {
                    "product_id": self.boiler.id,
                    "lot_id": self.env["stock.lot"]
                    .create({"name": "SR-GATE-NEW", "product_id": self.boiler.id})
                    .id,
                    "state": "on_loan",
                }
            )
        # The actions move it: to the service centre and back.
        self._as_tech(self.request).action_send_to_service_center(self.center)
        self.assertEqual(self.unit.state, "at_service_center")
        # ... and a unit away cannot be put back "in use" by hand.
        self.assertGuarded(unit, {"state": "in_use"})
        self._as_tech(self.request).action_receive_from_service_center()
        self.assertEqual(self.unit.state, "in_repair")

    def test_customer_unit_never_joins_the_loaner_pool(self):
        """A customer's unit in the workshop, flagged as a loaner, would be lent
        to another customer out of the company's stock."""
        self.env["stock.quant"]._update_available_quantity(
            self.boiler, self.warehouse.lot_stock_id, 1, lot_id=self.unit.lot_id
        )
        with (
            self.assertRaisesRegex(ValidationError, "only the company's own units"),
            self.env.cr.savepoint(),
        ):
            self._as_tech(self.unit).is_loaner = True
        other_request = self.Request.create({"partner_id": self.other_customer.id})
        with self.assertRaisesRegex(UserError, "not in the loaner pool"):
            self._as_tech(other_request).action_lend_loaner(self.unit.id)
        # A lent loaner stays in the pool until it comes back.
        loaner = self._unit("SR-GATE-LOAN", self.boiler, self.env["res.partner"])
        loaner.is_loaner = True
        self.env["stock.quant"]._update_available_quantity(
            self.boiler, self.warehouse.lot_stock_id, 1, lot_id=loaner.lot_id
        )
        self._as_tech(other_request).action_lend_loaner(loaner.id)
        with self.assertRaisesRegex(ValidationError, "stays in its pool"), self.env.cr.savepoint():
            self._as_tech(loaner).is_loaner = False
        with (
            self.assertRaisesRegex(ValidationError, "only the company's own units"),
            self.env.cr.savepoint(),
        ):
            self._as_tech(loaner).partner_id = self.other_customer

    def test_retire_is_for_managers_and_units_at_home(self):
        with self.assertRaises(AccessError):
            self._as_tech(self.unit).action_retire()
        self.assertEqual(self.unit.state, "in_use")
        self._as_tech(self.request).action_send_to_service_center(self.center)
        with self.assertRaisesRegex(UserError, "bring it back before retiring it"):
            self.unit.with_user(self.manager).action_retire()
        self._as_tech(self.request).action_receive_from_service_center()
        self.unit.with_user(self.manager).action_retire()
        self.assertEqual(self.unit.state, "retired")
        with self.assertRaises(AccessError):
            self._as_tech(self.unit).action_reactivate()
        self.unit.with_user(self.manager).action_reactivate()
        self.assertEqual(self.unit.state, "in_use")

    def test_dispatch_pointer_refused(self):
        rule = self.env["service.dispatch.rule"].create(
            {"name": "Gate RR", "team_id": self.team.id, "strategy": "round_robin"}
        )
        with self.assertRaisesRegex(UserError, GUARDED):
            rule.with_user(self.manager).last_user_id = self.tech_climate
        request = self.Request.create({"partner_id": self.customer.id, "subject": "RR"})
        self._as_tech(request).action_dispatch()
        self.assertEqual(rule.last_user_id, request.user_id)

    def test_repair_date_done_is_a_fact(self):
        action = self._as_tech(self.request).action_create_repair()
        repair = self.env["repair.order"].browse(action["res_id"])
        with self.assertRaisesRegex(UserError, GUARDED):
            repair.with_user(self.tech_boilers).service_date_done = "2020-01-01 10:00:00"
        repair.action_validate()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertTrue(repair.service_date_done)

    def test_repair_unit_and_serial_agree(self):
        action = self._as_tech(self.request).action_create_repair()
        repair = self.env["repair.order"].browse(action["res_id"]).with_user(self.tech_boilers)
        other = self._unit("SR-GATE-R2", self.boiler, self.customer)
        with (
            self.assertRaisesRegex(ValidationError, "is not the serial of unit"),
            self.env.cr.savepoint(),
        ):
            repair.lot_id = other.lot_id
        with self.assertRaisesRegex(ValidationError, "but its request"), self.env.cr.savepoint():
            repair.write({"equipment_id": other.id, "lot_id": other.lot_id.id})

    def test_stock_user_cannot_close_a_request_through_a_repair(self):
        """Ending a repair closes its request under sudo: linking a repair to a
        request takes the right to change that request."""
        stock_env = self.env(user=self.stock_user)
        with self.assertRaises(AccessError):
            stock_env["repair.order"].create(
                {
                    "product_id": self.boiler.id,
                    "lot_id": self.unit.lot_id.id,
                    "partner_id": self.customer.id,
                    "request_id": self.request.id,
                }
            )
        repair = stock_env["repair.order"].create(
            {
                "product_id": self.boiler.id,
                "lot_id": self.unit.lot_id.id,
                "partner_id": self.customer.id,
            }
        )
        with self.assertRaises(AccessError):
            repair.request_id = self.request
        repair.action_validate()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertFalse(self.request.is_closed)

    def test_registered_serial_comes_with_its_unit(self):
        """A's request carrying B's serial alone would take B's warranty."""
        foreign = self._unit("SR-GATE-B", self.boiler, self.other_customer)
        request = self.Request.with_user(self.tech_boilers).create(
            {"partner_id": self.customer.id, "subject": "Loose serial"}
        )
        with (
            self.assertRaisesRegex(ValidationError, "registered as a unit"),
            self.env.cr.savepoint(),
        ):
            request.lot_id = foreign.lot_id
        self.assertFalse(request._is_under_warranty())

    def test_service_transfers_stay_service_transfers(self):
        """A loaner's delivery unflagged would count as a sale (a warranty, a new owner)."""
        loaner = self._unit("SR-GATE-LOAN2", self.boiler, self.env["res.partner"])
        loaner.is_loaner = True
        self.env["stock.quant"]._update_available_quantity(
            self.boiler, self.warehouse.lot_stock_id, 1, lot_id=loaner.lot_id
        )
        picking = self.env["stock.picking"].browse(
            self._as_tech(self.request).action_lend_loaner(loaner.id)
        )
        self.assertTrue(picking.service_unit_transfer)
        with self.assertRaisesRegex(UserError, GUARDED):
            picking.with_user(self.stock_user).service_unit_transfer = False
        with self.assertRaisesRegex(UserError, GUARDED):
            self.env["stock.picking"].with_user(self.stock_user).create(
                {
                    "picking_type_id": self.warehouse.out_type_id.id,
                    "location_id": self.warehouse.lot_stock_id.id,
                    "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                    "service_unit_transfer": True,
                }
            )
