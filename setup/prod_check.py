"""What a production server of the suite still misses (docs/deploy.md).

    setup/prod-check -c /etc/odoo/odoo.conf -d service [--json]

Reads the Odoo configuration file given (its [options] and [queue_job]
sections, and the ODOO_QUEUE_JOB_CHANNELS environment variable, which
queue_job prefers) and the database, and reports each item of the guide's
list as OK, MISSING, WARN (worth a look, not required) or INFO. Options given
to odoo-bin on its command line are not seen: put them in the file.

Exit status: 0 when nothing is MISSING, 1 when something is, 2 when the file
or the database cannot be read. Only the standard library and psycopg2 (which
Odoo needs anyway) are used, so that it runs with the server's own Python.
"""

import argparse
import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg2

# The suite's addons: these, and any other of the suite's author.
SUITE = (
    "service_base",
    "service_parts",
    "service_repair",
    "service_contracts",
    "service_repair_contracts",
    "service_field",
    "service_manager",
)
AUTHOR = "Service Desk for Odoo"
SUITE_CHANNEL = "root.service_parts"
MIB = 1024 * 1024
# Odoo's defaults (odoo/tools/config.py) for what the file may leave out.
DEFAULTS = {
    "workers": "0",
    "max_cron_threads": "2",
    "proxy_mode": "False",
    "server_wide_modules": "base,web",
    "limit_time_real": "120",
    "limit_time_cpu": "60",
    "limit_memory_soft": str(2048 * MIB),
    "limit_memory_hard": str(2560 * MIB),
    "list_db": "True",
    "dbfilter": "",
    "admin_passwd": "admin",
    "gevent_port": "8072",
    "http_port": "8069",
    "data_dir": "",
    "bin_path": "",
    "smtp_server": "localhost",
}
# The catalog import's jobs are sized to end well within Odoo's default
# limit_time_real (service_parts.import_chunk_size): lower limits kill them.
MIN_TIME_REAL = 120
MIN_TIME_CPU = 60
MIN_MEMORY_SOFT = 2048 * MIB
MIN_MEMORY_HARD = 2560 * MIB


class Report:
    def __init__(self):
        self.items = []

    def add(self, check, status, message):
        self.items.append({"check": check, "status": status, "message": message})

    @property
    def missing(self):
        return [item for item in self.items if item["status"] == "MISSING"]


def is_true(value):
    """As Odoo reads a boolean option (odoo/tools/config.py): only "True" /
    "true" and "False" / "false" are booleans; any other non-empty text
    ("0", "no", "FALSE") is a string, and Odoo takes it as on."""
    text = str(value).strip()
    if text in ("False", "false", ""):
        return False
    return True


def is_set(value):
    return str(value).strip().lower() not in ("", "false", "none")


def as_int(value):
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def read_config(path):
    parser = configparser.RawConfigParser()
    if not parser.read(path):
        raise OSError(f"cannot read {path}")
    if not parser.has_section("options"):
        raise OSError(f"{path} has no [options] section")
    options = dict(DEFAULTS, **dict(parser.items("options")))
    queue_job = dict(parser.items("queue_job")) if parser.has_section("queue_job") else {}
    return options, queue_job


def default_data_dir():
    # Odoo's default for a user with a home (appdirs.user_data_dir): run the
    # check as the server's user, or give data_dir in the file.
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "Odoo")


