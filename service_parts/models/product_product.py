import math
import re
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.modules.db import FunctionStatus
from odoo.osv import expression
from odoo.tools import SQL, LazyTranslate, create_index, file_open

from odoo.addons.service_base.tools import rpc_date, rpc_number, rpc_record, rpc_text
from odoo.addons.service_base.tools.rpc_answers import rpc_answer

from ..tools import MAX_QUERY_LENGTH, SQL_NORMALIZE, normalize_code, or_as_union

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

# Trigram indexes for Odoo's own product pickers (product.product's
# name_search, as sale, purchase, repair and stock lines call it): name ->
# (table, column). Odoo's searches there run ``column ILIKE '%text%'`` on
# each of these columns (``unaccent(column) ILIKE unaccent(...)`` where the
# database has an immutable unaccent), which only a trigram index on that
# very expression serves; Odoo indexes them with btrees (equality) or not at
# all. Partial (the column not null): ILIKE never matches a null, so the
# planner takes them for every such search. The translated name needs none:
# Odoo's search adds a prefilter on ``jsonb_path_query_array(name,
# '$.*')::text``, which Odoo's own trigram index on product_template.name
# serves (see README, "Product pickers").
PICKER_INDEXES = {
    # ('default_code', 'ilike', ...): name_search's second search.
    "service_parts_product_default_code_trgm": ("product_product", "default_code"),
    # ('barcode', 'ilike', ...): the product search view's "Product" filter.
    "service_parts_product_barcode_trgm": ("product_product", "barcode"),
    # name_search's last search, with a partner in the context (a sale or
    # purchase line's picker): the partner's supplier codes and names.
    "service_parts_supplierinfo_code_trgm": ("product_supplierinfo", "product_code"),
    "service_parts_supplierinfo_name_trgm": ("product_supplierinfo", "product_name"),
}
# ... and the partner of the supplier prices, which Odoo does not index
# (the same search, and the display name of every product it shows).
PICKER_BTREE_INDEXES = {
    "service_parts_supplierinfo_partner": ("product_supplierinfo", "partner_id"),
}
# Every index this addon creates on Odoo's tables outside its fields: what
# the uninstall_hook drops (hooks.CORE_INDEXES).
CORE_TABLE_INDEXES = (
    "product_product_service_parts_code",
    *PICKER_INDEXES,
    *PICKER_BTREE_INDEXES,
)


def _upper_bound(code):
    """The smallest text above every text that starts with ``code`` (in the
    byte order of text_pattern_ops, which is the code point order): its last
    character incremented, past the surrogates."""
    point = ord(code[-1]) + 1
    if 0xD800 <= point <= 0xDFFF:
        point = 0xE000
    return code[:-1] + chr(min(point, 0x10FFFF))


def _no_stock():
    return {"on_hand": 0.0, "free": 0.0, "incoming": 0.0, "warehouses": []}


def _hit_dict(row):
    product_id, crossref_id, rank, code, code_type, partner, _normalized = row
    return {
        "product_id": product_id,
        "crossref_id": crossref_id,
        "rank": rank,
        "code": code,
        "code_type": code_type,
        "partner": partner,
    }


