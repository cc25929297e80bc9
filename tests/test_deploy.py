"""The production guide's steps on a real server (docs/deploy.md).

The suite's wheels, built with whool, are installed with pip into a virtual
environment layered over the project's Odoo (a .pth file adds its
site-packages: Odoo and its requirements are "already installed"); the suite
is installed from them on a copy of the base template marked as having no
demo data, and served by that environment's odoo-bin with the guide's
configuration: workers, a cron worker, proxy_mode, queue_job as a
server-wide module with the imports' channel, the websocket port, no
database manager. Then, as a proxy would send them: the warranty check's rate
limit per forwarded address; the websocket on the gevent port; a catalog
import through the job runner; an email piped through setup/mailgate; an act
printed; setup/prod-check; a backup of the database and its filestore,
restored. About three minutes.
"""

import base64
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from pathlib import Path

import requests
import websocket

from odoo.tests import BaseCase, tagged

from .test_uninstall import LIB, dependency_order, lib, suite_manifests

ROOT = Path(__file__).resolve().parents[1]
ODOO_BIN = Path(os.environ.get("ODOO_SRC", "/opt/odoo")) / "odoo-bin"

CONF = """[options]
addons_path = {odoo_addons}
data_dir = {data_dir}
db_user = {db_user}
db_host = False
db_port = False
db_name = {db}
dbfilter = ^{db}$
list_db = False
admin_passwd = {admin_passwd}
proxy_mode = True
http_interface = 127.0.0.1
http_port = {http_port}
gevent_port = {gevent_port}
workers = 2
max_cron_threads = 1
server_wide_modules = base,web,queue_job
without_demo = all
logfile = {logfile}

[queue_job]
channels = root:2,root.service_parts:1
"""

EMAIL = """To: service@deploy.example.com
From: Olga Petrova <olga@northwind.example>
Subject: Deploy test: boiler E9
Message-ID: <deploy-test-1@northwind.example>
Date: Thu, 03 Dec 2026 09:30:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Котёл показывает ошибку E9.
"""


def free_port():
    return int(lib("free_port"))


