"""Intake cannot be steered by strangers.

A serial written in an email links its unit only when the sender is the
unit's owner or one of the owner's contacts; otherwise the request opens
unlinked, never under warranty, with an activity for the team leader. A
request typed on the public web form with an existing customer's address is
held, in nobody's name, until the owner of the address confirms it through
the link sent there; the public pages never name the partner behind an
address.
"""

from unittest.mock import patch

from odoo.tests import tagged

from .common import ServiceRepairCase
from .test_mail_intake import make_email


@tagged("post_install", "-at_install")
class TestMailFromStrangers(ServiceRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create({"name": "sr-strangers.example.com"})
        cls.company.alias_domain_id = cls.alias_domain
        cls.team.write({"alias_name": "sr-intake", "alias_domain_id": cls.alias_domain.id})
        cls.team.user_id = cls.manager
        cls.other_customer.email = "sr.other@example.com"
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "SR Contact", "parent_id": cls.customer.id, "email": "sr.contact@example.com"}
        )

    def _process(self, sender, body, message_id):
        raw = make_email(
            "Boiler broken",
            body,
            message_id,
            sender=sender,
            to="sr-intake@sr-strangers.example.com",
        )
        return self.Request.browse(self.env["mail.thread"].message_process(False, raw))

    def _assert_flagged(self, request):
        self.assertFalse(request.equipment_id)
        self.assertFalse(request.lot_id)
        activity = request.activity_ids
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("service_repair.mail_activity_type_identify_unit"),
        )
        self.assertEqual(activity.summary, "Check the sender")
        self.assertIn("SR-BOILER-001", activity.note)
        self.assertIn("not under warranty", activity.note)
        self.assertEqual(activity.user_id, self.manager, "the team leader checks it")

    def test_unknown_sender_never_reaches_a_customers_unit(self):
        request = self._process(
            "stranger@unknown.example", "S/N SR-BOILER-001 is broken, send someone", "<st-1@x>"
        )
        self.assertFalse(request.partner_id)
        self._assert_flagged(request)

    def test_sender_quoting_another_customers_serial(self):
        """B writes with A's serial: B's request, without A's unit, no warranty."""
        in_warranty = {
            "serial": "SR-BOILER-001",
            "in_warranty": True,
            "partner": [self.customer.id, self.customer.name],
        }
        # Whatever the warranty source says of the serial (service_contracts).
        with patch.object(
            type(self.env["stock.lot"]),
            "service_warranty_status",
            lambda *args, **kwargs: in_warranty,
            create=True,
        ):
            request = self._process(
                self.other_customer.email, "Our boiler SR-BOILER-001 leaks", "<st-2@x>"
            )
            self.assertEqual(request.partner_id, self.other_customer)
            self._assert_flagged(request)
            request.product_id = self.boiler
            action = request.action_create_repair()
        repair = self.env["repair.order"].browse(action["res_id"])
        self.assertFalse(repair.under_warranty)
        self.assertFalse(repair.lot_id)

    def test_owners_contact_links_the_unit(self):
        request = self._process(
            self.customer_contact.email, "S/N SR-BOILER-001 does not heat", "<st-3@x>"
        )
        self.assertEqual(request.partner_id, self.customer_contact)
        self.assertEqual(request.equipment_id, self.unit)
        self.assertFalse(request.activity_ids)

    def test_another_companys_contact_is_no_customer_here(self):
        company_2 = self.env["res.company"].create({"name": "SR Strangers Co 2"})
        self.env["res.partner"].create(
            {"name": "Co 2 Contact", "email": "co2@example.com", "company_id": company_2.id}
        )
        request = self._process("co2@example.com", "S/N SR-BOILER-001", "<st-4@x>")
        self.assertFalse(request.partner_id)
        self._assert_flagged(request)
