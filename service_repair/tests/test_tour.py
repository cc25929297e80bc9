import re

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestServiceRequestTour(HttpCase):
    def test_intake_dispatch_repair_completion_act(self):
        admin = self.env.ref("base.user_admin")
        category = self.env["product.category"].create({"name": "Tour Boilers"})
        skill = self.env["service.skill"].create(
            {"name": "Tour boilers", "product_category_ids": [(6, 0, category.ids)]}
        )
        admin.write({"service_skill_ids": [(4, skill.id)], "service_capacity": 0})
        team = self.env["service.team"].create(
            {"name": "Tour Team", "member_ids": [(6, 0, admin.ids)]}
        )
        model = self.env["product.product"].create(
            {
                "name": "Tour Boiler TB-9",
                "categ_id": category.id,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Boiler Customer", "is_company": True}
        )
        lot = self.env["stock.lot"].create({"name": "TOUR-RQ-0001", "product_id": model.id})
        unit = self.env["service.equipment"].create(
            {
                "product_id": model.id,
                "lot_id": lot.id,
                "partner_id": customer.id,
                "team_id": team.id,
            }
        )
        self.start_tour("/odoo", "service_request_tour", login="admin", timeout=180)

        request = self.env["service.request"].search([("subject", "=", "Tour: boiler leaks")])
        self.assertEqual(request.equipment_id, unit)
        self.assertEqual(request.team_id, team)
        self.assertEqual(request.user_id, admin)
        self.assertTrue(request.is_closed, "the request closed with its only repair")
        repair = request.repair_ids
        self.assertEqual(repair.state, "done")
        self.assertEqual(repair.lot_id, lot)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("service_repair.action_report_repair_completion", repair.ids)[0]
            .decode()
        )
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        self.assertIn("Work Completion Act", text)
        self.assertIn("TOUR-RQ-0001", text)
        self.assertIn(request.name, text)
