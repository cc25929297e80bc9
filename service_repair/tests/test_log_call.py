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

    def test_rating_asked_only_for_the_kinds_the_company_rates(self):
        """A consultation answered on the phone does not ask the customer for
        a rating (Settings > Customer Ratings); a done repair does, and the
        setting turns either on or off."""
        company = self.env.company
        self.assertFalse(company.service_rating_consultation)
        self.assertTrue(company.service_rating_repair)
        done = self.env.ref("service_repair.stage_done")
        self.assertTrue(done.rating_template_id)

        def logged(request_type):
            wizard = Form(self.env["service.log.call"].with_user(self.tech_boilers))
            wizard.partner_id = self.customer
            wizard.request_type = request_type
            wizard.subject = f"Звонок: {request_type}"
            wizard.resolution = "<p>Ответили.</p>"
            request = self.Request.browse(wizard.save().action_log()["res_id"])
            request.action_close()
            return request

        consultation, repair = logged("consultation"), logged("repair")
        self.assertFalse(consultation.rating_ids)
        self.assertEqual(len(repair.rating_ids), 1)

        settings = self.env["res.config.settings"].create({})
        settings.service_rating_consultation = True
        settings.service_rating_repair = False
        settings.execute()
        consultation, repair = logged("consultation"), logged("repair")
        self.assertEqual(len(consultation.rating_ids), 1)
        self.assertFalse(repair.rating_ids)
