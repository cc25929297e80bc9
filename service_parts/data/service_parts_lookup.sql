-- The parts lookup's statements (product.product.service_parts_lookup).
--
-- PL/pgSQL keeps the plan of each statement for the life of the connection:
-- the lookup's dozen statements are planned once per database connection
-- instead of on every keystroke (planning cost about as much as running
-- them), and the whole lookup is one round trip instead of eight. Each
-- function runs with plan_cache_mode = force_generic_plan: left to choose,
-- PostgreSQL kept making custom plans on every call (their estimates looked
-- cheaper than the generic plan's), which cost 1.2 ms of the 1.5 ms the
-- details of one part took. The statements are written so that their generic
-- plans are the good ones: no LIKE 'prefix%' on a parameter (a btree cannot
-- serve it without the constant), explicit ranges instead; ids as arrays.
-- And each runs with jit = off: a generic plan cannot know the fragment, so
-- it takes the default selectivity of LIKE (0.5 %: 75,000 of 15,000,000
-- numbers), so its estimated cost passes jit_above_cost with millions of
-- numbers (149,666 against 100,000 at 15,000,000); PostgreSQL then
-- JIT-compiled the fragment search on every call (JIT code is not kept with
-- the plan): 15.7 ms of 19.9 ms for a statement that reads 40 rows.
--
-- Record rules are not applied here: the caller filters the candidates with
-- the ORM's own query for the user (see service_parts_lookup). Other rows
-- (the numbers that matched included: another company's supplier codes on a
-- shared part are its own) are bound to the caller's companies
-- ``p_companies`` here, the way their multi-company rules bind them.
--
-- (Re)created by product.product.init() on every install and update of
-- service_parts.

DROP FUNCTION IF EXISTS service_parts_lookup_data;
DROP FUNCTION IF EXISTS service_parts_lookup_details;
DROP FUNCTION IF EXISTS service_parts_lookup_compat;
DROP FUNCTION IF EXISTS service_parts_lookup_hits;
DROP FUNCTION IF EXISTS service_parts_lookup_hits_among;
DROP FUNCTION IF EXISTS service_parts_serial_fits;
DROP FUNCTION IF EXISTS service_parts_serial_le;

-- Serial ``p_low`` at or before ``p_high`` as a person reads them (the rule of
-- service_parts/tools.py serial_le, which must agree): the same text before
-- the last group of digits (case aside), then that number by its value
-- (leading zeros do not count; its length first, then its digits, so that
-- any length compares) and what follows it; without digits, as text. A
-- missing bound is no limit. Compared in "C" order, as Python compares.
CREATE FUNCTION service_parts_serial_le(p_low text, p_high text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN NULLIF(p_low, '') IS NULL OR NULLIF(p_high, '') IS NULL THEN true
        WHEN p_low !~ '[0-9]' OR p_high !~ '[0-9]'
            THEN upper(p_low) COLLATE "C" <= upper(p_high) COLLATE "C"
        ELSE upper(regexp_replace(p_low, '[0-9]+[^0-9]*$', ''))
               = upper(regexp_replace(p_high, '[0-9]+[^0-9]*$', ''))
           AND ROW(length(ltrim(substring(p_low FROM '([0-9]+)[^0-9]*$'), '0')),
                   ltrim(substring(p_low FROM '([0-9]+)[^0-9]*$'), '0') COLLATE "C",
                   upper(substring(p_low FROM '[0-9]+([^0-9]*)$')) COLLATE "C")
            <= ROW(length(ltrim(substring(p_high FROM '([0-9]+)[^0-9]*$'), '0')),
                   ltrim(substring(p_high FROM '([0-9]+)[^0-9]*$'), '0') COLLATE "C",
                   upper(substring(p_high FROM '[0-9]+([^0-9]*)$')) COLLATE "C")
    END
$$;

-- A unit's serial ``p_serial`` within the range ``p_from`` .. ``p_to``; a
-- unit without a serial is not excluded.
CREATE FUNCTION service_parts_serial_fits(p_serial text, p_from text, p_to text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT NULLIF(p_serial, '') IS NULL
        OR (service_parts_serial_le(p_from, p_serial) AND service_parts_serial_le(p_serial, p_to))
$$;

-- Numbers of the companies ``p_companies`` (or shared) and internal
-- references (default_code) matching the normalized ``p_code``, best first:
-- exact > prefix > fragment, then the shortest number. One row per part:
-- [product id, crossref id (null for the internal reference), rank, code,
-- code type, partner, normalized code]. ``p_upper``: the smallest text above
-- every text starting with p_code (its last character incremented): the
-- prefix range. Fragments (of the cross-reference numbers) only when
-- ``p_fragments`` and the exact numbers and prefixes leave room, and not when
-- a long number (``p_full`` characters and more) was found exactly: the user
-- typed it in full. The internal reference is compared normalized, like the
-- other numbers (a prefix of it finds the part too), through the index
-- product_product_service_parts_code (product.product.init()).
-- ``p_only``: when given, only these parts (those that fit a unit) are
-- searched, through their own numbers instead of the whole catalog's.
CREATE FUNCTION service_parts_lookup_hits(
    p_code text, p_upper text, p_limit integer, p_fragments boolean, p_full integer,
    p_companies integer[], p_only integer[] DEFAULT NULL
) RETURNS jsonb LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan SET jit = off AS $$
DECLARE
    hits jsonb;
    fragment_hits jsonb;
    found_ids integer[];
    typed_in_full boolean;
BEGIN
    IF p_only IS NOT NULL THEN
        RETURN service_parts_lookup_hits_among(p_code, p_limit, p_fragments, p_full,
                                               p_companies, p_only);
    END IF;
    -- Exact numbers and internal references, then prefixes in the btree's
    -- order: the index walk stops at the limit whatever the estimates. The
    -- internal reference is normalized as the numbers are (tools.py
    -- SQL_NORMALIZE), in the words of its index so that the planner uses it.
    SELECT COALESCE(jsonb_agg(jsonb_build_array(h.product_id, h.crossref_id, h.rank,
                                                COALESCE(c.code, h.ref), c.code_type,
                                                rp.complete_name,
                                                COALESCE(c.normalized_code, h.normalized_ref))),
                    '[]'::jsonb),
           COALESCE(array_agg(h.product_id), '{}'),
           bool_or(h.rank = 0 AND h.crossref_id IS NOT NULL AND length(p_code) >= p_full)
      INTO hits, found_ids, typed_in_full
      FROM (
        SELECT DISTINCT ON (u.product_id) u.product_id, u.crossref_id, u.rank, u.ref,
               u.normalized_ref
          FROM (
            (SELECT x.product_id, x.id AS crossref_id, 0 AS rank, NULL::text AS ref,
                    NULL::text AS normalized_ref
               FROM service_part_crossref x
              WHERE x.normalized_code = p_code
                AND (x.company_id IS NULL OR x.company_id = ANY(p_companies))
              LIMIT p_limit)
            UNION ALL
            (SELECT r.id, NULL::integer, 0, r.default_code, r.code
               FROM (SELECT p.id, p.default_code,
                            upper(regexp_replace(p.default_code, '[^[:alnum:]]+', '', 'g')) AS code
                       FROM product_product p) r
              WHERE r.code = p_code LIMIT p_limit)
            UNION ALL
            (SELECT x.product_id, x.id, 1, NULL, NULL FROM service_part_crossref x
              WHERE x.normalized_code ~>=~ p_code AND x.normalized_code ~<~ p_upper
                AND x.normalized_code <> p_code
                AND (x.company_id IS NULL OR x.company_id = ANY(p_companies))
              ORDER BY x.normalized_code USING ~<~ LIMIT p_limit)
            UNION ALL
            (SELECT r.id, NULL, 1, r.default_code, r.code
               FROM (SELECT p.id, p.default_code,
                            upper(regexp_replace(p.default_code, '[^[:alnum:]]+', '', 'g')) AS code
                       FROM product_product p) r
              WHERE r.code ~>=~ p_code AND r.code ~<~ p_upper AND r.code <> p_code
              ORDER BY r.code USING ~<~ LIMIT p_limit)
          ) u
         ORDER BY u.product_id, u.rank, u.crossref_id
      ) h
      LEFT JOIN service_part_crossref c ON c.id = h.crossref_id
      LEFT JOIN res_partner rp ON rp.id = c.partner_id;

    IF p_fragments AND cardinality(found_ids) < p_limit AND NOT COALESCE(typed_in_full, false) THEN
        -- MATERIALIZED: planned for all its rows (through the trigram index)
        -- and run only as far as the LIMIT asks; with the LIMIT beside the
        -- condition the planner bets on a sequential scan meeting matches
        -- early, and reads the whole table when they are rare.
        WITH hit AS MATERIALIZED (
            SELECT x.product_id, x.id, x.code, x.code_type, x.partner_id, x.normalized_code
              FROM service_part_crossref x
             WHERE x.normalized_code LIKE '%' || p_code || '%'
               AND left(x.normalized_code, length(p_code)) <> p_code
               AND x.product_id <> ALL(found_ids)
               AND (x.company_id IS NULL OR x.company_id = ANY(p_companies))
        )
        SELECT jsonb_agg(jsonb_build_array(f.product_id, f.id, 2, f.code, f.code_type,
                                           rp.complete_name, f.normalized_code))
          INTO fragment_hits
          FROM (SELECT DISTINCT ON (l.product_id) l.*
                  FROM (SELECT * FROM hit LIMIT p_limit - cardinality(found_ids)) l
                 ORDER BY l.product_id, l.id) f
          LEFT JOIN res_partner rp ON rp.id = f.partner_id;
        hits := hits || COALESCE(fragment_hits, '[]'::jsonb);
    END IF;

    -- Best rank, then the shortest number (closest to what was typed).
    RETURN COALESCE(
        (SELECT jsonb_agg(r.value ORDER BY (r.value->>2)::integer,
                                          length(r.value->>6) NULLS LAST,
                                          (r.value->>0)::integer)
           FROM (SELECT value FROM jsonb_array_elements(hits)
                  ORDER BY (value->>2)::integer, length(value->>6) NULLS LAST,
                           (value->>0)::integer
                  LIMIT p_limit) r),
        '[]'::jsonb);
END;
$$;

-- service_parts_lookup_hits among the parts ``p_only`` alone (those that fit
-- a unit): their own numbers and internal references, read through the
-- parts' ids and compared here, so that the cost follows the number of parts
-- that fit and not the size of the catalog (a short prefix walked through the
-- whole catalog's index would meet few of them). Same ranks, rows and order;
-- a long number found exactly leaves fragments out here too.
CREATE FUNCTION service_parts_lookup_hits_among(
    p_code text, p_limit integer, p_fragments boolean, p_full integer, p_companies integer[],
    p_only integer[]
) RETURNS jsonb LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan SET jit = off AS $$
BEGIN
    RETURN COALESCE((
        -- MATERIALIZED: read through the ids, never through the trigram
        -- index of the whole catalog.
        WITH own AS MATERIALIZED (
            SELECT x.product_id, x.id AS crossref_id, x.code::text AS code, x.code_type,
                   x.partner_id, x.normalized_code::text AS normalized
              FROM service_part_crossref x
             WHERE x.product_id = ANY(p_only)
               AND (x.company_id IS NULL OR x.company_id = ANY(p_companies))
            UNION ALL
            SELECT p.id, NULL, p.default_code, NULL, NULL,
                   upper(regexp_replace(p.default_code, '[^[:alnum:]]+', '', 'g'))
              FROM product_product p
             WHERE p.id = ANY(p_only) AND p.default_code IS NOT NULL
        ), ranked AS (
            SELECT o.*, CASE WHEN o.normalized = p_code THEN 0
                             WHEN left(o.normalized, length(p_code)) = p_code THEN 1
                             ELSE 2 END AS rank
              FROM own o
             WHERE strpos(o.normalized, p_code) > 0
        ), kept AS (
            -- Fragments of the numbers only, as in service_parts_lookup_hits.
            SELECT r.* FROM ranked r
             WHERE r.rank < 2
                OR (p_fragments AND r.crossref_id IS NOT NULL AND NOT (
                        length(p_code) >= p_full AND EXISTS (
                            SELECT 1 FROM ranked e WHERE e.rank = 0 AND e.crossref_id IS NOT NULL)))
        ), best AS (
            SELECT DISTINCT ON (k.product_id) k.*
              FROM kept k
             ORDER BY k.product_id, k.rank, k.crossref_id
        )
        SELECT jsonb_agg(jsonb_build_array(b.product_id, b.crossref_id, b.rank, b.code,
                                           b.code_type, rp.complete_name, b.normalized)
                         ORDER BY b.rank, length(b.normalized), b.product_id)
          FROM (SELECT * FROM best ORDER BY rank, length(normalized), product_id
                LIMIT p_limit) b
          LEFT JOIN res_partner rp ON rp.id = b.partner_id
    ), '[]'::jsonb);
END;
$$;

-- Fit of the parts ``p_ids`` with a unit (model ``p_model``, its categories
-- ``p_categs`` up to the root, serial ``p_serial``): the model's own row first,
-- else its categories', within the serial range: [part, quantity per unit,
-- position, note] for the parts that fit.
CREATE FUNCTION service_parts_lookup_compat(
    p_ids integer[], p_companies integer[], p_model integer, p_categs integer[], p_serial text
) RETURNS jsonb LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan SET jit = off AS $$
BEGIN
    RETURN (
        SELECT COALESCE(jsonb_agg(jsonb_build_array(f.part_product_id, f.quantity, f.position,
                                                    f.note)), '[]'::jsonb)
          FROM (
            SELECT DISTINCT ON (cp.part_product_id) cp.part_product_id, cp.quantity::float8,
                   COALESCE(cp.position, '') AS position, COALESCE(cp.note, '') AS note
              FROM service_part_compatibility cp
             WHERE cp.part_product_id = ANY(p_ids)
               AND (cp.company_id IS NULL OR cp.company_id = ANY(p_companies))
               AND (cp.equipment_product_id = p_model OR cp.equipment_categ_id = ANY(p_categs))
               AND service_parts_serial_fits(p_serial, cp.serial_from, cp.serial_to)
             ORDER BY cp.part_product_id, cp.equipment_product_id IS NULL, cp.id
          ) f
    );
END;
$$;

-- What the lookup shows of the parts ``p_ids``: their supersession chains and
-- substitutes, then of them and the parts these lead to: name, code and UoM,
-- fit with a unit (``p_model`` with its categories ``p_categs`` and serial
-- ``p_serial``; none when p_model is null), stock per warehouse, valid
-- supplier prices and the rates of their currencies, as one jsonb object of
-- row arrays (see the keys below).
CREATE FUNCTION service_parts_lookup_details(
    p_ids integer[], p_companies integer[], p_company integer, p_lang text, p_today date,
    p_model integer, p_categs integer[], p_serial text
) RETURNS jsonb LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan SET jit = off AS $$
DECLARE
    chains jsonb;
    subs jsonb;
    involved integer[];
    products jsonb;
    templates integer[];
    compat jsonb;
    stock jsonb;
    prices jsonb;
    currencies integer[];
    rates jsonb;
    root integer;
BEGIN
    -- Supersession chains A -> B -> C, cycles cut: [origin, part, depth].
    WITH RECURSIVE chain(origin, product_id, depth, path) AS (
        SELECT s.product_id, s.substitute_id, 1, ARRAY[s.product_id, s.substitute_id]
          FROM service_part_substitute s
         WHERE s.is_supersession AND s.product_id = ANY(p_ids)
           AND (s.company_id IS NULL OR s.company_id = ANY(p_companies))
        UNION ALL
        SELECT c.origin, s.substitute_id, c.depth + 1, c.path || s.substitute_id
          FROM service_part_substitute s JOIN chain c ON s.product_id = c.product_id
         WHERE s.is_supersession AND NOT s.substitute_id = ANY(c.path)
           AND (s.company_id IS NULL OR s.company_id = ANY(p_companies))
    )
    SELECT jsonb_agg(jsonb_build_array(origin, product_id, depth) ORDER BY origin, depth)
      INTO chains FROM chain;

    -- Substitutes both ways: [part, substitute, direction, supersession, note, sequence].
    SELECT jsonb_agg(jsonb_build_array(u.owner, u.other, u.direction, u.is_supersession,
                                       COALESCE(u.note, ''), u.sequence)
                     ORDER BY u.owner, u.sequence, u.id)
      INTO subs
      FROM (
        SELECT s.id, s.product_id AS owner, s.substitute_id AS other, s.direction,
               s.is_supersession, s.note, s.sequence
          FROM service_part_substitute s
         WHERE s.product_id = ANY(p_ids)
           AND (s.company_id IS NULL OR s.company_id = ANY(p_companies))
        UNION ALL
        SELECT s.id, s.substitute_id, s.product_id, s.direction, s.is_supersession, s.note,
               s.sequence
          FROM service_part_substitute s
         WHERE s.direction = 'two_way' AND s.substitute_id = ANY(p_ids)
           AND (s.company_id IS NULL OR s.company_id = ANY(p_companies))
      ) u;

    SELECT array_agg(DISTINCT i) INTO involved
      FROM (
        SELECT unnest(p_ids) AS i
        UNION ALL SELECT (e->>1)::integer FROM jsonb_array_elements(COALESCE(chains, '[]')) e
        UNION ALL SELECT (e->>1)::integer FROM jsonb_array_elements(COALESCE(subs, '[]')) e
      ) a;

    -- Active parts of the caller's companies (or shared): [id, template,
    -- internal reference, name, UoM].
    SELECT jsonb_agg(jsonb_build_array(p.id, p.product_tmpl_id, p.default_code,
                                       COALESCE(t.name->>p_lang, t.name->>'en_US'),
                                       COALESCE(u.name->>p_lang, u.name->>'en_US'))),
           array_agg(p.id), array_agg(DISTINCT p.product_tmpl_id)
      INTO products, involved, templates
      FROM product_product p
      JOIN product_template t ON t.id = p.product_tmpl_id
      LEFT JOIN uom_uom u ON u.id = t.uom_id
     WHERE p.id = ANY(involved) AND p.active
       AND (t.company_id IS NULL OR t.company_id = ANY(p_companies));

    IF involved IS NULL THEN
        RETURN jsonb_build_object('chains', '[]'::jsonb, 'subs', '[]'::jsonb,
                                  'products', '[]'::jsonb, 'compat', '[]'::jsonb,
                                  'stock', '[]'::jsonb, 'prices', '[]'::jsonb,
                                  'rates', '[]'::jsonb);
    END IF;

    IF p_model IS NOT NULL THEN
        compat := service_parts_lookup_compat(involved, p_companies, p_model, p_categs, p_serial);
    END IF;

    -- Stock per warehouse: quants in internal locations, and moves coming
    -- into them from outside: [part, warehouse id, warehouse, on hand, free,
    -- incoming]. MATERIALIZED: summed per part and location first, in one
    -- pass over each product_id index; else the planner, which expects one
    -- internal location, probes both indexes once per location.
    WITH s AS MATERIALIZED (
        SELECT q.product_id, q.location_id, SUM(q.quantity)::float8 AS on_hand,
               SUM(q.quantity - q.reserved_quantity)::float8 AS free, 0::float8 AS incoming
          FROM stock_quant q
         WHERE q.product_id = ANY(involved) AND q.company_id = ANY(p_companies)
         GROUP BY q.product_id, q.location_id
        UNION ALL
        SELECT m.product_id, m.location_dest_id, 0, 0, SUM(m.product_qty)::float8
          FROM stock_move m
          JOIN stock_location src ON src.id = m.location_id
         WHERE m.product_id = ANY(involved)
           AND m.state IN ('waiting', 'confirmed', 'partially_available', 'assigned')
           AND src.usage NOT IN ('internal', 'transit')
           AND m.company_id = ANY(p_companies)
         GROUP BY m.product_id, m.location_dest_id
    )
    SELECT jsonb_agg(jsonb_build_array(w.product_id, w.warehouse_id, w.warehouse, w.on_hand,
                                       w.free, w.incoming) ORDER BY w.warehouse, w.product_id)
      INTO stock
      FROM (
        SELECT s.product_id, l.warehouse_id, wh.name AS warehouse, SUM(s.on_hand) AS on_hand,
               SUM(s.free) AS free, SUM(s.incoming) AS incoming
          FROM s
          JOIN stock_location l ON l.id = s.location_id AND l.usage = 'internal'
          LEFT JOIN stock_warehouse wh ON wh.id = l.warehouse_id
         GROUP BY s.product_id, l.warehouse_id, wh.name
      ) w;

    -- Valid supplier prices of the company: [template, variant, id, partner
    -- id, partner, price, discount, currency id, currency, min qty, delay,
    -- sequence, supplier's code].
    SELECT jsonb_agg(jsonb_build_array(si.product_tmpl_id, si.product_id, si.id, si.partner_id,
                                       rp.complete_name, si.price::float8,
                                       COALESCE(si.discount, 0)::float8, si.currency_id,
                                       cur.name, si.min_qty::float8, si.delay, si.sequence,
                                       COALESCE(si.product_code, ''))),
           array_agg(DISTINCT si.currency_id)
      INTO prices, currencies
      FROM product_supplierinfo si
      JOIN res_partner rp ON rp.id = si.partner_id
      JOIN res_currency cur ON cur.id = si.currency_id
     WHERE si.product_tmpl_id = ANY(templates)
       AND (si.company_id IS NULL OR si.company_id = p_company)
       AND (si.date_start IS NULL OR si.date_start <= p_today)
       AND (si.date_end IS NULL OR si.date_end >= p_today);

    -- Rates as res.currency._get_rates reads them: the latest rate of the
    -- root company (or a shared one) up to the day, else the first, else 1:
    -- [currency id, name, is the company's currency, rate].
    IF prices IS NOT NULL THEN
        SELECT split_part(co.parent_path, '/', 1)::integer INTO root
          FROM res_company co WHERE co.id = p_company;
        SELECT jsonb_agg(jsonb_build_array(cur.id, cur.name, cur.id = co.currency_id, COALESCE(
                   (SELECT r.rate FROM res_currency_rate r
                     WHERE r.currency_id = cur.id AND r.name <= p_today
                       AND (r.company_id IS NULL OR r.company_id = root)
                     ORDER BY r.company_id, r.name DESC LIMIT 1),
                   (SELECT r.rate FROM res_currency_rate r
                     WHERE r.currency_id = cur.id
                       AND (r.company_id IS NULL OR r.company_id = root)
                     ORDER BY r.company_id, r.name ASC LIMIT 1),
                   1.0)::float8))
          INTO rates
          FROM res_currency cur
          JOIN res_company co ON co.id = p_company
         WHERE cur.id = ANY(currencies) OR cur.id = co.currency_id;
    END IF;

    RETURN jsonb_build_object('chains', COALESCE(chains, '[]'), 'subs', COALESCE(subs, '[]'),
                              'products', products, 'compat', COALESCE(compat, '[]'),
                              'stock', COALESCE(stock, '[]'), 'prices', COALESCE(prices, '[]'),
                              'rates', COALESCE(rates, '[]'));
END;
$$;

-- The whole lookup by number: the hits (``p_limit``), their fit with the unit,
-- and the details of the first ``p_show`` of them by rank, those that fit the
-- unit first (the caller asks service_parts_lookup_details for more when its
-- record rules hide some of these). With ``p_only_fits`` and a unit, only
-- the parts that fit it are searched. ``part_ids``: the parts hit, for the
-- caller's record rules; ``shown_ids``: those whose details were read;
-- ``fit_ids``: with ``p_only_fits``, the parts that fit the unit (else null).
CREATE FUNCTION service_parts_lookup_data(
    p_code text, p_upper text, p_limit integer, p_show integer,
    p_fragments boolean, p_full integer, p_only_fits boolean, p_companies integer[],
    p_company integer, p_lang text, p_today date, p_model integer, p_categs integer[],
    p_serial text
) RETURNS TABLE (part_ids integer[], shown_ids integer[], hits jsonb, compat jsonb, details jsonb,
                 fit_ids integer[])
-- One row: planned as a thousand, the record rules' subquery over it would
-- cost enough to start JIT compilation (10 ms).
LANGUAGE plpgsql STABLE ROWS 1 SET plan_cache_mode = force_generic_plan SET jit = off AS $$
DECLARE
    hit_fit_ids integer[] := '{}';
BEGIN
    -- Only the parts that fit the unit: every part whose fit with the unit
    -- (its model's row or a row of its categories) takes the unit's serial.
    IF p_only_fits AND p_model IS NOT NULL THEN
        SELECT COALESCE(array_agg(DISTINCT cp.part_product_id), '{}') INTO fit_ids
          FROM service_part_compatibility cp
         WHERE (cp.company_id IS NULL OR cp.company_id = ANY(p_companies))
           AND (cp.equipment_product_id = p_model OR cp.equipment_categ_id = ANY(p_categs))
           AND service_parts_serial_fits(p_serial, cp.serial_from, cp.serial_to);
    END IF;
    hits := service_parts_lookup_hits(p_code, p_upper, p_limit, p_fragments, p_full,
                                      p_companies, fit_ids);
    SELECT COALESCE(array_agg((e.value->>0)::integer), '{}') INTO part_ids
      FROM jsonb_array_elements(hits) e;
    compat := '[]'::jsonb;
    IF p_model IS NOT NULL THEN
        compat := service_parts_lookup_compat(part_ids, p_companies, p_model, p_categs, p_serial);
        SELECT COALESCE(array_agg((c.value->>0)::integer), '{}') INTO hit_fit_ids
          FROM jsonb_array_elements(compat) c;
    END IF;
    SELECT COALESCE(array_agg(s.pid), '{}') INTO shown_ids
      FROM (SELECT (e.value->>0)::integer AS pid
              FROM jsonb_array_elements(hits) WITH ORDINALITY AS e(value, n)
             ORDER BY (e.value->>2)::integer, NOT (e.value->>0)::integer = ANY(hit_fit_ids), e.n
             LIMIT p_show) s;
    details := service_parts_lookup_details(shown_ids, p_companies, p_company, p_lang, p_today,
                                            p_model, p_categs, p_serial);
    RETURN NEXT;
END;
$$;
