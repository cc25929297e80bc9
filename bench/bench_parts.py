"""Benchmark of the service_parts catalog at scale; prints JSON.

Fills the database in bulk SQL (parts, cross-references, compatibility,
supplier prices, stock) once, vacuums it (also after the rolled-back imports
and when it is reused: see ``Bench.vacuum``), then measures, noting the load
average of the machine with each figure:
- ``service_parts_lookup`` latency for 4+ character fragments and for exact
  codes (p50/p95/max, ms), and Odoo's standard ``product.product.name_search``
  on the same fragments;
- the lookup under 2 and 8 concurrent clients (one process each, like Odoo's
  workers);
- the bulk catalog import (lines/s, SQL queries per line) and Odoo's standard
  import (``load``, what base_import calls) on a sample, rolled back after.

Run it through ``bench/run_bench`` (it creates the database and the Odoo
configuration), e.g. ``bench/run_bench --parts 10000`` for a smoke test.
"""

import argparse
import base64
import io
import json
import multiprocessing
import os
import random
import statistics
import sys
import time

import psycopg2
import psycopg2.errors

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

WORDS = [
    "valve",
    "pump",
    "seal",
    "gasket",
    "sensor",
    "electrode",
    "fan",
    "motor",
    "filter",
    "board",
    "relay",
    "capacitor",
    "exchanger",
    "nozzle",
    "bearing",
]


# The tables the fill writes in bulk.
FILLED_TABLES = (
    "product_template",
    "product_product",
    "service_part_crossref",
    "service_part_compatibility",
    "product_supplierinfo",
    "stock_quant",
)


def percentile(values, pct):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100.0 * (len(ordered) - 1))))
    return round(ordered[index], 3)


def summary(latencies):
    return {
        "n": len(latencies),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "max_ms": round(max(latencies), 3) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies), 3) if latencies else None,
    }


def log(message):
    print("[bench] " + message, file=sys.stderr, flush=True)


def load_average():
    """The machine is shared: every figure goes with the load it was taken
    under: the load averages (1, 5, 15 min) and, where the kernel reports it,
    the share of the last 10 s in which runnable tasks waited for a CPU
    (``/proc/pressure/cpu``, "some avg10", in %)."""
    load = [round(value, 2) for value in os.getloadavg()]
    try:
        with open("/proc/pressure/cpu") as pressure:
            some = pressure.readline().split()
        load.append(float(dict(item.split("=") for item in some[1:])["avg10"]))
    except (OSError, ValueError, KeyError, IndexError):
        pass
    return load


def priority():
    """The nice value of this process (-10: run with ``nice -n -10``): its
    PostgreSQL backends are given the same (``give_priority``)."""
    return os.getpriority(os.PRIO_PROCESS, 0)


def backend_pid(cr):
    cr.execute("SELECT pg_backend_pid()")
    return cr.fetchone()[0]


