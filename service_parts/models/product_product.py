import math
import re
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, LazyTranslate

from odoo.addons.service_base.tools import rpc_date, rpc_number, rpc_record, rpc_text

from ..tools import MAX_QUERY_LENGTH, normalize_code

_lt = LazyTranslate(__name__)

RANK_EXACT, RANK_PREFIX, RANK_FRAGMENT, RANK_NAME = 0, 1, 2, 3
RANK_LABELS = {
    RANK_EXACT: "exact",
    RANK_PREFIX: "prefix",
    RANK_FRAGMENT: "fragment",
    RANK_NAME: "name",
}
# Trigrams need three characters: below that a fragment search would scan.
MIN_FRAGMENT = 3
# More parts than this on one document is a typing error, not an order.
MAX_QUANTITY = 1_000_000_000
# From this length, a number found exactly is not also searched as a fragment.
FULL_NUMBER = 8
_WORDS = re.compile(r"\w{2,}", re.UNICODE)


class ProductProduct(models.Model):
    _inherit = "product.product"

    service_crossref_ids = fields.One2many(
        "service.part.crossref", "product_id", string="Cross-references"
    )

    # ------------------------------------------------------------------
    # Standard search: any cross-reference number finds the part
    # ------------------------------------------------------------------
    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if operator in ("ilike", "=ilike", "like", "=") and isinstance(value, str):
            code = normalize_code(value)
            if code:
                code_operator = "=" if operator == "=" else "=like"
                pattern = code if operator == "=" else "%" + code + "%"
                domain = expression.OR(
                    [domain, [("service_crossref_ids.normalized_code", code_operator, pattern)]]
                )
        return domain

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        result = super().name_search(name, args, operator, limit)
        if (
            not name
            or operator not in ("ilike", "=ilike", "like", "=")
            or (limit and len(result) >= limit)
        ):
            return result
        code = normalize_code(name)
        if not code:
            return result
        seen = {product_id for product_id, _name in result}
        candidates = [
            product_id
            for product_id, _crossref_id, _rank in self._service_parts_candidates(
                code, name.strip(), limit or 100, fragments=operator != "="
            )
            if product_id not in seen
        ]
        if not candidates:
            return result
        products = self.search_fetch(
            expression.AND([args or [], [("id", "in", candidates)]]),
            ["display_name"],
            limit=limit and limit - len(result),
        )
        order = {product_id: index for index, product_id in enumerate(candidates)}
        products = products.sorted(lambda p: order[p.id])
        return result + [(product.id, product.display_name) for product in products.sudo()]

    # ------------------------------------------------------------------
    # The lookup
    # ------------------------------------------------------------------
    @api.model
    def service_parts_lookup(
        self, query, equipment_id=False, limit=20, quantity=1.0, need_date=False
    ):
        """Find spare parts by any number or by words of their name.

        Returns at most ``limit`` dicts, best first (exact number > number
        prefix > number fragment > name words; parts that fit the unit before
        the others), each with: ``product_id``, ``display_name``, ``code``
        (internal reference), ``match`` (the number that matched, its type and
        how: ``exact``/``prefix``/``fragment``/``name``/``supersession``),
        ``compatible`` (True/False, None without ``equipment_id``) and
        ``compatibility`` (quantity per unit, position, note),
        ``availability`` (on hand, free, incoming in total and per warehouse),
        ``superseded_by`` (the chain of parts that replace a discontinued
        one), ``substitutes`` (with their own availability) and ``offer`` (the
        best supplier offer: price converted into the company currency for the
        quantity, lead time, and whether it arrives before ``need_date``).

        An empty query or one without letters or digits returns ``[]``; a
        query longer than 10,000 characters is refused. The number of SQL
        queries does not depend on the number of results (6 to 11, each
        small and keyed by the parts found).
        """
        if not query or not isinstance(query, str):
            return []
        raw = rpc_text(self.env, query, _lt("Search text"), max_length=MAX_QUERY_LENGTH).strip()
        code = normalize_code(raw)
        if not code:
            return []
        limit = max(1, min(int(rpc_number(self.env, limit, _lt("Limit"), default=20)), 200))
        quantity = rpc_number(
            self.env, quantity, _lt("Quantity"), minimum=0, maximum=MAX_QUANTITY, default=1.0
        )
        need_date = rpc_date(self.env, need_date, _lt("Need date"))
        equipment_id = rpc_record(
            self.env, "service.equipment", equipment_id, _lt("Customer's unit"), must_exist=False
        ).id
        for model in ("service.part.crossref", "stock.quant", "product.supplierinfo"):
            self.env[model].check_access("read")
        self.env.flush_all()
        equipment = self._service_parts_equipment(equipment_id) if equipment_id else None

        candidates = self._service_parts_candidates(code, raw, limit * 2, details=True)
        found = {c["product_id"] for c in candidates}
        # Name words, not pieces of a number: "032A-17F3" must not scan names.
        words = [w for w in _WORDS.findall(raw) if sum(ch.isalpha() for ch in w) >= 3]
        if words and len(found) < limit and (not found or len(words) > 1):
            name_domain = [("is_spare_part", "=", True), ("id", "not in", list(found))]
            name_domain += [("name", "ilike", word) for word in words]
            for product_id in self._search(name_domain, limit=limit - len(found)):
                candidates.append({"product_id": product_id, "rank": RANK_NAME})
        if not candidates:
            return []
        catalog = self._service_parts_catalog([c["product_id"] for c in candidates])
        allowed, products = catalog["allowed"], catalog["products"]
        ranked, seen = [], set()
        for candidate in candidates:
            pid = candidate["product_id"]
            if pid not in allowed:
                continue
            current = products[pid]["chain"][-1:]
            for target in [pid, *current]:
                if target in seen or target not in products:
                    continue
                seen.add(target)
                ranked.append((target, candidate, target != pid and pid))
        ranked = ranked[: limit * 2]
        compat = {}
        if equipment is not None:
            compat = self._service_parts_compatibility([r[0] for r in ranked], equipment)
            # Stable: within a rank, the parts that fit the unit come first.
            ranked.sort(key=lambda r: (r[1]["rank"], 0 if r[0] in compat else 1))
        else:
            ranked.sort(key=lambda r: r[1]["rank"])
        ranked = ranked[:limit]
        # Stock and offers only for what is shown: the parts and their substitutes.
        shown = {pid for pid, _candidate, _via in ranked}
        for pid in list(shown):
            shown.update(s["product_id"] for s in products[pid]["substitutes"])
        shown &= set(products)
        availability = self._service_parts_availability(shown)
        offers, currency, company_rate = self._service_parts_prices(
            {pid: products[pid]["tmpl_id"] for pid, _candidate, _via in ranked}
        )
        labels = dict(
            self.env["service.part.crossref"]._fields["code_type"]._description_selection(self.env)
        )
        today = fields.Date.today()
        results = []
        for pid, candidate, via in ranked:
            info = products[pid]
            fit = compat.get(pid)
            qty = (fit or {}).get("quantity") or quantity
            code_type = candidate.get("code_type")
            results.append(
                {
                    "product_id": pid,
                    "display_name": info["display_name"],
                    "code": info["code"],
                    "uom": info["uom"],
                    "match": {
                        "how": "supersession" if via else RANK_LABELS[candidate["rank"]],
                        "code": candidate.get("code") or "",
                        "code_type": code_type or False,
                        "code_type_label": labels.get(code_type, "") if code_type else "",
                        "partner": candidate.get("partner") or "",
                        "via_product_id": via or False,
                    },
                    "compatible": None if equipment is None else bool(fit),
                    "compatibility": fit or {},
                    "availability": availability[pid],
                    "superseded_by": [
                        {"product_id": cid, "display_name": products[cid]["display_name"]}
                        for cid in info["chain"]
                        if cid in products
                    ],
                    "substitutes": [
                        dict(
                            sub,
                            availability=availability[sub["product_id"]],
                            display_name=products[sub["product_id"]]["display_name"],
                        )
                        for sub in info["substitutes"]
                        if sub["product_id"] in products
                    ],
                    "offer": self._service_parts_best_offer(
                        offers.get(pid, []), qty, need_date, company_rate, currency, today
                    ),
                }
            )
        return results

    @api.model
    def _service_parts_equipment(self, equipment_id):
        """(model id, category ids up to the root, serial) of a unit the user may read."""
        # The record rules of the unit are applied through _search's subquery.
        units = self.env["service.equipment"]._search([("id", "=", int(equipment_id))])
        self.env.cr.execute(
            SQL(
                """
                SELECT e.product_id, c.parent_path, lot.name
                  FROM service_equipment e
                  JOIN product_product p ON p.id = e.product_id
                  JOIN product_template t ON t.id = p.product_tmpl_id
                  LEFT JOIN product_category c ON c.id = t.categ_id
                  LEFT JOIN stock_lot lot ON lot.id = e.lot_id
                 WHERE e.id IN %s
                """,
                units.subselect(),
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            raise UserError(_("The unit no longer exists."))
        model_id, parent_path, serial = row
        categ_ids = [int(part) for part in (parent_path or "").split("/") if part]
        return {"model_id": model_id, "categ_ids": categ_ids, "serial": serial or ""}

    @api.model
    def _service_parts_catalog(self, product_ids):
        """What the lookup needs to rank the candidates ``product_ids``:
        ``allowed`` (those the caller may read) and ``products``, {id: name,
        code, UoM, template, supersession ``chain``, ``substitutes``} for the
        allowed ones and the parts their substitutes and chains lead to.

        Plain SQL because the ORM would spend one round trip per model and
        per relation and read whole records. Two small statements keyed by
        the ids, each planned in a fraction of a millisecond (one statement
        joining all the details took about 5 ms to plan for 0.3 ms of
        execution at a million parts): the first resolves which candidates
        the caller may read (``_search``'s subquery, with its record rules)
        and their substitutes and supersession chains, the second reads the
        parts. Rows other than the candidates are company-bound and filtered
        here exactly like their multi-company rules do.
        """
        cr = self.env.cr
        # The multi-company rule on products is "company_id parent_of
        # company_ids": expanding it reads the companies' parent_path, and the
        # ORM would then fetch all ~120 columns of res.company (2 ms and more
        # of work per call). Read that one column first; sudo() as the rule
        # itself does, for the caller's own companies, and nothing is returned.
        self.env.companies.sudo().fetch(["parent_path"])
        allowed_query = self._search([("id", "in", product_ids)])
        companies = self.env.companies.ids
        cr.execute(
            SQL(
                """
                WITH RECURSIVE allowed AS (%(allowed)s),
                chain(origin, product_id, depth, path) AS (
                    SELECT s.product_id, s.substitute_id, 1, ARRAY[s.product_id, s.substitute_id]
                      FROM service_part_substitute s
                     WHERE s.is_supersession AND s.product_id IN (SELECT id FROM allowed)
                       AND (s.company_id IS NULL OR s.company_id = ANY(%(companies)s))
                    UNION ALL
                    SELECT c.origin, s.substitute_id, c.depth + 1, c.path || s.substitute_id
                      FROM service_part_substitute s JOIN chain c ON s.product_id = c.product_id
                     WHERE s.is_supersession AND NOT s.substitute_id = ANY(c.path)
                       AND (s.company_id IS NULL OR s.company_id = ANY(%(companies)s))
                )
                SELECT 'allowed', id, NULL::integer, NULL::varchar, false, NULL::varchar, 0
                  FROM allowed
                UNION ALL
                SELECT 'chain', origin, product_id, NULL, false, NULL, depth FROM chain
                UNION ALL
                SELECT 'sub', s.product_id, s.substitute_id, s.direction, s.is_supersession,
                       s.note, s.sequence
                  FROM service_part_substitute s
                 WHERE s.product_id IN (SELECT id FROM allowed)
                   AND (s.company_id IS NULL OR s.company_id = ANY(%(companies)s))
                UNION ALL
                SELECT 'sub', s.substitute_id, s.product_id, s.direction, s.is_supersession,
                       s.note, s.sequence
                  FROM service_part_substitute s
                 WHERE s.direction = 'two_way' AND s.substitute_id IN (SELECT id FROM allowed)
                   AND (s.company_id IS NULL OR s.company_id = ANY(%(companies)s))
                """,
                allowed=allowed_query.select(),
                companies=companies,
            )
        )
        allowed, chains, subs = set(), {}, {}
        for kind, owner, other, direction, supersession, note, order in cr.fetchall():
            if kind == "allowed":
                allowed.add(owner)
            elif kind == "chain":
                chains.setdefault(owner, []).append((order, other))
            else:
                subs.setdefault(owner, []).append(
                    (
                        order,
                        {
                            "product_id": other,
                            "direction": direction,
                            "is_supersession": supersession,
                            "note": note or "",
                        },
                    )
                )
        involved = set(allowed)
        for chain in chains.values():
            involved.update(pid for _depth, pid in chain)
        for rows in subs.values():
            involved.update(sub["product_id"] for _seq, sub in rows)
        if not involved:
            return {"allowed": set(), "products": {}}
        lang = self.env.lang or "en_US"
        cr.execute(
            SQL(
                """
                SELECT p.id, p.product_tmpl_id, p.default_code,
                       COALESCE(t.name->>%(lang)s, t.name->>'en_US'),
                       COALESCE(u.name->>%(lang)s, u.name->>'en_US')
                  FROM product_product p
                  JOIN product_template t ON t.id = p.product_tmpl_id
                  LEFT JOIN uom_uom u ON u.id = t.uom_id
                 WHERE p.id = ANY(%(ids)s) AND p.active
                   AND (t.company_id IS NULL OR t.company_id = ANY(%(companies)s))
                """,
                lang=lang,
                ids=list(involved),
                companies=companies,
            )
        )
        products = {
            pid: {
                "tmpl_id": tmpl_id,
                "display_name": "[%s] %s" % (default_code, name) if default_code else name,
                "code": default_code or "",
                "uom": uom or "",
                "chain": [pid_ for _depth, pid_ in sorted(chains.get(pid, []))],
                "substitutes": [sub for _seq, sub in sorted(subs.get(pid, []), key=lambda r: r[0])],
            }
            for pid, tmpl_id, default_code, name, uom in cr.fetchall()
        }
        return {"allowed": allowed & set(products), "products": products}

    @api.model
    def _service_parts_compatibility(self, product_ids, equipment):
        """{product id: quantity per unit, position, note} of the parts among
        ``product_ids`` that fit the unit (its model or one of the model's
        categories, within the serial range); the model's own row first."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (cp.part_product_id) cp.part_product_id, cp.quantity,
                       COALESCE(cp.position, ''), COALESCE(cp.note, '')
                  FROM service_part_compatibility cp
                 WHERE cp.part_product_id = ANY(%(ids)s)
                   AND (cp.company_id IS NULL OR cp.company_id = ANY(%(companies)s))
                   AND (cp.equipment_product_id = %(model)s
                        OR cp.equipment_categ_id = ANY(%(categs)s))
                   AND (cp.serial_from IS NULL OR cp.serial_from <= %(serial)s)
                   AND (cp.serial_to IS NULL OR cp.serial_to >= %(serial)s OR %(serial)s = '')
                 ORDER BY cp.part_product_id, cp.equipment_product_id IS NULL, cp.id
                """,
                ids=list(product_ids),
                companies=self.env.companies.ids,
                model=equipment["model_id"],
                categs=equipment["categ_ids"] or [0],
                serial=equipment["serial"],
            )
        )
        return {
            pid: {"quantity": qty, "position": position, "note": note}
            for pid, qty, position, note in self.env.cr.fetchall()
        }

    @api.model
    def _service_parts_availability(self, product_ids):
        """{product id: on hand, free and incoming in total and per warehouse}.

        One grouped statement over the quants in internal locations and the
        moves coming into them from outside, both read through their
        ``product_id`` index."""
        self.env.cr.execute(
            SQL(
                """
                SELECT s.product_id, l.warehouse_id, wh.name,
                       SUM(s.on_hand), SUM(s.free), SUM(s.incoming)
                  FROM (
                      SELECT q.product_id, q.location_id, q.quantity AS on_hand,
                             q.quantity - q.reserved_quantity AS free, 0 AS incoming
                        FROM stock_quant q
                       WHERE q.product_id = ANY(%(ids)s) AND q.company_id = ANY(%(companies)s)
                      UNION ALL
                      SELECT m.product_id, m.location_dest_id, 0, 0, m.product_qty
                        FROM stock_move m
                        JOIN stock_location src ON src.id = m.location_id
                       WHERE m.product_id = ANY(%(ids)s)
                         AND m.state IN ('waiting', 'confirmed', 'partially_available', 'assigned')
                         AND src.usage NOT IN ('internal', 'transit')
                         AND m.company_id = ANY(%(companies)s)
                  ) s
                  JOIN stock_location l ON l.id = s.location_id AND l.usage = 'internal'
                  LEFT JOIN stock_warehouse wh ON wh.id = l.warehouse_id
                 GROUP BY s.product_id, l.warehouse_id, wh.name
                 ORDER BY wh.name
                """,
                ids=list(product_ids),
                companies=self.env.companies.ids,
            )
        )
        result = {
            pid: {"on_hand": 0.0, "free": 0.0, "incoming": 0.0, "warehouses": []}
            for pid in product_ids
        }
        for pid, warehouse_id, warehouse, on_hand, free, incoming in self.env.cr.fetchall():
            availability = result[pid]
            availability["on_hand"] += on_hand
            availability["free"] += free
            availability["incoming"] += incoming
            availability["warehouses"].append(
                {
                    "warehouse_id": warehouse_id,
                    "warehouse": warehouse,
                    "on_hand": on_hand,
                    "free": free,
                    "incoming": incoming,
                }
            )
        return result

    @api.model
    def _service_parts_prices(self, templates):
        """The valid supplier prices of the parts ``templates`` ({product id:
        template id}) with the rate of their currency, for
        ``_service_parts_best_offer``: ({product id: [price dicts]}, company
        currency name, company currency rate). Two small statements: the
        prices, then the rates of the few currencies they use."""
        cr = self.env.cr
        company = self.env.company.id
        today = fields.Date.today()
        by_tmpl = {}
        for pid, tmpl_id in templates.items():
            by_tmpl.setdefault(tmpl_id, []).append(pid)
        if not by_tmpl:
            return {}, None, 1.0
        cr.execute(
            SQL(
                """
                SELECT si.product_tmpl_id, si.product_id, si.id, si.partner_id, rp.complete_name,
                       si.price, COALESCE(si.discount, 0), si.currency_id, cur.name,
                       si.min_qty, si.delay, si.sequence, COALESCE(si.product_code, '')
                  FROM product_supplierinfo si
                  JOIN res_partner rp ON rp.id = si.partner_id
                  JOIN res_currency cur ON cur.id = si.currency_id
                 WHERE si.product_tmpl_id = ANY(%(tmpl_ids)s)
                   AND (si.company_id IS NULL OR si.company_id = %(company)s)
                   AND (si.date_start IS NULL OR si.date_start <= %(today)s)
                   AND (si.date_end IS NULL OR si.date_end >= %(today)s)
                """,
                tmpl_ids=list(by_tmpl),
                company=company,
                today=today,
            )
        )
        rows = cr.fetchall()
        if not rows:
            return {}, None, 1.0
        cr.execute(
            SQL(
                """
                SELECT cur.id, cur.name, cur.id = co.currency_id, %(rate)s
                  FROM res_currency cur
                  JOIN res_company co ON co.id = %(company)s
                 WHERE cur.id = ANY(%(currencies)s) OR cur.id = co.currency_id
                """,
                rate=self._service_parts_rate_sql(SQL("cur.id"), company, today),
                company=company,
                currencies=list({row[7] for row in rows}),
            )
        )
        rates, currency, company_rate = {}, None, 1.0
        for currency_id, name, is_company_currency, rate in cr.fetchall():
            rates[currency_id] = rate
            if is_company_currency:
                currency, company_rate = name, rate
        offers = {}
        for (tmpl_id, variant_id, seller_id, partner_id, partner, price, discount, currency_id,
             currency_name, min_qty, delay, sequence, product_code) in rows:  # fmt: skip
            offer = {
                "id": seller_id,
                "partner_id": partner_id,
                "partner": partner,
                "price": price,
                "discount": discount,
                "currency": currency_name,
                "rate": rates.get(currency_id) or 1.0,
                "min_qty": min_qty,
                "delay": delay,
                "sequence": sequence,
                "product_code": product_code,
            }
            for pid in by_tmpl[tmpl_id]:
                if not variant_id or variant_id == pid:
                    offers.setdefault(pid, []).append(offer)
        return offers, currency, company_rate

    @api.model
    def _service_parts_rate_sql(self, currency_sql, company_id, today):
        # Same rule as res.currency._get_rates: the latest rate of the root
        # company (or a shared one) up to the date, else the first, else 1.
        root = SQL(
            "(SELECT split_part(parent_path, '/', 1)::integer FROM res_company WHERE id = %s)",
            company_id,
        )
        return SQL(
            """COALESCE(
                (SELECT r.rate FROM res_currency_rate r
                  WHERE r.currency_id = %(cur)s AND r.name <= %(today)s
                    AND (r.company_id IS NULL OR r.company_id = %(root)s)
                  ORDER BY r.company_id, r.name DESC LIMIT 1),
                (SELECT r.rate FROM res_currency_rate r
                  WHERE r.currency_id = %(cur)s
                    AND (r.company_id IS NULL OR r.company_id = %(root)s)
                  ORDER BY r.company_id, r.name ASC LIMIT 1),
                1.0)""",
            cur=currency_sql,
            today=today,
            root=root,
        )

    @api.model
    def _service_parts_best_offer(self, offers, qty, need_date, company_rate, currency, today):
        """The best of the offers (dicts with price, discount, currency rate,
        min_qty, delay, sequence), for ``qty``: in time first, then with the
        quantity reaching the minimum, then the lowest total in the company
        currency, then the shortest lead time."""
        ranked = []
        for offer in offers:
            buy_qty = max(qty, offer["min_qty"])
            unit = offer["price"] * (1 - (offer["discount"] or 0.0) / 100.0)
            unit_company = unit * (company_rate or 1.0) / (offer["rate"] or 1.0)
            arrival = today + timedelta(days=offer["delay"] or 0)
            in_time = not need_date or arrival <= need_date
            key = (
                not in_time,
                offer["min_qty"] > qty,
                round(unit_company * buy_qty, 6),
                offer["delay"],
                offer["sequence"],
                offer["id"],
            )
            ranked.append(
                (
                    key,
                    {
                        "supplierinfo_id": offer["id"],
                        "partner_id": offer["partner_id"],
                        "partner": offer["partner"],
                        "product_code": offer["product_code"],
                        "price": unit,
                        "currency": offer["currency"],
                        "price_company": round(unit_company, 2),
                        "total_company": round(unit_company * buy_qty, 2),
                        "company_currency": currency,
                        "quantity": buy_qty,
                        "min_qty": offer["min_qty"],
                        "delay": offer["delay"],
                        "arrival_date": fields.Date.to_string(arrival),
                        "in_time": in_time,
                    },
                )
            )
        if not ranked:
            return False
        ranked.sort(key=lambda item: item[0])
        return dict(ranked[0][1], offer_count=len(ranked))

    @api.model
    def _service_parts_candidates(self, code, raw, limit, fragments=True, details=False):
        """Candidates from the numbers, best rank first: a list of
        ``(product id, crossref id, rank)``, or of dicts with the matched
        number, its type and partner when ``details`` is set.

        Two steps: exact numbers and prefixes through the btree first; only
        when they leave room under ``limit`` the fragment search through the
        trigram index, which is the expensive one (a 4-character fragment
        matches thousands of numbers) and whose results would rank below
        every exact and prefix match anyway.

        Plain SQL: the ORM cannot say "LIMIT per branch, keep the best branch
        per part", and it would wrap ``normalized_code`` in ``unaccent``/
        ``ILIKE``, which neither the btree (text_pattern_ops) nor the trigram
        index serve. ``code`` holds only letters and digits, so it has no LIKE
        wildcard to escape.
        """
        self.env["service.part.crossref"].flush_model(
            ["normalized_code", "product_id", "code", "code_type", "partner_id"]
        )
        self.flush_model(["default_code"])
        rows = self._service_parts_number_hits(code, raw, limit)
        found = {row[0] for row in rows}
        # A long number found exactly is what the user typed in full: its
        # fragments would only be noise (and cost a large trigram scan).
        typed_in_full = len(code) >= FULL_NUMBER and any(
            row[2] == RANK_EXACT and row[1] for row in rows
        )
        if fragments and len(code) >= MIN_FRAGMENT and len(found) < limit and not typed_in_full:
            rows += self._service_parts_fragment_hits(code, limit, found)
        # Best rank, then the shortest number (closest to what was typed).
        rows.sort(key=lambda row: (row[2], len(row[6]) if row[6] else math.inf, row[0]))
        rows = rows[:limit]
        if not details:
            return [row[:3] for row in rows]
        return [
            {
                "product_id": product_id,
                "crossref_id": crossref_id,
                "rank": rank,
                "code": number,
                "code_type": code_type,
                "partner": partner,
            }
            for product_id, crossref_id, rank, number, code_type, partner, _norm in rows
        ]

    @api.model
    def _service_parts_number_hits(self, code, raw, limit):
        """Exact and prefix matches, one row per part (its best match):
        ``(product id, crossref id, rank, code, code type, partner, normalized code)``."""
        # Prefixes in the btree's order: the planner walks the index and
        # stops at the limit, whatever its estimate of the matches.
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (hit.product_id) hit.product_id, hit.crossref_id, hit.rank,
                       c.code, c.code_type, rp.complete_name, c.normalized_code
                  FROM (
                    (SELECT product_id, id AS crossref_id, %(exact)s AS rank
                       FROM service_part_crossref WHERE normalized_code = %(code)s LIMIT %(limit)s)
                    UNION ALL
                    (SELECT id, NULL::integer, %(exact)s FROM product_product
                      WHERE default_code = %(raw)s LIMIT %(limit)s)
                    UNION ALL
                    (SELECT product_id, id, %(prefix)s FROM service_part_crossref
                      WHERE normalized_code LIKE %(pattern)s AND normalized_code <> %(code)s
                      ORDER BY normalized_code USING ~<~ LIMIT %(limit)s)
                  ) AS hit
                  LEFT JOIN service_part_crossref c ON c.id = hit.crossref_id
                  LEFT JOIN res_partner rp ON rp.id = c.partner_id
                 ORDER BY hit.product_id, hit.rank, hit.crossref_id
                """,
                exact=RANK_EXACT,
                prefix=RANK_PREFIX,
                code=code,
                raw=raw,
                pattern=code + "%",
                limit=limit,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _service_parts_fragment_hits(self, code, limit, exclude):
        """Numbers containing ``code`` elsewhere than at their start, for
        parts not in ``exclude``; rows as ``_service_parts_number_hits``."""
        # MATERIALIZED: the CTE is planned for all its rows and run only as
        # far as the LIMIT outside asks. With the LIMIT beside the condition,
        # the planner bets that a sequential scan meets the first matches
        # early, and reads the whole table when they are rare or stored
        # together (300 ms and more at 3,000,000 numbers, against 1-3 ms
        # through the trigram index).
        self.env.cr.execute(
            SQL(
                """
                WITH hit AS MATERIALIZED (
                    SELECT product_id, id, code, code_type, partner_id, normalized_code
                      FROM service_part_crossref
                     WHERE normalized_code LIKE %(fragment)s AND normalized_code NOT LIKE %(prefix)s
                       AND product_id <> ALL(%(exclude)s)
                )
                SELECT DISTINCT ON (f.product_id) f.product_id, f.id, %(rank)s, f.code, f.code_type,
                       rp.complete_name, f.normalized_code
                  FROM (SELECT * FROM hit LIMIT %(limit)s) AS f
                  LEFT JOIN res_partner rp ON rp.id = f.partner_id
                 ORDER BY f.product_id, f.id
                """,
                fragment="%" + code + "%",
                prefix=code + "%",
                exclude=list(exclude),
                rank=RANK_FRAGMENT,
                limit=limit,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _service_parts_offers(self, products, quantities, need_date=False):
        """{product id: best supplier offer dict} for the products.

        Offers are ranked by the price for the quantity converted into the
        company currency, then by lead time; with a need date, an offer that
        cannot arrive in time ranks below every offer that can (Odoo's
        ``_select_seller`` looks at the price only).
        """
        if not products:
            return {}
        company = self.env.company
        today = fields.Date.today()
        sellers = self.env["product.supplierinfo"].search_fetch(
            [
                ("product_tmpl_id", "in", products.product_tmpl_id.ids),
                ("company_id", "in", (False, company.id)),
                "|",
                ("date_start", "=", False),
                ("date_start", "<=", today),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today),
            ],
            ["partner_id", "product_id", "product_tmpl_id", "price", "discount", "currency_id",
             "min_qty", "delay", "sequence", "product_code"],
        )  # fmt: skip
        rates = (sellers.currency_id | company.currency_id)._get_rates(company, today)
        offers = {}
        for product in products:
            rows = [
                {
                    "id": seller.id,
                    "partner_id": seller.partner_id.id,
                    "partner": seller.partner_id.display_name,
                    "price": seller.price,
                    "discount": seller.discount,
                    "currency": seller.currency_id.name,
                    "rate": rates.get(seller.currency_id.id) or 1.0,
                    "min_qty": seller.min_qty,
                    "delay": seller.delay,
                    "sequence": seller.sequence,
                    "product_code": seller.product_code or "",
                }
                for seller in sellers
                if seller.product_tmpl_id == product.product_tmpl_id
                and (not seller.product_id or seller.product_id == product)
            ]
            offer = self._service_parts_best_offer(
                rows,
                quantities.get(product.id) or 1.0,
                need_date,
                rates.get(company.currency_id.id) or 1.0,
                company.currency_id.name,
                today,
            )
            if offer:
                offers[product.id] = offer
        return offers

    # ------------------------------------------------------------------
    # One-click actions of the lookup screen
    # ------------------------------------------------------------------
    def service_parts_add_to_repair(self, repair_id, quantity=1.0):
        """Add this part to a repair order's parts; returns a short summary."""
        self.ensure_one()
        repair = rpc_record(
            self.env, "repair.order", repair_id, _lt("Repair order"), must_exist=False
        )
        if not repair:
            raise UserError(_("The repair order no longer exists."))
        if repair.state not in ("draft", "confirmed", "under_repair"):
            raise UserError(
                _(
                    "Parts can no longer be added to %(repair)s: it is not open.",
                    repair=repair.display_name,
                )
            )
        quantity = self._service_parts_check_quantity(quantity)
        repair.write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.id,
                            "product_uom_qty": quantity,
                            "repair_line_type": "add",
                        }
                    )
                ]
            }
        )
        repair.message_post(
            body=_(
                "%(part)s × %(qty)s added from the parts lookup.",
                part=self.display_name,
                qty=quantity,
            )
        )
        return {"model": "repair.order", "id": repair.id, "name": repair.display_name}

    def service_parts_add_to_quotation(self, partner_id=False, order_id=False, quantity=1.0):
        """Add this part to a draft quotation (a new one for the customer if
        ``order_id`` is not given)."""
        self.ensure_one()
        quantity = self._service_parts_check_quantity(quantity)
        Order = self.env["sale.order"]
        order = rpc_record(self.env, "sale.order", order_id, _lt("Quotation"), must_exist=False)
        partner = rpc_record(self.env, "res.partner", partner_id, _lt("Customer"))
        if order_id:
            if not order or order.state not in ("draft", "sent"):
                raise UserError(_("Choose a quotation that is still a draft."))
        else:
            if not partner:
                raise UserError(_("Choose the customer (or their unit) to quote the part to."))
            order = Order.create({"partner_id": partner.id})
        order.write(
            {"order_line": [Command.create({"product_id": self.id, "product_uom_qty": quantity})]}
        )
        return {"model": "sale.order", "id": order.id, "name": order.display_name}

    def service_parts_add_to_rfq(self, quantity=1.0, need_date=False):
        """Add this part to a draft RFQ of its best supplier (reused if one is open)."""
        self.ensure_one()
        quantity = self._service_parts_check_quantity(quantity)
        need_date = rpc_date(self.env, need_date, _lt("Need date"))
        offer = self._service_parts_offers(self, {self.id: quantity}, need_date).get(self.id)
        if not offer:
            raise UserError(
                _("%(part)s has no supplier: add one on its Purchase tab.", part=self.display_name)
            )
        order = self.env["purchase.order"].search(
            [
                ("partner_id", "=", offer["partner_id"]),
                ("state", "=", "draft"),
                ("company_id", "=", self.env.company.id),
            ],
            limit=1,
            order="id desc",
        )
        if not order:
            order = order.create({"partner_id": offer["partner_id"]})
        order.write(
            {
                "order_line": [
                    Command.create({"product_id": self.id, "product_qty": offer["quantity"]})
                ]
            }
        )
        return {"model": "purchase.order", "id": order.id, "name": order.display_name}

    def _service_parts_check_quantity(self, quantity):
        try:
            quantity = float(quantity)
        except (TypeError, ValueError):
            quantity = 0.0
        if not math.isfinite(quantity) or quantity <= 0:
            raise UserError(_("The quantity must be positive."))
        if quantity > MAX_QUANTITY:
            raise UserError(_("The quantity is too large (at most %(max)s).", max=MAX_QUANTITY))
        return quantity
