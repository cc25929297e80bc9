import re

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import format_date

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestWarrantyHttp(WarrantyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_warranty()
        cls.lots = cls._lots("WEB", 3)
        cls._receive(cls.lots)
        cls._deliver(cls.lots[:2])
        cls.today = fields.Date.context_today(cls.lots)
        cls.lots[1].sudo().write(
            {
                "service_warranty_start": cls.today - relativedelta(years=3),
                "service_warranty_end": cls.today - relativedelta(years=1),
            }
        )
        cls.unit = cls.lots[0].service_equipment_ids
        cls.portal_user = new_test_user(
            cls.env,
            login="wc_portal",
            password="wc_portal_pw",
            groups="base.group_portal",
            partner_id=cls.customer_contact.id,
        )

    def _check(self, serial, csrf=True):
        page = self.url_open("/service/warranty")
        self.assertEqual(page.status_code, 200)
        data = {"serial": serial}
        if csrf:
            data["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/service/warranty", data=data)

    def _answer(self, response):
        match = re.search(r'class="alert [^"]*o_warranty_answer"[^>]*>([^<]*)<', response.text)
        return match and match.group(1).strip()

    def test_public_check_answers_and_leaks_nothing(self):
        response = self._check("WEB-00000")
        self.assertEqual(response.status_code, 200)
        end = self.lots[0].service_warranty_end
        self.assertIn("In manufacturer warranty until", self._answer(response))
        self.assertIn(str(end.year), self._answer(response))
        for secret in ("Warranty Customer", "Anna Buyer", self.model.name):
            self.assertNotIn(secret, response.text)
        expired = self._answer(self._check("WEB-00001"))
        never_sold = self._answer(self._check("WEB-00002"))
        self.assertEqual(
            expired,
            f"Manufacturer warranty ended on {format_date(self.env, self.lots[1].service_warranty_end)}.",
        )
        self.assertEqual(never_sold, "No warranty registered.")

    def test_public_check_unknown_serial_is_told_so(self):
        response = self._check("NO-SUCH-SERIAL")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._answer(response), "Serial number not found.")
        self.assertIn("o_warranty_unknown_hint", response.text)
        self.assertEqual(self._answer(self._check("NO-SUCH\x00SERIAL")), "Serial number not found.")

    def test_public_check_knows_only_the_sites_company_serials(self):
        """Another company's serial is not found here (it was "No warranty
        registered", telling that the number exists elsewhere)."""
        other = self.env["res.company"].create({"name": "Other Service Co"})
        self.env["stock.lot"].create(
            {"name": "OTHER-CO-0001", "product_id": self.model.id, "company_id": other.id}
        )
        self.assertEqual(self._answer(self._check("OTHER-CO-0001")), "Serial number not found.")
        self.assertEqual(self._answer(self._check(self.lots[2].name)), "No warranty registered.")

    def test_public_check_shows_the_contract_extension(self):
        contract_end = self.today + relativedelta(months=8)
        contract = self.env["service.contract"].create(
            {
                "partner_id": self.customer.id,
                "date_start": self.today - relativedelta(years=2),
                "date_end": contract_end,
                "cover_labour": True,
                "cover_parts": True,
                "line_ids": [(0, 0, {"equipment_id": self.lots[1].service_equipment_ids.id})],
            }
        )
        contract.action_activate()
        response = self._check("WEB-00001")
        self.assertEqual(
            self._answer(response),
            f"Extended by a service contract until {format_date(self.env, contract_end)}.",
        )
        self.assertNotIn(contract.name, response.text)

    def test_portal_unit_shows_its_warranty_answer(self):
        self.authenticate("wc_portal", "wc_portal_pw")
        response = self.url_open(f"/my/equipment/{self.unit.id}")
        self.assertEqual(response.status_code, 200)
        end = format_date(self.env, self.lots[0].service_warranty_end)
        self.assertIn(f"In manufacturer warranty until {end}.", response.text)

    def test_public_check_needs_csrf_token(self):
        response = self._check("WEB-00000", csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._answer(response))

    def test_public_check_rate_limited(self):
        RateLimit = self.env["service.rate.limit"]
        for __ in range(RateLimit._limit("warranty_check")):
            self.assertEqual(self._check("WEB-00000").status_code, 200)
        response = self._check("WEB-00000")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many checks", self._answer(response))
        self.assertNotIn("In manufacturer warranty until", response.text)
        # Another address is not affected.
        self.assertTrue(RateLimit._hit("warranty_check", "10.1.2.3"))

    def test_portal_claims(self):
        self.authenticate("wc_portal", "wc_portal_pw")
        response = self.url_open("/my/claims")
        self.assertEqual(response.status_code, 200)
        self.assertIn("You have no warranty claim.", response.text)
        page = self.url_open("/my/claims/new")
        self.assertIn(self.unit.name, page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        other_unit = self.env["service.equipment"].create(
            {
                "product_id": self.model.id,
                "lot_id": self.lots[2].id,
                "partner_id": self.other_customer.id,
            }
        )
        refused = self.url_open(
            "/my/claims/new",
            data={"csrf_token": csrf, "equipment_id": other_unit.id, "defect_description": "Noise"},
        )
        self.assertIn("Choose one of your units.", refused.text)
        response = self.url_open(
            "/my/claims/new",
            data={
                "csrf_token": csrf,
                "equipment_id": self.unit.id,
                "defect_description": "Water on the floor",
            },
            files=[("evidence", ("leak.jpg", b"\xff\xd8\xff fake jpeg", "image/jpeg"))],
        )
        claim = self.env["service.warranty.claim"].search([("equipment_id", "=", self.unit.id)])
        self.assertEqual(len(claim), 1)
        self.assertEqual(claim.partner_id, self.customer_contact)
        self.assertEqual(claim.lot_id, self.lots[0])
        self.assertTrue(claim.in_warranty)
        self.assertTrue(response.url.endswith(f"/my/claims/{claim.id}"))
        self.assertIn("Water on the floor", response.text)
        self.assertEqual(claim.evidence_ids.mapped("name"), ["leak.jpg"])
        self.assertEqual(claim.evidence_ids.res_id, claim.id)
        self.assertIn("leak.jpg", response.text)
        self.assertIn(claim.name, self.url_open("/my/claims").text)
        other_claim = claim.sudo().copy(
            {"partner_id": self.other_customer.id, "lot_id": self.lots[2].id}
        )
        denied = self.url_open(f"/my/claims/{other_claim.id}")
        self.assertNotIn(other_claim.name, denied.text)


@tagged("post_install", "-at_install")
class TestWarrantyClaimTour(WarrantyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_warranty()
        faulty = cls.env["stock.lot"].create({"name": "TOUR-FAULTY-1", "product_id": cls.model.id})
        spare = cls.env["stock.lot"].create({"name": "TOUR-SPARE-1", "product_id": cls.model.id})
        cls._receive(faulty | spare)
        cls._deliver(faulty)
        cls.claim = cls.env["service.warranty.claim"].create(
            {
                "partner_id": cls.customer.id,
                "lot_id": faulty.id,
                "defect_description": "Display shows error E04",
            }
        )
        cls.faulty, cls.spare = faulty, spare

    def test_claim_replace_tour(self):
        self.start_tour("/odoo", "service_warranty_claim_tour", login="admin", timeout=180)
        self.assertEqual(self.claim.state, "decided")
        self.assertEqual(self.claim.decision, "replace")
        self.assertEqual(self.claim.return_picking_id.move_line_ids.lot_id, self.faulty)
        self.assertEqual(self.claim.replacement_picking_id.move_line_ids.lot_id, self.spare)
