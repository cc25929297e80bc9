from odoo.tests import TransactionCase, tagged

from odoo.addons.service_base.tools import count_text, plural_form

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install", "service_suite")
class TestPlural(TransactionCase):
    def test_russian_takes_three_forms_and_one_for_fractions(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        forms = "день|дня|дней|дня"
        cases = {1: "день", 2: "дня", 4: "дня", 5: "дней", 11: "дней", 14: "дней", 21: "день"}
        cases.update({22: "дня", 25: "дней", 101: "день", 111: "дней", 0: "дней", 1.5: "дня"})
        for number, form in cases.items():
            self.assertEqual(plural_form("ru_RU", number, forms), form, number)
        env = self.env(context={"lang": "ru_RU"})
        self.assertEqual(count_text(env, 14, forms), f"14{NBSP}дней")
        self.assertEqual(count_text(env, 1.5, forms, digits=1), f"1,5{NBSP}дня")
        self.assertEqual(count_text(env, 2.0, forms, digits=1), f"2{NBSP}дня")

    def test_english_and_unknown_languages(self):
        env = self.env(context={"lang": "en_US"})
        self.assertEqual(count_text(env, 1, "day|days"), f"1{NBSP}day")
        self.assertEqual(count_text(env, 1250, "day|days"), f"1,250{NBSP}days")
        # a translation with fewer forms than the language has: the last one serves
        self.assertEqual(plural_form("ru_RU", 5, "день|дня"), "дня")
        self.assertEqual(plural_form("xx_XX", 2, "day|days"), "days")
