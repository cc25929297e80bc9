"""Each addon of the suite uninstalls without leaving anything in the database.

What an addon creates outside the ORM (SQL functions, indexes on Odoo's
tables, tables of its own) outlives an uninstall unless its uninstall_hook
drops it. On a copy of setup's base template (Odoo with the addons the suite
depends on, without the suite), tests/uninstall_cycle.py installs the addons
one by one in the order of their dependencies, then uninstalls them in the
reverse order; after each uninstall, PostgreSQL's catalogs (functions,
indexes, triggers, tables and views, constraints, columns, types) must be
as they were before that addon's install, and the uninstall must log no
error. Extensions (pg_trgm) may stay: Odoo and other addons use them.

The addons install without demo data, as into a production database: Odoo's
uninstall of demo records that other records still use (the demo units'
stock moves) logs each refused DELETE at ERROR.

One database for the whole cycle, each addon installed once: about two
minutes.
"""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from odoo.tests import BaseCase, tagged

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "setup" / "lib.sh"
CYCLE = Path(__file__).with_name("uninstall_cycle.py")


def suite_manifests():
    paths = [*ROOT.glob("addons/*/__manifest__.py"), *ROOT.glob("*/__manifest__.py")]
    return {p.parent.name: ast.literal_eval(p.read_text()) for p in paths}


def dependency_order(manifests):
    """The suite's addons, each after the suite's addons it depends on."""
    order = []

    def visit(name):
        if name in order:
            return
        for dep in sorted(manifests[name].get("depends", [])):
            if dep in manifests:
                visit(dep)
        order.append(name)

    for name in sorted(manifests):
        visit(name)
    return order


def lib(script, *args):
    """Run ``script`` in bash with setup/lib.sh's helpers; returns its stdout."""
    return subprocess.run(
        ["bash", "-c", f'source "{LIB}"; {script}', "lib", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@tagged("post_install", "-at_install", "service_suite", "service_uninstall")
class TestUninstall(BaseCase):
    maxDiff = None

    def test_each_addon_uninstalls_without_leftovers(self):
        manifests = suite_manifests()
        order = dependency_order(manifests)
        base = os.environ.get("SD_BASE_TEMPLATE") or lib("base_template_name")
        self.assertEqual(
            lib('db_exists "$1" && echo yes || echo no', base),
            "yes",
            f"the base template {base} is built by setup/test (ensure_templates)",
        )
        db = f"sd_uninstall_{os.getpid()}"
        conf = Path(lib('echo "$SD_HOME"')) / f"uninstall-{os.getpid()}.conf"
        try:
            lib('copy_database "$1" "$2" && write_odoo_config "$3" "$2"', base, db, str(conf))
            run = subprocess.run(
                [sys.executable, str(CYCLE), "--without-demo", "-c", str(conf), "-d", db, *order],
                capture_output=True,
                text=True,
                timeout=1200,
                # no job runner in the cycle's registry (see setup/test)
                env=dict(os.environ, ODOO_QUEUE_JOB_CHANNELS="root:0"),
            )
        finally:
            lib('drop_database "$1"; rm -f "$2"', db, str(conf))

        self.assertEqual(run.returncode, 0, run.stderr[-4000:])
        steps = json.loads(run.stdout.strip().splitlines()[-1])["steps"]
        self.assertEqual(
            sorted(m for step in steps for m in step["modules"]),
            sorted(order),
            "every addon of the suite went through the cycle",
        )
        self.assertNotIn("Traceback", run.stderr)
        for step in steps:
            modules = ", ".join(step["modules"])
            with self.subTest(modules=modules):
                self.assertEqual(step["still_installed"], [], f"{modules} uninstalled")
                errors = [r["text"] for r in step["uninstall_log"] if r["level"] != "WARNING"]
                self.assertEqual(errors, [], f"the uninstall of {modules} logged errors")
                left = {k: v for k, v in step["left"].items() if k != "extension"}
                self.assertEqual(
                    left,
                    {},
                    f"{modules} left these behind (an uninstall_hook should drop what "
                    "init() created outside the ORM)",
                )
                self.assertEqual(
                    step["gone"], {}, f"the uninstall of {modules} dropped what it had not created"
                )
