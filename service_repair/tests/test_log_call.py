from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ServiceRepairCase


@tagged("post_install", "-at_install")
class TestLogCall(ServiceRepairCase):
    def test_consultation_closed_on_the_spot(self):
        wizard = Form(self.env["service.log.call"].with_user(self.tech_boilers))
        wizard.partner_id = self.customer
        wizard.equipment_id = self.unit
        wizard.subject = "Как сбросить ошибку E01?"
        self.assertTrue(wizard.close_now)
        wizard.resolution = "<p>Нажать и удерживать кнопку Reset 5 секунд.</p>"
        action = wizard.save().action_log()
        request = self.Request.browse(action["res_id"])
        self.assertEqual(request.request_type, "consultation")
        self.assertEqual(request.channel, "phone")
        self.assertTrue(request.is_closed)
        self.assertEqual(request.user_id, self.tech_boilers)
        self.assertIn("Reset", request.resolution)

    def test_close_without_answer_refused(self):
        wizard = Form(self.env["service.log.call"])
        wizard.partner_id = self.customer
        wizard.subject = "?"
        with self.assertRaisesRegex(UserError, "Write the answer"):
            wizard.save().action_log()
        self.assertFalse(self.Request.search([("subject", "=", "?")]))

    def test_repair_call_stays_open(self):
        wizard = Form(self.env["service.log.call"])
        wizard.partner_id = self.customer
        wizard.request_type = "repair"
        self.assertFalse(wizard.close_now)
        wizard.subject = "Течёт"
        request = self.Request.browse(wizard.save().action_log()["res_id"])
        self.assertFalse(request.is_closed)
