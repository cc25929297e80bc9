import re
import xmlrpc.client
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.service_repair.tests.common import ServiceRepairCase


class VisitCase(ServiceRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Visit = cls.env["service.visit"]
        # Every day 08:00-12:00 and 13:00-17:00 UTC: the tests do not depend
        # on the weekday they run on.
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "SF every day",
                "tz": "UTC",
                "attendance_ids": [
                    fields.Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(7)
                    for period, hour_from, hour_to in (
                        ("morning", 8, 12),
                        ("afternoon", 13, 17),
                    )
                ],
            }
        )
        cls.company.resource_calendar_id = cls.calendar
        for tech in cls.tech_boilers | cls.tech_boilers2 | cls.tech_climate:
            cls.env["resource.resource"].create(
                {
                    "name": tech.name,
                    "user_id": tech.id,
                    "calendar_id": cls.calendar.id,
                    "company_id": cls.company.id,
                    "tz": "UTC",
                }
            )
        cls.tomorrow = fields.Date.today() + timedelta(days=1)
        cls.request = cls.Request.create(
            {
                "subject": "SF boiler leaks",
                "partner_id": cls.customer.id,
                "equipment_id": cls.unit.id,
                "team_id": cls.team.id,
            }
        )

    def at(self, hour, minute=0, days=0):
        return datetime.combine(self.tomorrow + timedelta(days=days), time(hour, minute))

    def visit(self, user=None, start=9, end=11, request=None, **vals):
        return self.Visit.create(
            {
                "request_id": (request or self.request).id,
                "user_id": (user or self.tech_boilers).id,
                "date_start": self.at(start) if isinstance(start, int) else start,
                "date_end": self.at(end) if isinstance(end, int) else end,
                **vals,
            }
        )


@tagged("post_install", "-at_install", "service_suite")
class TestVisitConflicts(VisitCase):
    """No technician is in two places at once."""

    def test_an_overlapping_visit_is_refused_naming_the_other(self):
        first = self.visit(start=9, end=11)
        other_request = self.Request.create(
            {"subject": "SF second", "partner_id": self.customer.id, "team_id": self.team.id}
        )
        with self.assertRaises(ValidationError) as caught:
            self.visit(start=10, end=12, request=other_request)
        self.assertIn(first.name, str(caught.exception))
        self.assertIn(self.request.name, str(caught.exception))
        self.assertEqual(self.Visit.search_count([("user_id", "=", self.tech_boilers.id)]), 1)

    def test_the_refusal_in_russian_names_the_technician_undeclined(self):
        # «У инженера Мария Кузнецова» declined the title but not the name:
        # the name stands alone, before a colon.
        self.env["res.lang"]._activate_lang("ru_RU")
        first = self.visit(start=9, end=11)
        self.assertEqual(first.with_context(lang="ru_RU")._creation_message(), "Выезд запланирован")
        other_request = self.Request.create(
            {"subject": "SF second", "partner_id": self.customer.id, "team_id": self.team.id}
        )
        with self.assertRaises(ValidationError) as caught:
            self.Visit.with_context(lang="ru_RU").create(
                {
                    "request_id": other_request.id,
                    "user_id": self.tech_boilers.id,
                    "date_start": self.at(10),
                    "date_end": self.at(12),
                }
            )
        self.assertTrue(
            str(caught.exception).startswith(
                f"{self.tech_boilers.name}: уже запланирован выезд {first.name}"
            ),
            caught.exception,
        )

    def test_moving_a_visit_onto_another_is_refused(self):
        self.visit(start=9, end=11)
        later = self.visit(start=13, end=15)
        with self.assertRaises(ValidationError):
            later.date_start = self.at(10)
        with self.assertRaises(ValidationError):
            later.write({"date_start": self.at(8), "date_end": self.at(14)})

    def test_back_to_back_visits_and_other_technicians_fit(self):
        self.visit(start=9, end=11)
        self.visit(start=11, end=12)  # starts when the other ends
        self.visit(user=self.tech_boilers2, start=9, end=11)
        self.assertEqual(self.Visit.search_count([("request_id", "=", self.request.id)]), 3)

    def test_one_batch_checks_its_visits_against_each_other(self):
        def vals(user, start, end, days=0):
            return {
                "request_id": self.request.id,
                "user_id": user.id,
                "date_start": self.at(start, days=days),
                "date_end": self.at(end, days=days),
            }

        # unsorted, back to back, another technician at the same time: it fits
        fitting = self.Visit.create(
            [
                vals(self.tech_boilers, 13, 15),
                vals(self.tech_boilers, 9, 11),
                vals(self.tech_boilers2, 9, 16),
                vals(self.tech_boilers, 11, 13),
            ]
        )
        self.assertEqual(len(fitting), 4)
        # a long visit listed first, a short one inside it listed last: refused
        with self.assertRaisesRegex(ValidationError, "overlap"):
            self.Visit.create(
                [
                    vals(self.tech_boilers, 8, 16, days=1),
                    vals(self.tech_boilers2, 8, 9, days=1),
                    vals(self.tech_boilers, 15, 16, days=1),
                ]
            )

    def test_a_cancelled_visit_frees_the_time_and_cannot_come_back_over_another(self):
        first = self.visit(start=9, end=11)
        first.action_cancel()
        second = self.visit(start=9, end=11)
        self.assertEqual(second.state, "planned")
        with self.assertRaises(ValidationError):
            first.action_replan()
        self.assertEqual(first.state, "cancelled")

    def test_the_database_refuses_an_overlap_the_check_did_not_see(self):
        """The exclusion constraint holds when the Python check is skipped
        (a concurrent transaction's visit is not in this one's snapshot)."""
        self.visit(start=9, end=11)
        self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(Exception) as caught:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "INSERT INTO service_visit (name, request_id, company_id, user_id, date_start,"
                    " date_end, state) VALUES ('X', %s, %s, %s, %s, %s, 'planned')",
                    (
                        self.request.id,
                        self.company.id,
                        self.tech_boilers.id,
                        self.at(10),
                        self.at(12),
                    ),
                )
        self.assertEqual(caught.exception.pgcode, "23P01")  # exclusion_violation


