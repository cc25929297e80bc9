"""Every suite addon ships a complete Russian translation.

The terms come from the installed code itself (Odoo's own export reader), so
a new string in Python, XML or a manifest fails here until ``ru.po`` has it.
"""

import ast
import pathlib

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ROOT = pathlib.Path(__file__).resolve().parent.parent


def suite_addons():
    manifests = [*ROOT.glob("addons/*/__manifest__.py"), *ROOT.glob("*/__manifest__.py")]
    return {
        m.parent.name: m.parent
        for m in manifests
        if ast.literal_eval(m.read_text()).get("installable", True)
    }


@tagged("post_install", "-at_install", "service_suite")
class TestTranslations(TransactionCase):
    def test_ru_po_complete(self):
        addons = suite_addons()
        self.assertTrue(addons, "no suite addon found")
        for name, path in sorted(addons.items()):
            with self.subTest(addon=name):
                po_path = path / "i18n" / "ru.po"
                pot_path = path / "i18n" / f"{name}.pot"
                self.assertTrue(pot_path.is_file(), f"{name}: missing {pot_path.name}")
                self.assertTrue(po_path.is_file(), f"{name}: missing i18n/ru.po")
                translated = {
                    entry.msgid for entry in polib.pofile(str(po_path)) if entry.msgstr.strip()
                }
                pot_terms = {entry.msgid for entry in polib.pofile(str(pot_path))}
                reader = TranslationModuleReader(self.env.cr, modules=[name], lang="ru_RU")
                code_terms = {term[4] for term in reader if term[4]}
                stale_pot = sorted(code_terms - pot_terms)
                self.assertFalse(
                    stale_pot, f"{name}: the .pot misses {len(stale_pot)} terms: {stale_pot[:10]}"
                )
                missing = sorted(code_terms - translated)
                self.assertFalse(
                    missing,
                    f"{name}: ru.po lacks {len(missing)} translations: {missing[:10]}",
                )
