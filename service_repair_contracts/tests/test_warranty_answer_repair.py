import re
from datetime import date

from odoo.tests import HttpCase, tagged
from odoo.tools import format_date

from odoo.addons.service_contracts.tests.common import WarrantyCase, WarrantyCommon


@tagged("post_install", "-at_install")
class TestWorkCompletionActWarranty(WarrantyCase):
    """The act guarantees the work done, not the serial: each has its own date."""

    def test_act_prints_the_repair_warranty_not_the_serial_warranty(self):
        lot = self._lots("ACT", 1)
        self._receive(lot)
        self._deliver(lot)
        lot.sudo().write({"service_warranty_end": date(2028, 11, 30)})
        self.customer.lang = "en_US"
        repair = self.env["repair.order"].create(
            {
                "product_id": self.model.id,
                "lot_id": lot.id,
                "partner_id": self.customer.id,
                "service_warranty_months": 3,
            }
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE repair_order SET service_date_done = '2026-01-10 09:00:00' WHERE id = %s",
            [repair.id],
        )
        repair.invalidate_recordset()
        self.assertEqual(repair.service_work_warranty_end, date(2026, 4, 10))
        self.assertEqual(repair.service_warranty_end, date(2028, 11, 30))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("service_repair.action_report_repair_completion", repair.ids)[0]
            .decode()
        )
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        env = self.env(context=dict(self.env.context, lang="en_US"))
        self.assertIn(f"until {format_date(env, date(2026, 4, 10))}", text)
        # The serial's own warranty is the one answer, in its own row; it is
        # not the work's (the act said «Under Warranty: No» for a covered unit).
        serial_end = format_date(env, date(2028, 11, 30))
        self.assertIn(f"Warranty In manufacturer warranty until {serial_end}.", text)
        self.assertNotIn(f"guaranteed for 3 months, until {serial_end}", text)
        self.assertIn("Repaired Free of Charge No", text)


@tagged("post_install", "-at_install")
class TestWarrantyCheckRequestForm(WarrantyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_warranty()
        cls.lot = cls._lots("WEBR", 1)
        cls._receive(cls.lot)
        cls._deliver(cls.lot)

    def _check(self, serial):
        page = self.url_open("/service/warranty")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/service/warranty", data={"serial": serial, "csrf_token": csrf})

    def test_unknown_serial_is_offered_the_request_form(self):
        response = self._check("NO-SUCH-SERIAL-9")
        self.assertIn("Serial number not found.", response.text)
        self.assertIn('href="/service/request"', response.text)
        self.assertEqual(self.url_open("/service/request").status_code, 200)
        known = self._check(self.lot.name)
        self.assertNotIn('href="/service/request"', known.text)
