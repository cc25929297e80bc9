"""Load test of the suite through a real Odoo server, loopback only.

Starts ``odoo-bin --workers=N`` on 127.0.0.1 (a free port) against an
existing database (a throw-away copy of the demo database: ``bench/run_load``
makes it and drops it afterwards), then drives it with ``--clients``
concurrent JSON-RPC clients (threads, one connection at a time each, calls
to ``/jsonrpc`` ``execute_kw`` as a service manager) for ``--duration``
seconds. Each client picks, at random with fixed weights, one of:

* ``create_request`` -- ``service.request.create`` for a demo unit;
* ``dispatch`` -- the oldest open unassigned requests the load created
  (``search``), then ``service.request.action_dispatch`` on them: clients
  dispatch overlapping batches on purpose;
* ``parts_lookup`` -- ``product.product.service_parts_lookup`` by a part
  number, a fragment of one or a word of a name, with or without the unit;
* ``warranty_status`` -- ``stock.lot.service_warranty_status`` of a known or
  unknown serial;
* ``open_claim`` -- ``service.warranty.claim.create`` for a demo unit.

With ``--replica-port`` (``bench/run_load --replica``), the server's
odoo.conf names the streaming standby of ``setup/replica`` as its read-only
replica (``db_replica_host``/``db_replica_port``) and the two read
operations go the way the web client sends them: a session
(``/web/session/authenticate``) and ``/web/dataset/call_kw``, where Odoo runs
the methods marked ``@api.readonly`` on the replica (``/jsonrpc`` stays on
the primary). The JSON then says what the standby served, counted on its
side: its ``pg_stat_database`` transactions and rows of the load's database
before and after the load, and its ``pg_stat_statements`` (preloaded there by
``setup/replica``; the extension is created in the throw-away database), and
the replication lag sampled on the primary during the load; the read calls
the server replayed on the primary after a write on the replica (its log)
must be 0.

The clients stop by themselves at the deadline; one last dispatch then
assigns what is left. The script reads the database directly and checks that
every record a client was told it created is there (nothing lost), that every
created request is assigned, that no request was assigned twice (the
dispatch notes in its chatter and the ids each dispatch call returned), and
that numbers are unique. It stops the server and prints one JSON object:
operations and RPC calls per second, p50/p95/p99 latency per operation (ms),
errors (must be 0), the concurrency failures the server retried, and the
checks. The exit status is 1 when a check fails or a call failed.

Preparation (as admin, through RPC): a service manager ``load.manager``; the
demo technicians get no capacity limit, so that every dispatched request gets
a technician and "assigned exactly once" holds for all of them.

    nice -n 10 bench/run_load                      # 8 clients, 60 s
    bench/run_load --clients 4 --duration 20       # shorter
    bench/run_load --replica                       # reads on setup/replica's standby
"""

import argparse
import http.client
import http.cookies
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import psycopg2

ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo"))
LOAD_LOGIN = "load.manager"
LOAD_PASSWORD = "load-manager-password"
OPERATIONS = {
    # name: weight
    "create_request": 4,
    "dispatch": 2,
    "parts_lookup": 3,
    "warranty_status": 3,
    "open_claim": 1,
}
REQUEST_TYPES = ["repair", "repair", "maintenance", "consultation"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="odoo configuration file")
    parser.add_argument("--db", required=True, help="database (a throw-away copy)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent RPC clients")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2, help="odoo-bin --workers")
    parser.add_argument("--dispatch-batch", type=int, default=20, help="requests per dispatch")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--admin-password", default="admin")
    parser.add_argument(
        "--replica-port",
        type=int,
        help="port of a streaming standby on 127.0.0.1 (setup/replica): the server's "
        "read-only replica, the read calls through the web client's call_kw",
    )
    return parser.parse_args()


