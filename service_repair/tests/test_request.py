from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ServiceRepairCase


@tagged("post_install", "-at_install")
class TestServiceRequest(ServiceRepairCase):
    def test_sequence_defaults_and_unit(self):
        with Form(self.Request.with_user(self.manager)) as form:
            form.subject = "Boiler does not start"
            form.partner_id = self.customer
            form.equipment_id = self.unit
        request = form.record
        year = fields.Date.today().year
        self.assertRegex(request.name, rf"^SR/{year}/\d{{5}}$")
        self.assertEqual(request.lot_id, self.unit.lot_id)
        self.assertEqual(request.product_id, self.boiler)
        self.assertEqual(request.stage_id, self.env.ref("service_repair.stage_new"))
        self.assertIn(self.customer, request.message_partner_ids)
        self.assertEqual(request.access_url, f"/my/service-requests/{request.id}")
        # deadline from the per-priority default (72 h for normal)
        self.assertAlmostEqual(
            request.date_deadline,
            request.create_date + timedelta(hours=72),
            delta=timedelta(minutes=2),
        )
        request.priority = "2"
        self.assertAlmostEqual(
            request.date_deadline,
            request.create_date + timedelta(hours=8),
            delta=timedelta(minutes=2),
        )

    def test_explicit_reference_is_unique_per_company(self):
        # An integrator importing old requests may give their numbers; a
        # number already taken in the company is refused, not duplicated.
        first = self.Request.with_user(self.manager).create(
            {"subject": "Old request", "partner_id": self.customer.id, "name": "OLD/0001"}
        )
        self.assertEqual(first.name, "OLD/0001")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Request.with_user(self.manager).create(
                {"subject": "Again", "partner_id": self.customer.id, "name": "OLD/0001"}
            )

    def test_creation_message_in_russian_agrees(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        request = self.Request.with_context(lang="ru_RU").create(
            {"subject": "Не греет", "partner_id": self.customer.id}
        )
        first = request.message_ids.sorted("id")[:1]
        self.assertIn("Заявка создана", first.body or first.subtype_id.name or "")

    def test_unit_of_another_customer_refused(self):
        with (
            self.assertRaisesRegex(ValidationError, "belongs to SR Customer, not to SR Other"),
            self.env.cr.savepoint(),
        ):
            self.Request.create(
                {"partner_id": self.other_customer.id, "equipment_id": self.unit.id}
            )
        self.assertFalse(self.Request.search([("partner_id", "=", self.other_customer.id)]))

    def test_stage_tracking_and_close(self):
        request = self.Request.create({"partner_id": self.customer.id, "subject": "Q"})
        # what is created in a transaction is tracked from its next one
        self.env.flush_all()
        self.env.cr.precommit.run()
        request.stage_id = self.env.ref("service_repair.stage_in_progress")
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "service.request"),
                ("mail_message_id.res_id", "=", request.id),
                ("field_id.name", "=", "stage_id"),
            ]
        )
        self.assertTrue(tracked)
        request.action_close()
        self.assertEqual(request.stage_id, self.env.ref("service_repair.stage_done"))
        self.assertTrue(request.is_closed)
        self.assertTrue(request.date_closed)

    def test_unit_history_from_request_and_equipment(self):
        old = self.Request.create(
            {"partner_id": self.customer.id, "equipment_id": self.unit.id, "subject": "old"}
        )
        new = self.Request.create(
            {"partner_id": self.customer.id, "equipment_id": self.unit.id, "subject": "new"}
        )
        self.assertEqual(new.history_count, 1)
        action = new.action_view_unit_history()
        self.assertEqual(self.Request.search(action["domain"]), old)
        self.assertEqual(self.unit.service_request_count, 2)
        action = self.unit.action_view_service_requests()
        self.assertEqual(self.Request.search(action["domain"]), old | new)
        self.assertEqual(new.action_view_equipment()["res_id"], self.unit.id)
        without_unit = self.Request.create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "no unit"):
            without_unit.action_view_unit_history()

    def test_portal_and_company_rules(self):
        portal_partner = self.env["res.partner"].create(
            {"name": "Portal contact", "parent_id": self.customer.id, "email": "p@example.com"}
        )
        portal_user = new_test_user(
            self.env, login="sr_portal", groups="base.group_portal", partner_id=portal_partner.id
        )
        mine = self.Request.create({"partner_id": self.customer.id, "subject": "mine"})
        theirs = self.Request.create({"partner_id": self.other_customer.id, "subject": "theirs"})
        visible = self.Request.with_user(portal_user).search([("id", "in", (mine | theirs).ids)])
        self.assertEqual(visible, mine)
        with self.assertRaises(AccessError):
            mine.with_user(portal_user).write({"subject": "hacked"})
        other_company = self.env["res.company"].create({"name": "SR Other Co"})
        foreign = self.Request.create({"company_id": other_company.id, "subject": "foreign"})
        self.assertFalse(self.Request.with_user(self.manager).search([("id", "=", foreign.id)]))
