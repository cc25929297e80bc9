"""Intake cannot be steered by strangers.

A serial written in an email links its unit only when the sender is the
unit's owner or one of the owner's contacts; otherwise the request opens
unlinked, never under warranty, with an activity for the team leader. A
request typed on the public web form with an existing customer's address is
held, in nobody's name, until the owner of the address confirms it through
the link sent there; the public pages never name the partner behind an
address.
"""

import html
import re
import time
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

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


@tagged("post_install", "-at_install")
class TestWebFormFromStrangers(HttpCase, ServiceRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="sr_strangers_portal",
            password="sr_strangers_pw1",
            groups="base.group_portal",
            email="sr.customer@example.com",
            partner_id=cls.customer.id,
        )
        cls.team.user_id = cls.manager
        cls.company.service_default_team_id = cls.team

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, url)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _post_as_stranger(self, subject, email="SR.Customer@example.com", **extra):
        return self.url_open(
            "/service/request",
            data={
                "csrf_token": self._csrf("/service/request"),
                "name": "Mallory",
                "email": email,
                "serial": "SR-BOILER-001",
                "subject": subject,
                "description": "Please come, the boiler is broken",
                **extra,
            },
        )

    def _portal_sees(self, request):
        return bool(
            self.env["service.request"]
            .with_user(self.portal_user)
            .search([("id", "=", request.id)])
        )

    def _confirmation_link(self, request):
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "service.request"),
                ("res_id", "=", request.id),
                ("subject", "=like", "Confirm your service request%"),
            ]
        )
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertNotIn("Please come", mail.body_html, "no stranger's words in our mail")
        url = re.search(r'href="[^"]*(/service/request/\d+/confirm\?[^"]+)"', mail.body_html)
        return html.unescape(url.group(1))

    def test_customers_address_from_a_stranger_is_held(self):
        response = self._post_as_stranger("Stranger's request")
        self.assertEqual(response.status_code, 200)
        request = self.Request.search([("subject", "=", "Stranger's request")])
        self.assertIn(request.name, response.text)
        self.assertNotIn(self.customer.name, response.text)
        self.assertFalse(request.partner_id)
        self.assertFalse(request.equipment_id)
        self.assertFalse(request.lot_id)
        self.assertFalse(request._is_under_warranty())
        self.assertEqual(request.web_confirm_partner_id, self.customer)
        self.assertEqual(request.web_serial, "SR-BOILER-001")
        self.assertFalse(self._portal_sees(request), "not on the customer's portal")
        activity = request.activity_ids
        self.assertEqual(
            activity.activity_type_id, self.env.ref("service_repair.mail_activity_type_web_confirm")
        )
        self.assertEqual(activity.user_id, self.manager)
        self.assertTrue(self._confirmation_link(request))

    def test_confirmation_link_files_it_for_the_customer(self):
        self._post_as_stranger("To confirm")
        request = self.Request.search([("subject", "=", "To confirm")])
        link = self._confirmation_link(request)
        # Opening the link (a mail scanner does it too) changes nothing...
        page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Please come", page.text)
        self.assertFalse(request.partner_id)
        # ... the customer's click on its page does.
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        expires = re.search(r'name="expires" value="([^"]+)"', page.text).group(1)
        confirm = self.url_open(
            f"/service/request/{request.id}/confirm",
            data={
                "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1),
                "token": token,
                "expires": expires,
            },
        )
        self.assertEqual(confirm.status_code, 200)
        self.assertIn("is confirmed", confirm.text)
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.equipment_id, self.unit)
        self.assertFalse(request.activity_ids)
        self.assertTrue(self._portal_sees(request))

    @mute_logger("odoo.http")
    def test_forged_and_expired_links_refused(self):
        self._post_as_stranger("Forged")
        request = self.Request.search([("subject", "=", "Forged")])
        link = self._confirmation_link(request)
        forged = re.sub(r"token=[0-9a-f]+", "token=" + "0" * 64, link)
        expired_at = int(time.time()) - 60
        expired = (
            f"/service/request/{request.id}/confirm?expires={expired_at}"
            f"&token={request._web_confirmation_token(expired_at)}"
        )
        other = self.Request.create({"partner_id": self.customer.id, "subject": "Other"})
        elsewhere = re.sub(r"/service/request/\d+/", f"/service/request/{other.id}/", link)
        for url in (forged, expired, elsewhere, f"/service/request/{request.id}/confirm"):
            with self.subTest(url=url):
                page = self.url_open(url)
                self.assertEqual(page.status_code, 403)
                self.assertNotIn("Please come", page.text)
                self.assertNotIn(self.customer.name, page.text)
        csrf = self._csrf("/service/request")
        post = self.url_open(
            f"/service/request/{request.id}/confirm",
            data={"csrf_token": csrf, "token": "0" * 64, "expires": str(int(time.time()) + 99)},
        )
        self.assertEqual(post.status_code, 403)
        self.assertFalse(request.partner_id)

    def test_public_pages_never_name_another_companys_partner(self):
        company_2 = self.env["res.company"].create({"name": "SR Web Co 2"})
        self.env["res.partner"].create(
            {
                "name": "Secret Partner Of Co 2",
                "email": "secret.co2@example.com",
                "company_id": company_2.id,
            }
        )
        response = self._post_as_stranger("Co 2 address", email="secret.co2@example.com")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Secret Partner", response.text)
        self.assertNotIn("SR Web Co 2", response.text)
        request = self.Request.search([("subject", "=", "Co 2 address")])
        self.assertNotEqual(request.partner_id.company_id, company_2)
        self.assertFalse(request.equipment_id)