def log(message):
    print(f"[load] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RpcError(Exception):
    pass


class Client:
    """A JSON-RPC client of /jsonrpc (execute_kw), one connection at a time."""

    def __init__(self, port, db, timeout=120):
        self.port = port
        self.db = db
        self.timeout = timeout
        self.conn = None
        self.uid = None
        self.password = None
        self.seq = 0

    def call(self, service, method, *args):
        self.seq += 1
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"service": service, "method": method, "args": args},
                "id": self.seq,
            }
        )
        # Odoo's prefork workers answer HTTP/1.0 and close the connection:
        # http.client opens a new one for the next call. No call is ever
        # sent twice (a create must not be repeated behind the server's back).
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        self.conn.request("POST", "/jsonrpc", body, {"Content-Type": "application/json"})
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RpcError(f"HTTP {response.status}: {data[:200]!r}")
        answer = json.loads(data)
        if "error" in answer:
            error = answer["error"]
            detail = error.get("data", {})
            raise RpcError(f"{detail.get('name', error.get('message'))}: {detail.get('message')}")
        return answer["result"]

    def login(self, login, password):
        self.uid = self.call("common", "login", self.db, login, password)
        if not self.uid:
            raise RpcError(f"login {login} refused")
        self.password = password
        return self.uid

    def execute(self, model, method, *args, **kwargs):
        # as the web client does: the user's language (without one, the
        # dispatch notes came out partly in English, partly in Russian)
        kwargs.setdefault("context", {"lang": "en_US"})
        return self.call(
            "object", "execute_kw", self.db, self.uid, self.password, model, method, args, kwargs
        )

    def close(self):
        if self.conn is not None:
            self.conn.close()


