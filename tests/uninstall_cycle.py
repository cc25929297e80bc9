"""Install the suite's addons one by one, then uninstall them in reverse order.

Run as a script by tests/test_uninstall.py, in a process of its own (Odoo
refuses module operations inside a test), on a database of Odoo without the
suite (a copy of setup's base template):

    python tests/uninstall_cycle.py -c odoo.conf -d db service_base service_parts ...

The addons are given in an order where each comes after what it depends on.
Each is installed with button_immediate_install (an addon that installs
itself with it, auto_install, joins its step), then the steps are uninstalled
in the reverse order with button_immediate_uninstall, as the Apps page does.
Before each install and after each uninstall, the database's objects are
listed from PostgreSQL's catalogs; after the uninstall of a step, the
database must be as it was before its install. What differs, what each step
logged at WARNING and above, and the times, are printed as one JSON object
on the last line of stdout.
"""

import argparse
import json
import logging
import sys
import time

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

# The objects of the public schema, each by a name stable across databases.
# Functions, tables and indexes that belong to an extension are the
# extension's (pg_trgm's gin_trgm_ops and its functions): extensions are
# listed apart, as other addons and Odoo itself may use them.
CATALOG = {
    "function": """
        SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                              AND d.deptype = 'e')
    """,
    "index": "SELECT tablename || ': ' || indexname FROM pg_indexes WHERE schemaname = 'public'",
    "trigger": """
        SELECT c.relname || ': ' || t.tgname
          FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND NOT t.tgisinternal
    """,
    "relation": """
        SELECT c.relkind::text || ' ' || c.relname
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S', 'p', 'f')
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                              AND d.deptype = 'e')
    """,
    "constraint": """
        SELECT c.relname || ': ' || k.conname
          FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public'
    """,
    "column": """
        SELECT table_name || '.' || column_name
          FROM information_schema.columns WHERE table_schema = 'public'
    """,
    "type": """
        SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'public' AND t.typtype IN ('c', 'd', 'e', 'r')
           AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind != 'c')
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                              AND d.deptype = 'e')
    """,
    "extension": "SELECT extname FROM pg_extension",
}


class Recorder(logging.Handler):
    """Keeps what is logged at WARNING and above, for the current step."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        text = f"{record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.records.append({"level": record.levelname, "text": text})

    def take(self):
        records, self.records = self.records, []
        return records


def snapshot(dbname):
    with Registry(dbname).cursor() as cr:
        result = {}
        for kind, query in CATALOG.items():
            cr.execute(query)
            result[kind] = sorted(name for (name,) in cr.fetchall())
        return result


def diff(before, after, known=None):
    """What ``after`` has that ``before`` has not (left), but for what
    ``known`` holds (already reported), and what ``before`` has that
    ``after`` has not (gone)."""
    known = known or {}
    left, gone = {}, {}
    for kind in CATALOG:
        extra = sorted(set(after[kind]) - set(before[kind]) - set(known.get(kind, ())))
        missing = sorted(set(before[kind]) - set(after[kind]))
        if extra:
            left[kind] = extra
        if missing:
            gone[kind] = missing
    return left, gone


def installed(dbname, names):
    with Registry(dbname).cursor() as cr:
        cr.execute(
            "SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
            [list(names)],
        )
        return {name for (name,) in cr.fetchall()}


def module_operation(dbname, names, method):
    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        modules = env["ir.module.module"].search([("name", "in", list(names))])
        missing = set(names) - set(modules.mapped("name"))
        if missing:
            raise SystemExit(f"unknown modules: {', '.join(sorted(missing))}")
        getattr(modules, method)()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(
        "--without-demo",
        action="store_true",
        help="install the addons without their demo data, as into a production database",
    )
    parser.add_argument("modules", nargs="+", help="in an order where dependencies come first")
    args = parser.parse_args()

    config.parse_config(["-c", args.config, "-d", args.database, "--no-http"])
    odoo.service.server.load_server_wide_modules()
    recorder = Recorder()
    logging.getLogger().addHandler(recorder)
    log = logging.getLogger("uninstall_cycle")
    dbname = args.database
    suite = set(args.modules)

    if args.without_demo:
        # A module installs with demo data when one of its dependencies has
        # it (ir.module.module._state_update): the database is marked as
        # having none, so that the addons install as into a production
        # database. (Odoo's uninstall of demo data that other records use,
        # such as the demo stock moves of the demo units, logs each refused
        # DELETE at ERROR and keeps the record.)
        with Registry(dbname).cursor() as cr:
            cr.execute("UPDATE ir_module_module SET demo = FALSE")

    steps = []
    for name in args.modules:
        if name in installed(dbname, suite):
            continue  # installed by an earlier step (auto_install)
        before = snapshot(dbname)
        recorder.take()
        log.info("installing %s", name)
        started = time.monotonic()
        module_operation(dbname, [name], "button_immediate_install")
        seconds = time.monotonic() - started
        done = sorted(installed(dbname, suite) - {m for s in steps for m in s["modules"]})
        steps.append(
            {
                "modules": done,
                "before": before,
                "install_seconds": round(seconds, 1),
                "install_log": recorder.take(),
            }
        )

    report, known = [], {}
    for step in reversed(steps):
        recorder.take()
        log.info("uninstalling %s", ", ".join(step["modules"]))
        started = time.monotonic()
        module_operation(dbname, step["modules"], "button_immediate_uninstall")
        seconds = time.monotonic() - started
        uninstall_log = recorder.take()
        # What the steps uninstalled before left is theirs, not this one's.
        left, gone = diff(step["before"], snapshot(dbname), known)
        for kind, names in left.items():
            known.setdefault(kind, []).extend(names)
        report.append(
            {
                "modules": step["modules"],
                "install_seconds": step["install_seconds"],
                "install_log": step["install_log"],
                "uninstall_seconds": round(seconds, 1),
                "uninstall_log": uninstall_log,
                "still_installed": sorted(installed(dbname, step["modules"])),
                "left": left,
                "gone": gone,
            }
        )
    sys.stdout.write("\n" + json.dumps({"steps": report}) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
