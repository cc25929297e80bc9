from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

# Each duty of the cockpit and the Service menu entries that serve it (the
# README's duty map lists the same paths).
DUTY_MENUS = {
    "demonstrations": ["menu_service_demo_booking", "menu_service_report_demos"],
    "meetings": ["menu_service_agenda", "menu_service_activities"],
    "quality control": ["menu_service_qc_check", "menu_service_config_qc_templates"],
    "satisfaction": [
        "menu_service_kpi_dashboard",
        "menu_service_report_ratings",
        "menu_service_complaints",
    ],
    "cost and revenue": [
        "menu_service_report_profitability",
        "menu_service_report_analytic",
        "service_contracts.menu_service_warranty_cost_report",
    ],
    "workload forecast": ["menu_service_forecast"],
    "competitors": ["menu_service_report_competitors", "menu_service_config_competitors"],
    "team leadership": [
        "menu_service_team_performance",
        "menu_service_schedule",
        "service_base.menu_service_teams_technicians",
    ],
}


@tagged("post_install", "-at_install")
class TestDutyMenus(TransactionCase):
    def test_each_duty_is_reachable_from_the_service_menu(self):
        manager = new_test_user(
            self.env,
            login="sm_menu_manager",
            groups="service_base.group_service_manager,analytic.group_analytic_accounting",
        )
        Menu = self.env["ir.ui.menu"].with_user(manager)
        visible = Menu._visible_menu_ids()
        root = self.env.ref("service_base.menu_service_root")
        for duty, xmlids in DUTY_MENUS.items():
            for xmlid in xmlids:
                menu = self.env.ref(xmlid if "." in xmlid else f"service_manager.{xmlid}")
                with self.subTest(duty=duty, menu=xmlid):
                    self.assertIn(menu.id, visible, "the service manager sees it")
                    self.assertTrue(menu.action, "it opens something")
                    self.assertIn(str(root.id), menu.parent_path.split("/"), "under Service")
                    # the action opens for the manager
                    action = menu.action.sudo()
                    if action._name == "ir.actions.act_window":
                        records = self.env[action.res_model].with_user(manager)
                        records.check_access("read")
                        domain = safe_eval(action.domain or "[]", action._get_eval_context())
                        records.search_count(domain)  # a valid domain

    def test_technicians_do_not_see_the_managers_reports(self):
        technician = new_test_user(
            self.env, login="sm_menu_tech", groups="service_base.group_service_user"
        )
        visible = self.env["ir.ui.menu"].with_user(technician)._visible_menu_ids()
        for xmlid in (
            "menu_service_kpi_dashboard",
            "menu_service_report_profitability",
            "menu_service_report_competitors",
        ):
            self.assertNotIn(self.env.ref(f"service_manager.{xmlid}").id, visible)

    def test_the_accountant_reads_the_stock_valuation(self):
        """Odoo gives the valuation layers to Inventory administrators only;
        the accountant checks there that a customer's unit is never valued."""
        accountant = new_test_user(
            self.env, login="sm_menu_accountant", groups="account.group_account_invoice"
        )
        menu = self.env.ref("service_manager.menu_account_stock_valuation")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(accountant)._visible_menu_ids())
        layer = self.env["stock.valuation.layer"].search([], limit=1)
        Layers = self.env["stock.valuation.layer"].with_user(accountant)
        self.assertEqual(
            Layers.search_count([]), self.env["stock.valuation.layer"].search_count([])
        )
        self.assertTrue(layer, "the demo's stock is valued")
        with self.assertRaises(AccessError):
            layer.with_user(accountant).write({"description": "edited"})
        technician = new_test_user(
            self.env, login="sm_menu_tech_val", groups="service_base.group_service_user"
        )
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(technician)._visible_menu_ids())
        with self.assertRaises(AccessError):
            self.env["stock.valuation.layer"].with_user(technician).search_count([])
