"""Merge a fresh .pot into a language's .po: keep translations, drop obsolete terms.

A term new to the addon but already translated by Odoo itself (the fields that
mail.thread or stock bring, "Company", "Notes"...) takes Odoo's own
translation, so the suite reads like the rest of Odoo.

Usage: po_merge.py ADDON.pot ru.po [ODOO_ADDONS_DIR]  -- prints what is still untranslated.
"""

import pathlib
import sys

import polib

ODOO_FIRST = ("base", "mail", "product", "stock", "portal", "sale", "account", "repair")


def odoo_translations(addons_dir, lang="ru"):
    """msgid -> msgstr from Odoo's own ``ru.po`` files, core addons first."""
    if not addons_dir:
        return {}
    root = pathlib.Path(addons_dir)
    paths = [root / name / "i18n" / f"{lang}.po" for name in ODOO_FIRST]
    paths += sorted(p for p in root.glob(f"*/i18n/{lang}.po") if p not in paths)
    known = {}
    for path in paths:
        if path.is_file():
            for entry in polib.pofile(str(path)):
                if entry.msgstr and not entry.msgctxt:
                    known.setdefault(entry.msgid, entry.msgstr)
    return known


def merge(pot_path, po_path, lang="ru", odoo_addons_dir=None):
    pot = polib.pofile(pot_path)
    try:
        old = {(e.msgctxt, e.msgid): e for e in polib.pofile(po_path)}
    except OSError:
        old = {}
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(pot.metadata)
    po.metadata.update(
        {
            "Language": lang,
            "Plural-Forms": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
            "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
        }
    )
    po.header = pot.header
    missing = []
    known = None
    for entry in pot:
        previous = old.get((entry.msgctxt, entry.msgid))
        entry.msgstr = previous.msgstr if previous else ""
        if not entry.msgstr:
            if known is None:
                known = odoo_translations(odoo_addons_dir, lang)
            entry.msgstr = known.get(entry.msgid, "")
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        po.append(entry)
        if not entry.msgstr:
            missing.append(entry.msgid)
    po.save(po_path)
    return missing


if __name__ == "__main__":
    missing = merge(sys.argv[1], sys.argv[2], odoo_addons_dir=(sys.argv[3:] or [None])[0])
    print(f"{sys.argv[2]}: {len(missing)} untranslated")
    for msgid in missing:
        print("  " + msgid.replace("\n", "\\n"))
