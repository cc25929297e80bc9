"""Benchmark of the warranty lookup and of warranty registration at delivery.

Creates its own database (a copy of a template with the suite installed, or
an existing database with ``--reuse``), fills it in bulk SQL with ``--lots``
serials, each with a done delivery move and move line to a customer, then
measures:

* ``stock.lot.service_warranty_status(serial)``: p50 / p95 / max over
  ``--samples`` random calls (known and unknown serials, ORM cache cleared
  before each call), and its SQL query count;
* the registration of warranties for a ``--register``-serial delivery
  (``stock.move._service_warranty_register``): SQL query count and time, and
  the same for a delivery ten times smaller, to show the count does not grow.

Prints one JSON object. Example (from the repository root):

    ~/.cache/service-desk/venv/bin/python bench/bench_warranty.py \\
        --template sd_suite_<hash> --lots 1000000

The template is the suite template printed by ``setup/test`` / ``setup/i18n``
(``psql -l | grep sd_suite_``).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo"))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sd_bench_warranty", help="benchmark database name")
    parser.add_argument("--template", help="database to copy (a suite template)")
    parser.add_argument("--reuse", action="store_true", help="use --db as it is, do not fill")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--lots", type=int, default=1_000_000, help="serials (and deliveries)")
    parser.add_argument("--samples", type=int, default=2000, help="status calls to time")
    parser.add_argument("--register", type=int, default=10_000, help="serials in one delivery")
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args()


def psql(sql, db="postgres"):
    subprocess.run(["psql", "-d", db, "-qAtc", sql], check=True)


def odoo_env(db):
    sys.path.insert(0, str(ODOO_SRC))
    import odoo  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    site = Path(odoo.__file__).parent / "addons"
    addons = [str(ODOO_SRC / "odoo" / "addons"), str(ROOT / "addons"), str(ROOT)]
    if site.exists():
        addons.insert(1, str(site))
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
        conf.write(f"[options]\naddons_path = {','.join(addons)}\ndb_name = {db}\n")
    config.parse_config(["-c", conf.name, "-d", db, "--log-level=warn"])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry.new(db)
    return odoo, registry


def fill(env, lots):
    """Bulk SQL: a model, its policy, ``lots`` serials with warranty, each delivered once."""
    cr = env.cr
    company = env.company
    category = env["product.category"].create({"name": "Bench boilers"})
    product = env["product.product"].create(
        {
            "name": "Bench Boiler",
            "categ_id": category.id,
            "is_storable": True,
            "tracking": "serial",
        }
    )
    policy = env["service.warranty.policy"].create(
        {"name": "Bench: 24 months", "categ_id": category.id, "months": 24, "supplier_months": 12}
    )
    customer = env["res.partner"].create({"name": "Bench Customer", "is_company": True})
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    stock = warehouse.lot_stock_id
    customers = env.ref("stock.stock_location_customers")
    env.flush_all()
    params = {
        "n": lots,
        "product": product.id,
        "uom": product.uom_id.id,
        "company": company.id,
        "partner": customer.id,
        "policy": policy.id,
        "stock": stock.id,
        "customers": customers.id,
    }
    started = time.perf_counter()
    cr.execute(
        """
        INSERT INTO stock_lot (name, product_id, company_id, create_uid, write_uid,
                               create_date, write_date, service_warranty_policy_id,
                               service_warranty_partner_id, service_warranty_start,
                               service_warranty_end)
        SELECT 'BENCH-' || lpad(g::text, 9, '0'), %(product)s, %(company)s, 1, 1, now(), now(),
               %(policy)s, %(partner)s, d, (d + interval '24 months' - interval '1 day')::date
          FROM generate_series(1, %(n)s) g,
               LATERAL (SELECT (current_date - (g %% 1500))::date AS d) dd
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO stock_move (name, reference, product_id, product_uom, product_uom_qty,
                                product_qty, quantity, location_id, location_dest_id,
                                company_id, state, date, procure_method, partner_id,
                                create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH-' || lpad(g::text, 9, '0'), 'BENCH/OUT', %(product)s, %(uom)s, 1, 1, 1,
               %(stock)s, %(customers)s, %(company)s, 'done', now() - (g %% 1500) * interval '1 day',
               'make_to_stock', %(partner)s, 1, 1, now(), now()
          FROM generate_series(1, %(n)s) g
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO stock_move_line (move_id, lot_id, product_id, product_uom_id, quantity,
                                     quantity_product_uom, location_id, location_dest_id,
                                     company_id, state, date, create_uid, write_uid,
                                     create_date, write_date)
        SELECT m.id, l.id, %(product)s, %(uom)s, 1, 1, %(stock)s, %(customers)s, %(company)s,
               'done', m.date, 1, 1, now(), now()
          FROM stock_move m
          JOIN stock_lot l ON l.name = m.name
         WHERE m.reference = 'BENCH/OUT'
        """,
        params,
    )
    cr.execute(
        """
        UPDATE stock_lot l SET service_warranty_move_id = ml.move_id
          FROM stock_move_line ml
         WHERE ml.lot_id = l.id AND l.name LIKE 'BENCH-%%'
        """
    )
    cr.commit()
    cr.execute("ANALYZE stock_lot")
    cr.execute("ANALYZE stock_move")
    cr.execute("ANALYZE stock_move_line")
    cr.commit()
    return product, customer, round(time.perf_counter() - started, 1)


def bench_status(env, lots, samples, rng):
    Lot = env["stock.lot"]
    serials = [f"BENCH-{rng.randint(1, lots):09d}" for __ in range(samples)]
    # One call in ten asks for a serial that does not exist.
    serials = [s if i % 10 else f"NOPE-{i:09d}" for i, s in enumerate(serials)]
    for serial in serials[:50]:  # warm up the connection and the ORM
        Lot.service_warranty_status(serial)
    timings, queries = [], []
    for serial in serials:
        env.invalidate_all()
        before = env.cr.sql_log_count
        started = time.perf_counter()
        Lot.service_warranty_status(serial)
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(env.cr.sql_log_count - before)
    timings.sort()
    # The index lookup alone, to tell the database's share from the ORM's.
    sql_timings = []
    for serial in serials:
        started = time.perf_counter()
        env.cr.execute("SELECT id FROM stock_lot WHERE name = %s", [serial])
        env.cr.fetchall()
        sql_timings.append((time.perf_counter() - started) * 1000)
    sql_timings.sort()
    env.cr.execute("EXPLAIN SELECT id FROM stock_lot WHERE name = 'BENCH-000000001'")
    plan = "\n".join(row[0] for row in env.cr.fetchall())
    return {
        "samples": samples,
        "p50_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 3),
        "max_ms": round(timings[-1], 3),
        "mean_ms": round(statistics.fmean(timings), 3),
        "queries_per_call": max(queries),
        "sql_lookup_p50_ms": round(statistics.median(sql_timings), 3),
        "sql_lookup_p95_ms": round(sql_timings[int(len(sql_timings) * 0.95) - 1], 3),
        "lookup_uses_index": "stock_lot_name_service_hash_index" in plan,
    }


def bench_register(env, product, customer, count, tag):
    """One done delivery of ``count`` new serials, registered in one batch."""
    cr = env.cr
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    customers = env.ref("stock.stock_location_customers")
    picking = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": customer.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customers.id,
        }
    )
    move = env["stock.move"].create(
        {
            "name": tag,
            "picking_id": picking.id,
            "product_id": product.id,
            "product_uom": product.uom_id.id,
            "product_uom_qty": count,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customers.id,
        }
    )
    env.flush_all()
    params = {
        "n": count,
        "tag": tag,
        "product": product.id,
        "uom": product.uom_id.id,
        "company": env.company.id,
        "move": move.id,
        "picking": picking.id,
        "stock": warehouse.lot_stock_id.id,
        "customers": customers.id,
    }
    cr.execute(
        """
        WITH lots AS (
            INSERT INTO stock_lot (name, product_id, company_id, create_uid, write_uid,
                                   create_date, write_date)
            SELECT %(tag)s || '-' || g, %(product)s, %(company)s, 1, 1, now(), now()
              FROM generate_series(1, %(n)s) g
            RETURNING id
        )
        INSERT INTO stock_move_line (move_id, picking_id, lot_id, product_id, product_uom_id,
                                     quantity, quantity_product_uom, location_id,
                                     location_dest_id, company_id, state, date)
        SELECT %(move)s, %(picking)s, id, %(product)s, %(uom)s, 1, 1, %(stock)s, %(customers)s,
               %(company)s, 'done', now()
          FROM lots
        """,
        params,
    )
    cr.execute("UPDATE stock_move SET state = 'done', date = now() WHERE id = %s", [move.id])
    env.invalidate_all()
    moves = env["stock.move"].browse(move.id)
    before = cr.sql_log_count
    started = time.perf_counter()
    moves._service_warranty_register()
    elapsed = time.perf_counter() - started
    queries = cr.sql_log_count - before
    cr.execute(
        "SELECT count(*) FROM stock_lot WHERE name LIKE %s AND service_warranty_end IS NOT NULL",
        [tag + "-%"],
    )
    registered = cr.fetchone()[0]
    return {
        "serials": count,
        "registered": registered,
        "queries": queries,
        "seconds": round(elapsed, 3),
    }


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    if not args.reuse:
        if not args.template:
            sys.exit("--template is required unless --reuse")
        psql(f'DROP DATABASE IF EXISTS "{args.db}"')
        psql(f'CREATE DATABASE "{args.db}" TEMPLATE "{args.template}"')
    odoo, registry = odoo_env(args.db)
    result = {"database": args.db, "lots": args.lots, "cpus": os.cpu_count()}
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            if args.reuse:
                product = env["product.product"].search([("name", "=", "Bench Boiler")], limit=1)
                customer = env["res.partner"].search([("name", "=", "Bench Customer")], limit=1)
                result["fill_seconds"] = 0
            else:
                product, customer, result["fill_seconds"] = fill(env, args.lots)
            cr.execute("SELECT count(*) FROM stock_lot")
            result["stock_lot_rows"] = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*) FROM stock_move WHERE location_dest_id IN "
                "(SELECT id FROM stock_location WHERE usage = 'customer') AND state = 'done'"
            )
            result["delivery_moves"] = cr.fetchone()[0]
            result["load_average_before"] = os.getloadavg()[0]
            result["status"] = bench_status(env, args.lots, args.samples, rng)
            small = max(args.register // 10, 1)
            result["register_small"] = bench_register(env, product, customer, small, "BSMALL")
            result["register"] = bench_register(env, product, customer, args.register, "BLARGE")
            result["load_average_after"] = os.getloadavg()[0]
            cr.rollback()
    finally:
        registry.delete(args.db)
        odoo.sql_db.close_db(args.db)
        if not args.keep and not args.reuse:
            psql(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
