"""Load test: N concurrent JSON-RPC clients against a real Odoo server.

Started by ``bench/run_load`` (which copies the suite template, starts
``odoo-bin --workers=2`` on 127.0.0.1 and drops the copy afterwards). Each
client loops for ``--duration`` seconds over the service manager's daily
operations, through ``/jsonrpc`` ``execute_kw`` as a service manager:
creating requests, dispatching recent ones (dispatchers overlap on purpose),
looking up parts, checking warranties, opening claims. Then it checks in the
database that every record it created is there and that no request was
assigned twice, and prints JSON.
"""

import argparse
import itertools
import json
import random
import statistics
import sys
import threading
import time
import uuid

import requests

OPERATIONS = {
    # operation: weight
    "create_request": 30,
    "dispatch": 15,
    "parts_lookup": 25,
    "warranty_status": 20,
    "open_claim": 10,
}


class RpcError(Exception):
    pass


class Client:
    def __init__(self, url, db, login, password):
        self.url = f"{url}/jsonrpc"
        self.db = db
        self.session = requests.Session()
        self.ids = itertools.count()
        self.uid = self.call("common", "login", db, login, password)
        if not self.uid:
            raise RpcError(f"cannot log in as {login}")
        self.password = password

    def call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(self.ids),
            "params": {"service": service, "method": method, "args": args},
        }
        response = self.session.post(self.url, json=payload, timeout=120)
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            data = body["error"].get("data") or {}
            raise RpcError(data.get("message") or body["error"].get("message"))
        return body["result"]

    def execute(self, model, method, *args, **kwargs):
        return self.call(
            "object", "execute_kw", self.db, self.uid, self.password, model, method, args, kwargs
        )


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)


def prepare(admin, login, password):
    """Give the service manager a password; collect what the clients use."""
    user = admin.execute("res.users", "search", [("login", "=", login)])
    if not user:
        raise RpcError(f"no user {login} in the database")
    admin.execute("res.users", "write", user, {"password": password})
    customers = admin.execute(
        "res.partner", "search", [("is_company", "=", True), ("customer_rank", ">", 0)], limit=30
    ) or admin.execute("res.partner", "search", [("is_company", "=", True)], limit=30)
    # the customers' units: their serials are checked and claimed by their owners
    lots = [
        {
            "id": unit["lot_id"][0],
            "name": unit["lot_id"][1],
            "partner_id": unit["commercial_partner_id"][0],
        }
        for unit in admin.execute(
            "service.equipment",
            "search_read",
            [("lot_id", "!=", False), ("commercial_partner_id", "!=", False)],
            fields=["lot_id", "commercial_partner_id"],
            limit=50,
        )
    ]
    codes = [
        row["code"]
        for row in admin.execute(
            "service.part.crossref", "search_read", [], fields=["code"], limit=50
        )
    ]
    if not (customers and lots and codes):
        raise RpcError("the database lacks demo customers, units with serials or part numbers")
    return {"customers": customers, "lots": lots, "codes": codes}


def run_client(args, data, shared, stats, stop_at, seed):
    rng = random.Random(seed)
    client = Client(args.url, args.db, args.login, args.password)
    names, weights = zip(*OPERATIONS.items(), strict=True)
    while time.monotonic() < stop_at:
        operation = rng.choices(names, weights)[0]
        started = time.monotonic()
        try:
            if operation == "create_request":
                request_id = client.execute(
                    "service.request",
                    "create",
                    {
                        "subject": f"{shared['tag']} request",
                        "partner_id": rng.choice(data["customers"]),
                        "request_type": "repair",
                        "channel": "phone",
                        "description": "<p>Load test</p>",
                    },
                )
                with shared["lock"]:
                    shared["requests"].append(request_id)
            elif operation == "dispatch":
                with shared["lock"]:
                    # the most recent requests of every client: dispatchers overlap
                    batch = shared["requests"][-20:]
                if not batch:
                    continue
                # English notes: the final check reads them
                client.execute(
                    "service.request", "action_dispatch", batch, context={"lang": "en_US"}
                )
            elif operation == "parts_lookup":
                code = rng.choice(data["codes"])
                fragment = code[: rng.randint(4, max(4, len(code)))]
                client.execute("product.product", "service_parts_lookup", fragment, limit=20)
            elif operation == "warranty_status":
                lot = rng.choice(data["lots"])
                client.execute("stock.lot", "service_warranty_status", lot["name"])
            elif operation == "open_claim":
                lot = rng.choice(data["lots"])
                claim_id = client.execute(
                    "service.warranty.claim",
                    "create",
                    {
                        "partner_id": lot["partner_id"],
                        "lot_id": lot["id"],
                        "defect_description": f"{shared['tag']} claim",
                    },
                )
                with shared["lock"]:
                    shared["claims"].append(claim_id)
        except Exception as error:
            with shared["lock"]:
                stats[operation]["errors"].append(str(error)[:300])
            continue
        elapsed = time.monotonic() - started
        with shared["lock"]:
            stats[operation]["latencies"].append(elapsed)


