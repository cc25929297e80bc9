import re

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ServiceRepairCase


@tagged("post_install", "-at_install")
class TestPortalAndWebForm(HttpCase, ServiceRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_partner = cls.env["res.partner"].create(
            {
                "name": "SR Portal Contact",
                "parent_id": cls.customer.id,
                "email": "sr.portal@example.com",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="sr_portal",
            password="sr_portal_pw1",
            groups="base.group_portal",
            partner_id=cls.portal_partner.id,
            email="sr.portal@example.com",
        )
        cls.mine = cls.Request.create(
            {"partner_id": cls.customer.id, "equipment_id": cls.unit.id, "subject": "My boiler"}
        )
        cls.theirs = cls.Request.create(
            {"partner_id": cls.other_customer.id, "subject": "Someone else's pump"}
        )

    def _csrf(self, url):
        page = self.url_open(url).text
        # the empty form shows every field, the description box included
        self.assertRegex(page, r'<textarea [^>]*name="description"[^>]*>\s*</textarea>')
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def test_portal_list_detail_and_new(self):
        self.authenticate("sr_portal", "sr_portal_pw1")
        page = self.url_open("/my/service-requests").text
        self.assertIn(self.mine.name, page)
        self.assertNotIn(self.theirs.name, page)
        detail = self.url_open(f"/my/service-requests/{self.mine.id}")
        self.assertIn("My boiler", detail.text)
        self.assertIn("o_portal_chatter", detail.text)
        # its times without seconds
        self.env.cr.execute(
            "UPDATE service_request SET create_date = '2026-03-02 07:05:09' WHERE id = %s",
            [self.mine.id],
        )
        self.mine.invalidate_recordset(["create_date"])
        opened = self.url_open(f"/my/service-requests/{self.mine.id}").text
        self.assertRegex(opened, r"Opened:</strong> <span>[^<]*\d\d:05</span>")
        self.assertNotIn(":05:09", opened)
        # another customer's request: back to /my
        other = self.url_open(f"/my/service-requests/{self.theirs.id}")
        self.assertNotIn("Someone else", other.text)
        # the customer writes in the chatter of their request, not in others'
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "service.request",
                "thread_id": self.mine.id,
                "post_data": {"body": "Когда приедет техник?", "message_type": "comment"},
            },
        )
        self.assertIn("Когда приедет техник?", self.mine.message_ids[0].body)
        self.assertEqual(self.mine.message_ids[0].author_id, self.portal_partner)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "service.request",
                    "thread_id": self.theirs.id,
                    "post_data": {"body": "intrusion", "message_type": "comment"},
                },
            )
        self.assertNotIn("intrusion", self.theirs.message_ids.mapped("body")[0])
        # a new request for one of the customer's units
        token = self._csrf("/my/service-requests/new")
        response = self.url_open(
            "/my/service-requests/new",
            data={
                "csrf_token": token,
                "equipment_id": str(self.unit.id),
                "subject": "Portal: noise",
                "description": "It is noisy",
            },
        )
        self.assertEqual(response.status_code, 200)
        created = self.Request.search([("subject", "=", "Portal: noise")])
        self.assertEqual(created.channel, "portal")
        self.assertEqual(created.equipment_id, self.unit)
        self.assertEqual(created.partner_id, self.portal_partner)
        # a unit of another customer is not offered and is refused
        foreign_unit = self._unit("SR-FOREIGN-1", self.boiler, self.other_customer)
        self.url_open(
            "/my/service-requests/new",
            data={"csrf_token": token, "equipment_id": str(foreign_unit.id), "subject": "steal"},
        )
        self.assertFalse(self.Request.search([("subject", "=", "steal")]))

    def test_public_form_creates_partner_and_request(self):
        token = self._csrf("/service/request")
        response = self.url_open(
            "/service/request",
            data={
                "csrf_token": token,
                "name": "Новый Клиент",
                "email": "new.client@example.com",
                "phone": "+7 900 000-00-00",
                "subject": "Не включается",
                "description": "Кондиционер не включается",
            },
            files={"attachments": ("photo.jpg", b"jpegdata", "image/jpeg")},
        )
        self.assertEqual(response.status_code, 200)
        request = self.Request.search([("subject", "=", "Не включается")])
        self.assertIn(request.name, response.text)
        self.assertEqual(request.channel, "web")
        self.assertEqual(request.partner_id.email, "new.client@example.com")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "service.request"), ("res_id", "=", request.id)]
        )
        self.assertEqual(attachment.name, "photo.jpg")
        # a known email is matched, not duplicated: logged in as that customer,
        # the request is theirs at once (from a stranger, see test_intake_strangers)
        self.authenticate("sr_portal", "sr_portal_pw1")
        token = self._csrf("/service/request")
        self.url_open(
            "/service/request",
            data={
                "csrf_token": token,
                "name": "SR",
                "email": "SR.Portal@example.com",
                "description": "again",
                "serial": "SR-BOILER-001",
                "subject": "known customer",
            },
        )
        known = self.Request.search([("subject", "=", "known customer")])
        self.assertEqual(known.partner_id, self.portal_partner)
        self.assertEqual(known.equipment_id, self.unit)

    def test_public_form_refuses_bad_input(self):
        count = self.Request.search_count([])
        partners = self.env["res.partner"].search_count([])
        token = self._csrf("/service/request")
        empty = self.url_open("/service/request", data={"csrf_token": token})
        self.assertEqual(empty.status_code, 400)
        self.assertIn("Please give your name.", empty.text)
        self.assertIn("Please describe the problem.", empty.text)
        too_long = self.url_open(
            "/service/request",
            data={
                "csrf_token": token,
                "name": "X",
                "email": "x@example.com",
                "description": "a" * 5001,
            },
        )
        self.assertEqual(too_long.status_code, 400)
        self.assertIn("too long", too_long.text)
        too_big = self.url_open(
            "/service/request",
            data={"csrf_token": token, "name": "X", "email": "x@example.com", "description": "d"},
            files={
                "attachments": ("big.bin", b"0" * (5 * 1024 * 1024 + 1), "application/octet-stream")
            },
        )
        self.assertEqual(too_big.status_code, 400)
        self.assertIn("larger than 5 MB", too_big.text)
        no_csrf = self.url_open(
            "/service/request",
            data={"name": "X", "email": "x@example.com", "description": "d"},
        )
        self.assertEqual(no_csrf.status_code, 400)
        self.assertEqual(self.Request.search_count([]), count)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)


@tagged("post_install", "-at_install", "service_suite")
class TestPortalLanguage(HttpCase):
    def test_portal_in_the_users_language_after_login(self):
        """A Russian customer who logs in on the (English) login page gets /my
        in Russian, without /ru in the address they typed."""
        self.env["res.lang"]._activate_lang("ru_RU")
        new_test_user(
            self.env,
            login="ru_portal",
            groups="base.group_portal",
            lang="ru_RU",
            password="ru_portal_pw1",
        )
        # a public page first (the visitor's language: English, cookie en_US)
        self.url_open("/service/request")
        self.assertEqual(self.opener.cookies.get("frontend_lang"), "en_US")
        page = self.url_open("/web/login")
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        self.url_open(
            "/web/login",
            data={"login": "ru_portal", "password": "ru_portal_pw1", "csrf_token": csrf},
        )
        self.assertEqual(self.opener.cookies.get("frontend_lang"), "ru_RU")
        home = self.url_open("/my")
        self.assertTrue(home.url.endswith("/ru/my") or home.url.endswith("/my"), home.url)
        self.assertIn("Моя учетная запись", home.text, "the portal speaks Russian")