def give_priority(pid):
    """The backend ``pid`` runs at this process's priority (we are root on the
    bench machine; elsewhere it stays as it is)."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, priority())
    except OSError:
        pass


def cpu_seconds(pid):
    """User + system CPU seconds of process ``pid`` so far (/proc; 0 without it)."""
    try:
        with open("/proc/%d/stat" % pid) as stat:
            fields_ = stat.read().rsplit(")", 1)[1].split()
        return (int(fields_[11]) + int(fields_[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


class CpuMeter:
    """CPU time of this process and of its PostgreSQL backend over a measure:
    per call, in ms (the backend's in clock ticks, 10 ms, hence summed over
    the measure before dividing)."""

    def __init__(self, pid):
        self.pid = pid
        self.python = time.process_time()
        self.postgres = cpu_seconds(pid)

    def per_call(self, calls):
        python = (time.process_time() - self.python) * 1000 / max(1, calls)
        postgres = (cpu_seconds(self.pid) - self.postgres) * 1000 / max(1, calls)
        return {
            "python_ms": round(python, 3),
            "postgres_ms": round(postgres, 3),
            "total_ms": round(python + postgres, 3),
        }


class Bench:
    def __init__(self, args):
        self.args = args
        self.registry = Registry(args.db)

    def env(self, cr, uid=SUPERUSER_ID):
        return api.Environment(cr, uid, {"lang": "en_US"})

    # ------------------------------------------------------------------
    # Fill
    # ------------------------------------------------------------------
    def fill(self):
        args = self.args
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM product_product WHERE default_code LIKE 'BP%'")
            existing = cr.fetchone()[0]
        if existing >= args.parts:
            log("database already holds %s bench parts" % existing)
            with self.registry.cursor() as cr:
                # The lookup's SQL functions as this code has them (what a
                # module update would recreate).
                self.env(cr)["product.product"].init()
            self.vacuum()  # what an interrupted run may have left
            return {"reused": True, "parts": existing}
        with self.registry.cursor() as cr:
            if existing:
                raise SystemExit(
                    "The database holds %s bench parts, not %s: use another --db or --drop."
                    % (existing, args.parts)
                )
            env = self.env(cr)
            started = time.monotonic()
            Import = env["service.part.import"]
            categ = env.ref("product.product_category_all").id
            tmpl_defaults = Import._template_defaults(
                "product.template",
                {
                    "id",
                    "name",
                    "type",
                    "is_storable",
                    "is_spare_part",
                    "categ_id",
                    "active",
                    "purchase_ok",
                    "sale_ok",
                    "default_code",
                    "manufacturer_part_number",
                    "tracking",
                },
                {
                    "name": "-",
                    "type": "consu",
                    "is_storable": True,
                    "is_spare_part": True,
                    "categ_id": categ,
                    "purchase_ok": True,
                    "sale_ok": True,
                },
            )
            product_defaults = Import._template_defaults(
                "product.product",
                {
                    "id",
                    "product_tmpl_id",
                    "active",
                    "combination_indices",
                    "default_code",
                    "barcode",
                },
            )
            n = args.parts
            cr.execute(
                "SELECT nextval('product_template_id_seq'), nextval('product_product_id_seq')"
            )
            tmpl_base, product_base = cr.fetchone()
            cr.execute(SQL("SELECT setval('product_template_id_seq', %s)", tmpl_base + n + 1))
            cr.execute(SQL("SELECT setval('product_product_id_seq', %s)", product_base + n + 1))
            # Bulk loads build indexes faster than they maintain them: the
            # filled tables' indexes (but those behind constraints) are
            # dropped here and built again once the rows are in.
            dropped = self.drop_indexes(cr)
            log("inserting %s parts" % n)
            cr.execute(
                SQL(
                    """
                    INSERT INTO product_template (id, name, type, is_storable, is_spare_part,
                           categ_id, active, purchase_ok, sale_ok, manufacturer_part_number, tracking,
                           create_uid, write_uid, create_date, write_date %s)
                    SELECT %s + i,
                           jsonb_build_object('en_US', 'Bench ' || (%s::text[])[1 + mod(i, %s)]
                                              || ' ' || i),
                           'consu', true, true, %s, true, true, true,
                           upper(substr(md5('o' || i), 1, 10)), 'none', 1, 1, now(), now() %s
                      FROM generate_series(1, %s) i
                    """,
                    SQL("").join(SQL(", %s", SQL.identifier(f)) for f, _v in tmpl_defaults),
                    tmpl_base,
                    WORDS,
                    len(WORDS),
                    categ,
                    SQL("").join(SQL(", %s", v) for _f, v in tmpl_defaults),
                    n,
                )
            )
            cr.execute(
                SQL(
                    """
                    INSERT INTO product_product (id, product_tmpl_id, active, combination_indices,
                           default_code, create_uid, write_uid, create_date, write_date %s)
                    SELECT %s + i, %s + i, true, '', 'BP' || lpad(i::text, 8, '0'),
                           1, 1, now(), now() %s
                      FROM generate_series(1, %s) i
                    """,
                    SQL("").join(SQL(", %s", SQL.identifier(f)) for f, _v in product_defaults),
                    product_base,
                    tmpl_base,
                    SQL("").join(SQL(", %s", v) for _f, v in product_defaults),
                    n,
                )
            )
            suppliers = env["res.partner"].create(
                [
                    {"name": "Bench Supplier RUB", "is_company": True},
                    {"name": "Bench Supplier EUR", "is_company": True},
                ]
            )
            env.flush_all()
            log("inserting %s cross-references" % (n * args.crossrefs_per_part))
            # OEM: 10 hex characters; supplier: a prefix and a number; analog:
            # another hash with a dash, as catalogs print them.
            kinds = [
                ("oem", "NULL", "upper(substr(md5('o' || i), 1, 10))"),
                ("supplier", str(suppliers[0].id), "'TS-' || lpad(i::text, 7, '0')"),
                (
                    "analog",
                    "NULL",
                    "upper(substr(md5('a' || i), 1, 4) || '-' || substr(md5('a' || i), 5, 6))",
                ),
                ("barcode", "NULL", "(4600000000000 + i)::text"),
                ("supplier", str(suppliers[1].id), "'EU' || upper(substr(md5('e' || i), 1, 8))"),
            ]
            for code_type, partner, expr in kinds[: args.crossrefs_per_part]:
                cr.execute(
                    SQL(
                        """
                        INSERT INTO service_part_crossref (product_id, product_tmpl_id, code,
                               code_type, partner_id, normalized_code,
                               create_uid, write_uid, create_date, write_date)
                        SELECT %s + i, %s + i, c.code, %s, %s,
                               upper(regexp_replace(c.code, '[^[:alnum:]]+', '', 'g')),
                               1, 1, now(), now()
                          FROM generate_series(1, %s) i, LATERAL (SELECT %s AS code) c
                        """,
                        product_base,
                        tmpl_base,
                        code_type,
                        SQL(partner),
                        n,
                        SQL(expr),
                    )
                )
            log("inserting %s compatibility rows" % args.compat)
            models = env["product.product"].search([("is_equipment", "=", True)], limit=50).ids
            cr.execute(
                SQL(
                    """
                    INSERT INTO service_part_compatibility (part_product_id, part_tmpl_id,
                           equipment_product_id, equipment_tmpl_id, quantity, position,
                           create_uid, write_uid, create_date, write_date)
                    SELECT %s + mod(i, %s) + 1, %s + mod(i, %s) + 1, p.id, p.product_tmpl_id,
                           1 + mod(i, 3), 'Assembly ' || mod(i, 7), 1, 1, now(), now()
                      FROM generate_series(1, %s) i
                      JOIN product_product p ON p.id = (%s::int[])[1 + mod(i, %s)]
                    """,
                    product_base,
                    n,
                    tmpl_base,
                    n,
                    args.compat,
                    models,
                    len(models),
                )
            )
            log("inserting supplier prices and stock")
            rub, eur = env.ref("base.RUB"), env.ref("base.EUR")
            (rub | eur).active = True
            env.flush_all()
            company = env.company.id
            cr.execute(
                SQL(
                    """
                    INSERT INTO product_supplierinfo (partner_id, product_tmpl_id, price,
                           currency_id, min_qty, delay, company_id, sequence, discount,
                           create_uid, write_uid, create_date, write_date)
                    SELECT %s, %s + i, 100 + mod(i, 5000), %s, 0, 1 + mod(i, 20), %s, 1, 0,
                           1, 1, now(), now()
                      FROM generate_series(1, %s) i
                    UNION ALL
                    SELECT %s, %s + i, 1 + mod(i, 60), %s, 0, 5 + mod(i, 30), %s, 1, 0,
                           1, 1, now(), now()
                      FROM generate_series(1, %s, 3) i
                    """,
                    suppliers[0].id,
                    tmpl_base,
                    rub.id,
                    company,
                    n,
                    suppliers[1].id,
                    tmpl_base,
                    eur.id,
                    company,
                    n,
                )
            )
            location = (
                env["stock.warehouse"]
                .search([("company_id", "=", company)], limit=1)
                .lot_stock_id.id
            )
            cr.execute(
                SQL(
                    """
                    INSERT INTO stock_quant (product_id, location_id, company_id, quantity,
                           reserved_quantity, in_date, create_uid, write_uid, create_date,
                           write_date)
                    SELECT %s + i, %s, %s, 1 + mod(i, 17), 0, now(), 1, 1, now(), now()
                      FROM generate_series(1, %s, 4) i
                    """,
                    product_base,
                    location,
                    company,
                    n,
                )
            )
            self.create_indexes(cr, dropped)
            cr.commit()
            self.vacuum()
            return {"reused": False, "parts": n, "seconds": round(time.monotonic() - started, 1)}

    def drop_indexes(self, cr):
        cr.execute(
            SQL(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                  FROM pg_index i
                  JOIN pg_class t ON t.oid = i.indrelid
                 WHERE t.relname = ANY(%s)
                   AND NOT i.indisprimary
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """,
                list(FILLED_TABLES),
            )
        )
        dropped = cr.fetchall()
        for name, _definition in dropped:
            cr.execute(SQL("DROP INDEX %s", SQL(name)))
        log("dropped %s indexes for the fill" % len(dropped))
        return dropped

    def create_indexes(self, cr, dropped):
        cr.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for name, definition in dropped:
            started = time.monotonic()
            cr.execute(definition)
            log("index %s: %.1f s" % (name, time.monotonic() - started))

    def vacuum(self):
        """VACUUM (ANALYZE) the catalog tables, outside any transaction.

        A rolled-back import leaves its rows as dead tuples at the end of the
        id indexes, where the planner probes the highest values: until a
        vacuum, every lookup then spends 100 ms and more planning. Autovacuum
        may be off (it is on this machine's PostgreSQL) or not yet run, and a
        freshly filled table is not yet marked all-visible."""
        started = time.monotonic()
        _dbname, info = odoo.sql_db.connection_info_for(self.args.db)
        cnx = psycopg2.connect(**info)
        try:
            cnx.autocommit = True
            with cnx.cursor() as cr:
                cr.execute("VACUUM (ANALYZE) " + ", ".join(FILLED_TABLES))
        finally:
            cnx.close()
        log("vacuum: %.1f s" % (time.monotonic() - started))

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------
    def sample_queries(self):
        rnd = random.Random(42)
        n = self.args.parts
        count = self.args.iterations
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    """
                    SELECT c.code, c.normalized_code FROM service_part_crossref c
                      JOIN product_product p ON p.id = c.product_id
                     WHERE p.default_code = ANY(%s)
                    """,
                    ["BP%08d" % rnd.randint(1, n) for _i in range(count * 2)],
                )
            )
            codes = cr.fetchall()
        rnd.shuffle(codes)
        exact = [code for code, _norm in codes[:count]]
        fragments = []
        for _code, norm in codes[:count]:
            start = rnd.randint(0, max(0, len(norm) - 5))
            fragments.append(norm[start : start + rnd.choice((4, 5, 6))])
        return exact, fragments

    def time_bounded(self, call, queries, context, timeout_s):
        """Calls each stopped by PostgreSQL after ``timeout_s`` (a scan of the
        catalog can take minutes): the times of those that ended and how many
        were stopped."""
        latencies, stopped = [], 0
        load = load_average()
        for query in queries:
            with self.registry.cursor() as cr:
                cr.execute(SQL("SET statement_timeout = %s", int(timeout_s * 1000)))
                env = api.Environment(cr, self.args.uid, context)
                started = time.perf_counter()
                try:
                    call(env, query)
                    latencies.append((time.perf_counter() - started) * 1000)
                except psycopg2.errors.QueryCanceled:
                    stopped += 1
                cr.rollback()
        result = summary(latencies)
        result.update(stopped=stopped, timeout_s=timeout_s, load_average=load)
        return result

    def time_calls(self, queries, call, context=None):
        """Latencies (ms) of the calls, and their CPU time per call."""
        latencies = []
        with self.registry.cursor() as cr:
            pid = backend_pid(cr)
            give_priority(pid)
            env = api.Environment(cr, self.args.uid, context or {"lang": "en_US"})
            call(env, queries[0])  # warm caches that do not depend on the query
            meter = CpuMeter(pid)
            for query in queries:
                env.invalidate_all()
                started = time.perf_counter()
                call(env, query)
                latencies.append((time.perf_counter() - started) * 1000)
            cpu = meter.per_call(len(queries))
            cr.rollback()
        return latencies, cpu

    @staticmethod
    def lookup(env, query):
        return env["product.product"].service_parts_lookup(query, limit=20)

    @staticmethod
    def index_stage(env, query):
        # Only the ranked search over the normalized numbers (first statement
        # of the lookup): what the indexes answer, without the details.
        from odoo.addons.service_parts.tools import normalize_code  # noqa: PLC0415

        return env["product.product"]._service_parts_candidates(
            normalize_code(query), 40, details=True
        )

    @staticmethod
    def standard_name_search(env, query):
        # Odoo's own name_search, without this addon's cross-reference extension.
        from odoo.addons.service_parts.models.product_product import (  # noqa: PLC0415
            ProductProduct,
        )

        return super(ProductProduct, env["product.product"]).name_search(query, limit=20)

    @staticmethod
    def picker(env, query):
        """product.product's name_search as a sale line's product picker
        calls it (the web client's Many2XAutocomplete: limit 8, the line's
        domain and context), this addon's extension included."""
        return env["product.product"].name_search(query, [("sale_ok", "=", True)], "ilike", 8)

    @staticmethod
    def template_picker(env, query):
        """product.template's name_search, as the product column of a sale
        line (product_template_id, the one Odoo 18 shows) calls it."""
        return env["product.template"].name_search(query, [("sale_ok", "=", True)], "ilike", 8)

    def picker_context(self, lang):
        """The context of a sale line's product field (sale_order_views.xml)
        for an order of a customer, in the user's language."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            partner = env["res.partner"].search([("name", "=", "Bench Customer")], limit=1)
            if not partner:
                partner = env["res.partner"].create({"name": "Bench Customer"})
            pricelist = env["product.pricelist"].search([], limit=1)
            uom = env.ref("uom.product_uom_unit")
            cr.commit()
            return {
                "lang": lang,
                "partner_id": partner.id,
                "quantity": 1.0,
                "pricelist": pricelist.id,
                "uom": uom.id,
                "company_id": env.company.id,
                "default_uom_id": uom.id,
            }

    def picker_indexes(self):
        """{name: size in bytes} of this addon's picker indexes present."""
        from odoo.addons.service_parts.models.product_product import (  # noqa: PLC0415
            PICKER_BTREE_INDEXES,
            PICKER_INDEXES,
        )

        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT indexname, pg_relation_size(indexname::regclass) FROM pg_indexes"
                    " WHERE indexname = ANY(%s)",
                    [*PICKER_INDEXES, *PICKER_BTREE_INDEXES],
                )
            )
            return dict(cr.fetchall())

    def drop_picker_indexes(self):
        names = self.picker_indexes()
        with self.registry.cursor() as cr:
            for name in names:
                cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
        log("dropped the picker indexes: %s" % ", ".join(names))

    def create_picker_indexes(self):
        """What the module's init() does; timed."""
        started = time.monotonic()
        with self.registry.cursor() as cr:
            cr.execute("SET LOCAL maintenance_work_mem = '1GB'")
            self.env(cr)["product.product"]._service_parts_create_picker_indexes()
        return round(time.monotonic() - started, 1)

    def explain_picker(self, query, context):
        """EXPLAIN ANALYZE of each statement the picker's name_search runs
        on the products for ``query``: [{statement, indexes, ms}]."""
        plans = []
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.args.uid, context)
            statements = []
            execute = cr.execute

            def record(query, params=None, log_exceptions=True):
                text = cr.mogrify(query, params).decode()
                if text.startswith('SELECT "product_product"."id"') or "lookup_hits" in text:
                    statements.append(text)
                return execute(query, params, log_exceptions)

            cr.execute = record
            try:
                Bench.picker(env, query)
            finally:
                cr.execute = execute
            for text in statements:
                cr.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + text)
                plan = cr.fetchone()[0][0]
                indexes, nodes = set(), [plan["Plan"]]
                while nodes:
                    node = nodes.pop()
                    if "Index Name" in node:
                        indexes.add(node["Index Name"])
                    if node.get("Node Type") == "Seq Scan":
                        indexes.add("Seq Scan on " + node["Relation Name"])
                    nodes.extend(node.get("Plans", []))
                plans.append(
                    {
                        # its conditions (the select list and order are the same)
                        "statement": text[text.find(" WHERE ") + 1 : text.find(" ORDER BY ")][:400]
                        if " WHERE " in text
                        else text[:200],
                        "indexes": sorted(indexes),
                        "ms": round(plan["Execution Time"], 3),
                    }
                )
            cr.rollback()
        return plans

    def concurrent(self, clients, queries, call=None, context=None):
        odoo.sql_db.close_all()
        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue()
        per_client = max(1, len(queries) // clients)
        call = call or Bench.lookup
        procs = [
            ctx.Process(
                target=_client,
                args=(self.args, queries[i::clients][:per_client], queue, call, context),
            )
            for i in range(clients)
        ]
        started = time.monotonic()
        for proc in procs:
            proc.start()
        latencies, cpu = [], []
        for _proc in procs:
            client_latencies, client_cpu = queue.get()
            latencies.extend(client_latencies)
            cpu.append(client_cpu)
        for proc in procs:
            proc.join()
        elapsed = time.monotonic() - started
        result = summary(latencies)
        result["clients"] = clients
        result["throughput_per_s"] = round(len(latencies) / elapsed, 1)
        # CPU per call (client process + its backend), and what it bounds:
        # with every call needing that much CPU, ``clients`` of them on
        # ``cpu_count`` cores cannot average under cpu × clients / cores.
        calls = max(1, len(latencies))
        per_call = {
            key: round(sum(c[key] * c["calls"] for c in cpu) / calls, 3)
            for key in ("python_ms", "postgres_ms", "total_ms")
        }
        result["cpu_per_call"] = per_call
        result["cpu_bound_mean_ms"] = round(
            per_call["total_ms"] * clients / min(clients, os.cpu_count() or 1), 1
        )
        return result

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def catalog_csv(self, lines, prefix, changed_every=0):
        """The bench's catalog; ``changed_every`` N: every Nth line's price
        one unit higher (a supplier's new price list)."""
        out = io.StringIO()
        out.write("Article,Description,OEM,Price,Currency,MOQ,Lead time\n")
        for i in range(lines):
            out.write(
                "%s-%08d,Imported %s %d,OEM%s%08d,%d.%02d,%s,,%d\n"
                % (
                    prefix,
                    i,
                    WORDS[i % len(WORDS)],
                    i,
                    prefix,
                    i,
                    10 + i % 900 + (1 if changed_every and not i % changed_every else 0),
                    i % 100,
                    "RUB" if i % 4 else "EUR",
                    1 + i % 15,
                )
            )
        return out.getvalue().encode()

    def bulk_import(self, lines):
        data = self.catalog_csv(lines, "IMP")
        with self.registry.cursor() as cr:
            env = self.env(cr)
            supplier = env["res.partner"].create({"name": "Bench Import Supplier"})
            imp = env["service.part.import"].create(
                {
                    "partner_id": supplier.id,
                    "file": base64.b64encode(data),
                    "file_name": "bench.csv",
                    "col_code": "Article",
                    "col_name": "Description",
                    "col_oem": "OEM",
                    "col_price": "Price",
                    "col_currency": "Currency",
                    "col_min_qty": "MOQ",
                    "col_delay": "Lead time",
                }
            )
            env.flush_all()
            started = time.monotonic()
            vals = imp._run_import()
            env.flush_all()
            elapsed = time.monotonic() - started
            result = {
                "lines": lines,
                "seconds": round(elapsed, 2),
                "lines_per_s": round(lines / elapsed, 1),
                "queries": vals["query_count"],
                "queries_per_line": round(vals["query_count"] / lines, 6),
                "parts_created": vals["part_created_count"],
                "rejected": vals["rejected_count"],
            }
            # Same file again: nothing may change.
            again = env["service.part.import"].create(
                {
                    "partner_id": supplier.id,
                    "file": base64.b64encode(data),
                    "file_name": "bench.csv",
                    "col_code": "Article",
                    "col_name": "Description",
                    "col_oem": "OEM",
                    "col_price": "Price",
                    "col_currency": "Currency",
                    "col_min_qty": "MOQ",
                    "col_delay": "Lead time",
                }
            )
            started = time.monotonic()
            vals = again._run_import()
            result["reimport_seconds"] = round(time.monotonic() - started, 2)
            result["reimport_changes"] = (
                vals["part_created_count"]
                + vals["price_created_count"]
                + vals["price_updated_count"]
                + vals["crossref_created_count"]
            )
            cr.rollback()
        return result

    def job_import(self, lines, prefix="JOB"):
        """The import as the users run it: started, then each of its jobs
        run in a transaction of its own and committed, as queue_job's
        runner does (the parts stay: run it last, on a database to drop).
        The same file is then imported again (nothing may change)."""
        from odoo.addons.queue_job.job import Job  # noqa: PLC0415

        data = base64.b64encode(self.catalog_csv(lines, prefix))
        log("catalog file: %s lines, %.0f MB" % (lines, len(data) * 3 / 4 / 1e6))
        result = {"lines": lines, "file_mb": round(len(data) * 3 / 4 / 1e6, 1)}
        runs = [("import", data), ("reimport", data)]
        if self.args.job_import_changed_every:
            # The same catalog with some prices changed: the partial path.
            every = self.args.job_import_changed_every
            runs.append(
                ("reimport_changed", base64.b64encode(self.catalog_csv(lines, prefix, every)))
            )
        for key, data in runs:
            with self.registry.cursor() as cr:
                env = self.env(cr)
                # A supplier per prefix: the first import is a new supplier's.
                name = "Bench Job Supplier %s" % prefix
                supplier = env["res.partner"].search([("name", "=", name)])
                supplier = supplier or env["res.partner"].create({"name": name})
                imp = env["service.part.import"].create(
                    {
                        "partner_id": supplier.id,
                        "file": data,
                        "file_name": "bench_jobs.csv",
                        "col_code": "Article",
                        "col_name": "Description",
                        "col_oem": "OEM",
                        "col_price": "Price",
                        "col_currency": "Currency",
                        "col_min_qty": "MOQ",
                        "col_delay": "Lead time",
                    }
                )
                imp.action_start()
                import_id = imp.id
            jobs, progress, kinds = [], [], []
            load = load_average()
            started = time.monotonic()
            while True:
                with self.registry.cursor() as cr:
                    env = self.env(cr)
                    imp = env["service.part.import"].browse(import_id)
                    if imp.state != "queued":
                        break
                    job = Job.load(env, imp.job_uuid)
                    job.set_started()
                    job.store()
                    cr.commit()
                    job_started = time.monotonic()
                    job.perform()
                    env.flush_all()
                    job.set_done()
                    job.store()
                    env.flush_all()
                    cr.commit()
                    jobs.append(time.monotonic() - job_started)
                    kinds.append("read" if job.method_name == "_run_import_job" else "batch")
                    imp.invalidate_recordset()
                    progress.append(round(imp.progress, 1))
                    log(
                        "%s: job %s, %.1f s, %s%% (%s)"
                        % (key, len(jobs), jobs[-1], progress[-1], imp.progress_step)
                    )
            elapsed = time.monotonic() - started
            with self.registry.cursor() as cr:
                imp = self.env(cr)["service.part.import"].browse(import_id)
                result[key] = {
                    "state": imp.state,
                    "error": imp.error or None,
                    "seconds": round(elapsed, 1),
                    "lines_per_s": round(lines / elapsed, 1),
                    "jobs": len(jobs),
                    "job_seconds_max": round(max(jobs), 1),
                    "job_seconds_first": round(jobs[0], 1),
                    "job_seconds_mean": round(statistics.fmean(jobs), 1),
                    "read_jobs": kinds.count("read"),
                    "read_job_seconds_max": round(
                        max(t for t, k in zip(jobs, kinds, strict=True) if k == "read"), 1
                    ),
                    "batch_jobs": kinds.count("batch"),
                    "batch_job_seconds_max": round(
                        max(
                            (t for t, k in zip(jobs, kinds, strict=True) if k == "batch"), default=0
                        ),
                        1,
                    ),
                    "job_seconds": [round(t, 1) for t in jobs],
                    "job_kinds": kinds,
                    "progress_after_each_job": progress,
                    "parts_created": imp.part_created_count,
                    "parts_matched": imp.part_matched_count,
                    "prices_created": imp.price_created_count,
                    "prices_updated": imp.price_updated_count,
                    "numbers_created": imp.crossref_created_count,
                    "rejected": imp.rejected_count,
                    "unchanged": imp.unchanged_count,
                    "load_average": load,
                    "load_average_end": load_average(),
                }
        return result

    def standard_import(self, lines):
        """Odoo's own import path (``load``, used by base_import) on the same
        kind of lines: a part with its supplier price."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            supplier = env["res.partner"].create({"name": "Bench Std Supplier"})
            env.flush_all()
            fields = [
                "name",
                "default_code",
                "is_spare_part",
                "is_storable",
                "seller_ids/partner_id/.id",
                "seller_ids/price",
                "seller_ids/currency_id",
                "seller_ids/delay",
            ]
            rows = [
                [
                    "Std %s %d" % (WORDS[i % len(WORDS)], i),
                    "STD-%08d" % i,
                    "1",
                    "1",
                    str(supplier.id),
                    "%d.%02d" % (10 + i % 900, i % 100),
                    "RUB" if i % 4 else "EUR",
                    str(1 + i % 15),
                ]
                for i in range(lines)
            ]
            before = cr.sql_log_count
            started = time.monotonic()
            result = env["product.template"].with_context(import_file=True).load(fields, rows)
            env.flush_all()
            elapsed = time.monotonic() - started
            errors = [m for m in result["messages"] if m.get("type") == "error"]
            cr.rollback()
        return {
            "lines": lines,
            "seconds": round(elapsed, 2),
            "lines_per_s": round(lines / elapsed, 1),
            "queries": cr.sql_log_count - before,
            "queries_per_line": round((cr.sql_log_count - before) / lines, 3),
            "errors": len(errors),
        }


def _client(args, queries, queue, call, context):
    registry = Registry(args.db)
    latencies = []
    with registry.cursor() as cr:
        pid = backend_pid(cr)
        give_priority(pid)
        env = api.Environment(cr, args.uid, context or {"lang": "en_US"})
        call(env, queries[0])
        meter = CpuMeter(pid)
        for query in queries:
            env.invalidate_all()
            started = time.perf_counter()
            call(env, query)
            latencies.append((time.perf_counter() - started) * 1000)
        cpu = dict(meter.per_call(len(queries)), calls=len(queries))
        cr.rollback()
    queue.put((latencies, cpu))


def measure_pickers(bench, args, report, fragments, measure):
    """Odoo's product picker (a sale line's name_search) on the fragments,
    with this addon's picker indexes, concurrently, then without them (dropped
    for the measure and built again: the build's time is reported), in
    English and in Russian (another expression of the translated name)."""
    contexts = {lang: bench.picker_context(lang) for lang in ("en_US", "ru_RU")}
    report["picker_indexes_bytes"] = bench.picker_indexes()
    for lang, context in contexts.items():
        log("picker name_search (%s), with the indexes" % lang)
        measure(
            "picker_name_search_%s" % lang,
            Bench.picker,
            fragments[: args.picker_iterations],
            context,
        )
    report["picker_explain"] = {
        "with_indexes": bench.explain_picker(fragments[0], contexts["ru_RU"]),
    }
    for clients in [int(c) for c in args.picker_clients.split(",") if c]:
        log("picker name_search: %s concurrent clients" % clients)
        load = load_average()
        result = bench.concurrent(
            clients, fragments[: args.picker_iterations * 2], Bench.picker, contexts["en_US"]
        )
        result["load_average"] = load
        report.setdefault("picker_concurrent", []).append(result)
    for lang, context in contexts.items():
        log("template picker name_search (%s)" % lang)
        measure(
            "template_picker_name_search_%s" % lang,
            Bench.template_picker,
            fragments[: args.picker_iterations],
            context,
        )
    if args.template_or_iterations:
        # Odoo's own search of the same: the OR of the branches.
        from unittest.mock import patch  # noqa: PLC0415

        from odoo.addons.service_parts.models import (  # noqa: PLC0415
            product_product,
            product_template,
        )

        log("template picker name_search, Odoo's OR")
        with (
            patch.object(product_product, "or_as_union", lambda model, domain: domain),
            patch.object(product_template, "or_as_union", lambda model, domain: domain),
        ):
            report["template_picker_name_search_en_US_odoo_or"] = bench.time_bounded(
                Bench.template_picker,
                fragments[: args.template_or_iterations],
                contexts["en_US"],
                args.template_or_timeout,
            )
    if not args.without_indexes:
        return
    bench.drop_picker_indexes()
    try:
        for lang, context in contexts.items():
            log("picker name_search (%s), without the indexes" % lang)
            measure(
                "picker_name_search_%s_without_indexes" % lang,
                Bench.picker,
                fragments[: args.standard_iterations],
                context,
            )
        log("standard name_search, without the indexes")
        measure(
            "standard_name_search_fragment_without_indexes",
            Bench.standard_name_search,
            fragments[: args.standard_iterations],
        )
        report["picker_explain"]["without_indexes"] = bench.explain_picker(
            fragments[0], contexts["ru_RU"]
        )
    finally:
        log("building the picker indexes again")
        report["picker_indexes_build_s"] = bench.create_picker_indexes()
    for lang in contexts:
        with_ = report["picker_name_search_%s" % lang]
        without = report["picker_name_search_%s_without_indexes" % lang]
        for pct in ("p50", "p95"):
            report["picker_speedup_%s_%s" % (lang, pct)] = round(
                without[pct + "_ms"] / with_[pct + "_ms"], 1
            )
    standard = report["standard_name_search_fragment_without_indexes"]
    for stage in ("lookup_fragment", "index_stage_fragment"):
        prefix = "speedup" if stage == "lookup_fragment" else "speedup_index_stage"
        for pct in ("p50", "p95"):
            report["%s_vs_name_search_without_indexes_%s" % (prefix, pct)] = round(
                standard[pct + "_ms"] / report[stage][pct + "_ms"], 1
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="Odoo configuration file")
    parser.add_argument("--db", required=True)
    parser.add_argument("--parts", type=int, default=1_000_000)
    parser.add_argument("--crossrefs-per-part", type=int, default=3, choices=range(1, 6))
    parser.add_argument("--compat", type=int, default=200_000)
    parser.add_argument("--iterations", type=int, default=300, help="lookups per measure")
    parser.add_argument(
        "--standard-iterations",
        type=int,
        default=20,
        help="standard name_search calls (slow at scale)",
    )
    parser.add_argument("--clients", default="2,8")
    parser.add_argument(
        "--picker-iterations",
        type=int,
        default=100,
        help="picker name_search calls with the indexes (0: no picker measure)",
    )
    parser.add_argument("--picker-clients", default="8")
    parser.add_argument(
        "--template-or-iterations",
        type=int,
        default=3,
        help="template name_search calls with Odoo's OR (a scan of the catalog each)",
    )
    parser.add_argument(
        "--template-or-timeout", type=float, default=60, help="seconds before one is stopped"
    )
    parser.add_argument(
        "--no-without-indexes",
        dest="without_indexes",
        action="store_false",
        help="skip the picker and name_search measures without the picker indexes"
        " (dropped and built again: minutes at 5,000,000 parts)",
    )
    parser.add_argument("--import-lines", type=int, default=1_000_000)
    parser.add_argument("--standard-import-lines", type=int, default=10_000)
    parser.add_argument(
        "--job-import-lines",
        type=int,
        default=0,
        help="import this many lines through the import's jobs, committed: the"
        " parts stay in the database (run it last, on a database to drop)",
    )
    parser.add_argument(
        "--job-import-prefix", default="JOB", help="of the parts' codes, and the supplier's name"
    )
    parser.add_argument(
        "--job-import-changed-every",
        type=int,
        default=100,
        help="then import the file with every Nth price changed (0: not)",
    )
    parser.add_argument("--uid", type=int, default=2, help="user running the lookups (admin)")
    parser.add_argument("--fill-only", action="store_true", help="fill (or reuse) and stop")
    parser.add_argument("--drop", action="store_true", help="(handled by run_bench)")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    bench = Bench(args)
    report = {
        "size": {
            "parts": args.parts,
            "crossrefs": args.parts * args.crossrefs_per_part,
            "compatibility": args.compat,
        },
        "cpu_count": os.cpu_count(),
        # nice value of the bench and of its PostgreSQL backends (-10 with
        # ``nice -n -10``: ahead of the other work of a shared machine)
        "priority": priority(),
    }
    report["fill"] = bench.fill()
    if args.fill_only:
        print(json.dumps(report, indent=2))
        return
    exact, fragments = bench.sample_queries()

    def measure(key, calls, queries, context=None):
        load = load_average()
        latencies, cpu = bench.time_calls(queries, calls, context)
        result = summary(latencies)
        result["cpu_per_call"] = cpu
        result["load_average"] = load
        result["load_average_after"] = load_average()
        report[key] = result

    log("lookup: fragments")
    measure("lookup_fragment", Bench.lookup, fragments)
    log("lookup: exact codes")
    measure("lookup_exact", Bench.lookup, exact)
    log("index stage only")
    measure("index_stage_fragment", Bench.index_stage, fragments)
    measure("index_stage_exact", Bench.index_stage, exact)
    log("standard name_search on the same fragments")
    measure(
        "standard_name_search_fragment",
        Bench.standard_name_search,
        fragments[: args.standard_iterations],
    )
    standard = report["standard_name_search_fragment"]
    for stage in ("lookup_fragment", "index_stage_fragment"):
        prefix = "speedup" if stage == "lookup_fragment" else "speedup_index_stage"
        for pct in ("p50", "p95"):
            report["%s_vs_name_search_%s" % (prefix, pct)] = round(
                standard[pct + "_ms"] / report[stage][pct + "_ms"], 1
            )
    report["concurrent"] = []
    for clients in [int(c) for c in args.clients.split(",") if c]:
        log("lookup: %s concurrent clients" % clients)
        load = load_average()
        result = bench.concurrent(clients, fragments + exact)
        result["load_average"] = load
        report["concurrent"].append(result)
    if args.picker_iterations:
        measure_pickers(bench, args, report, fragments, measure)
    if args.import_lines:
        log("bulk import of %s lines" % args.import_lines)
        load = load_average()
        report["import"] = bench.bulk_import(args.import_lines)
        report["import"]["load_average"] = load
    if args.standard_import_lines:
        log("standard import (load) of %s lines" % args.standard_import_lines)
        load = load_average()
        report["standard_import"] = bench.standard_import(args.standard_import_lines)
        report["standard_import"]["load_average"] = load
        if args.import_lines:
            report["import_speedup_vs_standard"] = round(
                report["import"]["lines_per_s"] / report["standard_import"]["lines_per_s"], 1
            )
    if args.job_import_lines:
        log("import of %s lines through its jobs (committed)" % args.job_import_lines)
        report["job_import"] = bench.job_import(args.job_import_lines, args.job_import_prefix)
    if args.import_lines or args.standard_import_lines:
        # The imports were rolled back: clean up for the next run's lookups.
        bench.vacuum()
    report["load_average_end"] = load_average()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
