from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRequestKpis(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="sm_kpi_manager", groups="service_base.group_service_manager"
        )
        cls.technician = new_test_user(
            cls.env, login="sm_kpi_tech", groups="service_base.group_service_user"
        )
        cls.team = cls.env["service.team"].create(
            {
                "name": "KPI team",
                "user_id": cls.manager.id,
                "member_ids": [(6, 0, cls.technician.ids)],
            }
        )
        model = cls.env["product.product"].create(
            {"name": "KPI Boiler", "is_storable": True, "tracking": "serial", "is_equipment": True}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "KPI Customer", "email": "kpi@example.com"}
        )
        cls.unit = cls.env["service.equipment"].create(
            {
                "product_id": model.id,
                "lot_id": cls.env["stock.lot"].create({"name": "KPI-1", "product_id": model.id}).id,
                "partner_id": cls.customer.id,
            }
        )
        cls.done_stage = cls.env.ref("service_repair.stage_done")
        # Known state for the hand counts below.
        cls.env["service.request"].search([]).write({"active": False})

    def _request(self, **vals):
        values = {
            "partner_id": self.customer.id,
            "equipment_id": self.unit.id,
            "request_type": "repair",
            "description": "Does not heat",
            "team_id": self.team.id,
        }
        values.update(vals)
        return self.env["service.request"].create(values)

    def _finish_repair(self, request, days_ago):
        repair = self.env["repair.order"].create(
            {
                "product_id": self.unit.product_id.id,
                "lot_id": self.unit.lot_id.id,
                "partner_id": self.customer.id,
                "request_id": request.id,
                "equipment_id": self.unit.id,
                "user_id": self.technician.id,
                "state": "done",
            }
        )
        repair.service_date_done = fields.Datetime.now() - timedelta(days=days_ago)
        return repair

    def test_comeback_within_window_is_rework_of_first_repair(self):
        first = self._request()
        repair = self._finish_repair(first, days_ago=10)
        self.env.company.service_rework_days = 30
        comeback = self._request()
        self.assertTrue(comeback.is_rework)
        self.assertEqual(comeback.rework_repair_id, repair)
        self.assertEqual(comeback.rework_technician_id, self.technician)
        consultation = self._request(request_type="consultation")
        self.assertFalse(consultation.is_rework, "a question is not a comeback")

        self.env.company.service_rework_days = 5
        late = self._request()
        self.assertFalse(late.is_rework, "outside the window the unit simply failed again")

    def test_low_rating_opens_a_call_for_the_team_leader(self):
        request = self._request()
        request.write({"stage_id": self.done_stage.id})
        request.rating_apply(1, token=request._rating_get_access_token(), feedback="Nobody came")
        activity = request.activity_ids.filtered(lambda a: "Low rating" in a.summary)
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("Nobody came", activity.note)
        happy = self._request()
        happy.write({"stage_id": self.done_stage.id})
        happy.rating_apply(5, token=happy._rating_get_access_token())
        self.assertFalse(happy.activity_ids.filtered(lambda a: "Low rating" in (a.summary or "")))

    def test_satisfaction_counts_only_the_current_companies(self):
        happy = self._request()
        happy.rating_apply(5, token=happy._rating_get_access_token())
        other_company = self.env["res.company"].create({"name": "KPI Other Co"})
        elsewhere = self.env["service.request"].create(
            {
                "partner_id": self.customer.id,
                "company_id": other_company.id,
                "description": "Another company's request",
            }
        )
        elsewhere.rating_apply(1, token=elsewhere._rating_get_access_token())
        self.env.flush_all()

        dashboard = self.env["service.kpi.dashboard"].with_user(self.manager)
        kpis = {k["key"]: k for k in dashboard.get_kpis()}
        self.assertEqual(kpis["csat"]["value"], 100.0)
        self.assertEqual(kpis["rating_avg"]["value"], 5.0)
        for key in ("csat", "rating_avg"):
            action = kpis[key]["action"]
            self.assertEqual(
                self.env[action["res_model"]].with_user(self.manager).search(action["domain"]),
                happy,
            )
        self.manager.company_ids |= other_company
        both = dashboard.with_context(allowed_company_ids=(self.env.company | other_company).ids)
        kpis = {k["key"]: k for k in both.get_kpis()}
        self.assertEqual(kpis["csat"]["value"], 50.0)
        self.assertEqual(kpis["rating_avg"]["value"], 3.0)

    def test_dashboard_figures_match_hand_counts(self):
        now = fields.Datetime.now()
        on_time = self._request()
        on_time.write({"date_deadline": now + timedelta(hours=5), "stage_id": self.done_stage.id})
        late = self._request()
        late.write({"date_deadline": now - timedelta(hours=5), "stage_id": self.done_stage.id})
        still_open = self._request()
        self._finish_repair(on_time, days_ago=1)
        comeback = self._request()  # a rework of on_time's repair
        self.assertTrue(comeback.is_rework)
        on_time.rating_apply(5, token=on_time._rating_get_access_token())
        late.rating_apply(2, token=late._rating_get_access_token())
        self.env.flush_all()

        kpis = {
            k["key"]: k
            for k in self.env["service.kpi.dashboard"].with_user(self.manager).get_kpis()
        }
        self.assertEqual(kpis["backlog_open"]["value"], 2)  # still_open, comeback
        self.assertEqual(kpis["sla_resolution"]["value"], 50.0)
        late_action = kpis["sla_resolution"]["action"]
        self.assertEqual(self.env["service.request"].search(late_action["domain"]), late)
        self.assertEqual(kpis["rework_rate"]["value"], 25.0)  # 1 comeback of 4 requests
        self.assertEqual(kpis["first_time_fix"]["value"], 75.0)
        self.assertEqual(kpis["csat"]["value"], 50.0)
        self.assertEqual(kpis["rating_avg"]["value"], 3.5)
        self.assertIsInstance(kpis["mttr"]["value"], float)
        self.assertIn(
            still_open, self.env["service.request"].search(kpis["backlog_open"]["action"]["domain"])
        )

    def test_forecast_wizard_on_a_weekly_history(self):
        Request = self.env["service.request"]
        wizard_model = self.env["service.forecast.wizard"].with_user(self.manager)
        this_week = wizard_model._week_start(fields.Date.context_today(wizard_model))
        vals_list = []
        for week in range(1, 13):
            day = this_week - timedelta(weeks=week) + timedelta(days=1)
            # 3 requests a week, 5 every fourth week.
            for __ in range(5 if week % 4 == 0 else 3):
                vals_list.append((day, {"partner_id": self.customer.id, "request_type": "repair"}))
        requests = Request.create([vals for __, vals in vals_list])
        for request, (day, __) in zip(requests, vals_list, strict=True):
            self.env.cr.execute(
                "UPDATE service_request SET create_date = %s WHERE id = %s",
                (fields.Datetime.to_datetime(day), request.id),
            )
        Request.invalidate_model(["create_date"])
        counts = [count for __, count in wizard_model._weekly_counts(12)]
        self.assertEqual(sum(counts), 3 * 9 + 5 * 3)
        wizard = wizard_model.create({"history_weeks": 12, "horizon": 4, "team_id": False})
        self.assertEqual(len(wizard.line_ids), 4)
        self.assertEqual(set(wizard.line_ids.mapped("request_type")), {"repair"})
        total = sum(wizard.line_ids.mapped("forecast"))
        self.assertGreater(total, 10)
        self.assertLess(total, 18)
        self.assertGreater(wizard.capacity_per_week, 0)
        # What the manager reads: the model by name, the history it learnt from,
        # a breadcrumb that is not «service.forecast.wizard,3» (the role review).
        self.assertEqual(wizard.history_requests, 3 * 9 + 5 * 3)
        self.assertIn(wizard.model_used, ("holt", "holt_winters", "mean"))
        labels = dict(wizard._fields["model_used"]._description_selection(self.env))
        self.assertNotIn("_", labels[wizard.model_used])
        self.assertEqual(wizard.display_name, "Workload Forecast")

    def test_weekly_history_cuts_weeks_at_monday_midnight_local_time(self):
        wizard_model = (
            self.env["service.forecast.wizard"].with_user(self.manager).with_context(tz="UTC")
        )
        this_week = wizard_model._week_start(fields.Date.context_today(wizard_model))
        monday = this_week - timedelta(weeks=1)
        sunday_night = fields.Datetime.to_datetime(monday) - timedelta(hours=1)
        # 23:00 UTC on Sunday is 02:00 on Monday in Moscow (UTC+3 all year).
        requests = self._request() | self._request(request_type="consultation")
        self.env.cr.execute(
            "UPDATE service_request SET create_date = %s WHERE id IN %s",
            (sunday_night, tuple(requests.ids)),
        )
        requests.invalidate_recordset(["create_date"])

        in_utc = wizard_model._weekly_history(2, by_type=True)
        self.assertEqual(
            in_utc, [(monday - timedelta(weeks=1), {"repair": 1, "consultation": 1}), (monday, {})]
        )
        moscow = wizard_model.with_context(tz="Europe/Moscow")
        self.assertEqual(moscow._weekly_counts(2), [(monday - timedelta(weeks=1), 0), (monday, 2)])

    def test_weekly_history_follows_daylight_saving_time(self):
        # Berlin: UTC+2 in summer, UTC+1 in winter. Today is in winter; a
        # request at 00:30 on a summer Monday (22:30 UTC on Sunday) belongs
        # to that Monday's week, one at 23:30 on the Sunday before to the
        # week before, whatever today's offset.
        wizard_model = (
            self.env["service.forecast.wizard"]
            .with_user(self.manager)
            .with_context(tz="Europe/Berlin")
        )
        monday_night, sunday_night = self._request(), self._request()
        self._set_dates(monday_night, "2026-07-05 22:30:00")
        self._set_dates(sunday_night, "2026-07-05 21:30:00")
        with freeze_time("2026-11-27 12:00:00"):
            weeks = dict(wizard_model._weekly_counts(30))
        self.assertEqual(weeks[date(2026, 7, 6)], 1)
        self.assertEqual(weeks[date(2026, 6, 29)], 1)
        # And in winter, across the change of October 25th: 23:30 UTC on
        # Sunday, November 1st, is 00:30 on Monday in Berlin.
        winter = self._request()
        self._set_dates(winter, "2026-11-01 23:30:00")
        with freeze_time("2026-11-27 12:00:00"):
            weeks = dict(wizard_model._weekly_counts(30))
        self.assertEqual(weeks[date(2026, 11, 2)], 1)
        self.assertEqual(sum(weeks.values()), 3)

    def test_dashboard_figures_are_one_query_each(self):
        dashboard = self.env["service.kpi.dashboard"].with_user(self.manager)
        self._request()
        self.env.flush_all()
        dashboard.get_kpis()  # warm the caches (record rules, groups)
        for method in ("_kpi_backlog", "_kpi_new_requests", "_kpi_closed_requests"):
            with self.assertQueryCount(1):
                getattr(dashboard, method)()
        with self.assertQueryCount(1):
            dashboard.env["service.forecast.wizard"]._weekly_counts(104)

    def test_meeting_planned_from_a_request(self):
        request = self._request()
        action = request.with_user(self.manager).action_service_schedule_meeting()
        event = (
            self.env["calendar.event"]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create(
                {
                    "start": fields.Datetime.now() + timedelta(days=1),
                    "stop": fields.Datetime.now() + timedelta(days=1, hours=1),
                }
            )
        )
        self.assertEqual(event.res_model, "service.request")
        self.assertEqual(event.res_id, request.id)
        self.assertIn(self.customer, event.partner_ids)
        self.assertEqual(request.service_meeting_count, 1)
        self.assertEqual(self.env["calendar.event"].search(action["domain"]), event)

    def _set_dates(self, request, created, closed=None):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE service_request SET create_date = %s, date_closed = %s WHERE id = %s",
            (created, closed, request.id),
        )
        request.invalidate_recordset(["create_date", "date_closed"])

    def test_period_of_the_figures(self):
        # Requests created and closed at the edges of March 2026 in Moscow
        # time (UTC+3): the period's days are the user's.
        self.manager.tz = "Europe/Moscow"
        done = {"stage_id": self.done_stage.id}
        before = self._request()
        before.write(done)
        first = self._request()
        first.write(done)
        last = self._request()
        last.write(done)
        after = self._request()
        after.write(done)
        self._set_dates(before, "2026-02-28 20:59:59", "2026-02-28 20:59:59")  # 23:59 Feb 28
        self._set_dates(first, "2026-02-28 21:00:00", "2026-03-01 09:00:00")  # 00:00 Mar 1
        self._set_dates(last, "2026-03-31 20:59:59", "2026-03-31 20:59:59")  # 23:59 Mar 31
        self._set_dates(after, "2026-03-31 21:00:00", "2026-04-02 09:00:00")  # 00:00 Apr 1
        dashboard = self.env["service.kpi.dashboard"].with_user(self.manager)

        def requests_behind(key, **period):
            kpi = {k["key"]: k for k in dashboard.get_kpis(**period)}[key]
            action = kpi["action"]
            return self.env[action["res_model"]].with_user(self.manager).search(action["domain"])

        march = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
        self.assertEqual(requests_behind("first_time_fix", **march), first | last)
        self.assertEqual(requests_behind("mttr", **march), first | last)
        self.assertEqual(
            requests_behind("first_time_fix", date_from="2026-03-31", date_to="2026-04-01"),
            last | after,
        )
        one_day = {"date_from": "2026-02-28", "date_to": "2026-02-28"}
        self.assertEqual(requests_behind("mttr", **one_day), before)
        # By default: the last 90 days up to today, none of these.
        self.assertFalse(requests_behind("first_time_fix") & (before | first | last | after))
        # Bad periods: a translated refusal, never a wrong figure.
        for bad in (
            {"date_from": "2026-04-01", "date_to": "2026-03-01"},
            {"date_from": "0001-01-01", "date_to": "2026-03-01"},
            {"date_from": "2026-01-01", "date_to": "9999-12-31"},
            {"date_from": "March", "date_to": "2026-03-01"},
        ):
            with self.subTest(**bad), self.assertRaises(UserError):
                dashboard.get_kpis(**bad)
        # A time zone the client made up: the days are UTC's (as for Odoo's
        # today), Feb 28 21:00 UTC is on Feb 28.
        kpis = {k["key"]: k for k in dashboard.with_context(tz="Mars/Olympus").get_kpis(**march)}
        action = kpis["first_time_fix"]["action"]
        self.assertEqual(self.env["service.request"].search(action["domain"]), last | after)

    def test_periods_offered(self):
        dashboard = self.env["service.kpi.dashboard"].with_user(self.manager)
        with freeze_time("2026-05-20 12:00:00"):
            periods = {p["key"]: (p["date_from"], p["date_to"]) for p in dashboard.get_periods()}
        self.assertEqual(periods["last_90"], ("2026-02-20", "2026-05-20"))
        self.assertEqual(periods["last_30"], ("2026-04-21", "2026-05-20"))
        self.assertEqual(periods["this_month"], ("2026-05-01", "2026-05-20"))
        self.assertEqual(periods["last_month"], ("2026-04-01", "2026-04-30"))
        self.assertEqual(periods["this_quarter"], ("2026-04-01", "2026-05-20"))
        self.assertEqual(periods["last_quarter"], ("2026-01-01", "2026-03-31"))
        self.assertEqual(periods["this_year"], ("2026-01-01", "2026-05-20"))
        self.assertEqual(periods["last_year"], ("2025-01-01", "2025-12-31"))
        self.assertEqual(list(periods)[0], "last_90")

    def test_team_performance_counts_no_negative_hours(self):
        """A request recorded after it was closed (an import) showed «-0.00»
        hours in Team Performance; the pivot lists closed requests by type."""
        request = self._request()
        request.write({"stage_id": self.done_stage.id})
        self._set_dates(request, "2026-03-01 10:00:00", "2026-03-01 09:00:00")
        self.env.add_to_compute(request._fields["resolution_hours"], request)
        request._recompute_recordset(["resolution_hours"])
        self.assertEqual(request.resolution_hours, 0.0)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_manager.service_request_action_team_performance"
        )
        self.assertIn("search_default_closed", action["context"])
        arch = self.env.ref("service_manager.service_request_view_pivot_team").arch
        self.assertNotIn('name="is_closed"', arch)
