"""The customer's portal pages on a phone, in Russian.

A portal customer whose language is Russian opens each of the suite's portal
pages — the lists and the pages of requests, units, contracts and claims, and
the new request form — in a 375×667 window with touch events. Nothing may be
wider than the window (no table cut off on its right, no sideways scroll of
the page), and the message box under a document speaks Russian: its texts
come from Odoo's mail addon, whose translations a portal without the website
addon does not load by itself (service_base's ir.http asks for them).
"""

import json

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

# Odoo's English texts of the portal's message box, as they would show
# untranslated (the composer's placeholder, buttons and the empty thread).
ENGLISH = ["The conversation is empty.", "Write a message…", "Send", "Attach files", "Add Emojis"]
# English headings and labels of the pages themselves.
PAGE_ENGLISH = [
    "Service Requests",
    "New Request",
    "My Equipment",
    "Service Contracts",
    "Warranty Claims",
    "Messages",
    "Communication",
    "Reference",
    "Subject",
    "Stage",
    "Status",
    "Serial Number",
    "Customer:",
    "Sort By",
]

CHECK = """
(async () => {
    const english = %(english)s;
    const pageEnglish = %(page_english)s;
    const width = window.innerWidth;
    const page = document.documentElement;
    const problems = [];
    const measures = [`window ${width}`, `page ${page.scrollWidth}`];
    const pageText = document.body.innerText;
    for (const text of pageEnglish) {
        if (pageText.includes(text)) {
            problems.push(`"${text}" on the page`);
        }
    }
    if (page.scrollWidth > width) {
        problems.push(`the page scrolls sideways: ${page.scrollWidth} px in ${width} px`);
    }
    // The page scrolls in <body> (html and body are 100%% high), and tables in
    // their .table-responsive: none of them may scroll sideways.
    for (const el of document.querySelectorAll("body, body *")) {
        const overflow = getComputedStyle(el).overflowX;
        const scrolls = el === document.body || overflow === "auto" || overflow === "scroll";
        if (scrolls && el.scrollWidth > el.clientWidth + 1) {
            const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                [...el.classList].map((c) => "." + c).join("");
            measures.push(`${name} ${el.scrollWidth}/${el.clientWidth}`);
            const limit = el.getBoundingClientRect().left + el.clientWidth;
            const wide = [...el.querySelectorAll("*")]
                .filter((child) => child.getBoundingClientRect().right > limit + 0.5)
                .slice(0, 6)
                .map((child) => child.tagName + "." + [...child.classList].join(".") + " " +
                     Math.round(child.getBoundingClientRect().right));
            measures.push(`past its edge: ${wide.join(", ")}`);
            problems.push(`${name} scrolls sideways: ${el.scrollWidth} px in ${el.clientWidth} px`);
        }
    }
    for (const table of document.querySelectorAll("table")) {
        const box = table.getBoundingClientRect();
        measures.push(`table ${Math.round(box.width)}`);
        if (box.width > width || box.right > width + 0.5 || box.left < -0.5) {
            problems.push(`a table is ${Math.round(box.width)} px wide in ${width} px`);
        }
    }
    const chatter = document.querySelector("#chatterRoot");
    if (chatter) {
        const shadow = chatter.shadowRoot;
        const texts = [shadow.textContent];
        for (const el of shadow.querySelectorAll("*")) {
            // (Odoo translates no aria-label, in the web client neither.)
            for (const name of ["placeholder", "title", "data-tooltip"]) {
                if (el.getAttribute(name)) {
                    texts.push(el.getAttribute(name));
                }
            }
            if (el.matches("button")) {
                texts.push("[" + el.textContent.trim() + "]");
            }
        }
        const all = texts.join("\\n");
        for (const text of english) {
            // "Send" alone only as a button's label.
            const found = text === "Send" ? all.includes("[Send]") : all.includes(text);
            if (found) {
                problems.push(`"${text}" in the message box`);
            }
        }
    }
    if (problems.length) {
        console.error(`${location.pathname}: ${problems.join("; ")} (${measures.join(", ")})`);
    } else {
        console.log(`${location.pathname}: ${measures.join(", ")}`);
        console.log("test successful");
    }
})();
""" % {"english": json.dumps(ENGLISH), "page_english": json.dumps(PAGE_ENGLISH)}