class ProductProduct(models.Model):
    _inherit = "product.product"

    service_crossref_ids = fields.One2many(
        "service.part.crossref", "product_id", string="Cross-references"
    )

    def init(self):
        result = super().init()
        # The internal reference normalized as the numbers are: an exact
        # number or a prefix of it ("SP-HX" for SP-HX-200) in the btree's
        # order, as service_parts_lookup_hits asks it (the very expression).
        create_index(
            self.env.cr,
            "product_product_service_parts_code",
            self._table,
            ["(%s) text_pattern_ops" % SQL_NORMALIZE.format(col="default_code")],
        )
        self._service_parts_create_picker_indexes()
        # The lookup's SQL functions (see the file). The uninstall_hook
        # (hooks.py) drops them and the indexes above (CORE_TABLE_INDEXES).
        with file_open("service_parts/data/service_parts_lookup.sql") as sql_file:
            self.env.cr.execute(sql_file.read())
        return result

    def _service_parts_create_picker_indexes(self):
        """PICKER_INDEXES and PICKER_BTREE_INDEXES, unless they exist. The
        trigram indexes are on the expression Odoo's ILIKE compares (the
        column, in ``unaccent()`` when the database's unaccent is immutable,
        as Odoo's own trigram indexes are); without pg_trgm (Odoo then makes
        no trigram index either) they are not made."""
        registry = self.env.registry
        for name, (table, column) in PICKER_BTREE_INDEXES.items():
            create_index(self.env.cr, name, table, ['"%s"' % column])
        if not registry.has_trigram:
            return
        for name, (table, column) in PICKER_INDEXES.items():
            expression_sql = '"%s"' % column
            if registry.has_unaccent == FunctionStatus.INDEXABLE:
                expression_sql = registry.unaccent(expression_sql)
            create_index(
                self.env.cr,
                name,
                table,
                ["%s gin_trgm_ops" % expression_sql],
                method="gin",
                where='"%s" IS NOT NULL' % column,
            )

    # ------------------------------------------------------------------
    # Standard search: any cross-reference number finds the part
    # ------------------------------------------------------------------
    @api.model
    def _search_display_name(self, operator, value):
        if isinstance(value, str):
            # Before the query: psycopg2 cannot send a lone surrogate.
            value = rpc_text(self.env, value, _lt("Search text"))
        domain = super()._search_display_name(operator, value)
        if operator in ("ilike", "=ilike", "like", "=") and isinstance(value, str):
            code = normalize_code(value)
            if code:
                code_operator = "=" if operator == "=" else "=like"
                pattern = code if operator == "=" else "%" + code + "%"
                domain = expression.OR(
                    [domain, [("service_crossref_ids.normalized_code", code_operator, pattern)]]
                )
        if operator not in expression.NEGATIVE_TERM_OPERATORS:
            # Name, reference, barcode, supplier codes, numbers: one index each.
            domain = or_as_union(self, domain)
        return domain

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        if isinstance(name, str):
            # Before product's own searches: psycopg2 cannot send a lone surrogate.
            name = rpc_text(self.env, name, _lt("Search text"))
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
                code, limit or 100, fragments=operator != "="
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
    # Reads only (its SQL functions are STABLE): served by a read-only
    # replica when odoo.conf names one (db_replica_host).
    @api.readonly
    @api.model
    def service_parts_lookup(
        self,
        query,
        equipment_id=False,
        limit=20,
        quantity=1.0,
        need_date=False,
        only_compatible=False,
    ):
        """Find spare parts by any number or by words of their name.

        Numbers are cross-reference numbers of any type and the internal
        reference (``default_code``), compared by their letters and digits
        only (case, spaces and dashes aside): the whole number or its
        beginning (``SP-HX`` finds ``SP-HX-200``), and from three characters
        a piece of a cross-reference number.

        With ``equipment_id`` and ``only_compatible``, only the parts that fit
        the unit are searched (and the current parts that supersede them,
        whose ``compatible`` says whether they are listed for it); without a
        unit ``only_compatible`` changes nothing.

        Returns at most ``limit`` dicts, best first (exact number > number
        prefix > number fragment > name words; parts that fit the unit before
        the others), each with: ``product_id``, ``display_name``, ``code``
        (internal reference), ``match`` (the number that matched, its type and
        how: ``exact``/``prefix``/``fragment``/``name``/``supersession``),
        ``compatible`` (True when it fits the unit; False when it does not or
        without ``equipment_id``) and
        ``compatibility`` (quantity per unit, position, note),
        ``availability`` (on hand, free, incoming in total and per warehouse),
        ``superseded_by`` (the chain of parts that replace a discontinued
        one), ``substitutes`` (with their own availability) and ``offer`` (the
        best supplier offer: price converted into the company currency for the
        quantity, lead time, and whether it arrives before ``need_date``).

        An empty query or one without letters or digits returns ``[]``; a
        query longer than 10,000 characters is refused. The number of SQL
        queries does not depend on the number of results: two (the caller's
        companies for the record rules, then the whole lookup in one
        statement through the SQL functions of
        data/service_parts_lookup.sql), one more with a unit, one more when
        words search names, one more when record rules hide some of the
        first parts. A value the catalog does not have (a position, a note,
        a warehouse name) is False, never None.
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
        only_compatible = bool(only_compatible) and equipment is not None

        # Twice the limit: record rules may hide some, a part superseded by
        # another found too counts once.
        candidates, details, allowed, fit_ids = self._service_parts_lookup_data(
            code, limit * 2, limit, equipment, only_compatible
        )
        found = {c["product_id"] for c in candidates}
        # Name words, not pieces of a number: "032A-17F3" must not scan names.
        words = [w for w in _WORDS.findall(raw) if sum(ch.isalpha() for ch in w) >= 3]
        if (
            words
            and len(found) < limit
            and (not found or len(words) > 1)
            and not (only_compatible and not fit_ids)
        ):
            name_domain = [("is_spare_part", "=", True), ("id", "not in", list(found))]
            if only_compatible:
                name_domain.append(("id", "in", fit_ids))
            name_domain += [("name", "ilike", word) for word in words]
            named = list(self._search(name_domain, limit=limit - len(found)))
            candidates += [{"product_id": pid, "rank": RANK_NAME} for pid in named]
            allowed.update(named)
        compat = details["compat"]
        # Stable: within a rank, the parts that fit the unit come first.
        pending = sorted(
            (c for c in candidates if c["product_id"] in allowed),
            key=lambda c: (c["rank"], c["product_id"] not in compat),
        )
        # The details came for the first parts; fetch those of the next ones
        # while the list is short of the limit (record rules hid some).
        detailed = set(details["products"]) | details["asked"]
        while True:
            products = details["products"]
            ranked, seen, todo = [], set(), []
            for index, candidate in enumerate(pending):
                pid = candidate["product_id"]
                if pid not in detailed:
                    todo = [
                        c["product_id"] for c in pending[index:] if c["product_id"] not in detailed
                    ]
                    break
                if pid not in products:
                    continue
                for target in [pid, *products[pid]["chain"][-1:]]:
                    if target in seen or target not in products:
                        continue
                    seen.add(target)
                    ranked.append((target, candidate, target != pid and pid))
            if not todo or len(ranked) >= limit:
                break
            details = self._service_parts_details(todo[:limit], equipment, details)
            detailed.update(todo[:limit])
        if equipment is not None:
            ranked.sort(key=lambda r: (r[1]["rank"], 0 if r[0] in compat else 1))
        ranked = ranked[:limit]
        availability, offers = details["availability"], details["offers"]
        currency, company_rate = details["currency"], details["company_rate"]
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
                    "compatible": equipment is not None and bool(fit),
                    "compatibility": fit or {},
                    "availability": availability.get(pid) or _no_stock(),
                    "superseded_by": [
                        {"product_id": cid, "display_name": products[cid]["display_name"]}
                        for cid in info["chain"]
                        if cid in products
                    ],
                    "substitutes": [
                        dict(
                            sub,
                            availability=availability.get(sub["product_id"]) or _no_stock(),
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
        return rpc_answer(results)

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
    def _service_parts_sql_args(self, equipment):
        """The arguments of service_parts_lookup_details after the part ids."""
        equipment = equipment or {}
        return SQL(
            "%s::integer[], %s, %s, %s::date, %s::integer, %s::integer[], %s",
            self.env.companies.ids,
            self.env.company.id,
            self.env.lang or "en_US",
            fields.Date.today(),
            equipment.get("model_id"),
            equipment.get("categ_ids") or [],
            equipment.get("serial") or "",
        )

    @api.model
    def _service_parts_lookup_data(self, code, limit, show, equipment, only_compatible=False):
        """The numbers matching ``code`` and what the lookup shows of the
        first ``show`` parts, in one statement: (hits as
        ``_service_parts_candidates`` with ``details``, details as
        ``_service_parts_details`` with the fit of every hit, the set of the
        parts hit that the caller may read, and with ``only_compatible`` the
        ids of the parts that fit the unit, the only ones searched; else
        None).

        The SQL functions of data/service_parts_lookup.sql do the work with
        plans PostgreSQL keeps per connection; the caller's record rules on
        products are the ORM's own query, applied to their result in the same
        statement. It reads the database as it is: the caller flushes."""
        # The multi-company rule on products is "company_id parent_of
        # company_ids": expanding it reads the companies' parent_path, and the
        # ORM would then fetch all ~120 columns of res.company (2 ms and more
        # of work per call). Read that one column first; sudo() as the rule
        # itself does, for the caller's own companies, and nothing is returned.
        self.env.companies.sudo().fetch(["parent_path"])
        allowed = self._search([])
        allowed.add_where(SQL("%s = ANY(lookup.part_ids)", SQL.identifier(allowed.table, "id")))
        self.env.cr.execute(
            SQL(
                """
                SELECT lookup.hits, lookup.compat, lookup.details, lookup.shown_ids,
                       lookup.fit_ids, ARRAY(%s)
                  FROM service_parts_lookup_data(%s, %s, %s, %s, %s, %s, %s, %s) AS lookup
                """,
                allowed.select(),
                code,
                _upper_bound(code),
                limit,
                show,
                len(code) >= MIN_FRAGMENT,
                FULL_NUMBER,
                bool(only_compatible),
                self._service_parts_sql_args(equipment),
            )
        )
        hits, compat, details, shown, fit_ids, allowed_ids = self.env.cr.fetchone()
        details = self._service_parts_details_maps(details)
        details["compat"].update(self._service_parts_compat_map(compat))
        details["asked"] = set(shown)
        return [_hit_dict(row) for row in hits], details, set(allowed_ids), fit_ids

    @api.model
    def _service_parts_details(self, product_ids, equipment, merge_into=None):
        """What the lookup shows of the parts ``product_ids`` (readable by the
        caller) and of the parts their substitutes and supersession chains
        lead to: {``products``: {id: name, code, UoM, template, ``chain``,
        ``substitutes``}, ``compat``: {id: fit with the unit}, ``availability``:
        {id: stock}, ``offers``: {id: supplier prices}, ``currency``,
        ``company_rate``}, added to ``merge_into`` when given. The caller
        flushes."""
        self.env.cr.execute(
            SQL(
                "SELECT service_parts_lookup_details(%s::integer[], %s)",
                list(product_ids),
                self._service_parts_sql_args(equipment),
            )
        )
        details = self._service_parts_details_maps(self.env.cr.fetchone()[0])
        if merge_into is None:
            return details
        for key in ("products", "compat", "availability", "offers"):
            merge_into[key].update(details[key])
        if details["currency"]:
            merge_into["currency"] = details["currency"]
            merge_into["company_rate"] = details["company_rate"]
        return merge_into

    @api.model
    def _service_parts_compat_map(self, rows):
        return {
            pid: {"quantity": float(qty), "position": position, "note": note}
            for pid, qty, position, note in rows
        }

    @api.model
    def _service_parts_details_maps(self, details):
        """The row arrays of service_parts_lookup_details as dicts by part."""
        chains, subs = {}, {}
        for origin, product_id, _depth in details["chains"]:
            chains.setdefault(origin, []).append(product_id)
        for owner, other, direction, supersession, note, _sequence in details["subs"]:
            subs.setdefault(owner, []).append(
                {
                    "product_id": other,
                    "direction": direction,
                    "is_supersession": supersession,
                    "note": note,
                }
            )
        products = {
            pid: {
                "tmpl_id": tmpl_id,
                "display_name": "[%s] %s" % (default_code, name) if default_code else name,
                "code": default_code or "",
                "uom": uom or "",
                "chain": chains.get(pid, []),
                "substitutes": subs.get(pid, []),
            }
            for pid, tmpl_id, default_code, name, uom in details["products"] or []
        }
        compat = self._service_parts_compat_map(details["compat"])
        availability = {}
        for pid, warehouse_id, warehouse, on_hand, free, incoming in details["stock"]:
            stock = availability.setdefault(pid, _no_stock())
            stock["on_hand"] += on_hand
            stock["free"] += free
            stock["incoming"] += incoming
            stock["warehouses"].append(
                {
                    "warehouse_id": warehouse_id,
                    "warehouse": warehouse,
                    "on_hand": float(on_hand),
                    "free": float(free),
                    "incoming": float(incoming),
                }
            )
        rates, currency, company_rate = {}, None, 1.0
        for currency_id, name, is_company_currency, rate in details["rates"]:
            rates[currency_id] = rate
            if is_company_currency:
                currency, company_rate = name, rate
        by_tmpl = {}
        for pid, info in products.items():
            by_tmpl.setdefault(info["tmpl_id"], []).append(pid)
        offers = {}
        for (tmpl_id, variant_id, seller_id, partner_id, partner, price, discount, currency_id,
             currency_name, min_qty, delay, sequence, product_code) in details["prices"]:  # fmt: skip
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
            for pid in by_tmpl.get(tmpl_id, []):
                if not variant_id or variant_id == pid:
                    offers.setdefault(pid, []).append(offer)
        return {
            "products": products,
            "compat": compat,
            "availability": availability,
            "offers": offers,
            "currency": currency,
            "company_rate": company_rate,
        }

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
    def _service_parts_candidates(self, code, limit, fragments=True, details=False):
        """Candidates from the numbers, best rank first (then the shortest
        number): a list of ``(product id, crossref id, rank)``, or of dicts
        with the matched number, its type and partner when ``details`` is set.
        Only numbers of the caller's companies (or shared) match; the record
        rules on the parts are the callers' to apply.

        Two steps in one statement (service_parts_lookup_hits): exact numbers
        and prefixes through the btree first; only when they leave room under
        ``limit`` the fragment search through the trigram index, which is the
        expensive one (a 4-character fragment matches thousands of numbers)
        and whose results would rank below every exact and prefix match
        anyway. Plain SQL: the ORM cannot say "LIMIT per branch, keep the best
        branch per part", and it would wrap ``normalized_code`` in
        ``unaccent``/``ILIKE``, which neither index serves. ``code`` holds
        only letters and digits.
        """
        self.env["service.part.crossref"].flush_model(
            ["normalized_code", "product_id", "code", "code_type", "partner_id"]
        )
        self.flush_model(["default_code"])
        self.env.cr.execute(
            SQL(
                "SELECT service_parts_lookup_hits(%s, %s, %s, %s, %s, %s::integer[])",
                code,
                _upper_bound(code),
                limit,
                fragments and len(code) >= MIN_FRAGMENT,
                FULL_NUMBER,
                self.env.companies.ids,
            )
        )
        rows = self.env.cr.fetchone()[0]
        if not details:
            return [tuple(row[:3]) for row in rows]
        return [_hit_dict(row) for row in rows]

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