def check(admin, shared):
    """What the clients created is all there; no request assigned twice."""
    tag = shared["tag"]
    requests_found = admin.execute(
        "service.request", "search_count", [("subject", "=", f"{tag} request")]
    )
    claims_found = admin.execute(
        "service.warranty.claim", "search_count", [("defect_description", "=", f"{tag} claim")]
    )
    notes = admin.execute(
        "mail.message",
        "read_group",
        [
            ("model", "=", "service.request"),
            ("res_id", "in", shared["requests"]),
            ("body", "ilike", "Dispatched by"),
        ],
        ["res_id"],
        ["res_id"],
        lazy=False,
    )
    # a request left without a technician (all at capacity) is dispatched
    # again later; one given a technician must never be given another
    technician_notes = admin.execute(
        "mail.message",
        "read_group",
        [
            ("model", "=", "service.request"),
            ("res_id", "in", shared["requests"]),
            ("body", "ilike", "Dispatched by"),
            ("body", "ilike", ", technician "),
        ],
        ["res_id"],
        ["res_id"],
        lazy=False,
    )
    assigned = admin.execute(
        "service.request",
        "search_count",
        [("id", "in", shared["requests"]), ("user_id", "!=", False)],
    )
    return {
        "requests_created": len(shared["requests"]),
        "requests_found": requests_found,
        "claims_created": len(shared["claims"]),
        "claims_found": claims_found,
        "requests_dispatched": len(notes),
        "requests_assigned_to_a_technician": assigned,
        "dispatch_runs": sum(row["__count"] for row in notes),
        "requests_given_a_technician": len(technician_notes),
        "requests_given_a_technician_twice": sum(
            1 for row in technician_notes if row["__count"] > 1
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--login", default="e.orlova")
    parser.add_argument("--password", default="load-test")
    parser.add_argument("--admin-password", default="admin")
    args = parser.parse_args()

    admin = Client(args.url, args.db, "admin", args.admin_password)
    data = prepare(admin, args.login, args.password)
    shared = {
        "lock": threading.Lock(),
        "requests": [],
        "claims": [],
        "tag": f"LOAD-{uuid.uuid4().hex[:8]}",
    }
    stats = {name: {"latencies": [], "errors": []} for name in OPERATIONS}
    started = time.monotonic()
    stop_at = started + args.duration
    threads = [
        threading.Thread(target=run_client, args=(args, data, shared, stats, stop_at, seed))
        for seed in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + 300)
    wall = time.monotonic() - started
    checks = check(admin, shared)

    operations = {}
    for name, stat in stats.items():
        latencies = stat["latencies"]
        operations[name] = {
            "count": len(latencies),
            "per_s": round(len(latencies) / wall, 2),
            "mean_ms": round(statistics.mean(latencies) * 1000, 1) if latencies else None,
            "p50_ms": percentile(latencies, 0.50),
            "p95_ms": percentile(latencies, 0.95),
            "p99_ms": percentile(latencies, 0.99),
            "errors": len(stat["errors"]),
            "error_samples": sorted(set(stat["errors"]))[:3],
        }
    total = sum(op["count"] for op in operations.values())
    errors = sum(op["errors"] for op in operations.values())
    ok = (
        errors == 0
        and checks["requests_found"] == checks["requests_created"]
        and checks["claims_found"] == checks["claims_created"]
        and checks["requests_given_a_technician_twice"] == 0
        and checks["requests_given_a_technician"] == checks["requests_assigned_to_a_technician"]
    )
    result = {
        "clients": args.clients,
        "duration_s": round(wall, 1),
        "calls": total,
        "calls_per_s": round(total / wall, 1),
        "errors": errors,
        "operations": operations,
        "checks": checks,
        "ok": ok,
    }
    print(json.dumps(result, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
