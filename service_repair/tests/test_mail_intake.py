import threading

import psycopg2.errors

import odoo
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ServiceRepairCase

EMAIL = """Return-Path: <{sender}>
To: {to}
From: {sender_name} <{sender}>
Subject: {subject}
Message-ID: {message_id}
Date: Thu, 26 Nov 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


def make_email(
    subject, body, message_id, sender="sr.customer@example.com", to="sr-team@sr.example.com"
):
    return EMAIL.format(
        sender=sender,
        sender_name="Sender",
        to=to,
        subject=subject,
        message_id=message_id,
        body=body,
    )


@tagged("post_install", "-at_install")
class TestMailIntake(ServiceRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create({"name": "sr.example.com"})
        cls.company.alias_domain_id = cls.alias_domain
        cls.team.write({"alias_name": "sr-team", "alias_domain_id": cls.alias_domain.id})
        cls.team.user_id = cls.manager

    def _process(self, raw):
        return self.env["mail.thread"].message_process(False, raw)

    def test_email_with_serial_opens_request_on_unit(self):
        raw = make_email(
            "Котёл не греет", "Здравствуйте! Котёл S/N: SR-BOILER-001 не греет воду.", "<sr-1@ext>"
        )
        request_id = self._process(raw)
        request = self.Request.browse(request_id)
        self.assertEqual(request.team_id, self.team)
        self.assertEqual(request.channel, "email")
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.equipment_id, self.unit)
        self.assertEqual(request.lot_id.name, "SR-BOILER-001")
        self.assertEqual(request.subject, "Котёл не греет")
        self.assertRegex(request.name, r"^SR/")
        self.assertFalse(request.activity_ids)
        # a reply lands in the chatter of the same request
        reply = make_email(f"Re: {request.name}", "Ещё вопрос", "<sr-1-reply@ext>").replace(
            "Message-ID:", "In-Reply-To: <sr-1@ext>\nMessage-ID:"
        )
        self.assertEqual(self._process(reply), request.id)
        self.assertIn("Ещё вопрос", request.message_ids[0].body)
        self.assertEqual(self.Request.search_count([("email_message_id", "!=", False)]), 1)

    def test_unknown_serial_schedules_identification(self):
        raw = make_email("Broken pump", "Pump serial number ZZ-999-404 leaks.", "<sr-2@ext>")
        request = self.Request.browse(self._process(raw))
        self.assertFalse(request.equipment_id)
        activity = request.activity_ids
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("service_repair.mail_activity_type_identify_unit"),
        )
        self.assertIn("ZZ-999-404", activity.note)
        self.assertEqual(activity.user_id, self.manager)

    def test_serial_of_another_customer_is_not_linked(self):
        stranger = self.env["res.partner"].create(
            {"name": "Stranger", "email": "stranger@example.com"}
        )
        raw = make_email(
            "Boiler", "My boiler SR-BOILER-001 is broken", "<sr-3@ext>", sender=stranger.email
        )
        request = self.Request.browse(self._process(raw))
        self.assertEqual(request.partner_id, stranger)
        self.assertFalse(request.equipment_id)
        self.assertIn("no unit of this customer", request.activity_ids.note)

    def test_same_message_twice_opens_one_request(self):
        raw = make_email("Twice", "Same email delivered twice", "<sr-twice@ext>")
        self.assertTrue(self._process(raw))
        self.assertFalse(self._process(raw), "a known Message-Id is not processed again")
        self.assertEqual(self.Request.search_count([("subject", "=", "Twice")]), 1)

    @mute_logger("odoo.sql_db")
    def test_duplicate_message_id_refused_by_database(self):
        """Two deliveries that both passed the gateway's Message-Id check."""
        msg = {
            "message_id": "<sr-race@ext>",
            "subject": "Race",
            "body": "x",
            "email_from": "sr.customer@example.com",
        }
        self.Request.message_new(msg, {"team_id": self.team.id})
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.env.cr.savepoint():
            self.Request.message_new(dict(msg), {"team_id": self.team.id})
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestMailIntakeConcurrency(ServiceRepairCase):
    """The same email processed by two workers at the same time."""

    message_id = "<sr-concurrent-delivery@ext>"

    def setUp(self):
        super().setUp()
        self.registry_ = self.env.registry
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry_.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            requests = env["service.request"].search([("email_message_id", "=", self.message_id)])
            env["mail.message"].search(
                [
                    "|",
                    ("message_id", "=", self.message_id),
                    "&",
                    ("model", "=", "service.request"),
                    ("res_id", "in", requests.ids),
                ]
            ).unlink()
            requests.unlink()

    @mute_logger("odoo.sql_db", "odoo.addons.mail.models.mail_thread")
    def test_concurrent_delivery_opens_one_request(self):
        raw = make_email("Concurrent", "Delivered twice at once", self.message_id, to="nobody@x")
        first_inserted = threading.Event()
        outcome = {}

        def second_worker():
            with self.registry_.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                first_inserted.wait(timeout=20)
                try:
                    # blocks on the unique index until the first worker commits
                    env["mail.thread"].message_process("service.request", raw)
                    env.flush_all()
                    outcome["second"] = "created"
                except psycopg2.errors.UniqueViolation:
                    outcome["second"] = "refused"
                    cr.rollback()

        worker = threading.Thread(target=second_worker)
        worker.start()
        with self.registry_.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["mail.thread"].message_process("service.request", raw)
            env.flush_all()
            first_inserted.set()
            # let the second worker pass the gateway's check and wait on the index
            worker.join(timeout=1)
        worker.join(timeout=30)
        self.assertEqual(outcome.get("second"), "refused")
        with self.registry_.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            self.assertEqual(
                env["service.request"].search_count([("email_message_id", "=", self.message_id)]),
                1,
            )