def check_server(report, options, queue_job):
    workers = as_int(options["workers"])
    if not workers:
        report.add(
            "workers",
            "MISSING",
            "workers = 0: the threaded server, one process, no time or memory limits; "
            "set workers to about 2 per CPU core plus 1",
        )
    elif workers == 1:
        report.add(
            "workers",
            "MISSING",
            "workers = 1: Odoo cannot print PDF reports with one worker (wkhtmltopdf "
            "fetches the report's assets from the server itself); at least 2",
        )
    else:
        report.add("workers", "OK", f"workers = {workers}")

    crons = as_int(options["max_cron_threads"])
    if not crons:
        report.add(
            "max_cron_threads",
            "MISSING",
            "max_cron_threads = 0: no scheduled action runs (the suite's recurring invoices, "
            "dispatch, SLA escalations); at least 1",
        )
    else:
        report.add("max_cron_threads", "OK", f"max_cron_threads = {crons}")

    if is_true(options["proxy_mode"]):
        report.add(
            "proxy_mode",
            "OK",
            "proxy_mode = True (the proxy must set X-Forwarded-For, X-Forwarded-Host and "
            "X-Forwarded-Proto, and Odoo must not be reachable around it)",
        )
    else:
        report.add(
            "proxy_mode",
            "MISSING",
            "proxy_mode is off: behind a proxy every visitor has the proxy's address, so the "
            "public warranty check (10 a minute) and request form (5 a minute) rate limits, "
            "counted per client address, are one budget shared by all visitors",
        )

    modules = [m.strip() for m in options["server_wide_modules"].split(",") if m.strip()]
    # Odoo 18 loads base and web whatever the list says (odoo/service/server.py)
    if "queue_job" not in modules:
        report.add(
            "server_wide_modules",
            "MISSING",
            f"server_wide_modules = {','.join(modules)}: lacks queue_job "
            "(without it no job runner starts and catalog imports stay Queued)",
        )
    else:
        report.add("server_wide_modules", "OK", f"server_wide_modules = {','.join(modules)}")

    env_channels = os.environ.get("ODOO_QUEUE_JOB_CHANNELS")
    channels = env_channels or queue_job.get("channels", "")
    source = "ODOO_QUEUE_JOB_CHANNELS" if env_channels else "[queue_job] channels"
    names = {part.split(":")[0].strip() for part in channels.split(",") if part.strip()}
    if SUITE_CHANNEL in names and "root" in names:
        report.add("queue_job channels", "OK", f"{source} = {channels}")
    else:
        report.add(
            "queue_job channels",
            "MISSING",
            f"{source} = {channels or '(not set)'}: needs root and {SUITE_CHANNEL}, "
            f"e.g. channels = root:2,{SUITE_CHANNEL}:1 (the catalog imports' channel, "
            "one import at a time)",
        )

    limits = [
        ("limit_time_real", MIN_TIME_REAL, "s", 1),
        ("limit_time_cpu", MIN_TIME_CPU, "s", 1),
        ("limit_memory_soft", MIN_MEMORY_SOFT, " MiB", MIB),
        ("limit_memory_hard", MIN_MEMORY_HARD, " MiB", MIB),
    ]
    for key, minimum, unit, scale in limits:
        value = as_int(options[key])
        shown = f"{key} = {options[key]}" + (f" ({value // scale}{unit})" if scale > 1 else "")
        if value is None or value < minimum:
            report.add(
                key,
                "MISSING",
                f"{shown}: below {minimum // scale}{unit}, Odoo's default, for which the "
                "catalog import's jobs are sized; large imports need more memory "
                "(docs/deploy.md)",
            )
        else:
            report.add(key, "OK", shown)

    if is_true(options["list_db"]):
        report.add(
            "list_db",
            "MISSING",
            "list_db is on: the database manager (/web/database/manager: create, duplicate, "
            "drop, back up with the master password) is open to the Internet",
        )
    else:
        report.add("list_db", "OK", "list_db = False")

    if is_set(options["dbfilter"]) or is_set(options.get("db_name", "")):
        what = options["dbfilter"] if is_set(options["dbfilter"]) else options.get("db_name")
        report.add("dbfilter", "OK", f"dbfilter/db_name = {what}")
    else:
        report.add(
            "dbfilter",
            "MISSING",
            "neither dbfilter nor db_name: a visitor may pick any database of the cluster",
        )

    password = options["admin_passwd"].strip()
    if not is_set(password) or password == "admin":
        report.add(
            "admin_passwd",
            "MISSING",
            "admin_passwd (the master password) is empty or 'admin'",
        )
    elif not password.startswith("$pbkdf2-"):
        report.add(
            "admin_passwd",
            "WARN",
            "admin_passwd is set in clear text; Odoo hashes it when it is changed from the "
            "database manager, or put a passlib pbkdf2_sha512 hash there",
        )
    else:
        report.add("admin_passwd", "OK", "admin_passwd is set (hashed)")

    gevent_port = options["gevent_port"]
    report.add(
        "gevent_port",
        "INFO" if gevent_port != options["http_port"] else "MISSING",
        f"gevent_port = {gevent_port}: the proxy sends /websocket there, the rest to "
        f"http_port = {options['http_port']}",
    )


