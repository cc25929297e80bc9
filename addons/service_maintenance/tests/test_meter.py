import xmlrpc.client
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from .common import MaintenanceCase


class MeterCase(MaintenanceCase):
    def close(self, requests):
        requests.write({"stage_id": self.env.ref("service_repair.stage_done").id})

    def _at(self, days_ago, hour=7):
        return datetime.combine(self.today - timedelta(days=days_ago), time(hour, 0))


@tagged("post_install", "-at_install", "service_suite")
class TestNewMeterRebasesPlans(MeterCase):
    """A new meter: the plan's next value moves to the new meter's scale,
    with what the old meter ran since the last maintenance carried over;
    the projection reads the new meter's readings only."""

    def _old_meter(self, **vals):
        # the old meter up to 10,400 h; the plan counts from 10,000
        self.reading(self.unit, 9600, 40)
        self.reading(self.unit, 10000, 20)
        self.reading(self.unit, 10400, 12)
        plan = self.plan(interval_type="meter", meter_interval=500, meter_start=10000, **vals)
        self.assertEqual(plan.next_meter_value, 10500)
        return plan

    def test_new_meter_carries_the_work_over(self):
        plan = self._old_meter(schedule_from="done")
        self.reading(self.unit, 0, 10, meter_replaced=True)
        # 500 − (10,400 − 10,000) + 0: 100 h on the new meter, not 10,500
        self.assertEqual(plan.next_meter_value, 100)
        self.assertFalse(plan.next_date, "one reading of the new meter: no trend yet")
        self.reading(self.unit, 50, 5)
        # the new meter's 10 h a day (the old meter's 20 h a day and its
        # values are not in it): 100 is reached today
        self.assertEqual(plan.next_date, self.today)
        request = self.env["service.request"].browse(plan.service_generate())
        self.assertEqual(request.maintenance_meter_value, 100)
        self.assertEqual(request.maintenance_due_date, self.today)
        # done at 110 on the new meter: the next one interval after it, no rebase
        self.reading(self.unit, 110, 0)
        self.close(request)
        self.assertEqual(plan.next_meter_value, 610)

    def test_a_second_new_meter(self):
        plan = self._old_meter(schedule_from="done")
        self.reading(self.unit, 0, 10, meter_replaced=True)
        self.reading(self.unit, 60, 4)
        self.reading(self.unit, 5, 3, meter_replaced=True)
        # 400 h on the first meter and 60 on the second since 10,000: 40 left
        self.assertEqual(plan.next_meter_value, 45)
        self.reading(self.unit, 15, 1)
        # 5 h a day since day −3: 45 on day 5
        self.assertEqual(plan.next_date, self.today + timedelta(days=5))

    def test_fixed_schedule_with_the_open_request(self):
        plan = self._old_meter(schedule_from="schedule")
        self.reading(self.unit, 10450, 11)
        request = self.env["service.request"].browse(plan.service_generate(horizon_days=30))
        self.assertEqual(request.maintenance_meter_value, 10500)
        self.assertEqual(plan.next_meter_value, 11000)
        self.reading(self.unit, 0, 10, meter_replaced=True)
        # the open one is 50 h away on the new meter, the one after 550
        self.assertEqual(plan.next_meter_value, 550)
        self.assertEqual(request.maintenance_meter_value, 10500, "the request keeps its history")

    def test_closed_before_the_new_meter_was_entered(self):
        # the technician closes the request, the new meter he fitted on the
        # visit is entered afterwards, dated when it was fitted
        plan = self._old_meter(schedule_from="done")
        request = self.env["service.request"].browse(plan.service_generate(horizon_days=30))
        self.reading(self.unit, 10480, 11)
        self.close(request)
        self.assertEqual(plan.next_meter_value, 10980)
        self.reading(self.unit, 0, 11, meter_replaced=True, date=self._at(11, hour=9))
        self.assertEqual(plan.next_meter_value, 500, "done at the old meter's last reading")

    def test_overdue_when_replaced_is_due_at_once(self):
        plan = self._old_meter(schedule_from="done")
        self.reading(self.unit, 10700, 11)
        self.reading(self.unit, 0, 10, meter_replaced=True)
        self.assertEqual(plan.next_meter_value, 0, "200 h overdue: due on the new meter's first")
        self.reading(self.unit, 30, 5)
        self.assertEqual(plan.next_date, self.today - timedelta(days=5))

    def test_plan_set_up_on_the_new_meter(self):
        self.reading(self.unit, 10400, 12)
        self.reading(self.unit, 20, 10, meter_replaced=True)
        plan = self.plan(interval_type="meter", meter_interval=500, meter_start=20)
        self.assertEqual(plan.next_meter_value, 520, "its start is on the new meter already")

    def test_voided_new_meter_undoes_the_rebase(self):
        plan = self._old_meter(schedule_from="done")
        replaced = self.reading(self.unit, 0, 10, meter_replaced=True)
        self.assertEqual(plan.next_meter_value, 100)
        replaced.with_user(self.manager).action_void()
        self.assertEqual(plan.next_meter_value, 10500)
        self.assertEqual(self.unit.last_reading_value, 10400)


