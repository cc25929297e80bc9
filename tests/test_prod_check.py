"""The production guide's tools (docs/deploy.md): setup/prod-check, setup/mailgate.

setup/prod-check reads an odoo.conf and a database: here a copy of the suite's
template, checked with a deliberately incomplete configuration and with a
production one (and the database given what the guide asks: an alias domain).
setup/mailgate hands an email to the running test server over XML-RPC, as an
MTA's pipe alias runs it.
"""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from passlib.context import CryptContext

from odoo.tests import BaseCase, HttpCase, new_test_user, tagged
from odoo.tools import config, mute_logger

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "setup" / "lib.sh"
PROD_CHECK = ROOT / "setup" / "prod-check"
MAILGATE = ROOT / "setup" / "mailgate"

INCOMPLETE = """[options]
db_user = {db_user}
data_dir = {data_dir}
bin_path = {bin_path}
workers = 0
max_cron_threads = 0
server_wide_modules = base,web
limit_time_real = 60
admin_passwd = admin
"""

PRODUCTION = """[options]
db_user = {db_user}
data_dir = {data_dir}
bin_path = {bin_path}
workers = 5
max_cron_threads = 1
proxy_mode = True
server_wide_modules = base,web,queue_job
limit_time_real = 1200
limit_time_cpu = 600
limit_memory_soft = 4294967296
limit_memory_hard = 5368709120
list_db = False
dbfilter = ^{db}$
admin_passwd = {admin_passwd}
http_interface = 127.0.0.1
http_port = 8069
gevent_port = 8072

[queue_job]
channels = root:2,root.service_parts:1
"""


