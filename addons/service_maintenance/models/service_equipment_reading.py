from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_datetime, formatLang
from odoo.tools.translate import LazyTranslate

from odoo.addons.service_base.tools import (
    lock_for_update,
    rpc_datetime,
    rpc_number,
    rpc_record,
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
# However close two readings are, the meter may have run one day's worth
# between them (readings of one visit, a reading typed a little late).
MIN_RISE_DAYS = 1.0


class ServiceEquipmentReading(models.Model):
    """A meter reading (показание счётчика, наработка) of a unit.

    Readings are history: a unit's readings never go down in time, except at
    a reading marked as a new meter, and never rise faster than the company's
    limit per day. Checked before anything is written, with the unit's row
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

    def action_void(self):
        """Void these readings (a service manager's): each stays in the unit's
        history with who voided it and when, and counts no more — not in the
        checks of the readings entered after, not as the unit's last reading,
        not in the meter's trend and its plans. A message on each unit says
        what was voided. Readings voided already are left as they are.

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
        for vals in vals_list:
            unit = rpc_record(env, "service.equipment", vals.get("equipment_id"), _lt("Unit"))
            if not unit:
                continue  # required: the ORM names it
            value = rpc_number(env, vals.get("value", 0.0), _lt("Reading"))
            if value < 0:
                raise ValidationError(
                    env._("A meter reading cannot be negative (%(value)s).", value=value)
                )
            if value > MAX_READING:
                raise ValidationError(
                    env._(
                        "A meter reading of %(value)s is beyond any meter.",
                        value=formatLang(env, value, digits=1),
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
        # the readings next to each new one, in one query
        values = SQL(", ").join(
            SQL("(%s, %s, %s::timestamp)", index, unit_id, date)
            for index, (unit_id, date, __, __) in enumerate(new)
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT new.idx, before.value, before.date, after.value, after.date,
                       after.meter_replaced
                  FROM (VALUES %s) AS new(idx, unit_id, date)
                  LEFT JOIN LATERAL (
                        SELECT value, date FROM service_equipment_reading r
                         WHERE r.equipment_id = new.unit_id AND r.date <= new.date
                           AND r.voided IS NOT TRUE
                         ORDER BY r.date DESC, r.id DESC LIMIT 1) before ON TRUE
                  LEFT JOIN LATERAL (
                        SELECT value, date, meter_replaced FROM service_equipment_reading r
                         WHERE r.equipment_id = new.unit_id AND r.date > new.date
                           AND r.voided IS NOT TRUE
                         ORDER BY r.date, r.id LIMIT 1) after ON TRUE
                """,
                values,
            )
        )
        neighbours = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        # the batch's own readings of a unit, in date order, after the stored ones
        last = {}
        order = sorted(range(len(new)), key=lambda i: (new[i][0], new[i][1], i))
        for index in order:
            unit_id, date, value, replaced = new[index]
            before_value, before_date, after_value, after_date, after_replaced = neighbours[index]
            previous = last.get(unit_id)
            if previous and (before_date is None or previous[1] >= before_date):
                before_value, before_date = previous[0], previous[1]
            unit = units.browse(unit_id).with_env(env)
            if before_date is not None and value < before_value and not replaced:
                raise ValidationError(
                    env._(
                        "The reading %(value)s of %(unit)s is lower than its reading "
                        "%(last)s of %(date)s. A meter does not run backwards: tick "
                        '"New Meter" if the meter was replaced.',
                        value=formatLang(env, value, digits=1),
                        unit=unit.display_name,
                        last=formatLang(env, before_value, digits=1),
                        date=format_datetime(env, before_date, dt_format="short"),
                    )
                )
            if after_date is not None and after_value < value and not after_replaced:
                raise ValidationError(
                    env._(
                        "The reading %(value)s of %(unit)s is higher than its later reading "
                        "%(next)s of %(date)s.",
                        value=formatLang(env, value, digits=1),
                        unit=unit.display_name,
                        next=formatLang(env, after_value, digits=1),
                        date=format_datetime(env, after_date, dt_format="short"),
                    )
                )
            per_day = unit.company_id.sudo().service_maintenance_meter_per_day
            if before_date is not None and not replaced:
                limit = _rise_limit(per_day, before_date, date)
                if value - before_value > limit:
                    raise ValidationError(
                        env._(
                            "The reading %(value)s of %(unit)s rises %(rise)s above its reading "
                            "%(last)s of %(date)s: more than a meter runs in that time (at most "
                            "%(limit)s, %(per_day)s a day). Check the value; a service manager "
                            "sets the limit per day in the settings.",
                            value=formatLang(env, value, digits=1),
                            unit=unit.display_name,
                            rise=formatLang(env, value - before_value, digits=1),
                            last=formatLang(env, before_value, digits=1),
                            date=format_datetime(env, before_date, dt_format="short"),
                            limit=formatLang(env, limit, digits=1),
                            per_day=formatLang(env, per_day, digits=1),
                        )
                    )
            if after_date is not None and not after_replaced:
                limit = _rise_limit(per_day, date, after_date)
                if after_value - value > limit:
                    raise ValidationError(
                        env._(
                            "The reading %(value)s of %(unit)s is %(rise)s below its later "
                            "reading %(next)s of %(date)s: more than a meter runs in that time "
                            "(at most %(limit)s, %(per_day)s a day). Check the value and the "
                            "date.",
                            value=formatLang(env, value, digits=1),
                            unit=unit.display_name,
                            rise=formatLang(env, after_value - value, digits=1),
                            next=formatLang(env, after_value, digits=1),
                            date=format_datetime(env, after_date, dt_format="short"),
                            limit=formatLang(env, limit, digits=1),
                            per_day=formatLang(env, per_day, digits=1),
                        )
                    )
            last[unit_id] = (value, date)


def _rise_limit(per_day, since, until):
    """How far a meter may rise from ``since`` to ``until`` at ``per_day``:
    at least one day's worth, however close the two readings are."""
    days = max((until - since).total_seconds() / 86400, MIN_RISE_DAYS)
    return per_day * days
