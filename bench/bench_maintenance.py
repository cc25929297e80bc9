"""Benchmark of the maintenance plans of service_maintenance at scale; prints JSON.

Copies a suite template into its own database and fills it in bulk SQL:
``--units`` units of one customer, a maintenance plan each (half by the
calendar, every 6 months from a first due date spread over the year; half by
the meter, every 500 hours), ``--readings`` meter readings of the meter
plans' units over the last 100 days (a rising meter each). Then measures,
each run in a fresh ORM cache and rolled back:

- the stored next due dates of every plan recomputed (the meter plans' from
  the trend of their last ten readings);
- the daily run over a year's horizon
  (``service.maintenance.plan._service_create_requests(366)``): requests,
  dispatch to ``--technicians`` technicians and their proposed visits, at
  ``--small`` plans and at all of them: time and SQL queries (the queries do
  not grow with the plans).

    nice -n 10 ~/.cache/service-desk/venv/bin/python bench/bench_maintenance.py \\
        --template sd_suite_<hash> --units 100000 --readings 1000000

``--keep`` keeps the filled database; ``--reuse`` measures it again.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_warranty import odoo_env, psql


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sd_bench_maintenance")
    parser.add_argument("--template", help="a suite template database (unless --reuse)")
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--technicians", type=int, default=20)
    parser.add_argument("--max-batches", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if not args.reuse and not args.template:
        parser.error("--template is required unless --reuse")
    return args


def fill(env, units, readings, technicians):
    cr = env.cr
    group = env.ref("service_base.group_service_user")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench Maintenance Technician {i:03d}",
                    "login": f"bench_maint_{i:03d}",
                    "groups_id": [(6, 0, group.ids)],
                    "service_capacity": 0,
                }
                for i in range(technicians)
            ]
        )
    )
    team = env["service.team"].create(
        {"name": "Bench Maintenance Team", "member_ids": [(6, 0, users.ids)]}
    )
    env["service.dispatch.rule"].search([]).active = False
    customer = env["res.partner"].create({"name": "Bench Maintenance Customer", "is_company": True})
    product = env["product.product"].create(
        {"name": "Bench Compressor", "type": "consu", "is_equipment": True}
    )
    env.flush_all()
    company = env.company.id
    cr.execute(
        """
        INSERT INTO service_equipment (name, product_id, partner_id, commercial_partner_id,
                                       company_id, team_id, state, active, create_date,
                                       write_date, create_uid, write_uid)
        SELECT jsonb_build_object('en_US', 'Bench unit ' || n), %s, %s, %s, %s, %s,
               'in_use', TRUE, now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
          FROM generate_series(1, %s) n
        RETURNING id
        """,
        (product.id, customer.id, customer.id, company, team.id, units),
    )
    unit_ids = sorted(row[0] for row in cr.fetchall())
    half = units // 2
    time_units, meter_units = unit_ids[:half], unit_ids[half:]
    # time plans: every 6 months, first due dates spread over the coming year
    cr.execute(
        """
        INSERT INTO service_maintenance_plan (name, equipment_id, company_id, partner_id, active,
                interval_type, interval, meter_interval, meter_start, duration_hours, horizon_days,
                date_first, schedule_from, next_date, next_meter_value, create_date, write_date,
                create_uid, write_uid)
        SELECT 'Bench plan ' || u.id, u.id, %s, %s, TRUE, 'month', 6, 0, 0, 2, 366,
               CURRENT_DATE + (u.ord %% 365)::int, 'schedule',
               CURRENT_DATE + (u.ord %% 365)::int, 0,
               now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
          FROM unnest(%s::int[]) WITH ORDINALITY AS u(id, ord)
        """,
        (company, customer.id, time_units),
    )
    # meter plans: every 500 hours from 0
    cr.execute(
        """
        INSERT INTO service_maintenance_plan (name, equipment_id, company_id, partner_id, active,
                interval_type, interval, meter_interval, meter_start, duration_hours, horizon_days,
                date_first, schedule_from, next_meter_value, create_date, write_date,
                create_uid, write_uid)
        SELECT 'Bench meter plan ' || u.id, u.id, %s, %s, TRUE, 'meter', 1, 500, 0, 2, 366,
               CURRENT_DATE, 'done', 500,
               now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
          FROM unnest(%s::int[]) AS u(id)
        """,
        (company, customer.id, meter_units),
    )
    # readings: the meter units' meters rising 1 to 12 hours a day over the
    # last 100 days, evenly spaced readings
    per_unit = max(2, readings // max(1, len(meter_units)))
    cr.execute(
        """
        INSERT INTO service_equipment_reading (equipment_id, company_id, date, value, source,
                meter_replaced, user_id, create_date, write_date, create_uid, write_uid)
        SELECT u.id, %s,
               (now() at time zone 'UTC') - make_interval(days => 100)
                   + make_interval(secs => k * 100 * 86400.0 / %s),
               round(((1 + u.id %% 12) * k * 100.0 / %s)::numeric, 1), 'rpc', FALSE, 1,
               now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
          FROM unnest(%s::int[]) AS u(id), generate_series(1, %s) k
        """,
        (company, per_unit, per_unit, meter_units, per_unit),
    )
    cr.execute(
        """
        UPDATE service_equipment e SET last_reading_value = r.value, last_reading_date = r.date
          FROM (SELECT DISTINCT ON (equipment_id) equipment_id, value, date
                  FROM service_equipment_reading ORDER BY equipment_id, date DESC, id DESC) r
         WHERE r.equipment_id = e.id
        """
    )
    cr.execute("ANALYZE service_equipment_reading")
    cr.execute("ANALYZE service_maintenance_plan")
    cr.execute("ANALYZE service_equipment")
    return len(meter_units) * per_unit


def measure(env, func):
    env.invalidate_all()
    env.registry.clear_cache()
    before = env.cr.sql_log_count
    began = time.perf_counter()
    value = func()
    env.flush_all()
    return value, round(time.perf_counter() - began, 2), env.cr.sql_log_count - before


def main():
    args = parse_args()
    if not args.reuse:
        psql(f'DROP DATABASE IF EXISTS "{args.db}"')
        psql(f'CREATE DATABASE "{args.db}" TEMPLATE "{args.template}"')
    odoo, registry = odoo_env(args.db)
    result = {
        "units": args.units,
        "technicians": args.technicians,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        Plan = env["service.maintenance.plan"]
        if not args.reuse:
            began = time.perf_counter()
            result["readings_filled"] = fill(env, args.units, args.readings, args.technicians)
            cr.commit()
            result["fill_s"] = round(time.perf_counter() - began, 1)
            # the meter plans' next due dates from their trends, stored
            plans = Plan.search([("name", "like", "Bench meter plan")])
            __, seconds, queries = measure(
                env,
                lambda: (
                    env.add_to_compute(Plan._fields["next_date"], plans)
                    or plans._recompute_recordset(["next_date", "next_meter_value"])
                ),
            )
            result["recompute_meter_next_dates"] = {
                "plans": len(plans),
                "seconds": seconds,
                "queries": queries,
            }
            cr.commit()
        cr.execute("SELECT count(*) FROM service_equipment_reading")
        result["readings_in_db"] = cr.fetchone()[0]
        plans = Plan.search([("name", "like", "Bench %")], order="id")
        cr.execute(
            "SELECT count(*) FROM service_maintenance_plan WHERE interval_type = 'meter'"
            " AND next_date IS NOT NULL"
        )
        result["meter_plans_with_a_date"] = cr.fetchone()[0]
        result["plans"] = len(plans)
        result["batch_size"] = Plan._service_batch_size()
        cr.commit()
        # the daily run as the scheduled action runs it: a batch a call, each
        # committed (Odoo commits between the calls), until nothing remains
        batches = []
        began = time.perf_counter()
        before_queries = env.cr.sql_log_count
        remaining = None
        while remaining != 0 and len(batches) < args.max_batches:
            cr.execute("SELECT count(*) FROM service_request")
            before = cr.fetchone()[0]
            remaining, seconds, queries = measure(env, Plan._cron_create_requests)
            cr.execute("SELECT count(*) FROM service_request")
            batches.append(
                {"seconds": seconds, "queries": queries, "requests": cr.fetchone()[0] - before}
            )
            cr.commit()
        total_s = round(time.perf_counter() - began, 1)
        cr.execute("SELECT count(*) FROM service_visit")
        visits = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM service_request WHERE maintenance_plan_id IS NOT NULL")
        requests = cr.fetchone()[0]
        seconds = sorted(b["seconds"] for b in batches)
        result["cron_run"] = {
            "batches": len(batches),
            "remaining": remaining,
            "requests": requests,
            "visits": visits,
            "seconds": total_s,
            "queries": env.cr.sql_log_count - before_queries,
            "batch_seconds_median": seconds[len(seconds) // 2],
            "batch_seconds_max": seconds[-1],
            "batch_queries": sorted({b["queries"] for b in batches}),
            "batch_requests_max": max(b["requests"] for b in batches),
            "first_batches": batches[:3],
        }
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    odoo.sql_db.close_db(args.db)
    if not args.keep:
        psql(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    print(json.dumps(result))


if __name__ == "__main__":
    main()
