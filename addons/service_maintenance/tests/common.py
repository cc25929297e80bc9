from datetime import timedelta

from odoo import Command, fields

from odoo.addons.service_repair.tests.common import ServiceRepairCase


class MaintenanceCase(ServiceRepairCase):
    """A company working every day 08:00-12:00 and 13:00-17:00 UTC (the tests
    do not depend on the weekday they run on), its technicians, and an active
    contract covering the boiler unit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "UTC"
        cls.Plan = cls.env["service.maintenance.plan"]
        cls.Reading = cls.env["service.equipment.reading"]
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "SM every day",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(7)
                    for period, hour_from, hour_to in (("morning", 8, 12), ("afternoon", 13, 17))
                ],
            }
        )
        cls.company.resource_calendar_id = cls.calendar
        for tech in cls.tech_boilers | cls.tech_boilers2 | cls.tech_climate:
            tech.tz = "UTC"
            cls.env["resource.resource"].create(
                {
                    "name": tech.name,
                    "user_id": tech.id,
                    "calendar_id": cls.calendar.id,
                    "company_id": cls.company.id,
                    "tz": "UTC",
                }
            )
        cls.rule = cls.env["service.dispatch.rule"].create(
            {"name": "SM rule", "sequence": -100, "team_id": cls.team.id}
        )
        cls.today = fields.Date.context_today(cls.env.user)
        cls.hotline = cls.env["product.product"].create(
            {"name": "SM hotline", "type": "service", "sale_ok": True}
        )
        cls.contract = cls.env["service.contract"].create(
            {
                "partner_id": cls.customer.id,
                "date_start": cls.today - timedelta(days=30),
                "date_end": cls.today + timedelta(days=300),
                "line_ids": [
                    Command.create({"equipment_id": cls.unit.id, "name": "SM boiler"}),
                    Command.create({"equipment_id": cls.aircon_unit.id, "name": "SM aircon"}),
                    Command.create({"product_id": cls.hotline.id}),
                ],
            }
        )
        cls.contract.action_activate()
        cls.line_boiler, cls.line_aircon, cls.line_hotline = cls.contract.line_ids

    @classmethod
    def plan(cls, **vals):
        return cls.Plan.create(
            {
                "name": "SM plan",
                "equipment_id": cls.unit.id,
                "interval_type": "month",
                "interval": 1,
                "date_first": cls.today + timedelta(days=2),
                "duration_hours": 2,
                **vals,
            }
        )

    @classmethod
    def moment(cls, days_ago):
        """A minute ago, ``days_ago`` whole days before: readings are never
        in the future, and trends between them are whole days whatever the
        hour the tests run (a fixed 07:00 was in the future, and a trend
        from it off by hours, when they ran before 07:00 UTC)."""
        now = fields.Datetime.now().replace(second=0, microsecond=0)
        return now - timedelta(days=days_ago, minutes=1)

    @classmethod
    def reading(cls, unit, value, days_ago, **vals):
        moment = cls.moment(days_ago)
        return cls.Reading.create({"equipment_id": unit.id, "value": value, "date": moment, **vals})
