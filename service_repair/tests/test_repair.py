import re
import subprocess
import tempfile

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ServiceRepairCase


@tagged("post_install", "-at_install")
class TestRepairForms(ServiceRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.lang = "en_US"
        cls.request = cls.Request.create(
            {
                "partner_id": cls.customer.id,
                "equipment_id": cls.unit.id,
                "subject": "Leak",
                "description": "<p>Water drips under the boiler since Monday.</p>",
                "user_id": cls.tech_boilers.id,
            }
        )
        cls.part = cls.env["product.product"].create(
            {"name": "SR Gasket G-12", "type": "consu", "is_storable": True}
        )

    def _repair(self):
        action = self.request.with_user(self.tech_boilers).action_create_repair()
        return self.env["repair.order"].browse(action["res_id"])

    def _text(self, report, ids):
        html = self.env["ir.actions.report"]._render_qweb_html(report, ids)[0].decode()
        return " ".join(re.sub(r"<[^>]+>", " ", html).split())

    def _finish(self, repair):
        repair.action_validate()
        repair.action_repair_start()
        repair.action_repair_end()

    def test_technician_changes_the_parts_of_a_quoted_repair(self):
        """A technician (no Sales rights) added a part to a repair with a
        quotation: «not allowed to create sale.order.line» (the role review)."""
        repair = self._repair()
        repair.action_create_sale_order()
        as_technician = repair.with_user(self.tech_boilers)
        as_technician.write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.part.id,
                            "product_uom_qty": 2,
                            "repair_line_type": "add",
                        }
                    )
                ]
            }
        )
        line = repair.sale_order_id.order_line.filtered(lambda sol: sol.product_id == self.part)
        self.assertEqual(line.product_uom_qty, 2)
        as_technician.move_ids.filtered(lambda m: m.product_id == self.part).product_uom_qty = 3
        self.assertEqual(line.product_uom_qty, 3)
        # Not a way into another repair's quotation: the repair's write right decides.
        outsider = new_test_user(self.env, login="sr_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            repair.move_ids.with_user(outsider)._create_repair_sale_order_line()

    def test_repair_prefilled_and_request_closed_when_done(self):
        repair = self._repair()
        self.assertEqual(repair.request_id, self.request)
        self.assertEqual(repair.equipment_id, self.unit)
        self.assertEqual(repair.partner_id, self.customer)
        self.assertEqual(repair.product_id, self.boiler)
        self.assertEqual(repair.lot_id, self.unit.lot_id)
        self.assertEqual(repair.user_id, self.tech_boilers)
        self.assertFalse(repair.under_warranty)
        self.assertIn("Water drips", repair.service_complaint)
        self.assertEqual(self.unit.state, "in_repair")
        self.assertEqual(self.request.repair_count, 1)
        # the button is hidden while a repair runs (it offered a second, then refused)
        self.assertTrue(self.request.has_open_repair)
        with self.assertRaisesRegex(UserError, "already has repair .* in progress"):
            self._repair()
        # a second repair opened in the Repairs app keeps the request open
        second = self.env["repair.order"].create(self.request._prepare_repair_order_vals())
        self._finish(repair)
        self.assertEqual(repair.state, "done")
        self.assertFalse(self.request.is_closed, "a second repair is still open")
        second.action_repair_cancel()
        self.request.invalidate_recordset(["has_open_repair"])
        self.assertFalse(self.request.has_open_repair)
        self.assertTrue(self.request.is_closed)
        self.assertEqual(self.request.stage_id, self.env.ref("service_repair.stage_done"))
        self.assertEqual(self.unit.state, "in_use")
        self.assertEqual(self.unit.repair_count, 2)

    def test_repairs_user_without_service_rights(self):
        # Odoo's own Repairs users are inventory users without Service rights.
        stock_user = new_test_user(self.env, login="sr_stock_user", groups="stock.group_stock_user")
        repair = self._repair().with_user(stock_user)
        self._finish(repair)
        self.assertEqual(repair.state, "done")
        self.assertTrue(self.request.is_closed, "the request closes with its repair")
        alone = (
            self.env["repair.order"]
            .with_user(stock_user)
            .create({"product_id": self.part.id, "partner_id": self.customer.id})
        )
        alone.action_repair_cancel()
        self.assertEqual(alone.state, "cancel")

    def test_quotation_button_only_for_sales(self):
        """The technician is not shown Odoo's Create Quotation (a sales
        document they may not create); a salesperson is."""
        repair = self._repair()

        def has_button(user):
            arch = repair.with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
            return 'name="action_create_sale_order"' in arch

        self.assertFalse(self.tech_boilers.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(has_button(self.tech_boilers))
        salesperson = new_test_user(
            self.env,
            login="sr_salesperson",
            groups="sales_team.group_sale_salesman,service_base.group_service_user",
        )
        self.assertTrue(has_button(salesperson))

    def test_acts_render_with_their_content(self):
        repair = self._repair()
        repair.write(
            {
                "service_completeness": "Unit, remote control, manual",
                "service_condition": "Scratch on the front panel",
                "service_work_done": "<p>Replaced the gasket of the heat exchanger.</p>",
                "service_warranty_months": 6,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.part.id,
                            "product_uom_qty": 2,
                            "quantity": 2,
                            "picked": True,
                            "repair_line_type": "add",
                        },
                    )
                ],
            }
        )
        html = self._text("service_repair.action_report_repair_acceptance", repair.ids)
        for text in (
            "Equipment Acceptance Act for Repair",
            "SR-BOILER-001",
            "Unit, remote control, manual",
            "Scratch on the front panel",
            "Water drips",
            "Handed over by",
        ):
            self.assertIn(text, html)
        self._finish(repair)
        html = self._text("service_repair.action_report_repair_completion", repair.ids)
        for text in (
            "Work Completion Act",
            "Replaced the gasket",
            "SR Gasket G-12",
            "guaranteed for 6 months",
        ):
            self.assertIn(text, html)
        html = self._text(
            "service_repair.action_report_service_request_maintenance", self.request.ids
        )
        self.assertIn("Maintenance Report", html)
        self.assertIn(repair.name, html)
        self.assertIn("Tech Boilers", html)

    def test_acts_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.customer.lang = "ru_RU"
        repair = self._repair()
        text = self._text("service_repair.action_report_repair_acceptance", repair.ids)
        self.assertIn("Акт приёма оборудования в ремонт", text)
        self.assertIn("Комплектность", text)
        repair.service_warranty_months = 3
        self._finish(repair)
        text = self._text("service_repair.action_report_repair_completion", repair.ids)
        self.assertIn("Акт выполненных работ", text)
        self.assertIn("Заказчик претензий по объёму", text)
        self.assertIn("3 месяца", text)
        text = self._text(
            "service_repair.action_report_service_request_maintenance", self.request.ids
        )
        self.assertIn("Отчёт о техническом обслуживании", text)

    def test_completion_act_pdf(self):
        repair = self._repair()
        repair.service_work_done = "<p>Cleaned the burner nozzle.</p>"
        self._finish(repair)
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("service_repair.action_report_repair_completion", repair.ids)
        )
        self.assertEqual(fmt, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True
            ).stdout.decode()
        self.assertIn("Work Completion Act", text)
        self.assertIn("Cleaned the burner nozzle", text)
        self.assertIn(repair.name, text)
