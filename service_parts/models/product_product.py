import re
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import MAX_QUERY_LENGTH, normalize_code

RANK_EXACT, RANK_PREFIX, RANK_FRAGMENT, RANK_NAME = 0, 1, 2, 3
RANK_LABELS = {
    RANK_EXACT: "exact",
    RANK_PREFIX: "prefix",
    RANK_FRAGMENT: "fragment",
    RANK_NAME: "name",
}
# Trigrams need three characters: below that a fragment search would scan.
MIN_FRAGMENT = 3
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
        how: ``exact``/``prefix``/``fragment``/``name``), ``compatible``
        (True/False, None without ``equipment_id``) and ``compatibility``
        (quantity per unit, position, note), ``availability`` (on hand, free,
        incoming in total and per warehouse), ``superseded_by`` (the chain of
        parts that replace a discontinued one), ``substitutes`` (with their own
        availability) and ``offer`` (the best supplier offer: price converted
        into the company currency for the quantity, lead time, and whether it
        arrives before ``need_date``).

        An empty query or one without letters or digits returns ``[]``; a
        query longer than 10,000 characters is refused.
        """
        if not query or not isinstance(query, str):
            return []
        if len(query) > MAX_QUERY_LENGTH:
            raise UserError(
                _(
                    "The search text is too long (%(length)s characters, at most %(max)s).",
                    length=len(query),
                    max=MAX_QUERY_LENGTH,
                )
            )
        raw = query.strip()
        code = normalize_code(raw)
        if not code:
            return []
        limit = max(1, min(int(limit or 20), 200))
        equipment = self.env["service.equipment"]
        if equipment_id:
            equipment = equipment.browse(int(equipment_id)).exists()
            if not equipment:
                raise UserError(_("The unit no longer exists."))
        if need_date:
            need_date = fields.Date.to_date(need_date)

        candidates = self._service_parts_candidates(code, raw, limit * 2)
        found = {product_id for product_id, _crossref, _rank in candidates}
        words = _WORDS.findall(raw)
        if len(found) < limit and words:
            name_domain = [("is_spare_part", "=", True), ("id", "not in", list(found))]
            name_domain += [("name", "ilike", word) for word in words]
            for product_id in self._search(name_domain, limit=limit - len(found)):
                candidates.append((product_id, False, RANK_NAME))
        if not candidates:
            return []

        # Record rules and archived parts: the candidate SQL does not know them.
        allowed = self.search([("id", "in", [c[0] for c in candidates])])
        allowed_ids = set(allowed.ids)
        candidates = [c for c in candidates if c[0] in allowed_ids]
        chains = self.env["service.part.substitute"]._supersession_chains(allowed)
        # A discontinued part brings the part that supersedes it, right after it.
        ranked = []
        seen = set()
        for product_id, crossref_id, rank in candidates:
            for pid in [product_id, *chains.get(product_id, [])[-1:]]:
                if pid not in seen:
                    seen.add(pid)
                    ranked.append((pid, crossref_id, rank, pid != product_id and product_id))
        ranked = ranked[: limit * 2]
        result_ids = [r[0] for r in ranked]
        substitutes = self.env["service.part.substitute"].search_fetch(
            [
                "|",
                ("product_id", "in", result_ids),
                "&",
                ("substitute_id", "in", result_ids),
                ("direction", "=", "two_way"),
            ],
            ["product_id", "substitute_id", "direction", "is_supersession", "note"],
        )
        chain_ids = {pid for chain in chains.values() for pid in chain}
        all_products = self.browse(
            set(result_ids)
            | set(substitutes.product_id.ids)
            | set(substitutes.substitute_id.ids)
            | chain_ids
        )
        all_products.fetch(["default_code", "uom_id", "product_tmpl_id"])
        all_products.mapped("display_name")
        availability = self._service_parts_availability(all_products)
        compat_by_product = self._service_parts_compatibility(self.browse(result_ids), equipment)
        quantities = {
            pid: (compat_by_product.get(pid) or {}).get("quantity") or quantity
            for pid in result_ids
        }
        offers = self._service_parts_offers(self.browse(result_ids), quantities, need_date)
        crossrefs = self.env["service.part.crossref"].browse({r[1] for r in ranked if r[1]})
        crossrefs.fetch(["code", "code_type", "partner_id"])
        type_labels = dict(
            self.env["service.part.crossref"]._fields["code_type"]._description_selection(self.env)
        )

        results = []
        for position, (pid, crossref_id, rank, superseded_id) in enumerate(ranked):
            product = self.browse(pid)
            crossref = self.env["service.part.crossref"].browse(crossref_id)
            compat = compat_by_product.get(pid)
            product_subs = []
            for sub in substitutes:
                if sub.product_id.id == pid:
                    other = sub.substitute_id
                elif sub.substitute_id.id == pid and sub.direction == "two_way":
                    other = sub.product_id
                else:
                    continue
                product_subs.append(
                    {
                        "product_id": other.id,
                        "display_name": other.display_name,
                        "direction": sub.direction,
                        "is_supersession": sub.is_supersession,
                        "note": sub.note or "",
                        "availability": availability[other.id],
                    }
                )
            results.append(
                {
                    "product_id": pid,
                    "display_name": product.display_name,
                    "code": product.default_code or "",
                    "uom": product.uom_id.name,
                    "match": {
                        "how": RANK_LABELS[rank] if not superseded_id else "supersession",
                        "code": crossref.code if crossref else "",
                        "code_type": crossref.code_type if crossref else False,
                        "code_type_label": type_labels.get(crossref.code_type, "")
                        if crossref
                        else "",
                        "partner": crossref.partner_id.display_name if crossref else "",
                        "via_product_id": superseded_id or False,
                    },
                    "compatible": None if not equipment else bool(compat),
                    "compatibility": compat or {},
                    "availability": availability[pid],
                    "superseded_by": [
                        {"product_id": cid, "display_name": self.browse(cid).display_name}
                        for cid in chains.get(pid, [])
                    ],
                    "substitutes": product_subs,
                    "offer": offers.get(pid) or False,
                    "_sort": (
                        rank,
                        0 if (not equipment or compat) else 1,
                        position,
                    ),
                }
            )
        results.sort(key=lambda r: r.pop("_sort"))
        return results[:limit]

    @api.model
    def _service_parts_candidates(self, code, raw, limit, fragments=True):
        """[(product id, crossref id, rank)] from the numbers, best rank first.

        Plain SQL: the ORM cannot say "LIMIT per branch, keep the best branch
        per part" in one statement, and it would wrap ``normalized_code`` in
        ``unaccent``/``ILIKE``, which neither the btree (text_pattern_ops) nor
        the trigram index serve. "=" and "LIKE 'X%'" go to the btree, the
        fragment "LIKE '%X%'" to the GIN trigram index. ``code`` holds only
        letters and digits, so it has no LIKE wildcard to escape.
        """
        self.env["service.part.crossref"].flush_model(["normalized_code", "product_id"])
        self.flush_model(["default_code"])
        branches = [
            SQL(
                "(SELECT product_id, id AS crossref_id, %s AS rank FROM service_part_crossref"
                " WHERE normalized_code = %s LIMIT %s)",
                RANK_EXACT,
                code,
                limit,
            ),
            SQL(
                "(SELECT id, NULL::integer, %s FROM product_product"
                " WHERE default_code = %s LIMIT %s)",
                RANK_EXACT,
                raw,
                limit,
            ),
            SQL(
                "(SELECT product_id, id, %s FROM service_part_crossref"
                " WHERE normalized_code LIKE %s AND normalized_code <> %s LIMIT %s)",
                RANK_PREFIX,
                code + "%",
                code,
                limit,
            ),
        ]
        if fragments and len(code) >= MIN_FRAGMENT:
            branches.append(
                SQL(
                    "(SELECT product_id, id, %s FROM service_part_crossref"
                    " WHERE normalized_code LIKE %s AND normalized_code NOT LIKE %s LIMIT %s)",
                    RANK_FRAGMENT,
                    "%" + code + "%",
                    code + "%",
                    limit,
                )
            )
        self.env.cr.execute(
            SQL(
                """
                SELECT product_id, crossref_id, rank FROM (
                    SELECT DISTINCT ON (hit.product_id) hit.product_id, hit.crossref_id, hit.rank
                      FROM (%s) AS hit
                     ORDER BY hit.product_id, hit.rank, hit.crossref_id
                ) AS best
                ORDER BY rank, product_id
                LIMIT %s
                """,
                SQL(" UNION ALL ").join(branches),
                limit,
            )
        )
        return [tuple(row) for row in self.env.cr.fetchall()]

    @api.model
    def _service_parts_compatibility(self, products, equipment):
        """{product id: {quantity, position, note}} for parts that fit the unit."""
        if not equipment or not products:
            return {}
        model = equipment.product_id
        domain = [
            ("part_product_id", "in", products.ids),
            "|",
            ("equipment_product_id", "=", model.id),
        ]
        domain += (
            [("equipment_categ_id", "parent_of", model.categ_id.id)]
            if model.categ_id
            else [("id", "=", 0)]
        )
        compats = self.env["service.part.compatibility"].search_fetch(
            domain,
            [
                "part_product_id",
                "equipment_product_id",
                "quantity",
                "position",
                "note",
                "serial_from",
                "serial_to",
            ],
        )
        serial = equipment.lot_id.name
        result = {}
        # A rule for the model wins over a rule for its category.
        for compat in compats.sorted(lambda c: not c.equipment_product_id):
            pid = compat.part_product_id.id
            if pid in result or not compat._matches_serial(serial):
                continue
            result[pid] = {
                "quantity": compat.quantity,
                "position": compat.position or "",
                "note": compat.note or "",
            }
        return result

    @api.model
    def _service_parts_availability(self, products):
        """{product id: {on_hand, free, incoming, warehouses: [...]}}.

        One grouped read of quants and one of incoming moves for all products.
        """
        empty = {
            pid: {"on_hand": 0.0, "free": 0.0, "incoming": 0.0, "warehouses": []}
            for pid in products.ids
        }
        if not products:
            return empty
        quant_groups = self.env["stock.quant"]._read_group(
            [("product_id", "in", products.ids), ("location_id.usage", "=", "internal")],
            ["product_id", "location_id"],
            ["quantity:sum", "reserved_quantity:sum"],
        )
        move_groups = self.env["stock.move"]._read_group(
            [
                ("product_id", "in", products.ids),
                ("state", "in", ("waiting", "confirmed", "partially_available", "assigned")),
                ("location_dest_id.usage", "=", "internal"),
                ("location_id.usage", "not in", ("internal", "transit")),
            ],
            ["product_id", "location_dest_id"],
            ["product_qty:sum"],
        )
        locations = self.env["stock.location"].browse(
            {g[1].id for g in quant_groups} | {g[1].id for g in move_groups}
        )
        locations.fetch(["warehouse_id"])
        locations.warehouse_id.fetch(["name"])
        per_wh = {}

        def bucket(product, location):
            warehouse = location.warehouse_id
            return per_wh.setdefault(
                (product.id, warehouse.id),
                {
                    "warehouse_id": warehouse.id,
                    "warehouse": warehouse.name or location.display_name,
                    "on_hand": 0.0,
                    "free": 0.0,
                    "incoming": 0.0,
                },
            )

        for product, location, qty, reserved in quant_groups:
            line = bucket(product, location)
            line["on_hand"] += qty
            line["free"] += qty - reserved
        for product, location, qty in move_groups:
            bucket(product, location)["incoming"] += qty
        for (pid, _wh), line in sorted(per_wh.items(), key=lambda i: (i[0][0], i[1]["warehouse"])):
            total = empty[pid]
            total["warehouses"].append(line)
            for key in ("on_hand", "free", "incoming"):
                total[key] += line[key]
        return empty

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
        today = fields.Date.context_today(self)
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
            [
                "partner_id",
                "product_id",
                "product_tmpl_id",
                "price",
                "discount",
                "currency_id",
                "min_qty",
                "delay",
                "sequence",
                "product_code",
            ],
        )
        sellers.partner_id.fetch(["display_name"])
        currencies = sellers.currency_id | company.currency_id
        currencies.fetch(["name", "symbol", "decimal_places"])
        rates = currencies._get_rates(company, today)
        by_tmpl = {}
        for seller in sellers:
            by_tmpl.setdefault(seller.product_tmpl_id.id, []).append(seller)
        offers = {}
        for product in products:
            qty = quantities.get(product.id) or 1.0
            candidates = []
            for seller in by_tmpl.get(product.product_tmpl_id.id, []):
                if seller.product_id and seller.product_id != product:
                    continue
                buy_qty = max(qty, seller.min_qty)
                unit = seller.price * (1 - (seller.discount or 0.0) / 100.0)
                rate = rates.get(seller.currency_id.id) or 1.0
                unit_company = unit * (rates.get(company.currency_id.id) or 1.0) / rate
                arrival = today + timedelta(days=seller.delay or 0)
                in_time = not need_date or arrival <= need_date
                candidates.append(
                    (
                        (
                            not in_time,
                            seller.min_qty > qty,
                            unit_company * buy_qty,
                            seller.delay,
                            seller.sequence,
                            seller.id,
                        ),
                        {
                            "supplierinfo_id": seller.id,
                            "partner_id": seller.partner_id.id,
                            "partner": seller.partner_id.display_name,
                            "product_code": seller.product_code or "",
                            "price": unit,
                            "currency": seller.currency_id.name,
                            "price_company": company.currency_id.round(unit_company),
                            "total_company": company.currency_id.round(unit_company * buy_qty),
                            "company_currency": company.currency_id.name,
                            "quantity": buy_qty,
                            "min_qty": seller.min_qty,
                            "delay": seller.delay,
                            "arrival_date": fields.Date.to_string(arrival),
                            "in_time": in_time,
                        },
                    )
                )
            if candidates:
                candidates.sort(key=lambda c: c[0])
                offers[product.id] = dict(candidates[0][1], offer_count=len(candidates))
        return offers

    # ------------------------------------------------------------------
    # One-click actions of the lookup screen
    # ------------------------------------------------------------------
    def service_parts_add_to_repair(self, repair_id, quantity=1.0):
        """Add this part to a repair order's parts; returns a short summary."""
        self.ensure_one()
        repair = self.env["repair.order"].browse(int(repair_id)).exists()
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
        if order_id:
            order = Order.browse(int(order_id)).exists()
            if not order or order.state not in ("draft", "sent"):
                raise UserError(_("Choose a quotation that is still a draft."))
        else:
            if not partner_id:
                raise UserError(_("Choose the customer (or their unit) to quote the part to."))
            order = Order.create({"partner_id": int(partner_id)})
        order.write(
            {"order_line": [Command.create({"product_id": self.id, "product_uom_qty": quantity})]}
        )
        return {"model": "sale.order", "id": order.id, "name": order.display_name}

    def service_parts_add_to_rfq(self, quantity=1.0, need_date=False):
        """Add this part to a draft RFQ of its best supplier (reused if one is open)."""
        self.ensure_one()
        quantity = self._service_parts_check_quantity(quantity)
        need_date = need_date and fields.Date.to_date(need_date)
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
        if quantity <= 0:
            raise UserError(_("The quantity must be positive."))
        return quantity
