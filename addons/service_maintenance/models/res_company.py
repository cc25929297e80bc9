import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import formatLang

from odoo.addons.service_base.tools import user_lang_env

from .service_equipment_reading import MAX_READING

# Generous for any meter of the trade (hours: 24 a day; km, cycles, pages:
# more): what it catches is a typing error that would lock the meter.
DEFAULT_METER_PER_DAY = 10000.0

SCHEDULE_FROM = [
    ("done", "Date Done"),
    ("schedule", "Previous Due Date"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    service_maintenance_schedule_from = fields.Selection(
        SCHEDULE_FROM,
        string="Maintenance Counted From",
        default="schedule",
        required=True,
        groups="base.group_user",
        help="Default for new maintenance plans: the next due date counted from the date "
        "the previous maintenance was done, or from its due date (a fixed schedule).",
    )
    service_maintenance_meter_per_day = fields.Float(
        string="Meter Rise per Day at Most",
        default=DEFAULT_METER_PER_DAY,
        digits=(16, 1),
        groups="base.group_user",
        help="A meter reading that rises faster than this from the reading before it (counting "
        "at least one day between them) is refused as a typing error. Operating hours run at "
        "most 24 a day.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_meter_per_day(self.env, vals)
        return super().create(vals_list)

    def write(self, vals):
        check_meter_per_day(self.env, vals)
        return super().write(vals)

    @api.constrains("service_maintenance_meter_per_day")
    def _check_service_maintenance_meter_per_day(self):
        env = user_lang_env(self.env)
        for company in self:
            if company.service_maintenance_meter_per_day <= 0:
                raise ValidationError(env._("A meter's rise per day at most must be above zero."))


def check_meter_per_day(env, vals):
    """Refuse a limit per day that is not a number between zero and the
    largest reading (NaN, infinity, 1e300) before it reaches the cache,
    whose rounding fails on it; ``vals`` gets the number."""
    if "service_maintenance_meter_per_day" not in vals:
        return
    value = vals["service_maintenance_meter_per_day"]
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not (0 < number <= MAX_READING):
        env = user_lang_env(env)
        raise ValidationError(
            env._(
                "A meter's rise per day at most must be a number above zero and at most %(max)s.",
                max=formatLang(env, MAX_READING, digits=0),
            )
        )
    vals["service_maintenance_meter_per_day"] = number
