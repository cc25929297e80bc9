"""The suite's Russian uses the words of the glossary (GLOSSARY-ru.md of the
project): the duty tours read these labels on the screens of each role.

A term that means two things in English gets two msgids when Russian needs
two words (a filter "Open" is «Открытые», a button that opens «Открыть»), and
a term the web client shares with Odoo's own modules gets a msgid of its own
(JavaScript keeps one translation per term: Odoo's "Free" is «Бесплатно»).
"""

import pathlib
import re

import polib

from odoo.tests import TransactionCase, tagged

ROOT = pathlib.Path(__file__).resolve().parent.parent

# (addon directory, msgid) -> the glossary's Russian
EXACT = {
    ("service_repair", "Log"): "Записать",
    ("service_repair", "Open"): "Открытые",
    ("service_repair", "Loaner Returned"): "Принять подменное",
    ("service_repair", "Walk-in"): "Личное обращение",
    ("service_contracts", "Open"): "Открытые",
    ("service_contracts", "Open Document"): "Открыть документ",
    ("service_contracts", "Resolve"): "Урегулировать",
    ("service_contracts", "Create Invoice"): "Создать счёт",
    ("addons/service_manager", "Open"): "В работе",
    ("addons/service_manager", "Open Document"): "Открыть документ",
    ("addons/service_manager", "Won"): "Выигрыш",
    ("addons/service_manager", "Lost"): "Проигрыш",
    ("addons/service_manager", "Booked"): "Забронировано",
    ("addons/service_manager", "Done"): "Проведено",
    ("addons/service_manager", "Ordered"): "Заказано",
    ("addons/service_manager", "Interested"): "Заинтересован",
    ("addons/service_manager", "Check"): "Проверка",
    ("addons/service_manager", "Checklist"): "Чек-лист",
    ("addons/service_manager", "Pass"): "Пройдена",
    ("addons/service_manager", "Passed"): "Пройдена",
    ("addons/service_manager", "Fail"): "Не пройдена",
    ("addons/service_manager", "Failed"): "Не пройдена",
    ("addons/service_manager", "N/A"): "Н/П",
    ("addons/service_manager", "Rework"): "Повторный ремонт",
    ("addons/service_manager", "Capacity"): "Норма заявок",
    ("service_parts", "Free stock"): "Свободно",
    ("service_parts", "Incoming stock"): "Ожидается",
    ("service_repair_contracts", "Requests"): "Заявки",
}

# The glossary's "not this" column, anywhere in the suite's Russian
FORBIDDEN = {
    r"\bВон\b": "Won is «Выиграна» / «Выигрыш»",
    r"Бесплатно": "free stock is «Свободно»",
    r"Входящий": "an incoming quantity is «Ожидается»",
    r"Забронированно": "«Забронировано»",
    r"Упорядоченн": "a demo outcome Ordered is «Заказано»",
    r"Н/A": "N/A is «Н/П» (the A was Latin)",
    r"\bЧек\b(?!-)": "a quality check is «Проверка»",
    r"[Вв]местимост": "capacity is «загрузка», «норма заявок»",
    r"[Уу]становленн\w* баз": "the installed base is «парк оборудования»",
    r"[Кк]онтракт": "a service contract is «договор»",
    r"[Пп]еределк": "rework is «повторный ремонт»",
    r"[Вв]изит": "a visit is «выезд»",
    r"\d+ дни\b": "«14 дней»",
    r"[Уу]стройств": "a unit is «оборудование»",
    r"\bЖурнал\b": "the call log's button is «Записать»",
}


def po_entries():
    for path in sorted([*ROOT.glob("addons/*/i18n/ru.po"), *ROOT.glob("*/i18n/ru.po")]):
        addon = str(path.parent.parent.relative_to(ROOT))
        for entry in polib.pofile(str(path)):
            yield addon, entry


@tagged("post_install", "-at_install", "service_suite")
class TestGlossary(TransactionCase):
    def test_terms_of_the_glossary(self):
        found = {(addon, entry.msgid): entry.msgstr for addon, entry in po_entries()}
        for key, russian in EXACT.items():
            with self.subTest(addon=key[0], msgid=key[1]):
                self.assertEqual(found.get(key), russian)

    def test_no_word_the_glossary_rules_out(self):
        for addon, entry in po_entries():
            for pattern, why in FORBIDDEN.items():
                if re.search(pattern, entry.msgstr):
                    with self.subTest(addon=addon, msgid=entry.msgid):
                        self.fail(f"{entry.msgstr!r}: {why}")
