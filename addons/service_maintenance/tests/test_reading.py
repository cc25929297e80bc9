from datetime import timedelta

from lxml import etree

from odoo import api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import MaintenanceCase


@tagged("post_install", "-at_install", "service_suite")
class TestReadings(MaintenanceCase):
    """Meter readings never go down, are not in the future, and stay as recorded."""

    def test_last_reading_follows_the_dates(self):
        self.reading(self.unit, 100, 10)
        self.reading(self.unit, 250, 2)
        # a reading of the past between the two
        self.reading(self.unit, 180, 5)
        self.assertEqual(self.unit.last_reading_value, 250)
        self.assertEqual(self.unit.last_reading_date.date(), self.today - timedelta(days=2))

    def test_lower_reading_refused_unless_new_meter(self):
        self.reading(self.unit, 500, 3)
        with self.assertRaisesRegex(ValidationError, "lower than its reading 500"):
            self.reading(self.unit, 490, 1)
        self.assertEqual(len(self.unit.reading_ids), 1, "nothing written")
        self.reading(self.unit, 12, 1, meter_replaced=True)
        self.assertEqual(self.unit.last_reading_value, 12)
        # after the new meter, the new meter's reading is the one to pass
        self.reading(self.unit, 40, 0)
        self.assertEqual(self.unit.last_reading_value, 40)

    def test_past_reading_above_a_later_one_refused(self):
        self.reading(self.unit, 100, 10)
        self.reading(self.unit, 200, 2)
        with self.assertRaisesRegex(ValidationError, "higher than its later reading 200"):
            self.reading(self.unit, 300, 5)

    def test_batch_checked_in_order(self):
        with self.assertRaisesRegex(ValidationError, "lower than its reading 50"):
            self.Reading.create(
                [
                    {"equipment_id": self.unit.id, "value": 50, "date": self._at(3)},
                    {"equipment_id": self.unit.id, "value": 40, "date": self._at(1)},
                ]
            )
        self.assertFalse(self.unit.reading_ids)

    def test_future_and_negative_refused(self):
        with self.assertRaisesRegex(ValidationError, "in the future"):
            self.Reading.create(
                {
                    "equipment_id": self.unit.id,
                    "value": 10,
                    "date": fields.Datetime.now() + timedelta(hours=2),
                }
            )
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.reading(self.unit, -1, 1)
        self.assertFalse(self.unit.reading_ids)

    def test_refusal_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.reading(self.unit, 500, 3)
        with self.assertRaisesRegex(ValidationError, "ниже"):
            self.Reading.with_context(lang="ru_RU").create(
                {"equipment_id": self.unit.id, "value": 10, "date": self._at(1)}
            )

    def test_readings_are_history(self):
        reading = self.reading(self.unit, 100, 3)
        for user in (self.tech_boilers, self.manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "history"):
                reading.with_user(user).write({"value": 90})
            with self.assertRaisesRegex(UserError, "history"):
                reading.with_user(user).write({"date": fields.Datetime.now()})
        self.assertEqual(reading.value, 100)
        # nobody deletes one (a wrong reading is voided)
        for user in (self.tech_boilers, self.manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "voids"):
                reading.with_user(user).unlink()
        self.assertTrue(reading.exists())
        self.assertEqual(self.unit.last_reading_value, 100)
        # nor copies one (a voided reading's copy was a live one)
        reading.with_user(self.manager).action_void()
        for user in (self.tech_boilers, self.manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "not copied"):
                reading.with_user(user).copy()
        self.assertEqual(self.Reading.search_count([("equipment_id", "=", self.unit.id)]), 1)

    def test_reading_lists_offer_no_delete(self):
        # browser review: a trash icon on every reading, refused on save
        for model, view, path in (
            ("service.equipment", "form", "//field[@name='reading_ids']/list"),
            ("service.equipment.reading", "list", "//list"),
        ):
            arch = self.env[model].get_views([(False, view)])["views"][view]["arch"]
            (node,) = etree.fromstring(arch).xpath(path)
            self.assertEqual(node.get("delete"), "0", model)

    def test_add_reading_over_rpc(self):
        reading_id = self.unit.with_user(self.tech_boilers).service_add_reading(120)
        self.assertIsInstance(reading_id, int)
        reading = self.Reading.browse(reading_id)
        self.assertEqual((reading.value, reading.source), (120, "rpc"))
        self.assertEqual(reading.user_id, self.tech_boilers)
        self.unit.service_add_reading("130.5")
        self.assertEqual(self.unit.last_reading_value, 130.5)
        reading_id = self.aircon_unit.service_add_reading(
            7, date=fields.Datetime.to_string(self._at(2)), meter_replaced=True
        )
        reading = self.Reading.browse(reading_id)
        self.assertEqual(reading.date, self._at(2))
        self.assertTrue(reading.meter_replaced)
        with self.assertRaisesRegex(UserError, "is not a number"):
            self.unit.service_add_reading("lots")
        with self.assertRaisesRegex(UserError, "is not a date"):
            self.unit.service_add_reading(200, date="yesterday")
        with self.assertRaisesRegex(ValidationError, "lower"):
            self.unit.service_add_reading(1)

    def test_last_reading_guarded(self):
        self.reading(self.unit, 100, 3)
        with self.assertRaisesRegex(UserError, "can only be set by its actions"):
            self.unit.with_user(self.manager).write({"last_reading_value": 5})
        self.assertEqual(self.unit.last_reading_value, 100)

    def test_other_company_unit_not_read(self):
        other = self.env["res.company"].create({"name": "SM other company"})
        user = new_test_user(
            self.env,
            login="sm_other",
            groups="service_base.group_service_user",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.reading(self.unit, 100, 3)
        self.assertFalse(self.Reading.with_user(user).search([("equipment_id", "=", self.unit.id)]))

    def _at(self, days_ago):
        return self.moment(days_ago)


@tagged("post_install", "-at_install", "service_suite")
class TestProjection(MaintenanceCase):
    """The meter's trend: least squares over the last ten readings."""

    def test_straight_line(self):
        # 100, 200, 300 ten days apart: 10 a day; 500 is reached 20 days after
        # the last reading
        self.reading(self.unit, 100, 40)
        self.reading(self.unit, 200, 30)
        self.reading(self.unit, 300, 20)
        self.assertEqual(self.unit._service_projected_date(500), self.today)
        self.assertEqual(self.unit._service_projected_date(600), self.today + timedelta(days=10))

    def test_least_squares(self):
        # days 0, 10, 20 read 0, 120, 180: mean day 10, mean value 100;
        # slope ((-10)(-100) + 10 * 80) / (100 + 100) = 9 a day, intercept
        # 100 - 9 * 10 = 10; 370 is reached on day (370 - 10) / 9 = 40
        self.reading(self.unit, 0, 40)
        self.reading(self.unit, 120, 30)
        self.reading(self.unit, 180, 20)
        self.assertEqual(self.unit._service_projected_date(370), self.today)
        # day 49 (451 = 10 + 9 * 49)
        self.assertEqual(self.unit._service_projected_date(451), self.today + timedelta(days=9))

    def test_reached_already_and_not_enough(self):
        self.assertFalse(self.unit._service_projected_date(100), "no reading")
        self.reading(self.unit, 100, 10)
        self.assertFalse(self.unit._service_projected_date(200), "one reading")
        self.reading(self.unit, 150, 5)
        self.assertEqual(self.unit._service_projected_date(120), self.today - timedelta(days=5))
        self.reading(self.unit, 150, 1)
        # the last ten only: a meter that stood still lately still rises on the whole
        self.assertTrue(self.unit._service_projected_date(1000))

    def test_readings_of_one_moment_are_no_trend(self):
        # browser review: 10, then 25 thirteen seconds later, made the meter
        # run 100,000 a day and its plan due at once
        moment = self.moment(0) - timedelta(hours=1)
        for value, seconds in ((10, 0), (25, 13)):
            self.Reading.create(
                {
                    "equipment_id": self.unit.id,
                    "value": value,
                    "date": moment + timedelta(seconds=seconds),
                }
            )
        self.assertFalse(self.unit._service_projected_date(500))
        # over a day's span is a trend
        self.reading(self.unit, 5, 2)
        self.assertTrue(self.unit._service_projected_date(500))

    def test_standing_meter_and_last_ten(self):
        for days_ago in range(12, 0, -1):
            # eleven old readings rising fast, then a standing meter
            self.reading(self.unit, 1000 if days_ago < 11 else 100 * (12 - days_ago), days_ago)
        # the last ten all read 1000: no slope
        self.assertFalse(self.unit._service_projected_date(2000))

    def test_new_meter_restarts_the_trend(self):
        self.reading(self.unit, 5000, 30)
        self.reading(self.unit, 5500, 20)
        self.reading(self.unit, 0, 10, meter_replaced=True)
        self.assertFalse(self.unit._service_projected_date(100), "one reading since the new meter")
        self.reading(self.unit, 50, 5)
        # 10 a day since the new meter: 100 on day 15 from it, 5 days from now
        self.assertEqual(self.unit._service_projected_date(100), self.today)
        self.assertEqual(self.unit._service_projected_date(150), self.today + timedelta(days=5))


@tagged("post_install", "-at_install", "service_suite")
class TestReadingOrigin(MaintenanceCase):
    """Who and what recorded a reading are facts (the attacker review: a
    technician recorded a «portal» reading in a customer's name, a manager
    changed its author, any technician rolled a meter back)."""

    def test_a_user_records_as_themselves_by_hand_or_rpc(self):
        Reading = self.env["service.equipment.reading"].with_user(self.tech_boilers)
        portal = new_test_user(self.env, login="sm_portal_origin", groups="base.group_portal")
        reading = Reading.create(
            {"equipment_id": self.unit.id, "value": 10, "user_id": portal.id, "source": "rpc"}
        )
        self.assertEqual(reading.user_id, self.tech_boilers)
        for vals in ({"source": "portal"}, {"source": "visit"}):
            with self.assertRaisesRegex(UserError, "recorded by the visit or the portal"):
                Reading.create({"equipment_id": self.unit.id, "value": 11, **vals})
        with self.assertRaisesRegex(UserError, "recorded by the visit or the portal"):
            self.unit.with_user(self.tech_boilers).service_add_reading(12, source="visit")
        with self.assertRaises(UserError):
            reading.with_user(self.manager).write({"user_id": portal.id})
        self.assertEqual(self.unit.reading_ids, reading, "nothing else written")

    def test_a_new_meter_is_a_managers(self):
        self.reading(self.unit, 1400, 3)
        with self.assertRaisesRegex(UserError, "Only a service manager records a new meter"):
            self.unit.with_user(self.tech_boilers).service_add_reading(0, meter_replaced=True)
        self.assertEqual(self.unit.last_reading_value, 1400)
        self.unit.with_user(self.manager).service_add_reading(0, meter_replaced=True)
        self.assertEqual(self.unit.last_reading_value, 0)

    def _create_over_rpc(self, user, vals, context):
        return api.call_kw(
            self.env["service.equipment.reading"].with_user(user),
            "create",
            [vals],
            {"context": context},
        )

    def test_default_keys_are_judged_as_vals(self):
        """The attacker review: create kept a call's default_<field> keys, so a
        technician stored a reading voided by the manager, a new meter, a
        reading of another technician's visit — each refused in ``vals``."""
        self.reading(self.unit, 100, 5)
        visit = self.env["service.visit"].search([], limit=1)
        vals = {"equipment_id": self.unit.id, "value": 110, "date": self._at(1)}
        for context, message in (
            ({"default_voided": True}, "can only be set by its actions"),
            ({"default_voided_by_id": self.manager.id}, "can only be set by its actions"),
            ({"default_voided_date": "2026-01-01 00:00:00"}, "can only be set by its actions"),
            ({"default_meter_replaced": True}, "Only a service manager records a new meter"),
            ({"default_source": "visit"}, "recorded by the visit or the portal"),
            ({"default_source": "portal"}, "recorded by the visit or the portal"),
            ({"default_visit_id": visit.id or 1}, "recorded by the visit or the portal"),
        ):
            with self.subTest(context=context), self.assertRaisesRegex(UserError, message):
                self._create_over_rpc(self.tech_boilers, vals, context)
        self.assertEqual(len(self.unit.reading_ids), 1, "nothing written")
        # the value, the date and the unit given as defaults are checked too
        future = fields.Datetime.to_string(fields.Datetime.now() + timedelta(days=9))
        for context, message in (
            ({"default_value": 50}, "lower than its reading 100"),
            ({"default_value": 120, "default_date": future}, "in the future"),
        ):
            with self.subTest(context=context), self.assertRaisesRegex(ValidationError, message):
                self._create_over_rpc(self.tech_boilers, {"equipment_id": self.unit.id}, context)
        with self.assertRaisesRegex(ValidationError, "lower than its reading 100"):
            self._create_over_rpc(
                self.tech_boilers, {"value": 5}, {"default_equipment_id": self.unit.id}
            )
        # the unit's tab gives its unit; the caller is the author whatever the key says
        reading_id = self._create_over_rpc(
            self.tech_boilers,
            {"value": 120, "date": fields.Datetime.to_string(self._at(1))},
            {"default_equipment_id": self.unit.id, "default_user_id": self.manager.id},
        )
        reading = self.Reading.browse(reading_id)
        self.assertEqual((reading.equipment_id, reading.value), (self.unit, 120))
        self.assertEqual((reading.user_id, reading.source), (self.tech_boilers, "manual"))
        self.assertFalse(reading.voided or reading.meter_replaced or reading.visit_id)
        # a service manager records a new meter by either way
        reading_id = self._create_over_rpc(
            self.manager,
            {"equipment_id": self.unit.id, "value": 0},
            {"default_meter_replaced": True},
        )
        self.assertTrue(self.Reading.browse(reading_id).meter_replaced)

    def test_personal_defaults_are_judged_as_vals(self):
        """ir.default, which a user sets for themselves: the void fields keep
        their own defaults, the other facts are checked as given."""
        self.reading(self.unit, 100, 5)
        defaults = self.env["ir.default"].with_user(self.tech_boilers)
        defaults.set("service.equipment.reading", "voided", True, user_id=True)
        defaults.set("service.equipment.reading", "voided_by_id", self.manager.id, user_id=True)
        reading = self.Reading.browse(
            self._create_over_rpc(
                self.tech_boilers, {"equipment_id": self.unit.id, "value": 110}, {}
            )
        )
        self.assertFalse(reading.voided or reading.voided_by_id)
        self.assertEqual(self.unit.last_reading_value, 110)
        for name, value in (("meter_replaced", True), ("source", "visit")):
            defaults.set("service.equipment.reading", name, value, user_id=True)
            with self.subTest(name=name), self.assertRaises(UserError):
                self._create_over_rpc(
                    self.tech_boilers, {"equipment_id": self.unit.id, "value": 0}, {}
                )
            defaults.discard_values("service.equipment.reading", name, [value])
        self.assertEqual(len(self.unit.reading_ids), 2)

    def _at(self, days_ago):
        return self.moment(days_ago)

    def test_one_unit_at_a_time(self):
        with self.assertRaisesRegex(UserError, "one unit at a time"):
            (self.unit | self.aircon_unit).service_add_reading(5)


@tagged("post_install", "-at_install", "service_suite")
class TestReadingBatch(MaintenanceCase):
    """A batch of readings (an integrator's import, the portal's form of
    several units) is checked and stored in a number of queries that does not
    grow with its units: their existence, lock, history and limits are read
    once for the batch."""

    def units(self, count, prefix):
        return self.env["service.equipment"].concat(
            *(
                self._unit(f"{prefix}-{index:03d}", self.boiler, self.customer)
                for index in range(count)
            )
        )

    def batch(self, units):
        moment = self.moment(1)
        return [
            {"equipment_id": unit.id, "value": value, "date": moment + timedelta(hours=hours)}
            for unit in units
            for value, hours in ((100, 0), (110, 2))
        ]

    def count_queries(self, units):
        vals_list = self.batch(units)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        readings = self.Reading.create(vals_list)
        self.env.flush_all()
        self.assertEqual(len(readings), 2 * len(units))
        return self.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_units(self):
        self.count_queries(self.units(2, "SM-RB-WARM"))
        small = self.count_queries(self.units(3, "SM-RB-S"))
        large = self.count_queries(self.units(12, "SM-RB-L"))
        self.assertEqual(large, small)
        units = self.units(40, "SM-RB-X")
        vals_list = self.batch(units)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            self.Reading.create(vals_list)
            self.env.flush_all()
        self.assertEqual(units[-1].last_reading_value, 110)
