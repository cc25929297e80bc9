from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestQualityControl(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env, login="sm_qc_tech", groups="service_base.group_service_user"
        )
        cls.inspector = new_test_user(
            cls.env, login="sm_qc_inspector", groups="service_base.group_service_user"
        )
        category = cls.env["product.category"].create({"name": "QC Boilers"})
        cls.product = cls.env["product.product"].create(
            {"name": "QC Boiler", "categ_id": category.id, "type": "consu"}
        )
        other = cls.env["product.product"].create({"name": "QC Kettle", "type": "consu"})
        cls.template = cls.env["service.qc.template"].create(
            {
                "name": "Boiler checks",
                "sequence": 1,
                "product_categ_ids": [(6, 0, category.ids)],
                "item_ids": [
                    (0, 0, {"name": "Gas tightness"}),
                    (0, 0, {"name": "Customer instructed", "mandatory": False}),
                ],
            }
        )
        partner = cls.env["res.partner"].create({"name": "QC Customer"})
        cls.repair = cls.env["repair.order"].create(
            {"product_id": cls.product.id, "partner_id": partner.id, "user_id": cls.technician.id}
        )
        cls.other_repair = cls.env["repair.order"].create(
            {"product_id": other.id, "partner_id": partner.id, "user_id": cls.technician.id}
        )

    def test_repair_cannot_end_before_check_by_another_person(self):
        self.repair.action_repair_start()
        check = self.repair.service_qc_check_ids
        self.assertEqual(check.template_id, self.template)
        self.assertEqual(check.line_ids.mapped("name"), ["Gas tightness", "Customer instructed"])
        self.assertEqual(self.repair.service_qc_state, "todo")

        with self.assertRaisesRegex(UserError, "quality check .* has not passed"):
            self.repair.action_repair_end()

        check.line_ids[0].result = "pass"
        with self.assertRaisesRegex(UserError, "someone other than the technician"):
            check.with_user(self.technician).action_pass()

        check.with_user(self.inspector).action_pass()
        self.assertEqual(check.checked_by_id, self.inspector)
        self.assertEqual(self.repair.service_qc_state, "passed")
        self.repair.action_repair_end()
        self.assertEqual(self.repair.state, "done")

    def test_repairs_user_without_service_rights_gets_the_checklist(self):
        # Odoo's own Repairs users are inventory users; the checklist still applies.
        stock_user = new_test_user(self.env, login="sm_qc_stock", groups="stock.group_stock_user")
        repair = self.repair.with_user(stock_user)
        repair.action_repair_start()
        self.assertEqual(self.repair.service_qc_check_ids.template_id, self.template)
        self.assertEqual(repair.service_qc_state, "todo")
        with self.assertRaisesRegex(UserError, "quality check .* has not passed"):
            repair.action_repair_end()
        # a repair no checklist applies to ends as in Odoo
        other = self.other_repair.with_user(stock_user)
        other.action_repair_start()
        other.action_repair_end()
        self.assertEqual(other.state, "done")

    def test_mandatory_items_must_pass(self):
        self.repair.action_repair_start()
        check = self.repair.service_qc_check_ids
        with self.assertRaisesRegex(UserError, "Gas tightness"):
            check.with_user(self.inspector).action_pass()

    def test_failed_check_sends_repair_back_with_reason(self):
        self.repair.action_repair_start()
        check = self.repair.service_qc_check_ids
        with self.assertRaisesRegex(UserError, "Say why"):
            check.with_user(self.inspector).action_fail("  ")
        wizard = (
            self.env["service.qc.fail.wizard"]
            .with_user(self.inspector)
            .with_context(active_id=check.id)
            .create({"reason": "Gas smell at the valve"})
        )
        wizard.action_confirm()
        self.assertEqual(check.state, "failed")
        self.assertEqual(self.repair.state, "under_repair")
        self.assertEqual(self.repair.service_qc_state, "failed")
        activity = self.repair.activity_ids
        self.assertEqual(activity.user_id, self.technician)
        self.assertIn("Gas smell", activity.note)
        with self.assertRaisesRegex(UserError, "has not passed"):
            self.repair.action_repair_end()

        # The technician fixes it; a new check follows the same checklist.
        self.repair.action_service_qc_check()
        new_check = self.repair.service_qc_check_ids - check
        self.assertEqual(new_check.state, "todo")
        new_check.line_ids.result = "pass"
        new_check.with_user(self.inspector).action_pass()
        self.repair.action_repair_end()
        self.assertEqual(self.repair.state, "done")

    def test_repair_without_checklist_is_not_blocked(self):
        self.other_repair.action_repair_start()
        self.assertEqual(self.other_repair.service_qc_state, "none")
        self.other_repair.action_repair_end()
        self.assertEqual(self.other_repair.state, "done")

    def test_all_passed_in_one_click(self):
        """ "All Passed" ticks the unanswered items and passes the check; an
        item already answered keeps its answer; four eyes still hold."""
        self.repair.action_repair_start()
        check = self.repair.service_qc_check_ids
        check.line_ids[1].result = "na"
        with self.assertRaisesRegex(UserError, "someone other than the technician"):
            check.with_user(self.technician).action_pass_all()
        self.assertFalse(check.line_ids[0].result, "nothing ticked by a refused click")
        self.assertIs(check.with_user(self.inspector).action_pass_all(), True)
        self.assertEqual(check.line_ids.mapped("result"), ["pass", "na"])
        self.assertEqual((check.state, check.checked_by_id), ("passed", self.inspector))

    def test_check_named_after_its_repair_and_button_only_where_a_checklist_applies(self):
        self.repair.action_repair_start()
        check = self.repair.service_qc_check_ids
        self.assertEqual(check.display_name, f"Quality check of {self.repair.name}")
        check.invalidate_recordset(["display_name"])
        self.assertEqual(
            check.with_context(lang="ru_RU").display_name, f"Проверка качества {self.repair.name}"
        )
        self.assertTrue(self.repair.service_qc_applies)
        self.assertFalse(self.other_repair.service_qc_applies)
        with self.assertRaisesRegex(UserError, "No quality checklist applies"):
            self.other_repair.action_service_qc_check()

    def test_dashboard_counts_the_checks_of_the_period(self):
        self.env["service.qc.check"].search([("repair_id", "not in", self.repair.ids)]).unlink()
        self.repair.action_repair_start()
        check = self.repair.service_qc_check_ids
        check.line_ids[0].result = "pass"
        check.with_user(self.inspector).action_pass()
        waiting = self.env["service.qc.check"].create(
            {"repair_id": self.other_repair.id, "template_id": self.template.id}
        )
        manager = new_test_user(
            self.env, login="sm_qc_manager", groups="service_base.group_service_manager"
        )
        dashboard = self.env["service.kpi.dashboard"].with_user(manager)

        def figures(**period):
            kpis = {k["key"]: k for k in dashboard.get_kpis(**period)}
            return kpis["qc_pass_rate"]["value"], kpis["qc_todo"]["value"]

        self.assertEqual(figures(), (100.0, 1))
        # Last year: no check done then; the waiting one waits today all the same.
        rate, waiting_count = figures(date_from="2025-01-01", date_to="2025-12-31")
        self.assertIs(rate, False, "no check done: no rate, not 0 %")
        self.assertEqual(waiting_count, 1)
        self.assertEqual(waiting.state, "todo")

    def test_creation_message_in_russian_agrees(self):
        """«Проверка качества ремонта создан» (Odoo's masculine template)."""
        self.env["res.lang"]._activate_lang("ru_RU")
        check = (
            self.env["service.qc.check"]
            .with_context(lang="ru_RU")
            .create({"repair_id": self.repair.id, "template_id": self.template.id})
        )
        first = check.message_ids.sorted("id")[:1]
        self.assertIn("Проверка качества создана", first.body or "")