def check_wkhtmltopdf(report, options):
    path = os.pathsep.join(
        p
        for p in [
            options["bin_path"] if is_set(options["bin_path"]) else "",
            os.environ.get("PATH", ""),
        ]
        if p
    )
    binary = shutil.which("wkhtmltopdf", path=path)
    if not binary:
        report.add("wkhtmltopdf", "MISSING", "wkhtmltopdf not found: no PDF reports")
        return
    try:
        version = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as error:
        report.add("wkhtmltopdf", "MISSING", f"{binary} --version failed: {error}")
        return
    if "(with patched qt)" in version:
        report.add("wkhtmltopdf", "OK", f"{binary}: {version}")
    else:
        report.add(
            "wkhtmltopdf",
            "MISSING",
            f"{binary}: {version or 'no version'}, not built with patched Qt: reports print "
            "without the company's header and footer; install 0.12.6.1 (with patched qt)",
        )


def connect(options, dbname):
    params = {"dbname": dbname}
    for key, param in (
        ("db_host", "host"),
        ("db_port", "port"),
        ("db_user", "user"),
        ("db_password", "password"),
    ):
        if is_set(options.get(key, "")):
            params[param] = options[key]
    if is_set(options.get("db_sslmode", "")):
        params["sslmode"] = options["db_sslmode"]
    return psycopg2.connect(**params)


