"""The suite upgrades in place on a database with its demo data.

`setup/serve` upgrades its demo database when the suite changed, and an
integrator runs `odoo-bin -u` after installing a new version: on a copy of
setup's suite template (every addon with demo data), setup/lib.sh's
``upgrade_suite`` (what `setup/serve` runs) must end without an error and
log no warning — a demo record that cannot be written again (a stock
quant), noupdate data loaded twice (-i on an installed addon: the SLA
policy's lines), or a view whose elements need a field some of its users
cannot read. About two minutes.
"""

import os
import re
import subprocess
from pathlib import Path

from odoo.tests import BaseCase, tagged

from .test_uninstall import lib


@tagged("post_install", "-at_install", "service_suite", "service_upgrade")
class TestUpgrade(BaseCase):
    def test_the_suite_upgrades_its_demo_database(self):
        template = os.environ.get("SD_SUITE_TEMPLATE") or lib("ensure_templates 2>/dev/null")
        db = f"sd_upgrade_{os.getpid()}"
        conf = Path(lib('echo "$SD_HOME"')) / f"upgrade-{os.getpid()}.conf"
        try:
            lib('copy_database "$1" "$2" && write_odoo_config "$3" "$2"', template, db, str(conf))
            run = subprocess.run(
                [
                    "bash",
                    "-c",
                    f'source "{Path(__file__).resolve().parents[1]}/setup/lib.sh"; '
                    'upgrade_suite "$1" "$2"',
                    "upgrade",
                    str(conf),
                    db,
                ],
                capture_output=True,
                text=True,
                timeout=1200,
                env=dict(os.environ, ODOO_QUEUE_JOB_CHANNELS="root:0"),
            )
        finally:
            lib('drop_database "$1"; rm -f "$2"', db, str(conf))
        log = run.stdout + run.stderr
        self.assertEqual(run.returncode, 0, log[-4000:])
        logged = re.findall(r"^\S+ \S+ \d+ (?:WARNING|ERROR|CRITICAL) .*$", log, re.MULTILINE)
        self.assertEqual(logged, [], "the upgrade logged these")