class WebClient(Client):
    """The web client's way: a session cookie, then /web/dataset/call_kw,
    where Odoo runs the methods marked @api.readonly on the replica.
    Writes stay on /jsonrpc (``execute``), as in the other mode."""

    def __init__(self, port, db, timeout=120):
        super().__init__(port, db, timeout)
        self.cookie = None
        self.context = None
        self.web_calls = 0

    def post(self, path, params):
        self.seq += 1
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": self.seq})
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = f"session_id={self.cookie}"
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        self.conn.request("POST", path, body, headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            if "session_id" in cookie:
                self.cookie = cookie["session_id"].value
        if response.status != 200:
            raise RpcError(f"HTTP {response.status}: {data[:200]!r}")
        answer = json.loads(data)
        if "error" in answer:
            error = answer["error"]
            detail = error.get("data", {})
            raise RpcError(f"{detail.get('name', error.get('message'))}: {detail.get('message')}")
        return answer["result"]

    def login(self, login, password):
        super().login(login, password)
        info = self.post(
            "/web/session/authenticate", {"db": self.db, "login": login, "password": password}
        )
        # the context the web client sends with each call
        self.context = dict(
            info["user_context"],
            lang="en_US",
            allowed_company_ids=[info["user_companies"]["current_company"]],
        )
        return self.uid

    def call_kw(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        self.web_calls += 1
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


# transaction control and the pool's resets, left out of the top statements
CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|DISCARD|SET|SHOW|RESET)\b", re.I)


class Replica:
    """The standby's side: what it served, and the lag seen from the primary."""

    SLOT = "service_desk_replica"
    # statements of the two read operations, as pg_stat_statements shows them
    KINDS = {
        # one statement per lookup (a second, _details, when rules hid parts)
        "parts_lookup": re.compile(r"FROM service_parts_lookup_data\("),
        "warranty_status": re.compile(r'FROM "stock_lot".*"stock_lot"\."name"', re.S),
    }

    def __init__(self, port, db):
        self.port = port
        self.db = db
        self.lag = []  # (bytes, replay lag ms) per sample
        self.sampling = None

    def standby(self):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, dbname=self.db)
        conn.autocommit = True
        return conn

    def wait_for_database(self, timeout=300):
        """The throw-away database reaches the standby with the WAL."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.standby().close()
                return
            except psycopg2.OperationalError:
                time.sleep(1)
        raise RuntimeError(f"database {self.db} did not reach the standby in {timeout} s")

    def prepare(self):
        # created on the primary, replicated; the standby preloads the library
        conn = psycopg2.connect(dbname=self.db)
        conn.autocommit = True
        conn.cursor().execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        conn.close()
        self.catch_up()

    def catch_up(self, timeout=120):
        """Seconds until the standby has replayed all the primary's WAL."""
        start = time.monotonic()
        conn = psycopg2.connect(dbname="postgres")
        conn.autocommit = True
        cr = conn.cursor()
        try:
            target = None
            while time.monotonic() - start < timeout:
                cr.execute(
                    "SELECT pg_current_wal_lsn(), replay_lsn "
                    "FROM pg_stat_replication WHERE application_name = %s",
                    [self.SLOT],
                )
                row = cr.fetchone()
                if row is None:
                    raise RuntimeError("no standby streams from the primary (setup/replica start)")
                if target is None:
                    target = row[0]
                cr.execute("SELECT pg_wal_lsn_diff(%s, %s) <= 0", [target, row[1]])
                if cr.fetchone()[0]:
                    return round(time.monotonic() - start, 2)
                time.sleep(0.2)
        finally:
            conn.close()
        raise RuntimeError(f"the standby did not catch up in {timeout} s")

    def snapshot(self):
        conn = self.standby()
        cr = conn.cursor()
        try:
            cr.execute(
                "SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, "
                "pg_is_in_recovery() FROM pg_stat_database WHERE datname = %s",
                [self.db],
            )
            commit, rollback, returned, fetched, recovery = cr.fetchone()
            if not recovery:
                raise RuntimeError(f"port {self.port} is not a standby")
            return {
                "transactions": commit + rollback,
                "tup_returned": returned,
                "tup_fetched": fetched,
            }
        finally:
            conn.close()

    def reset_statements(self):
        conn = self.standby()
        conn.cursor().execute("SELECT pg_stat_statements_reset()")
        conn.close()

    def statements(self):
        conn = self.standby()
        cr = conn.cursor()
        try:
            cr.execute(
                """SELECT s.query, s.calls, s.rows, s.total_exec_time
                     FROM pg_stat_statements s
                     JOIN pg_database d ON d.oid = s.dbid
                    WHERE d.datname = %s
                    ORDER BY s.calls DESC""",
                [self.db],
            )
            rows = cr.fetchall()
        finally:
            conn.close()
        by_kind = {kind: {"statements": 0, "calls": 0, "rows": 0} for kind in self.KINDS}
        for query, calls, rows_, __ in rows:
            for kind, pattern in self.KINDS.items():
                if pattern.search(query):
                    by_kind[kind]["statements"] += 1
                    by_kind[kind]["calls"] += calls
                    by_kind[kind]["rows"] += rows_
                    break
        # Odoo's read-only cursors: one per call_kw of a read (and per
        # /web/session/authenticate, an auth="none" route, read-only by default)
        readonly_transactions = sum(
            calls for query, calls, *__ in rows if re.match(r"BEGIN\b.*READ ONLY", query)
        )
        writes = [q for q, *__ in rows if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", q, re.I)]
        return {
            "readonly_transactions": readonly_transactions,
            "distinct": len(rows),
            "calls": sum(r[1] for r in rows),
            "by_operation": by_kind,
            "writes": len(writes),
            "top": [
                {"calls": calls, "ms": round(total, 1), "query": " ".join(query.split())[:140]}
                for query, calls, __, total in [row for row in rows if not CONTROL.match(row[0])][
                    :6
                ]
            ],
        }

    def start_sampling(self):
        self.stop_event = threading.Event()

        def sample():
            conn = psycopg2.connect(dbname="postgres")
            conn.autocommit = True
            cr = conn.cursor()
            while not self.stop_event.wait(0.5):
                cr.execute(
                    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), "
                    "extract(epoch FROM coalesce(replay_lag, '0'))*1000 "
                    "FROM pg_stat_replication WHERE application_name = %s",
                    [self.SLOT],
                )
                row = cr.fetchone()
                if row:
                    self.lag.append((int(row[0]), float(row[1])))
            conn.close()

        self.sampling = threading.Thread(target=sample, daemon=True)
        self.sampling.start()

    def stop_sampling(self):
        self.stop_event.set()
        self.sampling.join(10)
        lag_bytes = sorted(b for b, __ in self.lag)
        lag_ms = sorted(m for __, m in self.lag)
        return {
            "samples": len(self.lag),
            "bytes_p50": lag_bytes[len(lag_bytes) // 2] if lag_bytes else None,
            "bytes_max": lag_bytes[-1] if lag_bytes else None,
            "replay_ms_p50": round(lag_ms[len(lag_ms) // 2], 1) if lag_ms else None,
            "replay_ms_max": round(lag_ms[-1], 1) if lag_ms else None,
        }


class Server:
    """odoo-bin in prefork mode on 127.0.0.1, its own process group."""

    def __init__(self, args):
        self.args = args
        self.port = free_port()
        self.logfile = Path(tempfile.mkstemp(prefix="sd-load-", suffix=".log")[1])
        self.process = None

    def start(self):
        command = [
            sys.executable,
            str(ODOO_SRC / "odoo-bin"),
            "-c",
            self.args.config,
            "-d",
            self.args.db,
            f"--workers={self.args.workers}",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            "--max-cron-threads=0",
            "--db-filter=^%s$" % re.escape(self.args.db),
            "--log-level=warn",
            # the retries after serialization failures are logged at INFO
            "--log-handler=odoo.service.model:INFO",
            f"--logfile={self.logfile}",
        ]
        log(f"starting odoo-bin --workers={self.args.workers} on 127.0.0.1:{self.port}")
        self.process = subprocess.Popen(command, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"odoo-bin exited early (log: {self.logfile})")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/web/webclient/version_info")
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("odoo-bin did not answer within 120 s")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        # the prefork master stops its workers on SIGTERM
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_summary(self):
        """What the server logged: errors, and the concurrency failures it retried.

        odoo.sql_db logs every failed query at ERROR, also a serialization
        failure that the RPC layer then retries (odoo.service.model, INFO):
        those are counted apart; any other ERROR or CRITICAL record is an error.
        """
        text = self.logfile.read_text(errors="replace") if self.logfile.exists() else ""
        records = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ )", text)
        concurrency = re.compile(
            r"could not serialize access|deadlock detected|could not obtain lock"
        )
        failed = [r for r in records if re.match(r"\S+ \S+ \d+ (ERROR|CRITICAL) ", r)]
        errors = [r for r in failed if not concurrency.search(r)]
        retried = [r for r in failed if concurrency.search(r)]
        tables = Counter(
            match.group(1)
            for r in retried
            if (match := re.search(r"(?:UPDATE|FROM)\s+\"?(\w+)", r))
        )
        return {
            "concurrency_failures": len(retried),
            "concurrency_failures_by_table": dict(tables),
            "retries_after_concurrency_failure": text.count("tries left, try again"),
            "gave_up_after_retries": text.count("maximum number of tries reached"),
            "error_records": len(errors),
            "error_samples": [r[:400] for r in errors[:3]],
            "warning_records": sum(1 for r in records if re.match(r"\S+ \S+ \d+ WARNING ", r)),
            # a write on the read-only replica: Odoo replays the request on the primary
            "replayed_on_primary": text.count("retrying with a read/write cursor"),
            "log": str(self.logfile),
        }


def prepare(port, db, admin_password):
    """As admin: the load user, technicians without capacity limit, the demo data to use."""
    admin = Client(port, db)
    admin.login("admin", admin_password)
    group = admin.execute(
        "ir.model.data",
        "search_read",
        [("module", "=", "service_base"), ("name", "=", "group_service_manager")],
        fields=["res_id"],
    )[0]["res_id"]
    users = admin.execute("res.users", "search", [("login", "=", LOAD_LOGIN)])
    if not users:
        admin.execute(
            "res.users",
            "create",
            {
                "name": "Load Test Dispatcher",
                "login": LOAD_LOGIN,
                "email": "load.manager@example.com",
                "password": LOAD_PASSWORD,
                "lang": "en_US",
                "groups_id": [(4, group)],
            },
        )
    teams = admin.execute("service.team", "search_read", [], fields=["member_ids"])
    technicians = sorted({uid for team in teams for uid in team["member_ids"]})
    admin.execute("res.users", "write", technicians, {"service_capacity": 0})
    units = admin.execute(
        "service.equipment",
        "search_read",
        [("commercial_partner_id", "!=", False), ("lot_id", "!=", False)],
        fields=["commercial_partner_id", "lot_id"],
    )
    serials = [
        lot["name"] for lot in admin.execute("stock.lot", "search_read", [], fields=["name"])
    ]
    codes = [
        ref["code"]
        for ref in admin.execute("service.part.crossref", "search_read", [], fields=["code"])
    ]
    last_request = admin.execute("service.request", "search", [], order="id desc", limit=1)
    admin.close()
    if not units or not serials or not codes:
        raise RuntimeError("the database has no demo units, serials or part numbers")
    return {
        "units": [(u["id"], u["commercial_partner_id"][0], u["lot_id"][0]) for u in units],
        "serials": serials,
        "codes": codes,
        "first_request_id": (last_request[0] if last_request else 0) + 1,
        "technicians": technicians,
    }


def warm_up(port, db, workers):
    """Load the registry in every worker before the clock starts (the first
    call a prefork worker serves loads it, which takes seconds)."""

    def calls():
        client = Client(port, db)
        client.login(LOAD_LOGIN, LOAD_PASSWORD)
        for __ in range(3):
            client.execute("service.request", "search_count", [])
            client.execute("stock.lot", "service_warranty_status", "WARM-UP")
        client.close()

    threads = [threading.Thread(target=calls) for __ in range(2 * workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)


def lookup_queries(codes):
    """Exact numbers, fragments of 4-6 characters of them, and name words."""
    rng = random.Random(7)
    queries = list(codes)
    for code in codes:
        plain = re.sub(r"[^0-9A-Za-z]", "", code)
        if len(plain) >= 4:
            size = rng.randint(4, min(6, len(plain)))
            start = rng.randint(0, len(plain) - size)
            queries.append(plain[start : start + size])
    queries += ["pump", "capacitor", "valve", "exchanger", "sensor"]
    return queries


class Worker(threading.Thread):
    def __init__(self, index, args, port, data, deadline, results):
        super().__init__(name=f"client-{index}", daemon=True)
        self.rng = random.Random(args.seed * 1000 + index)
        self.args = args
        self.client = (WebClient if args.replica_port else Client)(port, args.db)
        self.data = data
        self.deadline = deadline
        self.results = results
        self.queries = lookup_queries(data["codes"])
        self.names = list(OPERATIONS)
        self.weights = [OPERATIONS[name] for name in self.names]

    def run(self):
        try:
            self.client.login(LOAD_LOGIN, LOAD_PASSWORD)
        except Exception as error:
            self.results.error("login", 0.0, error)
            return
        while time.monotonic() < self.deadline:
            name = self.rng.choices(self.names, self.weights)[0]
            operation = getattr(self, name)
            start = time.perf_counter()
            try:
                outcome = operation()
            except Exception as error:  # every failure is a result to report
                self.results.error(name, time.perf_counter() - start, error)
            else:
                self.results.ok(name, time.perf_counter() - start, outcome)
        self.client.close()

    def create_request(self):
        unit_id, partner_id, __ = self.rng.choice(self.data["units"])
        return self.client.execute(
            "service.request",
            "create",
            {
                "subject": f"Load test fault {self.rng.randint(1, 10**9)}",
                "partner_id": partner_id,
                "equipment_id": unit_id,
                "channel": self.rng.choice(["phone", "email", "web"]),
                "request_type": self.rng.choice(REQUEST_TYPES),
                "priority": self.rng.choice(["0", "0", "1", "2"]),
                "description": "<p>Unit stops after a few minutes; error E%d.</p>"
                % self.rng.randint(1, 99),
            },
        )

    def dispatch(self):
        ids = self.client.execute(
            "service.request",
            "search",
            [
                ("id", ">=", self.data["first_request_id"]),
                ("user_id", "=", False),
                ("is_closed", "=", False),
            ],
            order="id",
            limit=self.args.dispatch_batch,
        )
        if not ids:
            return []
        return dispatch_ids(self.client, ids)

    def read(self, model, method, *args, **kwargs):
        """A read call: through the web client's call_kw with a replica, else /jsonrpc."""
        if self.args.replica_port:
            return self.client.call_kw(model, method, *args, **kwargs)
        return self.client.execute(model, method, *args, **kwargs)

    def parts_lookup(self):
        kwargs = {"limit": 20}
        if self.rng.random() < 0.3:
            kwargs["equipment_id"] = self.rng.choice(self.data["units"])[0]
        return self.read(
            "product.product", "service_parts_lookup", self.rng.choice(self.queries), **kwargs
        )

    def warranty_status(self):
        if self.rng.random() < 0.2:
            serial = f"NO-SUCH-{self.rng.randint(1, 10**6)}"
        else:
            serial = self.rng.choice(self.data["serials"])
        return self.read("stock.lot", "service_warranty_status", serial)

    def open_claim(self):
        __, partner_id, lot_id = self.rng.choice(self.data["units"])
        return self.client.execute(
            "service.warranty.claim",
            "create",
            {
                "partner_id": partner_id,
                "lot_id": lot_id,
                "defect_description": "Load test: noise and leak at the pump",
            },
        )


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = defaultdict(list)
        self.created_requests = []
        self.created_claims = []
        self.dispatched = []  # one list of ids per dispatch call

    def ok(self, name, seconds, outcome):
        with self.lock:
            self.latencies[name].append(seconds)
            if name == "create_request":
                self.created_requests.append(outcome)
            elif name == "open_claim":
                self.created_claims.append(outcome)
            elif name == "dispatch":
                self.dispatched.append(outcome)

    def error(self, name, seconds, error):
        with self.lock:
            self.latencies[name].append(seconds)
            self.errors[name].append(f"{type(error).__name__}: {error}"[:300])


def percentile(sorted_values, fraction):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values) + 0.5) - 1))
    return round(sorted_values[index] * 1000, 1)


