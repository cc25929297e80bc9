"""Benchmark of the service manager's KPI dashboard at scale.

Copies a suite template into its own database, clones a demo request and a
demo repair in bulk SQL into ``--requests`` requests (spread over two years,
a realistic mix of types, stages, deadlines, ratings-free) and ``--repairs``
repair orders, commits them and lets ``VACUUM ANALYZE`` do what autovacuum
does on a live table (``--no-vacuum`` measures the freshly loaded table
instead), then times every KPI of ``service.kpi.dashboard`` (each in a fresh
ORM cache, as an RPC call would run) and the whole ``get_kpis()`` call, with
the SQL query count of each and the time of its slowest single query. Prints
one JSON object, with the load average before and after the measures:

    nice -n 10 ~/.cache/service-desk/venv/bin/python bench/bench_kpi.py \\
        --template sd_suite_<hash> --requests 1000000 --repairs 300000

``--keep`` keeps the filled database; ``--reuse`` measures it again without
filling (e.g. after changing an index).
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_warranty import odoo_env, psql


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sd_bench_kpi")
    parser.add_argument("--template", help="a suite template database (unless --reuse)")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--repairs", type=int, default=300_000)
    parser.add_argument("--samples", type=int, default=20, help="timed runs of each KPI")
    parser.add_argument("--keep", action="store_true", help="keep the filled database")
    parser.add_argument("--reuse", action="store_true", help="measure --db as it is, no fill")
    parser.add_argument("--no-vacuum", action="store_true", help="measure before any VACUUM")
    args = parser.parse_args()
    if not args.reuse and not args.template:
        parser.error("--template is required unless --reuse")
    return args


def clone_rows(cr, table, source_id, count, overrides):
    """INSERT ``count`` copies of row ``source_id`` of ``table``, some columns
    computed from ``g`` (1..count) by the SQL expressions in ``overrides``."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    columns = [name for (name,) in cr.fetchall()]
    select = [overrides.get(column, f't."{column}"') for column in columns]
    names = ", ".join('"%s"' % column for column in columns)
    # Bench-only SQL on trusted names read from the catalog, not user input.
    cr.execute(
        f'INSERT INTO "{table}" ({names}) '
        f"SELECT {', '.join(select)} FROM {table} t, generate_series(1, {int(count)}) g "
        f"WHERE t.id = {int(source_id)}"
    )


def fill(env, requests, repairs):
    cr = env.cr
    start = time.perf_counter()
    stages = env["service.request.stage"].search([])
    closed = stages.filtered("is_closed").ids
    opened = (stages - stages.filtered("is_closed")).ids
    users = env.ref("service_base.group_service_user").users.ids
    teams = env["service.team"].search([]).ids
    source = env["service.request"].search([], limit=1).id
    age = "(random() * 730)::int"
    clone_rows(
        cr,
        "service_request",
        source,
        requests,
        {
            "name": "'SR/BENCH/' || g",
            "request_type": "(ARRAY['repair','repair','maintenance','consultation','complaint',"
            "'installation'])[1 + g % 6]",
            "priority": "((g % 3))::text",
            "stage_id": f"CASE WHEN g % 10 < 8 THEN (ARRAY{closed})[1 + g % {len(closed)}] "
            f"ELSE (ARRAY{opened})[1 + g % {len(opened)}] END",
            "is_closed": "g % 10 < 8",
            "team_id": f"(ARRAY{teams})[1 + g % {len(teams)}]",
            "user_id": f"(ARRAY{users})[1 + g % {len(users)}]",
            "create_date": f"now() - make_interval(days => {age}, hours => g % 24)",
            "date_assigned": "now() - make_interval(days => (g % 700), hours => 20)",
            "date_first_response": "now() - make_interval(days => (g % 700), hours => 20)",
            "date_closed": "CASE WHEN g % 10 < 8 THEN now() - make_interval(days => (g % 700)) END",
            "date_deadline": "now() - make_interval(days => (g % 700)) + make_interval(hours => (g % 48) - 12)",
            "is_rework": "g % 17 = 0",
            "resolution_hours": "CASE WHEN g % 10 < 8 THEN (g % 200)::float END",
            "sla_met": "g % 10 < 8 AND g % 7 <> 0",
            "response_met": "g % 9 <> 0",
            "email_message_id": "NULL",
            "access_token": "NULL",
        },
    )
    repair_source = env["repair.order"].search([], limit=1).id
    if repair_source:
        clone_rows(
            cr,
            "repair_order",
            repair_source,
            repairs,
            {
                "name": "'RO/BENCH/' || g",
                "state": "(ARRAY['done','done','done','under_repair','confirmed'])[1 + g % 5]",
                "create_date": f"now() - make_interval(days => {age})",
                "service_date_done": "now() - make_interval(days => (g % 700))",
                "sale_order_id": "NULL",
                "request_id": "NULL",
            },
        )
    env.invalidate_all()
    return round(time.perf_counter() - start, 1)


def percentile(values, share):
    values = sorted(values)
    return round(values[max(0, math.ceil(len(values) * share) - 1)], 1)


def time_call(env, fn, samples):
    """p50/p95 of ``fn()`` and of its slowest single SQL query, and its query count."""
    cr = env.cr
    execute = cr.execute
    slowest = [0.0]

    def timed_execute(query, params=None, log_exceptions=True):
        start = time.perf_counter()
        try:
            return execute(query, params, log_exceptions)
        finally:
            slowest[0] = max(slowest[0], (time.perf_counter() - start) * 1000)

    timings, slowest_queries, queries = [], [], 0
    cr.execute = timed_execute
    try:
        for _ in range(samples):
            env.invalidate_all()
            slowest[0] = 0.0
            before = cr.sql_log_count
            start = time.perf_counter()
            fn()
            timings.append((time.perf_counter() - start) * 1000)
            slowest_queries.append(slowest[0])
            queries = cr.sql_log_count - before
    finally:
        del cr.execute
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": percentile(timings, 0.95),
        "queries": queries,
        "slowest_query_p95_ms": percentile(slowest_queries, 0.95),
    }


def main():
    args = parse_args()
    if not args.reuse:
        psql(f'DROP DATABASE IF EXISTS "{args.db}"')
        psql(f'CREATE DATABASE "{args.db}" TEMPLATE "{args.template}"')
    odoo, registry = odoo_env(args.db)
    result = {"requests": args.requests, "repairs": args.repairs, "cpus": os.cpu_count()}
    try:
        if not args.reuse:
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                result["fill_seconds"] = fill(env, args.requests, args.repairs)
                cr.commit()
            start = time.perf_counter()
            vacuum = "ANALYZE" if args.no_vacuum else "VACUUM ANALYZE"
            psql(f"{vacuum} service_request, repair_order", db=args.db)
            result["vacuum_seconds"] = round(time.perf_counter() - start, 1)
        result["vacuumed"] = not args.no_vacuum
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            cr.execute("SELECT count(*) FROM service_request")
            result["service_request_rows"] = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM repair_order")
            result["repair_order_rows"] = cr.fetchone()[0]
            manager = env.ref("base.user_admin")
            dashboard = env["service.kpi.dashboard"].with_user(manager)
            result["load_average_before"] = os.getloadavg()
            result["kpis"] = {
                method: time_call(env, getattr(dashboard, method), args.samples)
                for method in dashboard._kpi_methods()
            }
            result["dashboard"] = time_call(env, dashboard.get_kpis, args.samples)
            result["load_average_after"] = os.getloadavg()
            cr.rollback()
    finally:
        registry.delete(args.db)
        odoo.sql_db.close_db(args.db)
        if not args.keep:
            psql(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
