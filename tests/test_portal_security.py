"""Portal and public pages, attacked from outside.

Customer A (logged in to the portal) tries to read, list, post to and download
what belongs to customer B and to another company: by guessing ids, by
changing the id in the URL, by using another document's access token or
signature. The public pages (web request form, warranty check) must enforce
CSRF, size and rate limits and escape what they echo; HTML coming from
customers (descriptions, emails, chatter) must reach no browser alive.
"""

import re
from unittest.mock import patch

from werkzeug.datastructures import FileStorage

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.service_contracts.controllers.portal import ServiceWarrantyPortal

from .world import PORTAL_PAGES, build_world, login

EVIL = (
    '<script>alert("xss-1")</script><img src="x" onerror="alert(\'xss-2\')">'
    '<a href="javascript:alert(\'xss-3\')">link</a><iframe src="https://evil.example"></iframe>'
)
LIVE_HTML = re.compile(
    r"<script>alert|<img[^>]*onerror=[\"']?alert|href=[\"']?javascript:|<iframe[^>]*evil",
    re.IGNORECASE,
)

EMAIL = """To: service@example.com
From: Alice <{sender}>
Subject: Pump broken SEC-XSS
Message-ID: <sec-xss-1@example.com>
Date: Thu, 26 Nov 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"

<html><body><p>It stopped.</p>{evil}</body></html>
"""