def dispatch_ids(client, ids):
    """service.request.action_dispatch(ids): the ids of the requests it assigned."""
    return client.execute("service.request", "action_dispatch", ids)


def drain(port, db, first_id, dispatched, batch=500):
    """Dispatch what the clients left unassigned (they stopped mid-stream)."""
    client = Client(port, db)
    client.login(LOAD_LOGIN, LOAD_PASSWORD)
    while True:
        ids = client.execute(
            "service.request",
            "search",
            [("id", ">=", first_id), ("user_id", "=", False), ("is_closed", "=", False)],
            order="id",
            limit=batch,
        )
        if not ids:
            break
        done = dispatch_ids(client, ids)
        dispatched.append(done)
        if not done:
            break
    client.close()


def check_database(db, results):
    """Count in the database what the clients created and how it was assigned."""
    requests = sorted(results.created_requests)
    claims = sorted(results.created_claims)
    conn = psycopg2.connect(dbname=db)
    try:
        cr = conn.cursor()
        cr.execute(
            """SELECT count(*), count(DISTINCT name), count(user_id)
                 FROM service_request WHERE id = ANY(%s)""",
            [requests],
        )
        found, distinct_names, assigned = cr.fetchone()
        # the chatter note of each dispatch: "Dispatched by X to T, technician U (...)"
        cr.execute(
            """SELECT r.id, r.user_id, count(m.id)
                 FROM service_request r
                 LEFT JOIN mail_message m
                   ON m.model = 'service.request' AND m.res_id = r.id
                  AND m.body LIKE '%%Dispatched by%%'
                  AND m.body NOT LIKE '%%no technician assigned%%'
                WHERE r.id = ANY(%s)
                GROUP BY r.id, r.user_id""",
            [requests],
        )
        notes = cr.fetchall()
        cr.execute(
            "SELECT count(*), count(DISTINCT name) FROM service_warranty_claim WHERE id = ANY(%s)",
            [claims],
        )
        claims_found, claim_names = cr.fetchone()
    finally:
        conn.close()
    returned = Counter(i for call in results.dispatched for i in call)
    return {
        "requests_created": len(requests),
        "requests_found": found,
        "requests_lost": len(requests) - found,
        "request_numbers_duplicated": found - distinct_names,
        "requests_assigned": assigned,
        "requests_unassigned": found - assigned,
        "requests_assigned_twice": sum(1 for __, __, n in notes if n > 1),
        "requests_assigned_without_note": sum(1 for __, user, n in notes if user and n == 0),
        "requests_returned_by_two_dispatch_calls": sum(1 for n in returned.values() if n > 1),
        "dispatch_calls": len(results.dispatched),
        "claims_created": len(claims),
        "claims_found": claims_found,
        "claims_lost": len(claims) - claims_found,
        "claim_numbers_duplicated": claims_found - claim_names,
    }