@tagged("post_install", "-at_install", "service_suite")
class TestVisitBadInput(VisitCase):
    def assertRefused(self, error, **vals):
        before = self.Visit.search_count([])
        with self.assertRaises(error):
            self.visit(**vals)
        self.assertEqual(self.Visit.search_count([]), before)

    def test_end_before_start(self):
        self.assertRefused(ValidationError, start=11, end=9)
        self.assertRefused(ValidationError, start=11, end=11)

    def test_longer_than_a_day(self):
        self.assertRefused(ValidationError, start=self.at(8), end=self.at(9, days=1))

    def test_planned_in_the_past(self):
        past = fields.Datetime.now() - timedelta(days=2)
        self.assertRefused(ValidationError, start=past, end=past + timedelta(hours=1))

    def test_closed_request(self):
        self.request.action_close()
        self.assertRefused(UserError)

    def test_who_is_not_a_technician(self):
        clerk = new_test_user(self.env, login="sf_clerk", groups="base.group_user")
        portal = new_test_user(self.env, login="sf_portal", groups="base.group_portal")
        self.assertRefused(ValidationError, user=clerk)
        self.assertRefused(ValidationError, user=portal)

    def test_technician_of_another_company(self):
        other = self.env["res.company"].create({"name": "SF Other Co"})
        stranger = new_test_user(
            self.env,
            login="sf_stranger",
            groups="service_base.group_service_user",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertRefused(ValidationError, user=stranger)


@tagged("post_install", "-at_install", "service_suite")
class TestVisitWorkingHours(VisitCase):
    def test_outside_working_hours_warns(self):
        night = self.visit(start=self.at(19), end=self.at(21))
        self.assertIn("outside the working hours", night.schedule_warning)
        lunch = self.visit(start=self.at(11), end=self.at(14))  # a day's span takes lunch in
        self.assertFalse(lunch.schedule_warning)

    def test_time_off_warns(self):
        resource = self.tech_boilers.resource_ids
        self.env["resource.calendar.leaves"].create(
            {
                "name": "SF day off",
                "calendar_id": self.calendar.id,
                "resource_id": resource.id,
                "date_from": self.at(0),
                "date_to": self.at(23, 59),
            }
        )
        visit = self.visit(start=9, end=11)
        self.assertIn("time off", visit.schedule_warning)
        colleague = self.visit(user=self.tech_boilers2, start=9, end=11)
        self.assertFalse(colleague.schedule_warning)


@tagged("post_install", "-at_install", "service_suite")
class TestVisitStates(VisitCase):
    def test_the_day_of_a_visit(self):
        visit = self.visit(start=9, end=11).with_user(self.tech_boilers)
        self.assertIs(visit.action_start_travel(), True)
        self.assertEqual(visit.state, "on_the_way")
        self.assertTrue(visit.action_arrive())
        self.assertTrue(visit.action_finish())
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.date_arrival and visit.date_departure)
        self.assertGreaterEqual(visit.travel_hours, 0.0)

    def test_states_and_times_are_set_by_the_actions_only(self):
        visit = self.visit(start=9, end=11).with_user(self.tech_boilers)
        for vals in ({"state": "done"}, {"date_arrival": fields.Datetime.now()}):
            with self.assertRaises(UserError):
                visit.write(vals)
        self.assertEqual(visit.state, "planned")
        with self.assertRaises(UserError):
            self.Visit.with_user(self.tech_boilers).create(
                {
                    "request_id": self.request.id,
                    "user_id": self.tech_boilers.id,
                    "date_start": self.at(13),
                    "date_end": self.at(14),
                    "state": "done",
                }
            )

    def test_a_second_click_is_refused(self):
        visit = self.visit(start=9, end=11)
        visit.action_arrive()
        with self.assertRaises(UserError):
            visit.action_arrive()
        with self.assertRaises(UserError):
            visit.action_start_travel()

    def test_only_the_technician_or_a_manager_moves_a_visit(self):
        visit = self.visit(start=9, end=11)
        with self.assertRaises(UserError):
            visit.with_user(self.tech_climate).action_arrive()
        self.assertTrue(visit.with_user(self.manager).action_arrive())

    def test_the_request_is_scheduled_at_its_next_visit(self):
        later = self.visit(start=13, end=15)
        self.assertEqual(self.request.date_scheduled, later.date_start)
        sooner = self.visit(user=self.tech_boilers2, start=9, end=10)
        self.assertEqual(self.request.date_scheduled, sooner.date_start)
        sooner.action_cancel()
        self.assertEqual(self.request.date_scheduled, later.date_start)


