from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields
from odoo.tests import tagged
from odoo.tools import format_date

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyStatus(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._lots("STAT", 1)
        cls._receive(cls.lot)
        cls._deliver(cls.lot)
        # The delivery registered the unit in the installed base.
        cls.unit = cls.lot.service_equipment_ids
        cls.today = fields.Date.context_today(cls.lot)

    def test_status_in_warranty(self):
        status = (
            self.env["stock.lot"]
            .with_user(self.service_user)
            .service_warranty_status(" STAT-00000 ")
        )
        end = self.today + relativedelta(months=24, days=-1)
        self.assertEqual(
            status,
            {
                "serial": "STAT-00000",
                "equipment_id": self.unit.id,
                "product": [self.model.id, self.model.name],
                "partner": [self.customer.id, self.customer.display_name],
                "warranty_start": fields.Date.to_string(self.today),
                "warranty_end": fields.Date.to_string(end),
                "manufacturer_warranty_end": fields.Date.to_string(end),
                "in_warranty": True,
                "days_left": (end - self.today).days + 1,
                "contract_id": False,
                "source": "warranty",
                "label": f"In manufacturer warranty until {format_date(self.env, end)}.",
            },
        )

    def test_status_without_context_speaks_the_users_language(self):
        """Over XML-RPC without a context: the words were the user's (Russian)
        and the date American; both are the user's now."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.service_user.lang = "ru_RU"
        bare = api.Environment(self.env.cr, self.service_user.id, {})
        status = api.call_kw(bare["stock.lot"], "service_warranty_status", ["STAT-00000"], {})
        end = self.today + relativedelta(months=24, days=-1)
        self.assertIn(end.strftime("%d.%m.%Y"), status["label"])
        self.assertNotIn("warranty", status["label"])

    def test_status_expired(self):
        later = self.today + relativedelta(months=25)
        status = self.env["stock.lot"].service_warranty_status("STAT-00000", later)
        self.assertFalse(status["in_warranty"])
        self.assertEqual(status["days_left"], 0)
        self.assertEqual(status["source"], "warranty")
        before = self.env["stock.lot"].service_warranty_status("STAT-00000", date(2000, 1, 1))
        self.assertFalse(before["in_warranty"])

    def test_status_contract_extends_warranty(self):
        later = self.today + relativedelta(months=30)
        self.assertFalse(
            self.env["stock.lot"].service_warranty_status("STAT-00000", later)["in_warranty"]
        )
        contract = self.env["service.contract"].create(
            {
                "partner_id": self.customer.id,
                "date_start": self.today,
                "date_end": self.today + relativedelta(years=3),
                "cover_labour": True,
                "cover_parts": True,
                "line_ids": [(0, 0, {"equipment_id": self.unit.id})],
            }
        )
        contract.action_activate()
        status = self.env["stock.lot"].service_warranty_status("STAT-00000", later)
        self.assertTrue(status["in_warranty"])
        self.assertEqual(status["source"], "contract")
        self.assertEqual(status["contract_id"], contract.id)
        # A contract that covers labour only extends nothing.
        contract.write({"cover_parts": False})
        status = self.env["stock.lot"].service_warranty_status("STAT-00000", later)
        self.assertFalse(status["in_warranty"])
        self.assertFalse(status["contract_id"])

    def test_status_unknown_serial(self):
        status = self.env["stock.lot"].service_warranty_status("NO-SUCH-SERIAL")
        self.assertEqual(status["source"], "unknown")
        self.assertFalse(status["in_warranty"])
        self.assertFalse(status["product"])
        self.assertFalse(status["partner"])
        self.assertEqual(self.env["stock.lot"].service_warranty_status("")["source"], "unknown")

    def test_serial_typed_in_small_letters(self):
        status = self.env["stock.lot"].service_warranty_status(" stat-00000 ")
        self.assertEqual(status["serial"], "STAT-00000")
        self.assertNotEqual(status["source"], "unknown")

    def test_status_no_warranty_registered(self):
        lot = self._lots("NOWAR", 1)
        status = self.env["stock.lot"].service_warranty_status(lot.name)
        self.assertEqual(status["source"], "none")
        self.assertFalse(status["in_warranty"])

    def test_status_query_count(self):
        # Once first: the languages the answer's date is written in are cached
        # for the whole server, not read on each lookup.
        self.env["stock.lot"].service_warranty_status("STAT-00000")
        self.env.invalidate_all()
        # 5 for the serial's warranty, 2 for the contract that may extend it
        with self.assertQueryCount(7):
            self.env["stock.lot"].service_warranty_status("STAT-00000")

    def test_lot_name_has_hash_index(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'stock_lot' AND indexdef ILIKE '%%hash (name)%%'"
        )
        self.assertTrue(self.env.cr.fetchall())

    def test_unit_and_repair_buttons(self):
        action = self.unit.with_user(self.service_user).action_service_warranty_status()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("In manufacturer warranty until", action["params"]["message"])
        repair = self.env["repair.order"].create(
            {"product_id": self.model.id, "lot_id": self.lot.id, "partner_id": self.customer.id}
        )
        self.assertTrue(repair.service_in_warranty)
        action = repair.action_service_warranty_status()
        self.assertIn("In manufacturer warranty until", action["params"]["message"])

    def test_claims_from_the_unit(self):
        action = self.unit.with_user(self.service_user).action_view_service_warranty_claims()
        claim = (
            self.env["service.warranty.claim"]
            .with_user(self.service_user)
            .with_context(**action["context"])
            .create({"defect_description": "Pressure drops"})
        )
        self.assertEqual(claim.lot_id, self.lot)
        self.assertEqual(claim.partner_id, self.customer)
        self.assertEqual(self.unit.service_warranty_claim_count, 1)
        self.assertEqual(self.env["service.warranty.claim"].search(action["domain"]), claim)