@tagged("post_install", "-at_install", "service_suite")
class TestReadingRise(MeterCase):
    """A reading that rises faster than a meter can run is a typing error;
    the limit per day is the company's (10,000 by default)."""

    def test_absurd_reading_refused(self):
        self.reading(self.unit, 1200, 10)
        with self.assertRaisesRegex(
            ValidationError,
            r"reading 1,000,000,000,000.0 of .* rises .* above its reading 1,200.0 .*"
            r"at most 50,000.0, 10,000.0 a day",
        ):
            self.reading(self.unit, 1e12, 5)
        self.assertEqual(len(self.unit.reading_ids), 1, "nothing written")
        self.assertEqual(self.unit.last_reading_value, 1200)

    def test_the_setting_changes_the_limit(self):
        # 60 a day for five days: a meter of pages or km, accepted by default
        self.reading(self.unit, 1200, 10)
        self.reading(self.unit, 1500, 5)
        # operating hours: at most 24 a day
        self.company.service_maintenance_meter_per_day = 24
        self.reading(self.aircon_unit, 1200, 10)
        with self.assertRaisesRegex(ValidationError, "at most 120.0, 24.0 a day"):
            self.reading(self.aircon_unit, 1500, 5)
        self.reading(self.aircon_unit, 1300, 5)
        # and the other way: refused by default, accepted with a higher limit
        self.company.service_maintenance_meter_per_day = 10000
        with self.assertRaisesRegex(ValidationError, "at most 40,000.0"):
            self.reading(self.aircon_unit, 100000, 1)
        self.company.service_maintenance_meter_per_day = 50000
        self.reading(self.aircon_unit, 100000, 1)
        self.assertEqual(self.aircon_unit.last_reading_value, 100000)

    def test_at_least_one_day_between_readings(self):
        self.company.service_maintenance_meter_per_day = 24
        self.reading(self.unit, 100, 1)
        # an hour later: up to a day's worth is believed
        self.Reading.create({"equipment_id": self.unit.id, "value": 120, "date": self._at(1, 8)})
        with self.assertRaisesRegex(ValidationError, "at most 24.0"):
            self.Reading.create(
                {"equipment_id": self.unit.id, "value": 150, "date": self._at(1, 9)}
            )

    def test_quick_readings_rise_a_days_worth_together(self):
        """The attacker review: four readings in one second each rose the
        limit of a day over its neighbour, +40,000 against 10,000 a day."""
        now = fields.Datetime.now()
        self.Reading.create({"equipment_id": self.unit.id, "value": 300, "date": now})
        self.Reading.create({"equipment_id": self.unit.id, "value": 10300, "date": now})
        with self.assertRaisesRegex(
            ValidationError, r"reading 20,300.0 .* rises 20,000.0 above its reading 300.0"
        ):
            self.Reading.create({"equipment_id": self.unit.id, "value": 20300, "date": now})
        # nor in one batch
        with self.assertRaisesRegex(ValidationError, "rises 20,000.0 above its reading 300.0"):
            self.Reading.create(
                [
                    {"equipment_id": self.aircon_unit.id, "value": value, "date": now}
                    for value in (300, 10300, 20300)
                ]
            )
        self.assertEqual(self.unit.last_reading_value, 10300)
        self.assertFalse(self.aircon_unit.reading_ids)

    def test_every_earlier_reading_bounds_the_rise(self):
        start = datetime.combine(self.today - timedelta(days=3), time(0, 0))
        self.Reading.create({"equipment_id": self.unit.id, "value": 0, "date": start})
        self.Reading.create(
            {"equipment_id": self.unit.id, "value": 15000, "date": start + timedelta(days=1.5)}
        )
        # 10,000 over the reading of 1.5 days: a day's worth; 25,000 over the
        # first in 1.6 days (16,000 at most)
        with self.assertRaisesRegex(
            ValidationError, r"rises 25,000.0 above its reading 0.0 .*at most 16,000.0"
        ):
            self.Reading.create(
                {"equipment_id": self.unit.id, "value": 25000, "date": start + timedelta(days=1.6)}
            )
        # and a back-dated reading against every later one
        with self.assertRaisesRegex(ValidationError, r"below its later reading 15,000.0"):
            self.Reading.create(
                {"equipment_id": self.unit.id, "value": 1, "date": start + timedelta(days=0.1)}
            )
        self.Reading.create(
            {"equipment_id": self.unit.id, "value": 16000, "date": start + timedelta(days=1.6)}
        )
        self.assertEqual(self.unit.last_reading_value, 16000)

    def test_past_reading_too_far_below_the_next(self):
        self.company.service_maintenance_meter_per_day = 24
        self.reading(self.unit, 100, 10)
        self.reading(self.unit, 300, 0)
        with self.assertRaisesRegex(ValidationError, "200.0 below its later reading 300.0"):
            self.reading(self.unit, 100, 1)
        self.reading(self.unit, 290, 1)

    def test_new_meter_is_not_a_rise(self):
        self.company.service_maintenance_meter_per_day = 24
        self.reading(self.unit, 100, 2)
        self.reading(self.unit, 5000, 1, meter_replaced=True)
        self.assertEqual(self.unit.last_reading_value, 5000)

    def test_limit_above_zero(self):
        for value in (0, -24):
            with self.assertRaisesRegex(ValidationError, "above zero"), self.env.cr.savepoint():
                self.company.service_maintenance_meter_per_day = value

    def test_limit_a_number(self):
        """The attacker review: "nan" as the limit was a bug (Fault 1), 1e300 accepted."""
        for value in ("nan", float("inf"), "abc", 1e300, True):
            with self.subTest(value=value), self.assertRaisesRegex(ValidationError, "a number"):
                self.company.write({"service_maintenance_meter_per_day": value})
            with self.subTest(value=value), self.assertRaisesRegex(ValidationError, "a number"):
                self.env["res.config.settings"].create({"service_maintenance_meter_per_day": value})
        self.assertEqual(self.company.service_maintenance_meter_per_day, 10000)
        self.env["res.config.settings"].create({"service_maintenance_meter_per_day": 24}).execute()
        self.assertEqual(self.company.service_maintenance_meter_per_day, 24)

    def test_who_changes_the_limit(self):
        """A service manager cannot open the settings: the refusal names an
        administrator; a customer on the portal is only asked to check."""
        self.reading(self.unit, 1200, 10)
        with self.assertRaisesRegex(ValidationError, r"administrator .* Settings > Service Desk\."):
            self.unit.with_user(self.manager).service_add_reading(1e11)
        portal = new_test_user(self.env, login="sm_rise_portal", groups="base.group_portal")
        with self.assertRaises(ValidationError) as refusal:
            self.unit.with_user(portal).sudo().service_add_reading(1e11, source="portal")
        message = str(refusal.exception)
        self.assertTrue(message.endswith("a day's worth). Check the value."), message)
        self.assertNotIn("Settings", message)

    def test_numbers_in_the_users_format(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        Reading = self.Reading.with_context(lang="ru_RU")
        with self.assertRaisesRegex(ValidationError, r"\(-5,0\)"):
            Reading.create({"equipment_id": self.unit.id, "value": -5})
        for value in (1e300, -1e300):
            with self.subTest(value=value), self.assertRaises(ValidationError) as refusal:
                Reading.create({"equipment_id": self.unit.id, "value": value})
            self.assertLess(len(str(refusal.exception)), 120, "the number is not echoed")
        visit = self.env["service.visit"].search([], limit=1)
        with self.assertRaisesRegex(UserError, "nan"):
            visit.write({"meter_reading": "nan"})
        # a negative or absurd reading is refused when entered, not at Finish
        for value in (-5, 2e12):
            with self.subTest(value=value), self.assertRaisesRegex(UserError, "from 0 to"):
                visit.write({"meter_reading": value})
        with self.assertRaisesRegex(UserError, "от 0 до 1.000.000.000.000"):
            visit.with_context(lang="ru_RU").write({"meter_reading": -5})
        self.assertEqual(visit.meter_reading, 0)

    def test_refusal_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.reading(self.unit, 1200, 10)
        with self.assertRaisesRegex(ValidationError, "не больше 50.000,0"):
            self.Reading.with_context(lang="ru_RU").create(
                {"equipment_id": self.unit.id, "value": 1e12, "date": self.moment(5)}
            )


@tagged("post_install", "-at_install", "service_suite")
class TestReadingVoid(MeterCase):
    """A wrong reading is voided by a service manager: it stays in the
    history with who and when, and counts nowhere."""

    def test_a_voided_reading_unlocks_the_meter(self):
        # the unit's first reading, typed wrong: nothing to check it against
        wrong = self.reading(self.unit, 1e12, 10)
        with self.assertRaisesRegex(ValidationError, "lower than its reading"):
            self.reading(self.unit, 1250, 5)
        wrong.with_user(self.manager).action_void()
        self.assertEqual(self.unit.last_reading_value, 0)
        self.reading(self.unit, 1250, 5)
        self.assertEqual(self.unit.last_reading_value, 1250)
        # history: still there, with who voided it and when
        self.assertIn(wrong, self.unit.reading_ids)
        self.assertTrue(wrong.voided)
        self.assertEqual(wrong.voided_by_id, self.manager)
        self.assertTrue(wrong.voided_date)
        self.assertEqual(wrong.value, 1e12)
        body = self.unit.message_ids[0].body
        self.assertIn("1,000,000,000,000.0", body)
        self.assertIn(self.manager.name, body)

    def test_voided_reading_out_of_the_trend_and_the_plan(self):
        self.reading(self.unit, 0, 30)
        self.reading(self.unit, 100, 20)
        wrong = self.reading(self.unit, 900, 15)
        plan = self.plan(interval_type="meter", meter_interval=300, meter_start=0)
        with self.assertRaisesRegex(ValidationError, "lower than its reading 900"):
            self.reading(self.unit, 200, 10)
        wrong.with_user(self.manager).action_void()
        self.reading(self.unit, 200, 10)
        # 10 a day through 0, 100, 200: 300 today
        self.assertEqual(self.unit._service_projected_date(300), self.today)
        self.assertEqual(plan.next_date, self.today)

    def test_voiding_a_new_meter_keeps_the_meter_running_forward(self):
        """The attacker review: voiding the new meter left 100, 200, 300, 40,
        80 with no new meter, and the plan without a date."""
        self.reading(self.unit, 100, 30)
        self.reading(self.unit, 200, 20)
        self.reading(self.unit, 300, 10)
        replaced = self.reading(self.unit, 0, 6, meter_replaced=True)
        later = self.reading(self.unit, 40, 4) | self.reading(self.unit, 80, 1)
        plan = self.plan(interval_type="meter", meter_interval=200, meter_start=100)
        next_date = plan.next_date
        with self.assertRaisesRegex(
            UserError, r"its reading 40.0 of .* lower than its reading 300.0"
        ):
            replaced.with_user(self.manager).action_void()
        self.assertFalse(replaced.voided)
        self.assertEqual(plan.next_date, next_date)
        # with its readings it goes
        (replaced | later).with_user(self.manager).action_void()
        self.assertEqual(self.unit.last_reading_value, 300)
        self.assertTrue(all(self.unit.reading_ids.filtered("meter_replaced").mapped("voided")))

    def test_voiding_a_reading_of_the_old_meter(self):
        self.reading(self.unit, 100, 30)
        wrong = self.reading(self.unit, 300, 10)
        self.reading(self.unit, 0, 6, meter_replaced=True)
        self.reading(self.unit, 400, 4)
        # 100 before 400 once the new meter is voided too: it runs forward
        (wrong | self.unit.reading_ids.filtered("meter_replaced")).with_user(
            self.manager
        ).action_void()
        self.assertEqual(self.unit.last_reading_value, 400)

    def test_void_once(self):
        wrong = self.reading(self.unit, 500, 3)
        messages = len(self.unit.message_ids)
        self.assertIs(wrong.with_user(self.manager).action_void(), True)
        voided_on = wrong.voided_date
        self.assertIs(wrong.with_user(self.manager).action_void(), True)
        self.assertEqual(wrong.voided_date, voided_on)
        self.assertEqual(len(self.unit.message_ids), messages + 1)

    def test_only_a_manager_voids(self):
        reading = self.reading(self.unit, 500, 3)
        portal = new_test_user(self.env, login="sm_void_portal", groups="base.group_portal")
        for user in (self.tech_boilers, portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                reading.with_user(user).action_void()
        self.assertFalse(reading.voided)
        # nor around the button
        for vals in ({"voided": True}, {"voided_by_id": self.manager.id}):
            with self.assertRaisesRegex(UserError, "Void button"):
                reading.with_user(self.manager).write(vals)
        with self.assertRaisesRegex(UserError, "voided once recorded"):
            self.Reading.with_user(self.manager).create(
                {"equipment_id": self.unit.id, "value": 600, "voided": True}
            )
        self.assertFalse(reading.voided)
        self.assertEqual(len(self.unit.reading_ids), 1)

    def test_missing_reading(self):
        with self.assertRaises(MissingError):
            self.Reading.browse(10**9).with_user(self.manager).action_void()


@tagged("post_install", "-at_install", "service_suite")
class TestReadingVoidRpc(HttpCase, MeterCase):
    """Over XML-RPC: a technician and a portal user are refused, a service
    manager voids."""

    def _void(self, user, password, reading):
        return self.xmlrpc_object.execute_kw(
            get_db_name(),
            user.id,
            password,
            "service.equipment.reading",
            "action_void",
            [reading.ids],
        )

    def test_void_over_rpc(self):
        reading = self.reading(self.unit, 500, 3)
        portal = new_test_user(
            self.env,
            login="sm_void_rpc_portal",
            password="sm_void_rpc_portal",
            groups="base.group_portal",
        )
        for user in (self.tech_boilers, portal):
            with (
                self.subTest(user=user.login),
                mute_logger("odoo.http"),
                self.assertRaises(xmlrpc.client.Fault) as refusal,
            ):
                self._void(user, user.login, reading)
            self.assertEqual(refusal.exception.faultCode, 4, "an access error")
        reading.invalidate_recordset()
        self.assertFalse(reading.voided)
        self.assertIs(self._void(self.manager, self.manager.login, reading), True)
        reading.invalidate_recordset()
        self.assertTrue(reading.voided)
        self.assertEqual(reading.voided_by_id, self.manager)