def check_database(report, options, dbname):
    conn = connect(options, dbname)
    try:
        conn.set_session(readonly=True)
        cr = conn.cursor()
        cr.execute(
            "SELECT name, state FROM ir_module_module WHERE name = ANY(%s) OR author = %s",
            [list(SUITE), AUTHOR],
        )
        modules = cr.fetchall()
        suite = sorted(name for name, _state in modules)
        installed = sorted(name for name, state in modules if state == "installed")
        report.add(
            "suite",
            "OK" if installed else "MISSING",
            f"suite addons installed: {', '.join(installed) or 'none'}",
        )

        cr.execute("SELECT count(*) FROM mail_alias_domain")
        domains = cr.fetchone()[0]
        cr.execute("SELECT name FROM res_company WHERE alias_domain_id IS NULL ORDER BY id")
        without = [name for (name,) in cr.fetchall()]
        if not domains:
            report.add(
                "alias domain",
                "MISSING",
                "no alias domain (Settings > Emails > Alias Domain): the service teams' "
                "aliases receive nothing and replies do not come back",
            )
        elif without:
            report.add(
                "alias domain",
                "MISSING",
                f"companies without an alias domain: {', '.join(without)}",
            )
        else:
            cr.execute("SELECT string_agg(name, ', ' ORDER BY id) FROM mail_alias_domain")
            report.add("alias domain", "OK", f"alias domain: {cr.fetchone()[0]}")

        cr.execute(
            "SELECT string_agg(name, ', ' ORDER BY id) FROM fetchmail_server "
            "WHERE active AND state = 'done'"
        )
        servers = cr.fetchone()[0]
        if servers:
            report.add("incoming mail", "OK", f"incoming mail servers: {servers}")
        else:
            report.add(
                "incoming mail",
                "WARN",
                "no confirmed incoming mail server: fine if an MTA pipes mail to "
                "setup/mailgate (docs/deploy.md), else no email reaches the service teams",
            )

        cr.execute("SELECT count(*) FROM ir_mail_server WHERE active")
        if not cr.fetchone()[0] and (
            not is_set(options["smtp_server"]) or options["smtp_server"] == "localhost"
        ):
            report.add(
                "outgoing mail",
                "WARN",
                "no outgoing mail server in the database and smtp_server = localhost",
            )
        else:
            report.add("outgoing mail", "OK", "an outgoing mail server is configured")

        cr.execute(
            """
            SELECT d.module, c.cron_name, c.active
              FROM ir_cron c
              JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id
             WHERE d.module = ANY(%s)
             ORDER BY d.module, c.id
            """,
            [suite + ["queue_job"]],
        )
        crons = cr.fetchall()
        inactive = [f"{name} ({module})" for module, name, active in crons if not active]
        if inactive:
            report.add("scheduled actions", "MISSING", f"inactive: {'; '.join(inactive)}")
        elif crons:
            report.add("scheduled actions", "OK", f"{len(crons)} of the suite's, all active")
        else:
            report.add("scheduled actions", "MISSING", "none of the suite's found")

        cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'web.base.url'")
        row = cr.fetchone()
        url = row[0] if row else ""
        if not url.startswith("https://") or re.search(r"//(localhost|127\.)", url):
            report.add(
                "web.base.url",
                "WARN",
                f"web.base.url = {url or '(not set)'}: links in emails and the portal use it; "
                "the public https address is expected (an administrator's login behind the "
                "proxy sets it)",
            )
        else:
            report.add("web.base.url", "OK", f"web.base.url = {url}")
        params = dict.fromkeys(("web.base.url.freeze", "report.url"), "")
        cr.execute("SELECT key, value FROM ir_config_parameter WHERE key = ANY(%s)", [list(params)])
        params.update(cr.fetchall())
        if not is_true(params["web.base.url.freeze"]):
            report.add(
                "web.base.url.freeze",
                "WARN",
                "web.base.url.freeze is not set: an administrator's login through another "
                "address (an SSH tunnel, the server's own port) rewrites web.base.url",
            )
        else:
            report.add("web.base.url.freeze", "OK", "web.base.url.freeze = True")
        if params["report.url"]:
            report.add("report.url", "OK", f"report.url = {params['report.url']}")
        else:
            report.add(
                "report.url",
                "WARN",
                "report.url is not set: wkhtmltopdf fetches the reports' styles from "
                f"web.base.url ({url or 'not set'}); where the server cannot reach its public "
                "address, the acts print unstyled. Set it to the server's own address, e.g. "
                f"http://127.0.0.1:{options['http_port']}",
            )

        data_dir = options["data_dir"] if is_set(options["data_dir"]) else default_data_dir()
        filestore = Path(data_dir) / "filestore" / dbname
        cr.execute("SELECT count(*) FROM ir_attachment WHERE store_fname IS NOT NULL")
        stored = cr.fetchone()[0]
        if filestore.is_dir():
            report.add(
                "filestore",
                "INFO",
                f"filestore: {filestore} ({stored} files): back it up with the database",
            )
        else:
            report.add(
                "filestore",
                "MISSING" if stored else "INFO",
                f"filestore {filestore} not found ({stored} attachments point there): "
                "data_dir is not the server's",
            )
    finally:
        conn.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="the server's odoo.conf")
    parser.add_argument("-d", "--database", help="the database (default: db_name of the file)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)

    report = Report()
    try:
        options, queue_job = read_config(args.config)
    except (OSError, configparser.Error) as error:
        print(f"prod-check: {error}", file=sys.stderr)
        return 2
    dbname = args.database or (options.get("db_name") if is_set(options.get("db_name")) else None)
    if not dbname:
        print("prod-check: no database (-d, or db_name in the file)", file=sys.stderr)
        return 2
    check_server(report, options, queue_job)
    check_wkhtmltopdf(report, options)
    try:
        check_database(report, options, dbname)
    except psycopg2.Error as error:
        print(f"prod-check: database {dbname}: {error}".strip(), file=sys.stderr)
        return 2

    if args.json:
        print(json.dumps({"database": dbname, "items": report.items}, indent=1))
    else:
        for item in report.items:
            print(f"{item['status']:8} {item['check']}: {item['message']}")
        missing = report.missing
        print(
            f"\n{len(missing)} missing: {', '.join(i['check'] for i in missing)}"
            if missing
            else "\nnothing missing"
        )
    return 1 if report.missing else 0


if __name__ == "__main__":
    sys.exit(main())
