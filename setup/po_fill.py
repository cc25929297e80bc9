"""Fill a .po from a Python file defining ``T = {msgid: msgstr}`` (translator's aid).

Usage: po_fill.py ru.po translations.py [--force]
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
    filled, left = fill(sys.argv[1], runpy.run_path(sys.argv[2])["T"], "--force" in sys.argv)
    print(f"{sys.argv[1]}: {filled} filled, {len(left)} still untranslated")
    for msgid in left:
        print("  " + msgid)
