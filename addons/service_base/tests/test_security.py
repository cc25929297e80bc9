from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ServiceBaseCase


@tagged("post_install", "-at_install")
class TestSecurity(ServiceBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Equipment = cls.env["service.equipment"]
        cls.unit_a = Equipment.create(
            {
                "product_id": cls.model.id,
                "lot_id": cls._lot("SEC-A").id,
                "partner_id": cls.customer_contact.id,
            }
        )
        cls.unit_b = Equipment.create(
            {
                "product_id": cls.model.id,
                "lot_id": cls._lot("SEC-B").id,
                "partner_id": cls.other_customer.id,
            }
        )
        cls.portal_a = new_test_user(
            cls.env,
            login="sb_portal_a",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create(
                {"name": "Portal of A", "parent_id": cls.customer.id, "email": "pa@example.com"}
            )
            .id,
        )
        cls.company_b = cls.env["res.company"].create({"name": "Service Company B"})
        cls.user_company_b = new_test_user(
            cls.env,
            login="sb_user_b",
            groups="service_base.group_service_manager",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )

    def test_portal_reads_only_own_units(self):
        Equipment = self.env["service.equipment"].with_user(self.portal_a)
        self.assertEqual(Equipment.search([]), self.unit_a)
        self.assertEqual(self.unit_a.with_user(self.portal_a).name, self.unit_a.name)
        with self.assertRaises(AccessError):
            self.unit_b.with_user(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            self.unit_a.with_user(self.portal_a).write({"note": "<p>mine now</p>"})
        with self.assertRaises(AccessError):
            Equipment.create({"product_id": self.model.id})

    def test_other_company_sees_nothing(self):
        Equipment = self.env["service.equipment"].with_user(self.user_company_b)
        self.assertFalse(Equipment.search([]))
        with self.assertRaises(AccessError):
            self.unit_a.with_user(self.user_company_b).read(["name"])
        team_a = self.env["service.team"].create({"name": "Team of A"})
        self.assertNotIn(team_a, self.env["service.team"].with_user(self.user_company_b).search([]))

    def test_service_user_cannot_configure(self):
        as_user = self.env(user=self.service_user)
        with self.assertRaises(AccessError):
            as_user["service.team"].create({"name": "Rogue team"})
        with self.assertRaises(AccessError):
            as_user["service.skill"].create({"name": "Rogue skill"})
        with self.assertRaises(AccessError):
            self.unit_a.with_user(self.service_user).unlink()
        with self.assertRaises(AccessError):
            as_user["res.config.settings"].create({}).execute()
        # What a service user may do: register and edit units, read teams; the
        # state follows what happens to the unit, not a hand edit.
        unit = as_user["service.equipment"].create(
            {"product_id": self.model.id, "lot_id": self._lot("SEC-U").id}
        )
        unit.installation_date = "2026-03-01"
        with self.assertRaisesRegex(UserError, "can only be set by its actions"):
            unit.state = "in_repair"
        self.assertTrue(as_user["service.team"].search_count([]) >= 0)

    def test_manager_configures(self):
        as_manager = self.env(user=self.service_manager)
        team = as_manager["service.team"].create(
            {"name": "New team", "member_ids": [(6, 0, self.service_user.ids)]}
        )
        skill = as_manager["service.skill"].create({"name": "New skill"})
        self.assertEqual(team.member_count, 1)
        self.unit_a.with_user(self.service_manager).action_retire()
        self.assertEqual(self.unit_a.state, "retired")
        self.assertFalse(self.unit_a.active)
        skill.unlink()
