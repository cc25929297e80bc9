"""Fill a .po from a Python file defining ``T = {msgid: msgstr}``, or from
another .po (to carry translations over after a merge). A translator's aid.

Usage: po_fill.py ru.po translations.py|other.po [--force]
Only empty entries are filled, unless --force (to correct a term whose general
Odoo translation does not fit the service context).
"""

import runpy
import sys

import polib


def fill(po_path, table, force=False):
    po = polib.pofile(po_path, wrapwidth=78)
    filled = 0
    for entry in po:
        if (force or not entry.msgstr) and table.get(entry.msgid):
            entry.msgstr = table[entry.msgid]
            filled += 1
    po.save(po_path)
    left = [e.msgid for e in po if not e.msgstr]
    return filled, left


if __name__ == "__main__":
    source = sys.argv[2]
    if source.endswith(".po"):
        table = {e.msgid: e.msgstr for e in polib.pofile(source) if e.msgstr}
    else:
        table = runpy.run_path(source)["T"]
    filled, left = fill(sys.argv[1], table, "--force" in sys.argv)
    print(f"{sys.argv[1]}: {filled} filled, {len(left)} still untranslated")
    for msgid in left:
        print("  " + msgid)