# The page's scripts are loaded and its services started (the public root
# mounted): closing the browser earlier cuts their requests short.
READY = "document.readyState === 'complete' && Boolean(odoo.__WOWL_DEBUG__?.root)"
# The message box is mounted in a shadow root once the chatter's bundle and
# messages are loaded: wait until it shows its composer, and its messages or
# the words of an empty conversation.
CHATTER_READY = (
    """(() => {
    if (!(%s)) {
        return false;
    }
    const shadow = document.querySelector("#chatterRoot")?.shadowRoot;
    return Boolean(
        shadow?.querySelector(".o-mail-Composer-input") &&
        (shadow.querySelector(".o-mail-Message") ||
            shadow.querySelector(".o-mail-Thread-empty")?.textContent.trim())
    );
})()"""
    % READY
)


@tagged("post_install", "-at_install", "service_suite")
class TestPortalPhone(HttpCase):
    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("ru_RU")
        customer = env["res.partner"].create(
            {
                "name": "ООО «Теплосервис Подмосковья»",
                "is_company": True,
                "lang": "ru_RU",
                "street": "ул. Промышленная, д. 15, стр. 2",
                "city": "Красногорск",
            }
        )
        contact = env["res.partner"].create(
            {"name": "Ольга Сергеевна Тимофеева", "parent_id": customer.id, "lang": "ru_RU"}
        )
        # A name as long as Odoo's header shows in full (25 characters).
        cls.portal_user = new_test_user(
            env,
            login="portal_phone_ru",
            name="Ольга Сергеевна Тимофеева",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        cls.portal_user.lang = "ru_RU"
        lonely = env["res.partner"].create({"name": "Иван Без Оборудования", "lang": "ru_RU"})
        cls.lonely_user = new_test_user(
            env,
            login="portal_phone_lonely",
            name="Иван Без Оборудования",
            groups="base.group_portal",
            partner_id=lonely.id,
        )
        cls.lonely_user.lang = "ru_RU"

        model = env["product.product"].create(
            {
                "name": "Котёл настенный газовый Термотех ГК-24 Турбо",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        lot = env["stock.lot"].create({"name": "TT-GK24-2026-000187", "product_id": model.id})
        today = fields.Date.context_today(lot)
        lot.sudo().write(
            {
                "service_warranty_partner_id": customer.id,
                "service_warranty_start": fields.Date.add(today, months=-3),
                "service_warranty_end": fields.Date.add(today, months=21),
            }
        )
        cls.unit = env["service.equipment"].create(
            {
                "product_id": model.id,
                "lot_id": lot.id,
                "partner_id": customer.id,
                "installation_date": fields.Date.add(today, months=-3),
            }
        )
        cls.service_request = env["service.request"].create(
            {
                "subject": "Котёл отключается через десять минут после розжига, ошибка E-04",
                "partner_id": customer.id,
                "equipment_id": cls.unit.id,
                "request_type": "repair",
                "description": "<p>С понедельника котёл гаснет, на дисплее ошибка E-04.</p>",
            }
        )
        service = env["product.product"].create(
            {"name": "Техническое обслуживание котла (ежеквартальное)", "type": "service"}
        )
        cls.contract = env["service.contract"].create(
            {
                "partner_id": customer.id,
                "title": "Обслуживание котельной на ул. Промышленной",
                "date_start": today.replace(day=1),
                "line_ids": [Command.create({"product_id": service.id, "price_unit": 12500.0})],
            }
        )
        cls.contract.action_activate()
        cls.claim = env["service.warranty.claim"].create(
            {
                "partner_id": customer.id,
                "lot_id": lot.id,
                "defect_description": "Трещина теплообменника после трёх месяцев работы.",
            }
        )
        for record in (cls.service_request, cls.contract, cls.claim):
            record._portal_ensure_token()

    def _check(self, url, login="portal_phone_ru", ready=READY):
        self.browser_js(url, CHECK, ready=ready, login=login, timeout=60)

    def test_lists_fit_the_phone(self):
        for url in ("/my/service-requests", "/my/equipment", "/my/contracts", "/my/claims"):
            with self.subTest(url=url):
                self._check(url)

    def test_documents_fit_the_phone_and_speak_russian(self):
        pages = [
            (self.service_request.get_portal_url(), CHATTER_READY),
            (f"/my/equipment/{self.unit.id}", READY),
            (self.contract.get_portal_url(), CHATTER_READY),
            (self.claim.get_portal_url(), CHATTER_READY),
        ]
        for url, ready in pages:
            with self.subTest(url=url):
                self._check(url, ready=ready)

    def test_new_request_without_units_links_the_public_form(self):
        self._check("/my/service-requests/new")
        self.authenticate("portal_phone_lonely", "portal_phone_lonely")
        page = self.url_open("/my/service-requests/new").text
        self.assertIn('href="/service/request"', page)
        self._check("/my/service-requests/new", login="portal_phone_lonely")