def lib(script, *args):
    """Run ``script`` in bash with setup/lib.sh's helpers; returns its stdout."""
    return subprocess.run(
        ["bash", "-c", f'source "{LIB}"; {script}', "lib", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def fake_wkhtmltopdf(folder, version):
    folder.mkdir()
    binary = folder / "wkhtmltopdf"
    binary.write_text(f'#!/bin/sh\necho "{version}"\n')
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return folder


@tagged("post_install", "-at_install", "service_suite")
class TestProdCheck(BaseCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        template = os.environ.get("SD_SUITE_TEMPLATE") or lib(
            'base=$(base_template_name); echo "sd_suite_$(suite_hash "${base#sd_base_}")"'
        )
        cls.db = f"sd_prodcheck_{os.getpid()}"
        cls.home = Path(lib('echo "$SD_HOME"')) / f"prodcheck-{os.getpid()}"
        cls.data_dir = lib('echo "$DATA_DIR"')
        lib('copy_database "$1" "$2"', template, cls.db)
        cls.addClassCleanup(lib, 'drop_database "$1"; rm -rf "$2"', cls.db, str(cls.home))
        cls.home.mkdir()
        cls.unpatched = fake_wkhtmltopdf(cls.home / "debian", "wkhtmltopdf 0.12.6")
        cls.patched = fake_wkhtmltopdf(
            cls.home / "patched", "wkhtmltopdf 0.12.6.1 (with patched qt)"
        )
        cls.db_user = lib("id -un")

    def psql(self, sql):
        lib('psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "$2"', self.db, sql)

    def run_check(self, text, env=None):
        conf = self.home / "odoo.conf"
        conf.write_text(text)
        # setup/test runs the tests with ODOO_QUEUE_JOB_CHANNELS=root:0, which
        # queue_job (and prod-check) would prefer to the file's channels.
        environ = {k: v for k, v in os.environ.items() if k != "ODOO_QUEUE_JOB_CHANNELS"}
        environ.update(env or {})
        run = subprocess.run(
            [str(PROD_CHECK), "-c", str(conf), "-d", self.db, "--json"],
            capture_output=True,
            text=True,
            env=environ,
            timeout=120,
            check=False,
        )
        report = json.loads(run.stdout) if run.stdout.strip() else None
        return run, report

    def statuses(self, report):
        return {item["check"]: item["status"] for item in report["items"]}

    def message(self, report, check):
        return next(item["message"] for item in report["items"] if item["check"] == check)

    def test_incomplete_then_production(self):
        # The copy as the template is, one of the suite's crons switched off.
        self.psql(
            "UPDATE ir_cron SET active = FALSE WHERE id = (SELECT res_id FROM ir_model_data "
            "WHERE module = 'service_repair' AND name = 'ir_cron_service_request_dispatch')"
        )
        incomplete = INCOMPLETE.format(
            db_user=self.db_user, data_dir=self.data_dir, bin_path=self.unpatched
        )
        run, report = self.run_check(incomplete)
        self.assertEqual(run.returncode, 1, run.stderr)
        missing = {check for check, status in self.statuses(report).items() if status == "MISSING"}
        self.assertEqual(
            missing,
            {
                "workers",
                "max_cron_threads",
                "proxy_mode",
                "server_wide_modules",
                "queue_job channels",
                "limit_time_real",
                "list_db",
                "dbfilter",
                "admin_passwd",
                "wkhtmltopdf",
                "alias domain",
                "scheduled actions",
            },
        )
        self.assertIn("one budget shared by all visitors", self.message(report, "proxy_mode"))
        self.assertIn("queue_job", self.message(report, "server_wide_modules"))
        self.assertIn("root.service_parts", self.message(report, "queue_job channels"))
        self.assertIn("patched Qt", self.message(report, "wkhtmltopdf"))
        self.assertIn("Service: dispatch new requests", self.message(report, "scheduled actions"))
        self.assertEqual(self.statuses(report)["suite"], "OK")
        self.assertEqual(self.statuses(report)["limit_memory_hard"], "OK", "Odoo's default")
        self.assertEqual(self.statuses(report)["report.url"], "WARN")
        self.assertIn("http://127.0.0.1:8069", self.message(report, "report.url"))

        # The channels may come from queue_job's environment variable instead.
        run, report = self.run_check(
            incomplete, env={"ODOO_QUEUE_JOB_CHANNELS": "root:4,root.service_parts:1"}
        )
        self.assertEqual(self.statuses(report)["queue_job channels"], "OK")

        # The text report names what is missing; the exit status says it too.
        conf = self.home / "odoo.conf"
        text = subprocess.run(
            [str(PROD_CHECK), "-c", str(conf), "-d", self.db],
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(text.returncode, 1)
        self.assertIn("MISSING  proxy_mode:", text.stdout)
        self.assertIn("12 missing: workers, max_cron_threads", text.stdout)

        # Production: the guide's configuration, and the database given an
        # alias domain for every company, the cron back on.
        self.psql(
            "UPDATE ir_cron SET active = TRUE WHERE id = (SELECT res_id FROM ir_model_data "
            "WHERE module = 'service_repair' AND name = 'ir_cron_service_request_dispatch');"
            "INSERT INTO mail_alias_domain (name, bounce_alias, catchall_alias, sequence) "
            "VALUES ('service.example.com', 'bounce', 'catchall', 10);"
            "UPDATE res_company SET alias_domain_id = "
            "(SELECT id FROM mail_alias_domain WHERE name = 'service.example.com');"
            "INSERT INTO ir_config_parameter (key, value) VALUES "
            "('report.url', 'http://127.0.0.1:8069'), ('web.base.url.freeze', 'True')"
        )
        hashed = CryptContext(["pbkdf2_sha512"]).hash("a long master password")
        production = PRODUCTION.format(
            db_user=self.db_user,
            data_dir=self.data_dir,
            bin_path=self.patched,
            db=self.db,
            admin_passwd=hashed,
        )
        run, report = self.run_check(production)
        statuses = self.statuses(report)
        self.assertEqual(run.returncode, 0, json.dumps(report, indent=1))
        self.assertNotIn("MISSING", statuses.values())
        for check in (
            "workers",
            "max_cron_threads",
            "proxy_mode",
            "server_wide_modules",
            "queue_job channels",
            "limit_time_real",
            "limit_memory_hard",
            "list_db",
            "dbfilter",
            "admin_passwd",
            "wkhtmltopdf",
            "alias domain",
            "scheduled actions",
            "report.url",
            "web.base.url.freeze",
        ):
            self.assertEqual(statuses[check], "OK", check)
        # What the template lacks and production servers usually have is said,
        # without failing the check.
        self.assertEqual(statuses["incoming mail"], "WARN")
        self.assertEqual(statuses["web.base.url"], "WARN")
        self.assertIn(self.db, self.message(report, "filestore"))

        # Odoo reads only "True"/"False" as booleans: list_db = 0 is a string,
        # so the database manager is open; base and web it loads by itself.
        run, report = self.run_check(
            production.replace("list_db = False", "list_db = 0").replace(
                "server_wide_modules = base,web,queue_job", "server_wide_modules = web,queue_job"
            )
        )
        self.assertEqual(self.statuses(report)["list_db"], "MISSING")
        self.assertEqual(self.statuses(report)["server_wide_modules"], "OK")

        # A clear-text master password is worth a warning, not a failure.
        run, report = self.run_check(production.replace(hashed, "a long master password"))
        self.assertEqual(run.returncode, 0)
        self.assertEqual(self.statuses(report)["admin_passwd"], "WARN")

    def test_unreadable(self):
        run, _report = self.run_check("no section here\n")
        self.assertEqual(run.returncode, 2)
        self.assertIn("prod-check:", run.stderr)
        conf = INCOMPLETE.format(db_user=self.db_user, data_dir=self.data_dir, bin_path="")
        (self.home / "odoo.conf").write_text(conf)
        run = subprocess.run(
            [str(PROD_CHECK), "-c", str(self.home / "odoo.conf"), "-d", "sd_no_such_database"],
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(run.returncode, 2)
        self.assertIn("sd_no_such_database", run.stderr)


EMAIL = """To: {to}
From: Olga Petrova <olga.mailgate@example.com>
Subject: {subject}
Message-ID: <{subject}@mailgate.example.com>
Date: Thu, 03 Dec 2026 08:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Котёл не греет с утра.
"""


@tagged("post_install", "-at_install", "service_suite")
class TestMailgate(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create({"name": "mailgate.example.com"})
        cls.env.company.alias_domain_id = domain
        cls.team = cls.env["service.team"].create(
            {
                "name": "Mailgate Team",
                "alias_name": "mailgate-service",
                "alias_domain_id": domain.id,
            }
        )
        cls.gateway = new_test_user(
            cls.env,
            login="mailgate_gw",
            password="mailgate_gw",
            groups="base.group_system,service_base.group_service_user",
        )

    def mailgate(self, to, subject, password="mailgate_gw"):
        return subprocess.run(
            [
                sys.executable,
                str(MAILGATE),
                "-d",
                self.env.cr.dbname,
                "-u",
                str(self.gateway.id),
                "--host",
                "127.0.0.1",
                "--port",
                str(config["http_port"]),
            ],
            input=EMAIL.format(to=to, subject=subject).encode(),
            capture_output=True,
            env=dict(os.environ, ODOO_MAILGATE_PASSWORD=password),
            timeout=120,
            check=False,
        )

    def test_pipe_opens_a_request(self):
        run = self.mailgate("mailgate-service@mailgate.example.com", "mailgate-boiler")
        self.assertEqual(run.returncode, 0, run.stderr)
        request = self.env["service.request"].search([("subject", "=", "mailgate-boiler")])
        self.assertEqual(request.team_id, self.team)
        self.assertEqual(request.channel, "email")

    def test_refusals(self):
        # Wrong credentials: the MTA keeps the message and retries (EX_TEMPFAIL).
        with mute_logger("odoo.http", "odoo.addons.base.controllers.rpc"):
            run = self.mailgate("mailgate-service@mailgate.example.com", "mg-2", password="wrong")
        self.assertEqual(run.returncode, 75, run.stderr)
        # Nobody at that address: Odoo refuses, the MTA bounces with the reason.
        with mute_logger("odoo.http", "odoo.addons.base.controllers.rpc", "odoo.addons.mail"):
            run = self.mailgate("nobody@elsewhere.example.org", "mg-3")
        self.assertEqual(run.returncode, 1, run.stderr)
        self.assertIn(b"Odoo refused the message: ValueError: No possible route", run.stderr)
        self.assertFalse(self.env["service.request"].search([("subject", "in", ["mg-2", "mg-3"])]))
