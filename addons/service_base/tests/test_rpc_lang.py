"""An XML-RPC call without a context: Odoo's _() speaks the user's language,
so the labels, states and dates a message joins to it must too (the
integrator's review found «… «Booked»» and US dates in Russian sentences)."""

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..tools import user_lang_env
from .common import ServiceBaseCase


@tagged("post_install", "-at_install")
class TestRpcLanguage(ServiceBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.russian = new_test_user(
            cls.env, login="sb_ru_user", groups="service_base.group_service_user", lang="ru_RU"
        )

    def test_user_lang_env(self):
        bare = api.Environment(self.env.cr, self.russian.id, {})
        self.assertEqual(user_lang_env(bare).lang, "ru_RU")
        english = bare(context={"lang": "en_US"})
        self.assertIs(user_lang_env(english), english, "a context's language is kept")

    def test_guarded_refusal_reads_in_one_language(self):
        unit = self.env["service.equipment"].create(
            {"product_id": self.model.id, "partner_id": self.customer_contact.id}
        )
        bare = api.Environment(self.env.cr, self.russian.id, {})
        with self.assertRaises(UserError) as caught:
            api.call_kw(bare["service.equipment"], "write", [unit.ids, {"state": "retired"}], {})
        self.assertRegex(str(caught.exception), r"^Поле «Состояние» \(.+\) меняется только")

    def test_locations_are_named_in_the_companys_language(self):
        """Created by whoever moves a unit first: named for the company, not
        in that user's language."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        warehouse.service_loan_location_id = warehouse.service_repair_location_id = False
        self.env.company.partner_id.lang = "en_US"
        location = warehouse.with_user(self.russian)._service_loan_location()
        self.assertEqual(location.sudo().name, "Units on Loan")
        self.env.company.partner_id.lang = "ru_RU"
        location = warehouse.with_context(lang="en_US")._service_repair_location()
        self.assertEqual(location.sudo().name, "Ремонт")
