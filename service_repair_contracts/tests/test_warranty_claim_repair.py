from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.service_contracts.tests.common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyClaimRepair(WarrantyCase):
    def test_claim_repairs_belong_to_the_unit(self):
        lots = self._lots("CLR", 2)
        self._receive(lots)
        self._deliver(lots)
        # The delivery registered the units.
        units = lots[0].service_equipment_ids | lots[1].service_equipment_ids
        Claim = self.env["service.warranty.claim"].with_user(self.service_user)
        in_warranty, expired = Claim.create(
            [
                {
                    "partner_id": self.customer_contact.id,
                    "lot_id": lot.id,
                    "defect_description": "No ignition",
                    "claim_date": date,
                }
                for lot, date in (
                    (lots[0], fields.Date.today()),
                    (lots[1], lots[1].service_warranty_end + timedelta(days=1)),
                )
            ]
        )
        in_warranty.action_start_inspection()
        in_warranty.decision = "repair"
        in_warranty.action_decide()
        self.assertEqual(in_warranty.repair_id.equipment_id, units[0])
        self.assertTrue(in_warranty.repair_id.under_warranty)
        expired.action_offer_paid_repair()
        self.assertEqual(expired.paid_repair_id.equipment_id, units[1])
        self.assertFalse(expired.paid_repair_id.under_warranty)
        self.assertEqual(units[1].repair_ids, expired.paid_repair_id)
