from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.service_base.tools import user_lang_env

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

    @api.constrains("service_maintenance_meter_per_day")
    def _check_service_maintenance_meter_per_day(self):
        env = user_lang_env(self.env)
        for company in self:
            if company.service_maintenance_meter_per_day <= 0:
                raise ValidationError(env._("A meter's rise per day at most must be above zero."))