def main():
    args = parse_args()
    server = Server(args)
    report = {
        "clients": args.clients,
        "workers": args.workers,
        "duration_s": args.duration,
        "weights": OPERATIONS,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    replica = Replica(args.replica_port, args.db) if args.replica_port else None
    try:
        if replica:
            log(f"waiting for {args.db} on the standby (port {args.replica_port})")
            replica.wait_for_database()
            replica.prepare()
        server.start()
        data = prepare(server.port, args.db, args.admin_password)
        warm_up(server.port, args.db, args.workers)
        if replica:
            replica.catch_up()
            replica.reset_statements()
            replica_before = replica.snapshot()
            replica.start_sampling()
        results = Results()
        log(f"{args.clients} clients for {args.duration:.0f} s")
        started = time.monotonic()
        deadline = started + args.duration
        workers = [
            Worker(i, args, server.port, data, deadline, results) for i in range(args.clients)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            # bounded: a call in flight at the deadline gets the server's time limit
            worker.join(args.duration + 180)
        elapsed = time.monotonic() - started
        if replica:
            lag = replica.stop_sampling()
            lag["catch_up_after_load_s"] = replica.catch_up()
        report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        report["elapsed_s"] = round(elapsed, 1)
        report["clients_still_running"] = sum(1 for worker in workers if worker.is_alive())
        operations = sum(len(v) for v in results.latencies.values())
        # a dispatch is two calls (search, action_dispatch); logins are counted too
        rpc_calls = sum(worker.client.seq for worker in workers)
        report["operations"] = operations
        report["operations_per_s"] = round(operations / elapsed, 1)
        report["rpc_calls"] = rpc_calls
        report["rpc_calls_per_s"] = round(rpc_calls / elapsed, 1)
        report["latency"] = {}
        for name in OPERATIONS:
            values = sorted(results.latencies[name])
            report["latency"][name] = {
                "count": len(values),
                "per_s": round(len(values) / elapsed, 2),
                "p50_ms": percentile(values, 0.50),
                "p95_ms": percentile(values, 0.95),
                "p99_ms": percentile(values, 0.99),
                "max_ms": round(values[-1] * 1000, 1) if values else None,
                "errors": len(results.errors[name]),
            }
        report["errors"] = sum(len(v) for v in results.errors.values())
        report["error_samples"] = {k: v[:3] for k, v in results.errors.items() if v}
        log("last dispatch of what is left, then the database checks")
        drain(server.port, args.db, data["first_request_id"], results.dispatched)
        report["checks"] = check_database(args.db, results)
    finally:
        server.stop()
    if replica:
        # after the server's exit: its connections have reported their
        # statistics (PostgreSQL batches them, up to a second late)
        time.sleep(1.5)
        after = replica.snapshot()
        sent = {name: len(results.latencies[name]) for name in ("parts_lookup", "warranty_status")}
        report["replica"] = {
            "port": args.replica_port,
            "read_calls_through_call_kw": sent,
            "web_logins": args.clients,
            # every transaction of the database on the standby: Odoo's, the
            # pool's DISCARD ALL on each connection given back, this
            # script's own statistics queries
            "standby_transactions": after["transactions"] - replica_before["transactions"],
            "standby_tup_returned": after["tup_returned"] - replica_before["tup_returned"],
            "standby_tup_fetched": after["tup_fetched"] - replica_before["tup_fetched"],
            "standby_statements": replica.statements(),
            "lag": lag,
        }
    report["server"] = server.log_summary()
    checks = report["checks"]
    report["ok"] = (
        report["errors"] == 0
        and report["clients_still_running"] == 0
        and report["server"]["error_records"] == 0
        and report["server"]["gave_up_after_retries"] == 0
        and checks["requests_created"] > 0
        and checks["requests_lost"] == 0
        and checks["claims_lost"] == 0
        and checks["requests_unassigned"] == 0
        and checks["requests_assigned_twice"] == 0
        and checks["requests_assigned_without_note"] == 0
        and checks["requests_returned_by_two_dispatch_calls"] == 0
        and checks["request_numbers_duplicated"] == 0
        and checks["claim_numbers_duplicated"] == 0
    )
    if replica:
        served = report["replica"]
        report["ok"] = (
            report["ok"]
            and report["server"]["replayed_on_primary"] == 0
            and served["standby_statements"]["writes"] == 0
            # every call_kw of a read made its read-only transaction on the standby
            and served["standby_statements"]["readonly_transactions"]
            >= sum(served["read_calls_through_call_kw"].values())
            and all(
                served["standby_statements"]["by_operation"][name]["calls"] >= count
                for name, count in served["read_calls_through_call_kw"].items()
            )
        )
    if report["ok"]:
        server.logfile.unlink(missing_ok=True)
        del report["server"]["log"]
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
