"""Benchmark of the visits of service_field at scale; prints JSON.

Copies a suite template into its own database, adds ``--technicians``
technicians in one team and ``--visits`` visits of theirs over the next
month in bulk SQL (each technician's visits do not overlap: the exclusion
constraint holds them to it), then measures, each call in a fresh ORM cache
as an RPC call runs:

- ``service.request.service_find_slots(2)`` for a request that team takes
  (p50/p95/max ms, SQL queries per call);
- the planning timeline's data: the visits of every technician over two
  weeks, read as the web client's timeline reads them (``web_search_read``
  with the view's fields).

    nice -n 10 ~/.cache/service-desk/venv/bin/python bench/bench_field.py \\
        --template sd_suite_<hash> --technicians 50 --visits 20000

``--keep`` keeps the filled database; ``--reuse`` measures it again.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_warranty import odoo_env, psql


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sd_bench_field")
    parser.add_argument("--template", help="a suite template database (unless --reuse)")
    parser.add_argument("--technicians", type=int, default=50)
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if not args.reuse and not args.template:
        parser.error("--template is required unless --reuse")
    return args


def fill(env, technicians, visits):
    group = env.ref("service_base.group_service_user")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench Technician {i:03d}",
                    "login": f"bench_tech_{i:03d}",
                    "groups_id": [(6, 0, group.ids)],
                }
                for i in range(technicians)
            ]
        )
    )
    team = env["service.team"].create(
        {"name": "Bench Field Team", "member_ids": [(6, 0, users.ids)]}
    )
    env["service.dispatch.rule"].search([]).active = False
    customer = env["res.partner"].create({"name": "Bench Field Customer", "city": "Москва"})
    requests = env["service.request"].create(
        [
            {"subject": f"Bench field {i}", "partner_id": customer.id, "team_id": team.id}
            for i in range(200)
        ]
    )
    env.flush_all()
    # Each technician's visits: distinct hours of the next 30 days, one hour
    # long, night hours included (a busy calendar, the worst case).
    per_user = visits // technicians
    start = datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    rows = []
    rng = random.Random(7)
    for user in users:
        for hour in sorted(rng.sample(range(30 * 24), per_user)):
            begin = start + timedelta(hours=hour)
            rows.append((user.id, begin, begin + timedelta(hours=1)))
    cr = env.cr
    company = env.company.id
    for offset in range(0, len(rows), 5000):
        chunk = rows[offset : offset + 5000]
        values = ",".join(
            cr.mogrify(
                "(%s, %s, %s, %s, %s, %s, 'planned', 1.0, now() at time zone 'UTC',"
                " now() at time zone 'UTC', 1, 1)",
                (
                    f"BENCH/{offset + i:06d}",
                    requests[(offset + i) % len(requests)].id,
                    company,
                    user_id,
                    begin,
                    end,
                ),
            ).decode()
            for i, (user_id, begin, end) in enumerate(chunk)
        )
        cr.execute(
            "INSERT INTO service_visit (name, request_id, company_id, user_id, date_start,"
            " date_end, state, duration, create_date, write_date, create_uid, write_uid)"
            f" VALUES {values}"
        )
    return requests[0].id, users.ids


def timed(env, func, samples):
    times, queries = [], []
    for _ in range(samples):
        env.invalidate_all()
        env.registry.clear_cache()
        before = env.cr.sql_log_count
        began = time.perf_counter()
        func()
        times.append((time.perf_counter() - began) * 1000)
        queries.append(env.cr.sql_log_count - before)
    times.sort()
    return {
        "samples": samples,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "queries": max(queries),
    }


def main():
    args = parse_args()
    if not args.reuse:
        psql(f'DROP DATABASE IF EXISTS "{args.db}"')
        psql(f'CREATE DATABASE "{args.db}" TEMPLATE "{args.template}"')
    odoo, registry = odoo_env(args.db)
    result = {
        "technicians": args.technicians,
        "visits": args.visits,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        if args.reuse:
            request_id = (
                env["service.request"].search([("subject", "=", "Bench field 0")], limit=1).id
            )
        else:
            began = time.perf_counter()
            request_id, __ = fill(env, args.technicians, args.visits)
            cr.commit()
            result["fill_s"] = round(time.perf_counter() - began, 1)
            cr.execute("ANALYZE service_visit")
        cr.execute("SELECT count(*) FROM service_visit WHERE state != 'cancelled'")
        result["visits_in_db"] = cr.fetchone()[0]
        manager = env.ref("base.user_admin")
        menv = env(user=manager)
        request = menv["service.request"].browse(request_id)
        slots = request.service_find_slots(2)
        result["slots_found"] = len(slots)
        result["find_slots"] = timed(menv, lambda: request.service_find_slots(2), args.samples)
        arch = menv["service.visit"].get_views([(False, "timeline")])["views"]["timeline"]
        view_fields = list(arch["fields"]) if "fields" in arch else []
        now = datetime.now()
        domain = [
            ("date_start", "<", (now + timedelta(days=14)).strftime("%Y-%m-%d %H:%M:%S")),
            ("date_end", ">", now.strftime("%Y-%m-%d %H:%M:%S")),
        ]
        spec = {
            name: {}
            for name in view_fields or ["name", "date_start", "date_end", "user_id", "state"]
        }
        for name in ("user_id", "request_id", "partner_id"):
            if name in spec:
                spec[name] = {"fields": {"display_name": {}}}
        count = menv["service.visit"].search_count(domain)
        result["timeline_visits_two_weeks"] = count
        result["timeline_data"] = timed(
            menv,
            lambda: menv["service.visit"].web_search_read(domain, spec, limit=None),
            max(5, args.samples // 3),
        )
        cr.rollback()
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    odoo.sql_db.close_db(args.db)
    if not args.keep:
        psql(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    print(json.dumps(result))


if __name__ == "__main__":
    main()
