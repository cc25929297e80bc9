import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.service_base.tools import rpc_datetime, rpc_number, user_lang_env

_lt = LazyTranslate(__name__)

# The trend of a meter: a least-squares line through its last readings.
TREND_READINGS = 10
# Beyond a century a projection says nothing (and overflows a date).
MAX_PROJECTION_DAYS = 36500
# the trend's readings span at least this long (as the rise limit counts a
# day's worth at least)
MIN_TREND_SPAN = timedelta(days=1)


class ServiceEquipment(models.Model):
    _inherit = "service.equipment"

    reading_ids = fields.One2many(
        "service.equipment.reading",
        "equipment_id",
        string="Meter Readings",
        groups="service_base.group_service_user",
    )
    last_reading_value = fields.Float(
        string="Last Reading",
        compute="_compute_last_reading",
        store=True,
        digits=(16, 1),
        groups="base.group_user",
    )
    last_reading_date = fields.Datetime(
        string="Last Reading On",
        compute="_compute_last_reading",
        store=True,
        groups="base.group_user",
    )
    maintenance_plan_ids = fields.One2many(
        "service.maintenance.plan",
        "equipment_id",
        string="Maintenance Plans",
        groups="service_base.group_service_user",
    )

    @api.depends("reading_ids.value", "reading_ids.date", "reading_ids.voided")
    def _compute_last_reading(self):
        last = {}
        if self.ids:
            self.env["service.equipment.reading"].flush_model(
                ["equipment_id", "date", "value", "voided"]
            )
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (equipment_id) equipment_id, value, date
                      FROM service_equipment_reading
                     WHERE equipment_id = ANY(%s) AND voided IS NOT TRUE
                     ORDER BY equipment_id, date DESC, id DESC
                    """,
                    list(self.ids),
                )
            )
            last = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for unit in self:
            value, date = last.get(unit.id, (0.0, False))
            unit.last_reading_value = value
            unit.last_reading_date = date

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {"last_reading_value", "last_reading_date"}

    def service_add_reading(self, value, date=False, meter_replaced=False, source="rpc"):
        """Record a meter reading of this unit: ``value`` (>= 0, not lower
        than the last reading unless ``meter_replaced``), ``date`` (UTC
        "YYYY-MM-DD HH:MM:SS", not in the future; now by default).

        Returns the id of the new reading (``service.equipment.reading``);
        a refused reading raises a ValidationError and records nothing."""
        env = user_lang_env(self.env)
        if len(self) != 1:
            raise UserError(env._("A reading is recorded for one unit at a time."))
        reading = self.env["service.equipment.reading"].create(
            {
                "equipment_id": self.id,
                "value": rpc_number(env, value, _lt("Reading")),
                "date": rpc_datetime(env, date, _lt("Date")) or fields.Datetime.now(),
                "meter_replaced": bool(meter_replaced),
                "source": source if source in ("manual", "visit", "portal", "rpc") else "rpc",
            }
        )
        return reading.id

    # ------------------------------------------------------------------
    # Meter trend
    # ------------------------------------------------------------------

    def _service_meter_trends(self):
        """{unit_id: (per_day, intercept, origin, last_value, last_date)} — the
        least-squares line value = intercept + per_day × days since ``origin``
        through each unit's last TREND_READINGS readings since its last new
        meter, voided readings left out (a unit with fewer than two such
        readings, or whose readings span less than a day, is absent). One
        query for the batch."""
        if not self.ids:
            return {}
        self.env["service.equipment.reading"].flush_model(
            ["equipment_id", "date", "value", "meter_replaced", "voided"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT unit.id, last.date, last.value
                  FROM unnest(%s::int[]) AS unit(id)
                  LEFT JOIN LATERAL (
                        SELECT max(m.date) AS since FROM service_equipment_reading m
                         WHERE m.equipment_id = unit.id AND m.meter_replaced
                           AND m.voided IS NOT TRUE
                  ) meter ON TRUE
                  JOIN LATERAL (
                        SELECT r.date, r.value, r.id FROM service_equipment_reading r
                         WHERE r.equipment_id = unit.id AND r.voided IS NOT TRUE
                           AND (meter.since IS NULL OR r.date >= meter.since)
                         ORDER BY r.date DESC, r.id DESC LIMIT %s
                  ) last ON TRUE
                 ORDER BY unit.id, last.date, last.id
                """,
                list(self.ids),
                TREND_READINGS,
            )
        )
        points = {}
        for unit_id, date, value in self.env.cr.fetchall():
            points.setdefault(unit_id, []).append((date, value))
        return {
            unit_id: trend
            for unit_id, rows in points.items()
            if (trend := _least_squares(rows)) is not None
        }

    def _service_meter_changes(self):
        """{unit_id: [(date, first_value, last_value)]} — each new meter of
        the units, in date order: when it was fitted, its first reading, and
        the old meter's last reading before it (None when the old meter has
        none). Voided readings left out; units without a new meter absent.
        One query for the batch."""
        if not self.ids:
            return {}
        self.env["service.equipment.reading"].flush_model(
            ["equipment_id", "date", "value", "meter_replaced", "voided"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT r.equipment_id, r.date, r.value, old.value
                  FROM service_equipment_reading r
                  LEFT JOIN LATERAL (
                        SELECT p.value FROM service_equipment_reading p
                         WHERE p.equipment_id = r.equipment_id AND p.voided IS NOT TRUE
                           AND (p.date < r.date OR (p.date = r.date AND p.id < r.id))
                         ORDER BY p.date DESC, p.id DESC LIMIT 1
                  ) old ON TRUE
                 WHERE r.equipment_id = ANY(%s) AND r.meter_replaced AND r.voided IS NOT TRUE
                 ORDER BY r.equipment_id, r.date, r.id
                """,
                list(self.ids),
            )
        )
        changes = {}
        for unit_id, date, first, last in self.env.cr.fetchall():
            changes.setdefault(unit_id, []).append((date, first, last))
        return changes

    def _service_projected_dates(self, thresholds):
        """{unit_id: date or False}: the day each unit's meter reaches
        ``thresholds[unit_id]`` on its trend (its last reading's day when it
        has reached it already); False without a rising trend."""
        trends = self._service_meter_trends()
        return {unit.id: project(trends.get(unit.id), thresholds.get(unit.id)) for unit in self}

    def _service_projected_date(self, threshold_value):
        """The date this unit's meter reaches ``threshold_value`` by the trend
        of its last readings (least squares over the last ten since a new
        meter), or False without enough readings to tell."""
        self.ensure_one()
        return self._service_projected_dates({self.id: threshold_value})[self.id]


def _least_squares(rows):
    """(per_day, intercept, origin, last_value, last_date) of the line through
    ``rows`` [(datetime, value)] in date order, or None when it has no slope."""
    if len(rows) < 2:
        return None
    origin = rows[0][0]
    if rows[-1][0] - origin < MIN_TREND_SPAN:
        # readings seconds apart are no trend: 10 then 25 thirteen seconds
        # later made a meter of 100,000 a day, due at once
        return None
    xs = [(date - origin).total_seconds() / 86400 for date, __ in rows]
    ys = [value for __, value in rows]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread <= 0 or not math.isfinite(spread):
        return None
    per_day = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return per_day, mean_y - per_day * mean_x, origin, rows[-1][1], rows[-1][0]


def project(trend, threshold):
    """The day the meter of ``trend`` (see ``_service_meter_trends``) reaches
    ``threshold``: its last reading's day when it has already, False without
    a rising trend."""
    if threshold is None or not trend:
        return False
    per_day, intercept, origin, last_value, last_date = trend
    if last_value >= threshold:
        return last_date.date()
    if per_day <= 0:
        return False
    days = (threshold - intercept) / per_day
    if days > MAX_PROJECTION_DAYS:
        return False  # a meter that all but stands still
    return max(origin + timedelta(days=days), last_date).date()


def rebase(value, anchor, changes):
    """``value``, read on the meter the unit had at ``anchor`` (the date of
    the reading it was counted on; None: before any reading), on the unit's
    meter of today: each new meter fitted after ``anchor`` (``changes``, see
    ``_service_meter_changes``) carries over what the old meter ran since —
    value − old meter's last reading + new meter's first. Returns (value,
    rebased)."""
    rebased = False
    for date, first, last in changes or ():
        if anchor is not None and date <= anchor:
            continue
        value = value - (value if last is None else last) + first
        rebased = True
    return value, rebased