@tagged("post_install", "-at_install", "service_suite", "service_deploy")
class TestDeploy(BaseCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = Path(tempfile.mkdtemp(prefix="sd-deploy-"))
        cls.addClassCleanup(subprocess.run, ["rm", "-rf", str(cls.tmp)], check=False)
        cls.db = f"sd_deploy_test_{os.getpid()}"
        cls.addClassCleanup(lib, 'drop_database "$1"', cls.db)
        cls.server = None
        cls.addClassCleanup(cls.stop_server)

        # The wheels, into a virtual environment that has Odoo already.
        wheels = cls.tmp / "wheels"
        dirs = lib("suite_addon_dirs").split()
        cls.build = subprocess.run(
            [
                "bash",
                "-c",
                f'source "{LIB}"; cd "$ROOT" && "$TOOLS_PY" -m pip wheel -q --no-deps '
                '--no-build-isolation -w "$1" "${@:2}"',
                "lib",
                str(wheels),
                *[f"./{d}" for d in dirs],
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        cls.wheels = sorted(wheels.glob("*.whl"))
        venv = cls.tmp / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        cls.python = venv / "bin" / "python"
        site = subprocess.run(
            [str(cls.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        odoo_site = subprocess.run(
            [sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        Path(site, "existing-odoo.pth").write_text(f"import site; site.addsitedir({odoo_site!r})\n")
        cls.pip = subprocess.run(
            [str(cls.python), "-m", "pip", "install", *map(str, cls.wheels)],
            capture_output=True,
            text=True,
            check=False,
        )
        cls.site_addons = Path(site, "odoo", "addons")

        # The guide's configuration, on ports of its own.
        cls.http_port = free_port()
        cls.gevent_port = free_port()
        while cls.gevent_port == cls.http_port:
            cls.gevent_port = free_port()
        cls.data_dir = cls.tmp / "data"
        cls.logfile = cls.tmp / "odoo.log"
        cls.conf = cls.tmp / "odoo.conf"
        cls.conf.write_text(
            CONF.format(
                odoo_addons=ODOO_BIN.parent / "odoo" / "addons",
                data_dir=cls.data_dir,
                db_user=lib("id -un"),
                db=cls.db,
                admin_passwd="$pbkdf2-sha512$600000$deploytest$notapassword",
                http_port=cls.http_port,
                gevent_port=cls.gevent_port,
                logfile=cls.logfile,
            )
        )
        # Odoo's apps without the suite, and their filestore with them.
        base = os.environ.get("SD_BASE_TEMPLATE") or lib("base_template_name")
        lib(
            'copy_database "$1" "$2" && mkdir -p "$3" && cp -al "$DATA_DIR/filestore/$2" "$3/" '
            '&& psql -X -q -d "$2" -c "UPDATE ir_module_module SET demo = FALSE"',
            base,
            cls.db,
            str(cls.data_dir / "filestore"),
        )
        cls.install = subprocess.run(
            [
                str(cls.python),
                str(ODOO_BIN),
                "-c",
                str(cls.conf),
                "-d",
                cls.db,
                "-i",
                ",".join(dependency_order(suite_manifests())),
                "--stop-after-init",
                "--logfile=",
                "--log-level=warn",
            ],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        cls.start_server()

    @classmethod
    def start_server(cls):
        cls.server = subprocess.Popen(
            [str(cls.python), str(ODOO_BIN), "-c", str(cls.conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={k: v for k, v in os.environ.items() if not k.startswith("ODOO_QUEUE_JOB")},
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                # The first request of a worker loads the registry: slow on a
                # loaded machine.
                if requests.get(f"{cls.url()}/web/health", timeout=60).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise AssertionError(f"the server did not answer on {cls.url()}")

    @classmethod
    def stop_server(cls):
        if cls.server and cls.server.poll() is None:
            cls.server.send_signal(signal.SIGTERM)
            try:
                cls.server.wait(30)
            except subprocess.TimeoutExpired:
                cls.server.send_signal(signal.SIGTERM)  # a second one: at once
                cls.server.wait(30)
        cls.server = None

    @classmethod
    def url(cls):
        return f"http://127.0.0.1:{cls.http_port}"

    def call(self, model, method, *args, **kwargs):
        proxy = xmlrpc.client.ServerProxy(f"{self.url()}/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(self.db, 2, "admin", model, method, list(args), kwargs)

    def login(self, headers=None):
        session = requests.Session()
        page = session.get(f"{self.url()}/web/login", headers=headers)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        session.post(
            f"{self.url()}/web/login",
            data={"login": "admin", "password": "admin", "csrf_token": token},
            headers=headers,
        )
        return session

    def warranty_check(self, headers):
        session = requests.Session()
        page = session.get(f"{self.url()}/service/warranty", headers=headers)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return session.post(
            f"{self.url()}/service/warranty",
            data={"serial": "NO-SUCH-SERIAL", "csrf_token": token},
            headers=headers,
        ).status_code

    def log_errors(self):
        text = self.logfile.read_text() if self.logfile.exists() else ""
        return [line for line in text.splitlines() if re.search(r" (ERROR|CRITICAL) ", line)]

    def test_the_guide_on_a_server(self):
        expected_errors = 0
        # Installed from the wheels, and only from them.
        self.assertEqual(len(self.wheels), len(suite_manifests()), self.build.stderr[-3000:])
        self.assertEqual(self.pip.returncode, 0, self.pip.stderr)
        for name in suite_manifests():
            self.assertTrue((self.site_addons / name / "__manifest__.py").exists(), name)
        self.assertEqual(self.install.returncode, 0, self.install.stderr[-3000:])
        self.assertNotRegex(self.install.stderr, r" (ERROR|CRITICAL) ")
        installed = self.call(
            "ir.module.module",
            "search_read",
            [("name", "in", list(suite_manifests())), ("state", "=", "installed")],
            ["name"],
        )
        self.assertEqual({m["name"] for m in installed}, set(suite_manifests()))

        with self.subTest("rate limit per forwarded address"):
            proxy = {"X-Forwarded-Host": "service.example.com", "X-Forwarded-Proto": "https"}
            visitor_a = dict(proxy, **{"X-Forwarded-For": "203.0.113.5"})
            visitor_b = dict(proxy, **{"X-Forwarded-For": "198.51.100.7"})
            self.assertEqual(
                [self.warranty_check(visitor_a) for _ in range(11)], [200] * 10 + [429]
            )
            self.assertEqual(self.warranty_check(visitor_b), 200)
            # Without X-Forwarded-Host Odoo keeps the proxy's address: one
            # budget for everybody, as without proxy_mode.
            third = {"X-Forwarded-For": "192.0.2.9"}
            fourth = {"X-Forwarded-For": "192.0.2.10"}
            self.assertEqual([self.warranty_check(third) for _ in range(11)], [200] * 10 + [429])
            self.assertEqual(self.warranty_check(fourth), 429)

        with self.subTest("websocket on the gevent port"):
            origin = {"Origin": self.url()}
            ws = websocket.create_connection(
                f"ws://127.0.0.1:{self.gevent_port}/websocket", timeout=30, header=origin
            )
            self.assertEqual(ws.getstatus(), 101)
            ws.close()
            # The HTTP workers refuse it (Odoo logs the error: counted below).
            errors = len(self.log_errors())
            with self.assertRaises(websocket.WebSocketBadStatusException):
                websocket.create_connection(
                    f"ws://127.0.0.1:{self.http_port}/websocket", timeout=30, header=origin
                )
            expected_errors = len(self.log_errors()) - errors
            self.assertLessEqual(expected_errors, 1)

        with self.subTest("a catalog import through the job runner"):
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["Article", "Description", "Price", "Currency"])
            writer.writerows(
                [f"DT-{i}", f"Deploy test part {i}", "10.50", "USD"] for i in range(50)
            )
            partner = self.call("res.partner", "create", {"name": "Deploy Test Supplier"})
            usd = self.call("res.currency", "search", [("name", "=", "USD")])[0]
            imp = self.call(
                "service.part.import",
                "create",
                {
                    "partner_id": partner,
                    "file": base64.b64encode(out.getvalue().encode()).decode(),
                    "file_name": "deploy.csv",
                    "col_code": "Article",
                    "col_name": "Description",
                    "col_price": "Price",
                    "col_currency": "Currency",
                    "default_currency_id": usd,
                },
            )
            self.call("service.part.import", "action_start", [imp])
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                [record] = self.call("service.part.import", "read", [imp], ["state"])
                if record["state"] not in ("draft", "queued"):
                    break
                time.sleep(2)
            [record] = self.call(
                "service.part.import", "read", [imp], ["state", "part_created_count"]
            )
            self.assertEqual((record["state"], record["part_created_count"]), ("done", 50))
            jobs = self.call(
                "queue.job",
                "search_read",
                [("model_name", "=", "service.part.import")],
                ["channel", "state"],
            )
            self.assertEqual(
                {(j["channel"], j["state"]) for j in jobs}, {("root.service_parts", "done")}
            )

        with self.subTest("an email piped through setup/mailgate"):
            domain = self.call("mail.alias.domain", "create", {"name": "deploy.example.com"})
            self.call(
                "res.company",
                "write",
                self.call("res.company", "search", []),
                {"alias_domain_id": domain},
            )
            team = self.call("service.team", "create", {"name": "Deploy Team"})
            self.call(
                "service.team",
                "write",
                [team],
                {"alias_name": "service", "alias_domain_id": domain},
            )
            groups = [
                self.call("ir.model.data", "check_object_reference", module, xmlid)[1]
                for module, xmlid in (
                    ("base", "group_user"),
                    ("base", "group_system"),
                    ("service_base", "group_service_user"),
                )
            ]
            gateway = self.call(
                "res.users",
                "create",
                {
                    "name": "Mail Gateway",
                    "login": "mailgate",
                    "password": "mailgate-deploy",
                    "groups_id": [(6, 0, groups)],
                },
            )
            run = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "setup" / "mailgate"),
                    "-d",
                    self.db,
                    "-u",
                    str(gateway),
                    "--port",
                    str(self.http_port),
                ],
                input=EMAIL.encode(),
                capture_output=True,
                env=dict(os.environ, ODOO_MAILGATE_PASSWORD="mailgate-deploy"),
                timeout=120,
                check=False,
            )
            self.assertEqual(run.returncode, 0, run.stderr)
            requests_ = self.call(
                "service.request",
                "search_read",
                [("subject", "=", "Deploy test: boiler E9")],
                ["team_id", "channel"],
            )
            self.assertEqual(
                [(r["team_id"][0], r["channel"]) for r in requests_], [(team, "email")]
            )
            self.request_id = requests_[0]["id"]

        with self.subTest("an act printed by the workers"):
            self.call("ir.config_parameter", "set_param", "report.url", self.url())
            session = self.login()
            pdf = session.get(
                f"{self.url()}/report/pdf/service_repair.report_service_request_maintenance/"
                f"{self.request_id}",
                timeout=300,
            )
            self.assertEqual(pdf.status_code, 200)
            self.assertTrue(pdf.content.startswith(b"%PDF"))

        with self.subTest("setup/prod-check"):
            check = subprocess.run(
                [str(ROOT / "setup" / "prod-check"), "-c", str(self.conf), "-d", self.db, "--json"],
                capture_output=True,
                text=True,
                env={k: v for k, v in os.environ.items() if k != "ODOO_QUEUE_JOB_CHANNELS"},
                timeout=120,
                check=False,
            )
            report = json.loads(check.stdout)
            missing = {i["check"] for i in report["items"] if i["status"] == "MISSING"}
            # Debian's wkhtmltopdf is not the patched build (docs/deploy.md).
            self.assertLessEqual(missing, {"wkhtmltopdf"}, check.stdout)
            self.assertEqual(check.returncode, 1 if missing else 0)

        with self.subTest("backup and restore, the database with its filestore"):
            counts_sql = (
                "SELECT (SELECT count(*) FROM product_product), "
                "(SELECT count(*) FROM service_request), "
                "(SELECT count(*) FROM ir_attachment WHERE store_fname IS NOT NULL)"
            )
            before = lib('psql -X -Atq -d "$1" -c "$2"', self.db, counts_sql)
            backup = self.tmp / "backup"
            lib(
                'mkdir -p "$2" && pg_dump --format=custom --file="$2/db.dump" "$1" '
                '&& tar -C "$3/filestore" -czf "$2/filestore.tar.gz" "$1"',
                self.db,
                str(backup),
                str(self.data_dir),
            )
            self.stop_server()
            lib(
                'dropdb "$1" && rm -rf "$3/filestore/$1" && createdb "$1" '
                '&& pg_restore --no-owner --dbname="$1" "$2/db.dump" '
                '&& tar -C "$3/filestore" -xzf "$2/filestore.tar.gz"',
                self.db,
                str(backup),
                str(self.data_dir),
            )
            self.assertEqual(lib('psql -X -Atq -d "$1" -c "$2"', self.db, counts_sql), before)
            files = lib(
                'psql -X -Atq -d "$1" -c "SELECT store_fname FROM ir_attachment '
                'WHERE store_fname IS NOT NULL"',
                self.db,
            ).split()
            filestore = self.data_dir / "filestore" / self.db
            self.assertEqual([f for f in files if not (filestore / f).is_file()], [])
            self.start_server()
            session = self.login()
            page = session.get(f"{self.url()}/odoo")
            self.assertEqual(page.status_code, 200)
            bundles = re.findall(r'(/web/assets/[^"]+\.(?:js|css))', page.text)
            self.assertTrue(bundles)
            self.assertEqual({session.get(self.url() + b).status_code for b in bundles}, {200})

        # Nothing else went wrong on the server.
        self.assertEqual(len(self.log_errors()), expected_errors, "\n".join(self.log_errors()))
