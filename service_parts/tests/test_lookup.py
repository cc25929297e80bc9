from datetime import date, timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ServicePartsCase


@tagged("post_install", "-at_install")
class TestLookup(ServicePartsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.valve = cls._part("Gas valve assembly", "SP-GV-03")
        cls.valve_alt = cls._part("Gas valve compatible", "SP-GV-03A")
        cls.electrode_old = cls._part("Ignition electrode old", "SP-IGN-00")
        cls.electrode_mid = cls._part("Ignition electrode mid", "SP-IGN-01")
        cls.electrode = cls._part("Ignition electrode", "SP-IGN-02")
        cls.gasket = cls._part("Burner gasket", "SP-GSK-1")
        cls._crossref(cls.valve, "QV-945-070", partner=cls.manufacturer)
        cls._crossref(cls.valve, "RP 945070", code_type="supplier", partner=cls.supplier_rub)
        cls._crossref(cls.valve_alt, "0.945.070.77", code_type="analog")
        cls._crossref(cls.valve_alt, "EU-9977", code_type="supplier", partner=cls.supplier_eur)
        cls._crossref(cls.electrode_old, "771682455", partner=cls.manufacturer)
        cls._crossref(cls.electrode, "771682457", partner=cls.manufacturer)
        cls._crossref(cls.gasket, "GSK-945", partner=cls.manufacturer)
        Substitute = cls.env["service.part.substitute"]
        Substitute.create(
            [
                {
                    "product_id": cls.valve.id,
                    "substitute_id": cls.valve_alt.id,
                    "direction": "two_way",
                    "note": "Same flange",
                },
                {
                    "product_id": cls.electrode_old.id,
                    "substitute_id": cls.electrode_mid.id,
                    "is_supersession": True,
                },
                {
                    "product_id": cls.electrode_mid.id,
                    "substitute_id": cls.electrode.id,
                    "is_supersession": True,
                },
            ]
        )
        Compat = cls.env["service.part.compatibility"]
        Compat.create(
            [
                {
                    "part_product_id": cls.valve.id,
                    "equipment_product_id": cls.model.id,
                    "quantity": 1,
                    "position": "Gas line",
                },
                {
                    "part_product_id": cls.gasket.id,
                    "equipment_categ_id": cls.categ_boilers.id,
                    "quantity": 3,
                    "position": "Burner",
                },
                {
                    "part_product_id": cls.electrode.id,
                    "equipment_product_id": cls.model.id,
                    "quantity": 2,
                    "serial_from": "TB1-1000",
                },
            ]
        )
        # Stock in two warehouses, one incoming receipt.
        cls.warehouse_2 = cls.env["stock.warehouse"].create(
            {"name": "North Depot", "code": "NTH", "company_id": cls.company.id}
        )
        cls._stock(cls.valve, 5)
        cls._stock(cls.valve, 2, cls.warehouse_2.lot_stock_id)
        cls._stock(cls.valve_alt, 3)
        receipt = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.in_type_id.id,
                "location_id": cls.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": cls.stock_location.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "in",
                            "product_id": cls.valve.id,
                            "product_uom_qty": 4,
                            "product_uom": cls.valve.uom_id.id,
                            "location_id": cls.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": cls.stock_location.id,
                        },
                    )
                ],
            }
        )
        receipt.action_confirm()
        # Offers: 30 EUR = 60 (company) vs 5,000 RUB = 50 (company) but slow.
        cls._seller(cls.valve, cls.supplier_eur, 30, cls.eur, delay=3)
        cls._seller(cls.valve, cls.supplier_rub, 5000, cls.rub, delay=20)
        cls.Product = cls.env["product.product"]

    def _ids(self, results):
        return [r["product_id"] for r in results]

    def test_bad_input(self):
        self.assertEqual(self.Product.service_parts_lookup(""), [])
        self.assertEqual(self.Product.service_parts_lookup("   "), [])
        self.assertEqual(self.Product.service_parts_lookup("--/.. ,"), [])
        self.assertEqual(self.Product.service_parts_lookup(False), [])
        with self.assertRaisesRegex(UserError, "too long"), self.cr.savepoint():
            self.Product.service_parts_lookup("A" * 10001)
        with self.assertRaisesRegex(UserError, "no longer exists"), self.cr.savepoint():
            self.Product.service_parts_lookup("GV", equipment_id=999999999)

    def test_ranking_exact_prefix_fragment_name(self):
        results = self.Product.service_parts_lookup("qv 945 070")
        self.assertEqual(results[0]["product_id"], self.valve.id)
        self.assertEqual(results[0]["match"]["how"], "exact")
        self.assertEqual(results[0]["match"]["code"], "QV-945-070")
        self.assertEqual(results[0]["match"]["code_type"], "oem")
        self.assertEqual(results[0]["match"]["partner"], "Maker Co")

        results = self.Product.service_parts_lookup("0.945")
        self.assertEqual(results[0]["product_id"], self.valve_alt.id)
        self.assertEqual(results[0]["match"]["how"], "prefix")
        self.assertEqual(results[0]["match"]["code_type"], "analog")

        results = self.Product.service_parts_lookup("945070")
        hows = {r["product_id"]: r["match"]["how"] for r in results}
        self.assertEqual(hows[self.valve_alt.id], "fragment")
        # Exact "RP 945070" is not the query; "RP945070" contains it: fragment.
        self.assertEqual(hows[self.valve.id], "fragment")

        results = self.Product.service_parts_lookup("RP945070")
        self.assertEqual(results[0]["product_id"], self.valve.id)
        self.assertEqual(results[0]["match"]["how"], "exact")
        self.assertEqual(results[0]["match"]["code_type"], "supplier")

        results = self.Product.service_parts_lookup("burner gask")
        self.assertEqual(self._ids(results), [self.gasket.id])
        self.assertEqual(results[0]["match"]["how"], "name")

        # The internal reference matches exactly too.
        results = self.Product.service_parts_lookup("SP-GSK-1")
        self.assertEqual(results[0]["product_id"], self.gasket.id)
        self.assertEqual(results[0]["match"]["how"], "exact")

    def test_internal_reference_prefix(self):
        """The beginning of an internal reference finds the part, as the
        whole reference does, in any case and spacing; the other numbers
        still match as they did."""
        exchanger = self._part("Heat exchanger", "TPR-QZ-200")
        exchanger_large = self._part("Heat exchanger, large", "TPR-QZ-2000")
        rotor = self._part("Pump rotor", "TPR-ROT-4")
        results = self.Product.service_parts_lookup("TPR-QZ")
        self.assertEqual(self._ids(results), [exchanger.id, exchanger_large.id])
        self.assertEqual([r["match"]["how"] for r in results], ["prefix", "prefix"])
        self.assertEqual(results[0]["match"]["code"], "TPR-QZ-200")
        self.assertIs(results[0]["match"]["code_type"], False)
        # Shortest first: the rotor's reference is shorter than the large exchanger's.
        results = self.Product.service_parts_lookup("tpr")
        self.assertEqual(self._ids(results), [rotor.id, exchanger.id, exchanger_large.id])
        # The whole reference, typed another way, is exact and comes first.
        results = self.Product.service_parts_lookup("tpr qz 200")
        self.assertEqual(self._ids(results), [exchanger.id, exchanger_large.id])
        self.assertEqual([r["match"]["how"] for r in results], ["exact", "prefix"])
        # An internal reference is not searched for fragments.
        self.assertEqual(self.Product.service_parts_lookup("QZ-200"), [])
        # Cross-reference numbers: exact, prefix, and a fragment of them.
        self.assertEqual(self.Product.service_parts_lookup("qv 945")[0]["match"]["how"], "prefix")
        self.assertEqual(
            self.Product.service_parts_lookup("GSK-945")[0]["product_id"], self.gasket.id
        )
        hows = {
            r["product_id"]: r["match"]["how"] for r in self.Product.service_parts_lookup("9977")
        }
        self.assertEqual(hows[self.valve_alt.id], "fragment")
        # A reference and a cross-reference number that both begin so: the
        # part comes once.
        self._crossref(rotor, "TPR-ROT-4-B", code_type="supplier")
        results = self.Product.service_parts_lookup("TPR-ROT")
        self.assertEqual(self._ids(results), [rotor.id])

    def test_internal_reference_prefix_uses_its_index(self):
        """The internal reference is searched through its index: the
        lookup's statement and the index speak the same expression. (The
        test tables are small: scans are forbidden so that the planner must
        say whether the index can serve the statement at all.)"""
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'product_product_service_parts_code'"
        )
        [(definition,)] = self.env.cr.fetchall()
        self.assertIn("text_pattern_ops", definition)
        self.env.flush_all()
        # Replanned from here, without sequential scans (undone with the test's savepoint).
        self.env.cr.execute("SET LOCAL enable_seqscan = off; DISCARD PLANS")
        self.addCleanup(self.env.cr.execute, "DISCARD PLANS")
        self.env.cr.execute(
            "SELECT pg_stat_get_xact_numscans('product_product_service_parts_code'::regclass)"
        )
        [before] = self.env.cr.fetchone()
        results = self.Product.service_parts_lookup("SP-GSK")
        self.env.cr.execute(
            "SELECT pg_stat_get_xact_numscans('product_product_service_parts_code'::regclass)"
        )
        [after] = self.env.cr.fetchone()
        self.assertIn(self.gasket.id, self._ids(results))
        # The exact branch and the prefix branch.
        self.assertGreaterEqual(after - before, 2)

    def test_only_parts_that_fit_the_unit(self):
        """The "fits this unit" switch: only the parts that fit the unit (by
        model or by category, within the serial range) are searched, by
        number and by name, even when the others would fill the page."""
        results = self.Product.service_parts_lookup("945", equipment_id=self.unit.id)
        self.assertIn(self.valve_alt.id, self._ids(results))
        results = self.Product.service_parts_lookup(
            "945", equipment_id=self.unit.id, only_compatible=True
        )
        self.assertEqual(sorted(self._ids(results)), sorted([self.valve.id, self.gasket.id]))
        self.assertTrue(all(r["compatible"] for r in results))
        # Out of its serial range the electrode does not fit: nothing left.
        self.assertEqual(
            self.Product.service_parts_lookup(
                "771682457", equipment_id=self.unit.id, only_compatible=True
            ),
            [],
        )
        # Without a unit the switch changes nothing.
        self.assertEqual(
            self._ids(self.Product.service_parts_lookup("945", only_compatible=True)),
            self._ids(self.Product.service_parts_lookup("945")),
        )
        # Names: the gasket fits (its category), a look-alike does not.
        self._part("Burner gasket kit", "SP-GSK-9")
        results = self.Product.service_parts_lookup(
            "burner gasket", equipment_id=self.unit.id, only_compatible=True
        )
        self.assertEqual(self._ids(results), [self.gasket.id])
        # Thirty parts that do not fit come first in the numbers' order: the
        # one that fits is still found, by its internal reference and by an
        # OEM number's prefix.
        for index in range(30):
            self._part("Filler nozzle %s" % index, "FIT-%02d" % index)
        fitting = self._part("Fitting nozzle", "FIT-99")
        self._crossref(fitting, "FITOEM-99")
        for index in range(30):
            self._crossref(self._part("Filler OEM %s" % index, "FO-%s" % index),
                           "FITOEM-%02d" % index)  # fmt: skip
        self.env["service.part.compatibility"].create(
            {"part_product_id": fitting.id, "equipment_product_id": self.model.id}
        )
        for query in ("FIT", "FITOEM"):
            with self.subTest(query=query):
                everything = self.Product.service_parts_lookup(
                    query, equipment_id=self.unit.id, limit=5
                )
                self.assertNotIn(fitting.id, self._ids(everything))
                only = self.Product.service_parts_lookup(
                    query, equipment_id=self.unit.id, limit=5, only_compatible=True
                )
                self.assertEqual(self._ids(only), [fitting.id])
                self.assertEqual(only[0]["match"]["how"], "prefix")
        # Still one statement for the numbers (and one for the unit).
        Product = self.Product.with_user(self.service_user)
        Product.service_parts_lookup("FIT", equipment_id=self.unit.id, only_compatible=True)
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            Product.service_parts_lookup("FIT", equipment_id=self.unit.id, only_compatible=True)

    def test_order_exact_before_prefix_before_fragment(self):
        self._crossref(self.gasket, "ZZ77", code_type="analog")
        self._crossref(self.valve_alt, "ZZ7788", code_type="analog")
        self._crossref(self.valve, "AZZ77", code_type="analog")
        results = self.Product.service_parts_lookup("zz77")
        self.assertEqual(self._ids(results)[:3], [self.gasket.id, self.valve_alt.id, self.valve.id])
        self.assertEqual([r["match"]["how"] for r in results[:3]], ["exact", "prefix", "fragment"])

    def test_compatibility_with_unit(self):
        results = self.Product.service_parts_lookup("945", equipment_id=self.unit.id)
        by_id = {r["product_id"]: r for r in results}
        self.assertTrue(by_id[self.valve.id]["compatible"])
        self.assertEqual(by_id[self.valve.id]["compatibility"]["position"], "Gas line")
        # The gasket fits the parent category of the unit's model.
        self.assertTrue(by_id[self.gasket.id]["compatible"])
        self.assertEqual(by_id[self.gasket.id]["compatibility"]["quantity"], 3)
        self.assertFalse(by_id[self.valve_alt.id]["compatible"])
        # Without a unit, nothing is said to fit.
        self.assertIs(self.Product.service_parts_lookup("945")[0]["compatible"], False)

    def test_serial_range(self):
        # The unit's serial TB1-0500 is below the range TB1-1000...: not compatible.
        results = self.Product.service_parts_lookup("771682457", equipment_id=self.unit.id)
        self.assertEqual(results[0]["product_id"], self.electrode.id)
        self.assertFalse(results[0]["compatible"])

    def test_serial_range_by_number(self):
        """TB1-0500 is the 500th unit: inside TB1-50 .. TB1-600, outside
        TB1-04 .. TB1-06 (compared as text it was the other way round)."""
        compat = self.env["service.part.compatibility"].search(
            [("part_product_id", "=", self.electrode.id), ("serial_from", "=", "TB1-1000")]
        )
        for start, end, fits in (("TB1-50", "TB1-600", True), ("TB1-04", "TB1-06", False)):
            with self.subTest(start=start, end=end):
                compat.write({"serial_from": start, "serial_to": end})
                results = self.Product.service_parts_lookup("771682457", equipment_id=self.unit.id)
                self.assertEqual(results[0]["product_id"], self.electrode.id)
                self.assertIs(results[0]["compatible"], fits)

    def test_availability_per_warehouse(self):
        result = self.Product.service_parts_lookup("QV-945-070")[0]
        availability = result["availability"]
        self.assertEqual(availability["on_hand"], 7)
        self.assertEqual(availability["free"], 7)
        self.assertEqual(availability["incoming"], 4)
        by_wh = {line["warehouse_id"]: line for line in availability["warehouses"]}
        self.assertEqual(by_wh[self.warehouse.id]["on_hand"], 5)
        self.assertEqual(by_wh[self.warehouse.id]["incoming"], 4)
        self.assertEqual(by_wh[self.warehouse_2.id]["on_hand"], 2)

    def test_substitutes_with_availability(self):
        result = self.Product.service_parts_lookup("QV-945-070")[0]
        self.assertEqual(len(result["substitutes"]), 1)
        sub = result["substitutes"][0]
        self.assertEqual(sub["product_id"], self.valve_alt.id)
        self.assertEqual(sub["availability"]["free"], 3)
        self.assertEqual(sub["note"], "Same flange")
        # Two-way: the analog offers the original back.
        alt = self.Product.service_parts_lookup("EU-9977")[0]
        self.assertEqual([s["product_id"] for s in alt["substitutes"]], [self.valve.id])

    def test_supersession_chain(self):
        results = self.Product.service_parts_lookup("771682455")
        self.assertEqual(results[0]["product_id"], self.electrode_old.id)
        self.assertEqual(
            [s["product_id"] for s in results[0]["superseded_by"]],
            [self.electrode_mid.id, self.electrode.id],
        )
        # The current part comes right after, found through the chain.
        self.assertEqual(results[1]["product_id"], self.electrode.id)
        self.assertEqual(results[1]["match"]["how"], "supersession")
        self.assertEqual(results[1]["match"]["via_product_id"], self.electrode_old.id)

    def test_best_offer_price_then_lead_time(self):
        offer = self.Product.service_parts_lookup("QV-945-070")[0]["offer"]
        # 5,000 RUB at 100 RUB per unit of company currency = 50 < 30 EUR = 60.
        self.assertEqual(offer["partner_id"], self.supplier_rub.id)
        self.assertAlmostEqual(offer["price_company"], 50.0)
        self.assertEqual(offer["currency"], "RUB")
        self.assertEqual(offer["offer_count"], 2)
        # Needed in 5 days: the slow cheap offer cannot arrive in time.
        need = date.today() + timedelta(days=5)
        offers = self.Product._service_parts_offers(self.valve, {self.valve.id: 1}, need)
        self.assertEqual(offers[self.valve.id]["partner_id"], self.supplier_eur.id)
        self.assertTrue(offers[self.valve.id]["in_time"])
        self.assertAlmostEqual(offers[self.valve.id]["price_company"], 60.0)

    def test_offer_quantity_and_min_qty(self):
        part = self._part("Capacitor", "CAP-1")
        self._seller(part, self.supplier_rub, 300, self.rub, min_qty=10)  # 3 each, buy 10
        self._seller(part, self.supplier_eur, 2, self.eur)  # 4 each
        offers = self.Product._service_parts_offers(part, {part.id: 1})
        self.assertEqual(offers[part.id]["partner_id"], self.supplier_eur.id)
        offers = self.Product._service_parts_offers(part, {part.id: 10})
        self.assertEqual(offers[part.id]["partner_id"], self.supplier_rub.id)
        self.assertAlmostEqual(offers[part.id]["total_company"], 30.0)

    def test_lookup_functions_run_without_jit(self):
        # Their generic plans' estimates pass jit_above_cost on a catalog of
        # millions of numbers: JIT would compile on every call (README, 5M).
        self.env.cr.execute(
            """
            SELECT proname, proconfig FROM pg_proc
             WHERE proname IN ('service_parts_lookup_hits', 'service_parts_lookup_hits_among',
                               'service_parts_lookup_compat', 'service_parts_lookup_details',
                               'service_parts_lookup_data')
            """
        )
        configs = dict(self.env.cr.fetchall())
        self.assertEqual(len(configs), 5)
        for name, config in configs.items():
            self.assertIn("jit=off", config or [], name)
            self.assertIn("plan_cache_mode=force_generic_plan", config or [], name)

    def test_query_count_does_not_grow(self):
        parts = self.env["product.product"]
        for index in range(8):
            part = self._part("Bulk nozzle %s" % index, "BN-%s" % index)
            self._crossref(part, "QCNT-%s" % index)
            self._crossref(part, "XQCNT-%s" % index, code_type="analog")
            self._stock(part, index + 1)
            self._seller(part, self.supplier_eur, 10 + index, self.eur)
            parts |= part
        self.env["service.part.substitute"].create(
            {"product_id": parts[0].id, "substitute_id": parts[1].id}
        )
        Product = self.Product.with_user(self.service_user)
        # Warm the caches that do not depend on the query (ACLs, rules).
        Product.service_parts_lookup("QCNT-0")
        Product.service_parts_lookup("QCNT-0", equipment_id=self.unit.id)
        # The caller's companies (for the record rules), then one statement:
        # exact and prefix matches, the fragment search (room is left under
        # the limit), the parts allowed, their substitutes, stock, prices, rates.
        self.env.invalidate_all()
        with self.assertQueryCount(2):
            one = Product.service_parts_lookup("QCNT-0")
        self.env.invalidate_all()
        with self.assertQueryCount(2):
            many = Product.service_parts_lookup("QCNT")
        self.assertEqual(len(one), 1)  # QCNT0 exactly (its XQCNT0 too, as a fragment)
        self.assertEqual(len(many), 8)
        self.assertEqual({r["match"]["how"] for r in many}, {"prefix"})
        # With the customer's unit: the unit, still constant.
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            one = Product.service_parts_lookup("QCNT-0", equipment_id=self.unit.id)
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            many = Product.service_parts_lookup("QCNT", equipment_id=self.unit.id)
        self.assertEqual((len(one), len(many)), (1, 8))

    def _lookup_queries(self, Product, query, **kwargs):
        """(results, queries) of a lookup in a fresh cache."""
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        results = Product.service_parts_lookup(query, **kwargs)
        return results, self.env.cr.sql_log_count - count

    def test_fragment_search_only_when_needed(self):
        parts = self.env["product.product"]
        for index in range(3):
            part = self._part("Flue sensor %s" % index, "FS-%s" % index)
            self._crossref(part, "FLX7-%s" % index)
            parts |= part
        inner = self._part("Flue sensor inner", "FS-9")
        self._crossref(inner, "AFLX7-9", code_type="analog")
        Product = self.Product.with_user(self.service_user)
        Product.service_parts_lookup("FLX7")
        # Room under the limit: the fragment search runs and finds AFLX79.
        results, queries = self._lookup_queries(Product, "FLX7", limit=20)
        self.assertEqual(queries, 2)  # the caller's companies, the lookup
        self.assertEqual(self._ids(results), [*parts.ids, inner.id])
        self.assertEqual(
            [r["match"]["how"] for r in results], ["prefix", "prefix", "prefix", "fragment"]
        )
        # Prefixes fill the page (twice the limit is fetched): the prefixes
        # come shortest first (and the fragment search is skipped).
        results, queries = self._lookup_queries(Product, "FLX7", limit=1)
        self.assertEqual(queries, 2)
        self.assertEqual(self._ids(results), parts[:1].ids)
        # A long number typed in full: searched as a fragment while it is
        # not found exactly, no longer once it is.
        self._crossref(inner, "ZFLX70000", code_type="analog")
        results, _queries = self._lookup_queries(Product, "FLX7-0000")
        self.assertEqual(self._ids(results), inner.ids)
        self._crossref(parts[0], "FLX7-0000", code_type="analog")
        results, _queries = self._lookup_queries(Product, "FLX7-0000")
        self.assertEqual(self._ids(results), parts[:1].ids)

    def test_hidden_parts_make_room_for_the_next(self):
        # The details come with the numbers for the first parts only; when
        # record rules hide some of them, the next parts take their places,
        # with their own stock and offers (one more statement).
        other_company = self.env["res.company"].create({"name": "Hidden Parts Co"})
        parts = self.env["product.product"]
        for index in range(6):
            if index < 2:
                part = self._part("Hidden part %s" % index, "HP-%s" % index,
                                  company_id=other_company.id)  # fmt: skip
            else:
                part = self._part("Hidden part %s" % index, "HP-%s" % index)
                self._stock(part, index + 1)
                self._seller(part, self.supplier_eur, 10 + index, self.eur)
            self._crossref(part, "HDNP-%s" % index)
            parts |= part
        Product = self.Product.with_user(self.service_user)
        Product.service_parts_lookup("HDNP", limit=3)
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            results = Product.service_parts_lookup("HDNP", limit=3)
        self.assertEqual(self._ids(results), parts[2:5].ids)
        self.assertEqual([r["availability"]["on_hand"] for r in results], [3.0, 4.0, 5.0])
        self.assertEqual([r["offer"]["price"] for r in results], [12.0, 13.0, 14.0])
        # With both companies allowed they all show, and no statement is
        # added (Odoo checks the allowed companies: one query more).
        manager = self.Product.with_context(
            allowed_company_ids=[self.env.company.id, other_company.id]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            results = manager.service_parts_lookup("HDNP", limit=3)
        self.assertEqual(self._ids(results), parts[:3].ids)

    def test_current_part_compatibility(self):
        # Found through the chain of a superseded number, the current part
        # says whether it fits the unit like any other result.
        results = self.Product.service_parts_lookup("771682455", equipment_id=self.unit.id)
        by_id = {r["product_id"]: r for r in results}
        self.assertEqual(by_id[self.electrode.id]["match"]["how"], "supersession")
        # TB1-0500 is below the electrode's serial range TB1-1000...
        self.assertFalse(by_id[self.electrode.id]["compatible"])
        self.env["service.part.compatibility"].create(
            {
                "part_product_id": self.electrode.id,
                "equipment_product_id": self.model.id,
                "quantity": 4,
                "serial_to": "TB1-0999",
            }
        )
        results = self.Product.service_parts_lookup("771682455", equipment_id=self.unit.id)
        by_id = {r["product_id"]: r for r in results}
        self.assertTrue(by_id[self.electrode.id]["compatible"])
        self.assertEqual(by_id[self.electrode.id]["compatibility"]["quantity"], 4)

    def test_archived_and_foreign_company_parts_hidden(self):
        self.gasket.active = False
        self.assertNotIn(self.gasket.id, self._ids(self.Product.service_parts_lookup("GSK-945")))
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self._part("Foreign part", "FRN-1", company_id=other_company.id)
        self._crossref(foreign, "FRN-3344")
        results = self.Product.with_user(self.service_user).service_parts_lookup("FRN-3344")
        self.assertEqual(results, [])
        self.assertEqual(self._ids(self.Product.service_parts_lookup("FRN-3344")), [foreign.id])

    def test_find_parts_from_repair(self):
        repair = self.env["repair.order"].create(
            {
                "product_id": self.model.id,
                "lot_id": self.unit.lot_id.id,
                "partner_id": self.customer.id,
            }
        )
        action = repair.action_service_parts_lookup()
        self.assertEqual(action["tag"], "service_parts_lookup")
        self.assertEqual(
            action["params"],
            {"repair_id": repair.id, "equipment_id": self.unit.id, "partner_id": self.customer.id},
        )

    def test_add_to_repair_quotation_rfq(self):
        repair = self.env["repair.order"].create(
            {"product_id": self.model.id, "partner_id": self.customer.id}
        )
        Product = self.valve.with_user(self.service_manager)
        done = Product.service_parts_add_to_repair(repair.id, quantity=2)
        self.assertEqual(done["id"], repair.id)
        move = repair.move_ids.filtered(lambda m: m.product_id == self.valve)
        self.assertEqual(move.product_uom_qty, 2)
        self.assertEqual(move.repair_line_type, "add")
        self.assertIn("added from the parts lookup", repair.message_ids[0].body)

        done = Product.service_parts_add_to_quotation(partner_id=self.customer.id)
        order = self.env["sale.order"].browse(done["id"])
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.order_line.product_id, self.valve)
        done_again = Product.service_parts_add_to_quotation(order_id=order.id, quantity=3)
        self.assertEqual(done_again["id"], order.id)
        self.assertEqual(sum(order.order_line.mapped("product_uom_qty")), 4)

        done = Product.service_parts_add_to_rfq(quantity=1)
        rfq = self.env["purchase.order"].browse(done["id"])
        self.assertEqual(rfq.partner_id, self.supplier_rub)
        # A second part for the same supplier goes to the same open RFQ.
        self._seller(self.gasket, self.supplier_rub, 100, self.rub)
        again = self.gasket.with_user(self.service_manager).service_parts_add_to_rfq()
        self.assertEqual(again["id"], rfq.id)
        self.assertEqual(rfq.order_line.product_id, self.valve | self.gasket)

        with self.assertRaisesRegex(UserError, "has no supplier"), self.cr.savepoint():
            self.electrode.service_parts_add_to_rfq()
        with self.assertRaisesRegex(UserError, "quantity must be positive"), self.cr.savepoint():
            self.valve.service_parts_add_to_repair(repair.id, quantity=0)
        with self.assertRaisesRegex(UserError, "Choose the customer"), self.cr.savepoint():
            self.valve.service_parts_add_to_quotation()