@tagged("post_install", "-at_install", "service_suite")
class TestFindSlots(VisitCase):
    def test_first_free_slots_of_the_skilled_technicians(self):
        self.visit(start=8, end=10)  # tech_boilers is busy first thing
        slots = self.request.service_find_slots(2, fields.Datetime.to_string(self.at(0)), limit=2)
        self.assertEqual(
            [(s["user_id"], s["date_start"]) for s in slots],
            [
                (self.tech_boilers2.id, fields.Datetime.to_string(self.at(8))),
                (self.tech_boilers.id, fields.Datetime.to_string(self.at(10))),
            ],
        )
        # the climate technician has no skill for the boiler
        more = self.request.service_find_slots(2, fields.Datetime.to_string(self.at(0)), limit=10)
        self.assertNotIn(self.tech_climate.id, {s["user_id"] for s in more})
        # the answer marshals over XML-RPC
        xmlrpc.client.dumps((slots,), allow_none=False)

    def test_slots_lie_within_working_hours_around_visits(self):
        for tech in (self.tech_boilers, self.tech_boilers2):
            self.visit(user=tech, start=8, end=15)
        slots = self.request.service_find_slots(3, fields.Datetime.to_string(self.at(0)), limit=4)
        for slot in slots:
            start = fields.Datetime.to_datetime(slot["date_start"])
            end = fields.Datetime.to_datetime(slot["date_end"])
            self.assertGreaterEqual(start.time(), time(8))
            self.assertLessEqual(end.time(), time(17))
            self.assertGreaterEqual(start, self.at(15) if start.date() == self.tomorrow else start)
        # 15:00-17:00 is too short for three hours: the first slots are the next day
        self.assertEqual(slots[0]["date_start"], fields.Datetime.to_string(self.at(8, days=1)))

    def test_booking_a_slot(self):
        action = self.request.action_find_slot()
        wizard = self.env["service.slot.wizard"].browse(action["res_id"])
        self.assertTrue(wizard.line_ids)
        line = wizard.line_ids[0]
        result = line.action_book()
        visit = self.Visit.browse(result["res_id"])
        self.assertEqual(visit.user_id, line.user_id)
        self.assertEqual(self.request.user_id, line.user_id)
        self.assertEqual(self.request.date_scheduled, visit.date_start)

    def test_bad_arguments(self):
        for duration in (0, -1, 25, "x", None):
            with self.assertRaises(UserError):
                self.request.service_find_slots(duration)
        for limit in (0, 51, 2.5, "many"):
            with self.assertRaises(UserError):
                self.request.service_find_slots(1, limit=limit)
        with self.assertRaises(UserError):
            self.request.service_find_slots(1, date_from="tomorrow")
        with self.assertRaises(UserError):
            self.request.service_find_slots(1, date_from="2036-01-01 00:00:00")
        self.request.action_close()
        with self.assertRaises(UserError):
            self.request.service_find_slots(1)

    def test_no_technician_free_is_an_empty_answer(self):
        self.team.member_ids = self.tech_climate  # no skill for the boiler: anyone of the team
        self.tech_climate.service_capacity = 1
        self.Request.create(
            {
                "subject": "SF fills capacity",
                "partner_id": self.customer.id,
                "team_id": self.team.id,
                "user_id": self.tech_climate.id,
            }
        )
        self.assertEqual(self.request.service_find_slots(1), [])


