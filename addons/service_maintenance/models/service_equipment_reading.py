from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_datetime, formatLang
from odoo.tools.translate import LazyTranslate

from odoo.addons.service_base.tools import (
    lock_for_update,
    rpc_datetime,
    rpc_number,
    rpc_records,
    user_lang_env,
)
from odoo.addons.service_base.tools.guarded import ACTION, action_records

_lt = LazyTranslate(__name__)

READING_SOURCES = [
    ("manual", "Entered by Hand"),
    ("visit", "Visit"),
    ("portal", "Portal"),
    ("rpc", "RPC"),
]
# Beyond this a reading is a typing error (and the trend's arithmetic overflows).
MAX_READING = 1e12
# What a reading says: history, never changed once recorded (a wrong reading
# is voided by a service manager and the right one entered).
READING_FACTS = frozenset(
    {"equipment_id", "date", "value", "meter_replaced", "source", "visit_id", "user_id"}
)
# Set by action_void only: who found the reading wrong, and when.
VOID_FIELDS = frozenset({"voided", "voided_by_id", "voided_date"})


class ServiceEquipmentReading(models.Model):
    """A meter reading (показание счётчика, наработка) of a unit.

    Readings are history: a unit's readings never go down in time, except at
    a reading marked as a new meter, and no reading rises above any earlier
    one of its meter by more than the company's limit per day × the days
    between (however close two readings are, a day's worth: readings of one
    visit, a reading typed a little late). Checked before anything is written, with the unit's row
    locked, so that two readings of one unit entered at once are checked one
    after the other. A wrong reading is not changed: a service manager voids
    it (who and when are kept), and it stops counting anywhere."""

    _name = "service.equipment.reading"
    _inherit = ["service.guarded.mixin"]
    _description = "Meter Reading"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "value"

    equipment_id = fields.Many2one(
        "service.equipment",
        string="Unit",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="equipment_id.company_id", store=True, index=True, precompute=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    value = fields.Float(string="Reading", required=True, digits=(16, 1))
    source = fields.Selection(READING_SOURCES, required=True, default="manual")
    visit_id = fields.Many2one("service.visit", index="btree_not_null", ondelete="set null")
    meter_replaced = fields.Boolean(
        string="New Meter",
        help="The unit got a new meter at this reading: it may be lower than the last one, "
        "and the trend starts again from it.",
    )
    user_id = fields.Many2one(
        "res.users", string="Recorded By", default=lambda self: self.env.user, readonly=True
    )
    voided = fields.Boolean(
        readonly=True,
        copy=False,
        help="A service manager found this reading wrong: it stays in the history, and no "
        "check, last reading, trend or plan counts it.",
    )
    voided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    voided_date = fields.Datetime(string="Voided On", readonly=True, copy=False)

    _sql_constraints = [
        (
            "service_reading_not_negative",
            "CHECK (value >= 0)",
            "A meter reading cannot be negative.",
        )
    ]

    def init(self):
        # the unit's last reading, and its readings in order for the trend
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS service_equipment_reading_unit_date_idx "
                "ON service_equipment_reading (equipment_id, date DESC, id DESC)"
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS service_equipment_reading_new_meter_idx "
                "ON service_equipment_reading (equipment_id, date) WHERE meter_replaced"
            )
        )

    def _compute_display_name(self):
        for reading in self:
            reading.display_name = formatLang(self.env, reading.value, digits=1)

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | VOID_FIELDS

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = self._service_with_defaults(vals_list)
        self._service_check_origin(vals_list)
        self._service_check_new(vals_list)
        return super().create(vals_list)

    def _service_with_defaults(self, vals_list):
        """``vals_list`` with the facts it leaves out filled from their
        defaults: a call's default_<field> keys and the user's own defaults
        (ir.default) are a client's as much as ``vals``, so the checks judge
        what is stored (the attacker review: a technician's
        ``default_meter_replaced``, ``default_source``, ``default_visit_id``
        passed around every rule). The void fields take only their own
        defaults (service.guarded.mixin)."""
        missing = {name for vals in vals_list for name in READING_FACTS if name not in vals}
        if not missing:
            return vals_list
        defaults = self.default_get(sorted(missing))
        return [
            {**{name: defaults[name] for name in missing - set(vals) if name in defaults}, **vals}
            for vals in vals_list
        ]

    def _service_check_origin(self, vals_list):
        """Who and what recorded a reading are facts: a user records it as
        themselves, by hand or over RPC; a visit's and the portal's readings
        are theirs (their own code sets them); a new meter, which lets the
        reading go back, is a service manager's."""
        if self.env.su or self.env.context.get("service_guarded_action") is ACTION:
            return
        env = user_lang_env(self.env)
        manager = self.env.user._has_group("service_base.group_service_manager")
        for vals in vals_list:
            vals["user_id"] = self.env.uid
            if VOID_FIELDS & set(vals):
                raise UserError(
                    env._("A reading is voided once recorded, by a service manager (Void).")
                )
            if vals.get("source", "manual") not in ("manual", "rpc") or vals.get("visit_id"):
                raise UserError(
                    env._(
                        "A reading of a visit or of the portal is recorded by the visit or the "
                        "portal: record it by hand or over RPC."
                    )
                )
            if vals.get("meter_replaced") and not manager:
                raise UserError(
                    env._(
                        "Only a service manager records a new meter (a reading that may go "
                        "back); a technician records it on the visit that replaced the meter."
                    )
                )

    def write(self, vals):
        if not self.env.su and READING_FACTS & set(vals):
            raise UserError(
                user_lang_env(self.env)._(
                    "A meter reading is history: it cannot be changed. A service manager "
                    "voids a wrong reading, and the right one is entered."
                )
            )
        if (
            not self.env.su
            and VOID_FIELDS & set(vals)
            and self.env.context.get("service_guarded_action") is not ACTION
        ):
            raise UserError(
                user_lang_env(self.env)._(
                    "A meter reading is voided with its Void button, by a service manager."
                )
            )
        return super().write(vals)

    def copy(self, default=None):
        # a copy would be a second reading of the same moment (a voided one's
        # copy a live one): a reading is only ever read off the meter
        if self:
            raise UserError(
                user_lang_env(self.env)._(
                    "A meter reading is not copied: record a new reading of the meter."
                )
            )
        return super().copy(default)

    def unlink(self):
        if not self.env.su:
            raise UserError(
                user_lang_env(self.env)._(
                    "A meter reading is history: it is not deleted. A service manager voids a "
                    "wrong reading (Void): it stays in the history and counts no more."
                )
            )
        return super().unlink()

    def action_void(self):
        """Void these readings (a service manager's): each stays in the unit's
        history with who voided it and when, and counts no more — not in the
        checks of the readings entered after, not as the unit's last reading,
        not in the meter's trend and its plans. A message on each unit says
        what was voided. Readings voided already are left as they are. A new
        meter whose voiding would leave a reading lower than an earlier one
        (the two meters' readings then one meter's) is refused: void the
        new meter's readings with it, or keep it.

        Returns True."""
        env = user_lang_env(self.env)
        if not (self.env.su or self.env.user._has_group("service_base.group_service_manager")):
            raise AccessError(env._("Only a service manager voids a meter reading."))
        # reading a field refuses a missing or another company's reading
        todo = self.filtered(lambda reading: not reading.voided)
        if not todo:
            return True
        # after a reading of the same unit being entered, checked against this one
        lock_for_update(todo.equipment_id)
        todo._service_check_void(env)
        action_records(todo).write(
            {"voided": True, "voided_by_id": self.env.uid, "voided_date": fields.Datetime.now()}
        )
        bodies = {}
        for reading in todo.sorted(lambda r: (r.equipment_id.id, r.date, r.id)):
            line = env._(
                "Meter reading %(value)s of %(date)s voided by %(user)s (recorded by %(author)s).",
                value=formatLang(env, reading.value, digits=1),
                date=format_datetime(env, reading.date, dt_format="short"),
                user=self.env.user.name,
                author=reading.user_id.name or "",
            )
            bodies[reading.equipment_id.id] = (
                bodies[reading.equipment_id.id] + Markup("<br/>") + line
                if reading.equipment_id.id in bodies
                else Markup("%s") % line
            )
        todo.equipment_id._message_log_batch(bodies=bodies)
        return True

    def _service_check_void(self, env):
        """Refuse voiding these readings when a new meter among them would
        leave the rest of its unit's history running backwards: a reading
        lower than an earlier one with no new meter between."""
        replaced = self.filtered("meter_replaced")
        if not replaced:
            return
        self.flush_model(["equipment_id", "date", "value", "meter_replaced", "voided"])
        self.env.cr.execute(
            SQL(
                """
                SELECT equipment_id, id, date, value, meter_replaced IS TRUE
                  FROM service_equipment_reading
                 WHERE equipment_id = ANY(%s) AND voided IS NOT TRUE
                 ORDER BY equipment_id, date, id
                """,
                replaced.equipment_id.ids,
            )
        )
        voiding = set(self.ids)
        history = {}
        for unit_id, *row in self.env.cr.fetchall():
            history.setdefault(unit_id, []).append(row)
        for unit_id, rows in history.items():
            meter = kept_meter = 0
            # the highest reading of the meters now joined, and of the current one
            joined = current = None
            for reading_id, date, value, new_meter in rows:
                meter += new_meter
                if reading_id in voiding:
                    continue
                if new_meter:
                    joined, current, kept_meter = None, None, meter
                elif meter != kept_meter:
                    # a voided new meter between: its readings join the meter before
                    if current and (not joined or current[0] > joined[0]):
                        joined = current
                    current, kept_meter = None, meter
                if joined and value < joined[0]:
                    unit = self.env["service.equipment"].browse(unit_id).with_env(env)
                    raise UserError(
                        env._(
                            "Voiding the new meter of %(unit)s would leave its reading "
                            "%(value)s of %(date)s lower than its reading %(last)s of "
                            "%(last_date)s, with no new meter between: a meter does not run "
                            "backwards. Void the new meter's readings with it, or keep it.",
                            unit=unit.display_name,
                            value=formatLang(env, value, digits=1),
                            date=format_datetime(env, date, dt_format="short"),
                            last=formatLang(env, joined[0], digits=1),
                            last_date=format_datetime(env, joined[1], dt_format="short"),
                        )
                    )
                if not current or value > current[0]:
                    current = (value, date)

    def _service_check_new(self, vals_list):
        """Refuse readings that are negative, in the future, or lower than the
        unit's reading before them (or higher than its reading after them)
        unless a new meter, or that rise faster from the one before (or to
        the one after) than the company's limit per day allows; the batch's
        readings of one unit are checked against each other in order. Voided
        readings do not count. The units are locked first: a reading entered
        at the same moment is checked after this one commits."""
        env = user_lang_env(self.env)
        now = fields.Datetime.now()
        new = []
        units = rpc_records(
            env, "service.equipment", [vals.get("equipment_id") for vals in vals_list], _lt("Unit")
        )
        for vals, unit in zip(vals_list, units, strict=True):
            if not unit:
                continue  # required: the ORM names it
            value = rpc_number(env, vals.get("value", 0.0), _lt("Reading"))
            if value < 0:
                # a number beyond any meter is not echoed (400 digits of 1e300)
                raise ValidationError(
                    env._(
                        "A meter reading cannot be negative (%(value)s).",
                        value=formatLang(env, value, digits=1),
                    )
                    if value >= -MAX_READING
                    else env._("A meter reading cannot be negative.")
                )
            if value > MAX_READING:
                raise ValidationError(
                    env._(
                        "A meter reading above %(max)s is beyond any meter.",
                        max=formatLang(env, MAX_READING, digits=0),
                    )
                )
            date = rpc_datetime(env, vals.get("date"), _lt("Date")) or now
            if date > now:
                raise ValidationError(
                    env._(
                        "A meter reading cannot be dated in the future (%(date)s).",
                        date=format_datetime(env, date, dt_format="short"),
                    )
                )
            vals["value"] = value
            new.append((unit.id, date, value, bool(vals.get("meter_replaced"))))
        if not new:
            return
        units = self.env["service.equipment"].browse(sorted({n[0] for n in new}))
        lock_for_update(units)
        self.flush_model(["equipment_id", "date", "value", "meter_replaced", "voided"])
        units.fetch(["company_id"])
        units.company_id.sudo().fetch(["service_maintenance_meter_per_day"])
        per_day = {
            unit.id: unit.company_id.sudo().service_maintenance_meter_per_day for unit in units
        }
        failures = self._service_history_failures(
            [
                (unit_id, date, value, replaced, per_day[unit_id])
                for unit_id, date, value, replaced in new
            ]
        )
        if not failures:
            return
        # the first refused reading in the order of the units and the dates
        index = min(failures, key=lambda i: (new[i][0], new[i][1], i))
        unit_id, date, value, __ = new[index]
        code, other_value, other_date, limit = failures[index]
        unit = units.browse(unit_id).with_env(env)
        args = {
            "value": formatLang(env, value, digits=1),
            "unit": unit.display_name,
            "date": format_datetime(env, other_date, dt_format="short"),
            "limit": formatLang(env, limit, digits=1),
            "per_day": formatLang(env, per_day[unit_id], digits=1),
            "rise": formatLang(env, abs(value - other_value), digits=1),
        }
        if code == 1:
            raise ValidationError(
                env._(
                    "The reading %(value)s of %(unit)s is lower than its reading "
                    "%(last)s of %(date)s. A meter does not run backwards: %(hint)s",
                    last=formatLang(env, other_value, digits=1),
                    hint=self._service_new_meter_hint(env),
                    **args,
                )
            )
        if code == 2:
            raise ValidationError(
                env._(
                    "The reading %(value)s of %(unit)s is higher than its later reading "
                    "%(next)s of %(date)s.",
                    next=formatLang(env, other_value, digits=1),
                    **args,
                )
            )
        who = self._service_limit_hint(env)
        if code == 3:
            raise ValidationError(
                env._(
                    "The reading %(value)s of %(unit)s rises %(rise)s above its reading "
                    "%(last)s of %(date)s: more than a meter runs in that time (at most "
                    "%(limit)s, %(per_day)s a day, at least a day's worth). %(hint)s",
                    last=formatLang(env, other_value, digits=1),
                    hint=who,
                    **args,
                )
            )
        raise ValidationError(
            env._(
                "The reading %(value)s of %(unit)s is %(rise)s below its later reading "
                "%(next)s of %(date)s: more than a meter runs in that time (at most "
                "%(limit)s, %(per_day)s a day, at least a day's worth). Check the value and "
                "the date.",
                next=formatLang(env, other_value, digits=1),
                **args,
            )
        )

    def _service_new_meter_hint(self, env):
        """What to do about a lower reading: staff tick New Meter; a customer
        on the portal has no such box (a new meter is the service's to
        record)."""
        if self.env.user.share:
            return env._("if the meter was replaced, tell us: we will record the new meter.")
        return env._('tick "New Meter" if the meter was replaced.')

    def _service_limit_hint(self, env):
        """What to do about a refused rise: a customer on the portal checks
        the value; staff may also have an administrator change the limit (a
        service manager cannot open the settings)."""
        if self.env.user.share:
            return env._("Check the value.")
        return env._(
            "Check the value; an administrator sets the limit per day in Settings > Service Desk."
        )

    def _service_history_failures(self, new):
        """{index: (code, other value, other date, limit)} for the new
        readings ``new`` [(unit_id, date, value, replaced, per_day)] that break
        a unit's history, each against the worst of the readings of its
        meter (since the last new meter before it, up to the next one),
        stored (not voided) or in ``new``: 1 lower than an earlier reading,
        2 higher than a later one, 3 rising above an earlier one, 4 below a
        later one by more than ``per_day`` × the days between (at least one
        day's worth). Every pair counts, not only neighbours: readings
        seconds apart would each rise a full day's worth. A pair of two new
        readings is the later one's. One query."""
        values = SQL(", ").join(
            SQL(
                "(%s, %s, %s::timestamp, %s::float, %s, %s::float)",
                index,
                unit_id,
                date,
                value,
                replaced,
                per_day,
            )
            for index, (unit_id, date, value, replaced, per_day) in enumerate(new)
        )
        # SQL: every pair of readings of one meter, the meters numbered by a
        # window over the units' history (the (equipment_id, date) index)
        self.env.cr.execute(
            SQL(
                """
                WITH new(idx, unit_id, date, value, replaced, per_day) AS (VALUES %s),
                history AS (
                    SELECT r.equipment_id AS unit_id, r.date, r.value,
                           r.meter_replaced IS TRUE AS replaced, 0 AS kind, r.id AS seq,
                           NULL::int AS idx
                      FROM service_equipment_reading r
                     WHERE r.equipment_id IN (SELECT unit_id FROM new) AND r.voided IS NOT TRUE
                    UNION ALL
                    SELECT unit_id, date, value, replaced, 1, idx, idx FROM new
                ),
                metered AS (
                    SELECT *,
                           count(*) FILTER (WHERE replaced) OVER unit_order AS meter,
                           row_number() OVER unit_order AS pos
                      FROM history
                    WINDOW unit_order AS (PARTITION BY unit_id ORDER BY date, kind, seq)
                ),
                pairs AS (
                    SELECT n.idx, o.value AS other_value, o.date AS other_date,
                           o.pos < n.pos AS earlier,
                           new.per_day * greatest(
                               1, abs(extract(epoch FROM n.date - o.date)) / 86400
                           ) AS lim,
                           n.value - o.value AS rise
                      FROM metered n
                      JOIN new ON new.idx = n.idx
                      JOIN metered o ON o.unit_id = n.unit_id AND o.meter = n.meter
                                    AND o.pos != n.pos AND (o.kind = 0 OR o.pos < n.pos)
                     WHERE n.kind = 1
                ),
                failures AS (
                    SELECT idx, other_value, other_date, lim,
                           CASE WHEN earlier AND rise < 0 THEN 1
                                WHEN NOT earlier AND rise > 0 THEN 2
                                WHEN earlier AND rise > lim THEN 3
                                WHEN NOT earlier AND -rise > lim THEN 4 END AS code,
                           CASE WHEN earlier AND rise < 0 THEN -rise
                                WHEN NOT earlier AND rise > 0 THEN rise
                                ELSE abs(rise) - lim END AS excess
                      FROM pairs
                )
                SELECT DISTINCT ON (idx) idx, code, other_value, other_date, lim
                  FROM failures
                 WHERE code IS NOT NULL
                 ORDER BY idx, code, excess DESC
                """,
                values,
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}