@tagged("post_install", "-at_install", "service_suite")
class TestPortalSecurity(HttpCase):
    DETAIL = PORTAL_PAGES

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world = w = build_world(cls.env)
        env = w.env
        # A, B (company 1) and company 2's customer: one record of each kind.
        cls.records = {
            "service.equipment": w.units,
            "service.request": w.requests,
            "service.warranty.claim": w.claims,
            "service.contract": w.contracts,
        }
        for model in ("service.request", "service.warranty.claim", "service.contract"):
            for record in cls.records[model]:
                record._portal_ensure_token()
        cls.b_attachment = env["ir.attachment"].create(
            {
                "name": "b-secret.txt",
                "raw": b"secret of customer B",
                "res_model": "service.request",
                "res_id": w.requests[1].id,
            }
        )
        cls.b_message = w.requests[1].message_post(
            body="Message for customer B only", message_type="comment"
        )

    def setUp(self):
        super().setUp()
        self.Request = self.env["service.request"].sudo()

    # helpers ---------------------------------------------------------------

    def _login(self, role):
        self.authenticate(login(role), login(role))

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, url)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _marker(self, record):
        """Text that only the page of ``record`` shows."""
        record = record.sudo()
        if record._name == "service.equipment":
            return record.lot_id.name
        field = {
            "service.request": "subject",
            "service.warranty.claim": "defect_description",
            "service.contract": "title",
        }[record._name]
        return record[field]

    def _assert_hidden(self, response, record, what):
        self.assertNotIn(self._marker(record), response.text, what)
        # Sent elsewhere (the portal home) or refused, never served in place.
        self.assertTrue(response.status_code != 200 or response.history, what)

    def _post_chatter(self, thread, body, **kwargs):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": thread._name,
                "thread_id": thread.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                **kwargs,
            },
        )

    # reading ---------------------------------------------------------------

    def test_detail_pages_refuse_other_customers_ids_and_tokens(self):
        """A cannot open B's or company 2's documents: by id, by a guessed id,
        with A's own access token, with the token of another of B's documents."""
        self._login("portal_a")
        for model, url in self.DETAIL.items():
            mine, theirs, other_company = self.records[model]
            with self.subTest(model=model, case="own"):
                own = self.url_open(url.format(id=mine.id))
                self.assertEqual(own.status_code, 200)
                self.assertIn(self._marker(mine), own.text)
            for label, record in (("customer B", theirs), ("company 2", other_company)):
                with self.subTest(model=model, case=label):
                    self._assert_hidden(self.url_open(url.format(id=record.id)), record, label)
                if "access_token" not in record:
                    continue
                with self.subTest(model=model, case=f"{label} with A's token"):
                    page = self.url_open(
                        url.format(id=record.id) + f"?access_token={mine.sudo().access_token}"
                    )
                    self._assert_hidden(page, record, label)
            guessed = self.env[model].sudo().search([], order="id desc", limit=1).id + 1000
            with self.subTest(model=model, case="guessed id"):
                page = self.url_open(url.format(id=guessed))
                self.assertIn(page.status_code, (200, 303, 404))
                self.assertNotIn("Traceback", page.text)
        # B's request token opens nothing else of B (another model, same id space).
        b_token = self.records["service.request"][1].sudo().access_token
        for model in ("service.warranty.claim", "service.contract"):
            theirs = self.records[model][1]
            with self.subTest(model=model, case="B's request token"):
                page = self.url_open(
                    self.DETAIL[model].format(id=theirs.id) + f"?access_token={b_token}"
                )
                self._assert_hidden(page, theirs, "token of another document")
        # A public visitor with a wrong token is sent away as well.
        self.authenticate(None, None)
        request_b = self.records["service.request"][1]
        # (one character changed: "0" + token[1:] was the token itself for one in 16)
        forged = ("1" if b_token[0] == "0" else "0") + b_token[1:]
        page = self.url_open(f"/my/service-requests/{request_b.id}?access_token={forged}")
        self._assert_hidden(page, request_b, "public with a forged token")

    def test_lists_show_only_own_documents(self):
        self._login("portal_a")
        for model, url in self.DETAIL.items():
            listing = url.rsplit("/", 1)[0]
            mine, theirs, other_company = self.records[model]
            for suffix in ("", "?sortby=name';DROP TABLE res_users;--", "/page/99"):
                with self.subTest(model=model, suffix=suffix):
                    page = self.url_open(listing + suffix)
                    self.assertEqual(page.status_code, 200)
                    for record in (theirs, other_company):
                        self.assertNotIn(record.sudo().name, page.text)
            self.assertIn(mine.sudo().name, self.url_open(listing).text)

    # posting ---------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_chatter_refuses_other_customers_threads(self):
        """Posting to B's documents fails without a token, with A's token and with
        A's signature; reading B's messages returns nothing."""
        self._login("portal_a")
        partner_a = self.world.users["portal_a"].partner_id
        for model in ("service.request", "service.warranty.claim", "service.contract"):
            mine, theirs, __ = self.records[model]
            mine, theirs = mine.sudo(), theirs.sudo()
            attempts = {
                "no token": {},
                "A's token": {"token": mine.access_token},
                "A's signature": {"hash": mine._sign_token(partner_a.id), "pid": partner_a.id},
                "B's signature for A": {
                    "hash": theirs._sign_token(partner_a.id) + "0",
                    "pid": partner_a.id,
                },
            }
            before = theirs.message_ids
            for label, kwargs in attempts.items():
                with self.subTest(model=model, attempt=label):
                    with self.assertRaises(JsonRpcException):
                        self._post_chatter(theirs, "A was here", **kwargs)
            self.assertEqual(theirs.message_ids, before, model)
        request_b = self.records["service.request"][1]
        for route, params in (
            ("/mail/chatter_fetch", {"thread_model": "service.request", "thread_id": request_b.id}),
            (
                "/mail/thread/messages",
                {"thread_model": "service.request", "thread_id": request_b.id},
            ),
        ):
            with self.subTest(route=route):
                try:
                    answer = self.make_jsonrpc_request(route, params)
                except JsonRpcException:
                    continue
                self.assertNotIn("Message for customer B only", str(answer))

    def test_new_forms_refuse_other_customers_units(self):
        self._login("portal_a")
        unit_b, unit_c = self.records["service.equipment"][1:]
        requests = self.Request.search_count([])
        claims = self.env["service.warranty.claim"].sudo().search_count([])
        for unit in (unit_b, unit_c):
            token = self._csrf("/my/service-requests/new")
            page = self.url_open(
                "/my/service-requests/new",
                data={"csrf_token": token, "equipment_id": unit.id, "subject": "hijack"},
            )
            self.assertIn("Choose one of your units.", page.text)
            token = self._csrf("/my/claims/new")
            page = self.url_open(
                "/my/claims/new",
                data={"csrf_token": token, "equipment_id": unit.id, "defect_description": "hijack"},
            )
            self.assertIn("Choose one of your units.", page.text)
        self.assertEqual(self.Request.search_count([]), requests)
        self.assertEqual(self.env["service.warranty.claim"].sudo().search_count([]), claims)

    # downloading -----------------------------------------------------------

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_attachment")
    def test_downloads_refuse_other_customers_files_and_reports(self):
        self._login("portal_a")
        request_a, request_b, __ = self.records["service.request"]
        token_a = request_a.sudo().access_token
        for url in (
            f"/web/content/{self.b_attachment.id}",
            f"/web/content/{self.b_attachment.id}?access_token={token_a}",
            f"/web/content/ir.attachment/{self.b_attachment.id}/datas",
            f"/web/content/service.request/{request_b.id}/description",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertNotEqual(response.status_code, 200, url)
                self.assertNotIn("secret of customer B", response.text)
        claim_b = self.records["service.warranty.claim"][1]
        for url, record in (
            (f"/report/html/service_contracts.report_warranty_claim/{claim_b.id}", claim_b),
            (
                f"/report/html/service_repair.report_service_request_maintenance/{request_b.id}",
                request_b,
            ),
            (f"/report/pdf/service_contracts.report_warranty_claim/{claim_b.id}", claim_b),
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertNotEqual(response.status_code, 200, url)
                self.assertNotIn(self._marker(record), response.text)

    # public pages ----------------------------------------------------------

    @mute_logger("odoo.http")
    def test_public_posts_need_csrf(self):
        requests = self.Request.search_count([])
        claims = self.env["service.warranty.claim"].sudo().search_count([])
        data = {"name": "X", "email": "x@example.com", "description": "d", "serial": "SEC-A-0001"}
        self.assertEqual(self.url_open("/service/request", data=data).status_code, 400)
        self.assertEqual(self.url_open("/service/warranty", data=data).status_code, 400)
        self._login("portal_a")
        unit_a = self.records["service.equipment"][0]
        for url, form in (
            ("/my/service-requests/new", {"equipment_id": unit_a.id, "subject": "no token"}),
            ("/my/claims/new", {"equipment_id": unit_a.id, "defect_description": "no token"}),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url, data=form).status_code, 400)
                bad = self.url_open(url, data={**form, "csrf_token": "0" * 40 + "o9999999999"})
                self.assertEqual(bad.status_code, 400)
        self.assertEqual(self.Request.search_count([]), requests)
        self.assertEqual(self.env["service.warranty.claim"].sudo().search_count([]), claims)

    def test_public_form_size_limits_and_escaping(self):
        requests = self.Request.search_count([])
        token = self._csrf("/service/request")
        cases = {
            "name": {"name": "N" * 20000, "email": "x@example.com", "description": "d"},
            "email": {"name": "X", "email": "x" * 100000 + "@example.com", "description": "d"},
            "description": {"name": "X", "email": "x@example.com", "description": "d" * 5001},
            "subject": {
                "name": "X",
                "email": "not an email",
                "description": "d",
                "subject": EVIL,
            },
        }
        for field, form in cases.items():
            with self.subTest(field=field):
                page = self.url_open("/service/request", data={"csrf_token": token, **form})
                self.assertEqual(page.status_code, 400)
                self.assertIsNone(LIVE_HTML.search(page.text), field)
        # Echoed values come back escaped.
        page = self.url_open(
            "/service/request",
            data={"csrf_token": token, "name": EVIL, "email": "bad", "description": EVIL},
        )
        self.assertIsNone(LIVE_HTML.search(page.text))
        self.assertIn("&lt;script&gt;", page.text)
        self.assertEqual(self.Request.search_count([]), requests)
        # The warranty page echoes the serial escaped and survives a 100 kB one.
        token = self._csrf("/service/warranty")
        for serial in (EVIL, "S" * 100000, "\u202eRTL-سيريال-001", "' OR 1=1 --"):
            with self.subTest(serial=serial[:20]):
                page = self.url_open(
                    "/service/warranty", data={"csrf_token": token, "serial": serial}
                )
                self.assertEqual(page.status_code, 200)
                self.assertIsNone(LIVE_HTML.search(page.text))
                self.assertIn("Serial number not found.", page.text)

    def test_public_form_rate_limited_in_the_database(self):
        self.env["ir.config_parameter"].sudo().set_param("service_base.rate_limit.request_form", 2)
        token = self._csrf("/service/request")
        form = {"csrf_token": token, "name": "Rate", "email": "rate@example.com"}
        for index in range(2):
            page = self.url_open("/service/request", data={**form, "description": f"try {index}"})
            self.assertEqual(page.status_code, 200)
        refused = self.url_open("/service/request", data={**form, "description": "try 2"})
        self.assertEqual(refused.status_code, 429)
        self.assertIn("Too many requests", refused.text)
        self.assertEqual(self.Request.search_count([("email_from", "=", "rate@example.com")]), 2)
        # The counter is a row in the database (shared by every worker), not
        # process memory; it keeps no address in clear.
        counters = self.env["service.rate.limit"].sudo().search([("scope", "=", "request_form")])
        self.assertEqual(counters.count, 3)
        self.assertNotIn("127.0.0.1", counters.key_hash)
        # Portal posts count per user.
        self.env["ir.config_parameter"].sudo().set_param("service_base.rate_limit.portal_post", 1)
        self._login("portal_a")
        unit_a = self.records["service.equipment"][0]
        form = {"csrf_token": self._csrf("/my/service-requests/new"), "equipment_id": unit_a.id}
        self.url_open("/my/service-requests/new", data={**form, "subject": "first"})
        form["csrf_token"] = self._csrf("/my/service-requests/new")
        refused = self.url_open("/my/service-requests/new", data={**form, "subject": "second"})
        self.assertEqual(refused.status_code, 429)
        self.assertFalse(self.Request.search([("subject", "=", "second")]))

    def test_upload_limits_checked_before_reading(self):
        """The claim and request forms refuse the rate, the number of files
        and their sizes before reading any upload into memory; a body larger
        than the whole form may need is refused before Odoo parses it."""
        self._login("portal_a")
        unit_a = self.records["service.equipment"][0]
        claims = self.env["service.warranty.claim"].sudo()
        count = claims.search_count([])
        reads = []
        read = FileStorage.__getattr__

        def reading(storage, name):
            if name == "read":
                reads.append(storage.filename)
            return read(storage, name)

        def post_claim(files, text="Cracked housing"):
            token = self._csrf("/my/claims/new")
            return self.url_open(
                "/my/claims/new",
                data={"csrf_token": token, "equipment_id": unit_a.id, "defect_description": text},
                files=[("evidence", (name, data, "image/png")) for name, data in files],
            )

        big = b"x" * (ServiceWarrantyPortal._CLAIM_MAX_FILE_SIZE + 1)
        with patch.object(FileStorage, "__getattr__", reading):
            for files in ([(f"p{i}.png", b"png") for i in range(6)], [("big.png", big)]):
                with self.subTest(files=len(files)):
                    page = post_claim(files)
                    self.assertIn("Attach at most 5 files", page.text)
                    self.assertEqual(reads, [])
            # Past the rate limit, nothing is read either.
            self.env["service.rate.limit"].sudo().search([]).unlink()
            self.env["ir.config_parameter"].sudo().set_param(
                "service_base.rate_limit.portal_post", 1
            )
            self.assertEqual(post_claim([("a.png", b"png")]).status_code, 200)
            self.assertEqual(reads, ["a.png"])
            page = post_claim([("b.png", b"png")], "Second claim")
            self.assertIn("too many requests", page.text)
            self.assertEqual(reads, ["a.png"])
            self.env["ir.config_parameter"].sudo().set_param(
                "service_base.rate_limit.portal_post", 0
            )
            # The request forms: too many and too large files.
            token = self._csrf("/my/service-requests/new")
            for files in ([(f"r{i}.png", b"png") for i in range(4)], [("big.png", big)]):
                page = self.url_open(
                    "/my/service-requests/new",
                    data={"csrf_token": token, "equipment_id": unit_a.id, "subject": "Leak"},
                    files=[("attachments", file) for file in files],
                )
                self.assertRegex(page.text, "At most 3 files|larger than 5 MB")
            self.assertEqual(reads, ["a.png"])
        self.assertEqual(claims.search_count([]), count + 1)
        # A body larger than five files of the limit: refused unparsed.
        with (
            patch.object(ServiceWarrantyPortal, "_CLAIM_MAX_FILE_SIZE", 1000),
            mute_logger("odoo.http"),
        ):
            page = post_claim([("huge.png", b"x" * 400_000)])
        self.assertEqual(page.status_code, 413)
        self.assertIn("larger than this page accepts", page.text)
        self.assertEqual(claims.search_count([]), count + 1)

    # sanitising ------------------------------------------------------------

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_customer_html_reaches_no_browser_alive(self):
        request_a, __, __ = self.records["service.request"]
        # A description written by staff or an integration, an email from the
        # customer, a portal message and a claim from the portal.
        staff = self.world.users["service_user"]
        self.env["service.request"].with_user(staff).browse(
            request_a.id
        ).description = f"<p>ok</p>{EVIL}"
        email_request = self.Request.browse(
            self.env["mail.thread"].message_process(
                "service.request", EMAIL.format(evil=EVIL, sender=self.world.contact_a.email)
            )
        )
        self.assertEqual(email_request.partner_id, self.world.contact_a)
        self._login("portal_a")
        self._post_chatter(request_a, EVIL)
        unit_a = self.records["service.equipment"][0]
        self.url_open(
            "/my/claims/new",
            data={
                "csrf_token": self._csrf("/my/claims/new"),
                "equipment_id": unit_a.id,
                "defect_description": EVIL,
            },
        )
        claim = (
            self.env["service.warranty.claim"].sudo().search([("defect_description", "=", EVIL)])
        )
        self.assertEqual(len(claim), 1)
        for record in (request_a, email_request, claim):
            stored = " ".join(record.sudo().message_ids.mapped("body"))
            stored += str(record.sudo().description if "description" in record else "")
            self.assertIsNone(LIVE_HTML.search(stored), record.display_name)
            page = self.url_open(record.sudo().get_portal_url())
            with self.subTest(page=page.url):
                self.assertEqual(page.status_code, 200)
                self.assertIsNone(LIVE_HTML.search(page.text))
        messages = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {
                "thread_model": "service.request",
                "thread_id": request_a.id,
                "token": request_a.sudo().access_token,
            },
        )
        self.assertIsNone(LIVE_HTML.search(str(messages)))
        # The message is there, without its active parts.
        self.assertIn(">link</a>", str(messages))