@tagged("post_install", "-at_install", "service_suite")
class TestVisitSite(VisitCase):
    def test_the_site_and_its_route(self):
        site = self.env["res.partner"].create(
            {
                "name": "SF boiler room",
                "parent_id": self.customer.id,
                "type": "other",
                "street": "ул. Ленина, 5",
                "city": "Москва",
            }
        )
        self.unit.site_partner_id = site
        visit = self.visit()
        self.assertEqual(visit.site_partner_id, site)
        self.assertEqual(visit.site_address, "ул. Ленина, 5, Москва")
        self.assertEqual(
            visit.maps_url,
            "https://yandex.ru/maps/?text=%D1%83%D0%BB.+%D0%9B%D0%B5%D0%BD%D0%B8%D0%BD%D0%B0"
            "%2C+5%2C+%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0",
        )
        site.city = "Тверь"
        self.assertIn("%D0%A2%D0%B2%D0%B5%D1%80%D1%8C", visit.maps_url)
        bare = self.visit(
            start=13,
            end=14,
            site_partner_id=self.env["res.partner"].create({"name": "SF no address"}).id,
        )
        self.assertFalse(bare.maps_url)


@tagged("post_install", "-at_install", "service_suite")
class TestFindSlotsQueries(VisitCase):
    def _queries(self):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.request.service_find_slots(1, fields.Datetime.to_string(self.at(0)), limit=5)
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_visits_or_technicians(self):
        self._queries()  # warm the caches
        few = self._queries()
        extra = self.env["res.users"]
        for i in range(6):
            extra |= new_test_user(
                self.env, login=f"sf_extra_{i}", groups="service_base.group_service_user"
            )
        extra.service_skill_ids = self.skill_boilers
        for tech in extra:
            self.env["resource.resource"].create(
                {
                    "name": tech.name,
                    "user_id": tech.id,
                    "calendar_id": self.calendar.id,
                    "company_id": self.company.id,
                    "tz": "UTC",
                }
            )
        self.team.member_ids |= extra
        for tech in extra | self.tech_boilers:
            for hour in (8, 10, 13, 15):
                self.visit(user=tech, start=hour, end=hour + 1)
        self._queries()  # the registry's caches, cleared by the new users' groups
        self.assertEqual(self._queries(), few)


