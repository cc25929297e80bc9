import subprocess
import tempfile
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.service_base.tests.common import TourDataCase


def _round_up_quarter(moment):
    return (
        moment
        + timedelta(minutes=-moment.minute % 15)
        - timedelta(seconds=moment.second, microseconds=moment.microsecond)
    )


class PlanningData:
    """The demo's service manager E. Orlova in Russian, a technician working
    round the clock with another visit three hours from now, a customer's
    request waiting for a visit, its contract and monthly maintenance."""

    @classmethod
    def _setup_planning(cls):
        env = cls.env
        env["res.lang"]._activate_lang("ru_RU")
        cls.manager = env.ref("service_base.user_service_manager_orlova")
        cls.manager.write({"password": "e.orlova", "lang": "ru_RU", "tz": "Europe/Moscow"})
        env["service.dispatch.rule"].search([]).active = False
        # The technician works round the clock: the first free slot is the
        # next quarter of an hour, whenever the test runs.
        calendar = env["resource.calendar"].create(
            {
                "name": "Тур круглосуточно",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        }
                    )
                    for day in range(7)
                ],
            }
        )
        cls.tech = new_test_user(
            env,
            login="mgr_tour_tech",
            name="Тур Инженер Планов",
            groups="service_base.group_service_user",
            lang="ru_RU",
            tz="Europe/Moscow",
        )
        env["resource.resource"].create(
            {
                "name": cls.tech.name,
                "user_id": cls.tech.id,
                "calendar_id": calendar.id,
                "company_id": env.company.id,
                "tz": "UTC",
            }
        )
        cls.tech.service_capacity = 0
        team = env["service.team"].create(
            {"name": "Тур Бригада планов", "member_ids": [Command.set(cls.tech.ids)]}
        )
        boiler = env["product.product"].create(
            {
                "name": "Тур котёл КВ-2",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        cls.customer, neighbour = env["res.partner"].create(
            [
                {"name": "ООО «Тур Котельная»", "is_company": True, "lang": "ru_RU"},
                {"name": "ООО «Тур Соседи»", "is_company": True, "lang": "ru_RU"},
            ]
        )
        lot = env["stock.lot"].create({"name": "TOUR-KV-1", "product_id": boiler.id})
        cls.unit = env["service.equipment"].create(
            {"product_id": boiler.id, "lot_id": lot.id, "partner_id": cls.customer.id}
        )
        Request = env["service.request"]
        cls.request = Request.create(
            {
                "subject": "Тур: котёл не держит температуру",
                "partner_id": cls.customer.id,
                "equipment_id": cls.unit.id,
                "team_id": team.id,
                "request_type": "repair",
            }
        )
        # The technician's other visit, three hours from now: the slot found
        # comes before it, the overlapping move lands on it.
        start = _round_up_quarter(fields.Datetime.now()) + timedelta(hours=3)
        other_request = Request.create(
            {
                "subject": "Тур: соседний объект",
                "partner_id": neighbour.id,
                "team_id": team.id,
                "user_id": cls.tech.id,
            }
        )
        cls.other = env["service.visit"].create(
            {
                "request_id": other_request.id,
                "user_id": cls.tech.id,
                "date_start": start,
                "date_end": start + timedelta(hours=2),
            }
        )
        # The customer's contract and its monthly maintenance: the schedule's rows.
        today = fields.Date.context_today(cls.manager)
        cls.contract = env["service.contract"].create(
            {
                "partner_id": cls.customer.id,
                "title": "Тур обслуживание котельной",
                "date_start": today - timedelta(days=30),
                "date_end": today + timedelta(days=400),
                "line_ids": [Command.create({"equipment_id": cls.unit.id, "name": "Тур котёл"})],
            }
        )
        cls.contract.action_activate()
        cls.plan = env["service.maintenance.plan"].create(
            {
                "name": "Тур ежемесячное ТО котла",
                "equipment_id": cls.unit.id,
                "contract_id": cls.contract.id,
                "interval_type": "month",
                "interval": 1,
                "date_first": today + timedelta(days=5),
                "duration_hours": 2,
                "schedule_from": "schedule",
            }
        )


@tagged("post_install", "-at_install", "service_suite")
class TestManagerPlanningTour(PlanningData, TourDataCase):
    """The service manager's planning on a desktop, in Russian, as the demo's
    E. Orlova: a request's slot found and booked, the visit dragged on the
    planning timeline (onto the technician's other visit: refused, naming it;
    then to a free time), the contract's annual maintenance schedule (график
    ППР) shown and printed. The technician's day on a phone is service_field's
    tour (service_field/tests/test_visit_day_tour.py)."""

    browser_size = "1366x768"

    @classmethod
    def _setup_tour_data(cls):
        cls._setup_planning()

    def test_the_managers_planning_on_a_desktop(self):
        Report = self.env.registry["ir.actions.report"]
        render = Report._render_qweb_pdf
        printed = []

        def spy(report_self, report_ref, res_ids=None, data=None):
            # the web client's URL gives the ids in the context when a report has data
            ids = res_ids or report_self.env.context.get("active_ids") or ()
            printed.append((report_self.env.uid, report_ref, list(ids), data))
            return render(report_self, report_ref, res_ids, data=data)

        before = self.other.read(["date_start", "date_end"])[0]
        with patch.object(Report, "_render_qweb_pdf", spy):
            self.start_tour("/odoo", "service_manager_planning_tour", login="e.orlova", timeout=240)

        # the slot booked: a visit of the technician, planned, moved once on the
        # timeline to a free time after the other visit
        visit = self.request.visit_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual((visit.user_id, visit.state), (self.tech, "planned"))
        self.assertEqual(
            self.request.user_id, self.tech, "the request goes to the slot's technician"
        )
        self.assertEqual(visit.date_end - visit.date_start, timedelta(hours=2))
        self.assertGreaterEqual(visit.date_start, self.other.date_end, "moved past the other visit")
        self.assertEqual(self.other.read(["date_start", "date_end"])[0], before)
        self.assertEqual(self.request.date_scheduled, visit.date_start)
        # the schedule printed by the manager, for the customer
        self.assertEqual(
            [(uid, ref, ids) for uid, ref, ids, __ in printed],
            [
                (
                    self.manager.id,
                    "service_maintenance.report_maintenance_schedule_partner",
                    self.customer.ids,
                )
            ],
        )


@tagged("post_install", "-at_install", "service_suite")
class TestManagerPrintedSchedule(PlanningData, TransactionCase):
    """The PDF the manager prints (rendered by wkhtmltopdf outside an HTTP
    test: the tour's server would wait for itself to serve the PDF's styles)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_planning()

    def _pdf_text(self, pdf):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            return subprocess.run(
                ["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True
            ).stdout.decode()

    def test_the_printed_schedule_as_the_manager(self):
        """The landscape PDF of the contract's schedule, printed by the manager
        as the Print button asks it, in the customer's language."""
        self.env["ir.module.module"]._load_module_terms(
            ["service_maintenance"], ["ru_RU"], overwrite=True
        )
        year = fields.Date.context_today(self.manager).year
        wizard = (
            self.env["service.maintenance.schedule.wizard"]
            .with_user(self.manager)
            .create({"year": year, "contract_id": self.contract.id})
        )
        action = wizard.action_print()
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                action["report_name"], action["context"]["active_ids"], data=action["data"]
            )
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = self._pdf_text(pdf)
        self.assertIn(f"График ППР на {year}", text)
        self.assertIn("ООО «Тур Котельная»", text)
        self.assertIn(self.contract.name, text)
        self.assertIn("TOUR-KV-1", text)
        report = self.env["ir.actions.report"]._get_report(action["report_name"])
        self.assertEqual(report.paperformat_id.orientation, "Landscape")