@tagged("post_install", "-at_install", "service_suite")
class TestVisitPlanning(VisitCase):
    """Findings of the attacker's review, as tests."""

    def test_a_technician_plans_only_their_own_visits(self):
        mine = self.visit(user=self.tech_boilers, start=9, end=10)
        theirs = self.visit(user=self.tech_boilers2, start=9, end=10)
        as_tech = self.Visit.with_user(self.tech_boilers)
        for visit, vals in (
            (theirs, {"user_id": self.tech_boilers.id}),  # taking over a colleague's
            (theirs, {"date_start": self.at(13), "date_end": self.at(14)}),
            (mine, {"user_id": self.tech_boilers2.id}),  # handing one's own to a colleague
        ):
            with self.assertRaises(UserError):
                as_tech.browse(visit.id).write(vals)
        with self.assertRaises(UserError):
            as_tech.create(
                {
                    "request_id": self.request.id,
                    "user_id": self.tech_boilers2.id,
                    "date_start": self.at(15),
                    "date_end": self.at(16),
                }
            )
        as_tech.browse(mine.id).write({"date_start": self.at(11), "date_end": self.at(12)})
        self.assertEqual(mine.date_start, self.at(11))
        self.Visit.with_user(self.manager).browse(theirs.id).user_id = self.tech_boilers
        self.assertEqual(theirs.user_id, self.tech_boilers)

    def test_a_visit_done_is_history(self):
        visit = self.visit(start=9, end=10)
        visit.action_arrive()
        visit.action_finish()
        for vals in (
            {"user_id": self.tech_boilers2.id},
            {"date_start": self.at(8)},
            {"request_id": self.Request.create({"subject": "SF other"}).id},
        ):
            with self.assertRaises(UserError):
                visit.with_user(self.manager).write(vals)

    def test_the_reference_is_the_sequence(self):
        with self.assertRaises(UserError):
            self.Visit.with_user(self.manager).create(
                {
                    "name": "VIS/FORGED",
                    "request_id": self.request.id,
                    "user_id": self.tech_boilers.id,
                    "date_start": self.at(9),
                    "date_end": self.at(10),
                }
            )
        visit = self.visit(start=9, end=10)
        with self.assertRaises(UserError):
            visit.with_user(self.manager).name = "HACKED"
        self.assertTrue(visit.name.startswith("VIS/"))

    def test_a_refused_visit_takes_no_number(self):
        first = self.visit(start=9, end=10)
        with self.assertRaises(ValidationError):
            self.visit(start=11, end=9)
        second = self.visit(start=11, end=12)
        self.assertEqual(int(second.name[-5:]), int(first.name[-5:]) + 1)

    def test_a_closed_request_takes_its_visits_along(self):
        planned = self.visit(start=9, end=10)
        on_site = self.visit(user=self.tech_boilers2, start=9, end=10)
        on_site.action_arrive()
        self.request.action_close()
        self.assertEqual(planned.state, "cancelled")
        self.assertEqual(on_site.state, "on_site", "the work under way is finished, not lost")
        self.assertTrue(on_site.action_finish())
        with self.assertRaises(UserError):
            planned.action_replan()
        closed = self.Request.create({"subject": "SF closed", "partner_id": self.customer.id})
        closed.action_close()
        open_request = self.Request.create(
            {"subject": "SF open", "partner_id": self.customer.id, "team_id": self.team.id}
        )
        other = self.visit(start=13, end=14, request=open_request)
        with self.assertRaises(UserError):
            other.request_id = closed

    def test_rpc_values_are_checked(self):
        visit = self.visit(start=9, end=10)
        for vals in (
            {"date_start": "garbage"},
            {"date_end": "2027-13-45 09:00:00"},
            {"user_id": "x"},
            {"user_id": 2_000_000_000},
        ):
            with self.assertRaises(UserError):
                visit.with_user(self.manager).write(vals)

    def test_the_site_is_of_the_visits_company(self):
        other = self.env["res.company"].create({"name": "SF Site Co"})
        stranger = self.env["res.partner"].create(
            {"name": "SF foreign site", "company_id": other.id}
        )
        with self.assertRaises(UserError):
            self.visit(start=9, end=10, site_partner_id=stranger.id)


@tagged("post_install", "-at_install", "service_suite")
class TestVisitForm(VisitCase):
    def test_a_new_visit_offers_the_requests(self):
        """A new visit has no company yet (it is its request's): a company
        check on the request field offered no request at all, and its quick
        create made an empty request with a taken number."""
        arch = self.Visit.with_user(self.manager).get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        field = re.search(r'<field name="request_id"[^>]*>', arch).group(0)
        self.assertNotIn("company_id", field)
        self.assertIn("no_create", field)
