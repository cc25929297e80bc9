from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import formatLang
from odoo.tools.translate import LazyTranslate

from odoo.addons.service_base.tools import action_records, rpc_number, user_lang_env

from .service_equipment_reading import MAX_READING

_lt = LazyTranslate(__name__)


class ServiceVisit(models.Model):
    _inherit = "service.visit"

    meter_reading = fields.Float(
        digits=(16, 1),
        help="The unit's meter (hours, km, cycles) read on site: recorded as the unit's "
        "reading when the visit is finished.",
    )
    meter_replaced = fields.Boolean(
        string="New Meter", help="The unit got a new meter: its reading may be lower."
    )
    reading_id = fields.Many2one(
        "service.equipment.reading", string="Recorded Reading", readonly=True, copy=False
    )
    maintenance_plan_id = fields.Many2one(
        related="request_id.maintenance_plan_id", string="Maintenance Plan"
    )

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {"reading_id"}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._service_check_meter_reading(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._service_check_meter_reading(vals)
        if {"meter_reading", "meter_replaced"} & set(vals) and not self.env.su:
            done = self.filtered(lambda v: v.state == "done")
            if done:
                raise UserError(
                    user_lang_env(self.env)._(
                        "Visit %(visit)s is done: its meter reading is recorded on the unit "
                        "and stays as it was.",
                        visit=done[0].name,
                    )
                )
        return super().write(vals)

    def _service_check_meter_reading(self, vals):
        # NaN or infinity would fail the rounding of the cache (a bug to a
        # client), a negative or absurd value is refused when entered (not
        # at Finish, on site in front of the customer); the checks against
        # the unit's other readings run at Finish
        if vals.get("meter_reading"):
            value = rpc_number(self.env, vals["meter_reading"], _lt("Meter Reading"))
            if not 0 <= value <= MAX_READING:
                raise UserError(
                    user_lang_env(self.env)._(
                        "A meter reading is a number from 0 to %(max)s.",
                        max=formatLang(self.env, MAX_READING, digits=0),
                    )
                )
            vals["meter_reading"] = value

    def action_finish(self):
        """The work on site is over: the technician leaves, and the meter
        reading entered on site becomes the unit's reading (checked as any
        reading: a refused one finishes nothing)."""
        readings = self.env["service.equipment.reading"]
        read = self.filtered(
            lambda v: v.state == "on_site" and v.meter_reading and v.request_id.equipment_id
        )
        if read:
            # the visit's own readings (action_records): its source, its
            # technician, the new meter it may have fitted
            readings = action_records(readings).create(
                [
                    {
                        "equipment_id": visit.request_id.equipment_id.id,
                        "value": visit.meter_reading,
                        "meter_replaced": visit.meter_replaced,
                        "source": "visit",
                        "visit_id": visit.id,
                    }
                    for visit in read
                ]
            )
        result = super().action_finish()
        for visit, reading in zip(read, readings, strict=True):
            action_records(visit).reading_id = reading
        self._service_close_maintenance()
        return result

    def _service_close_maintenance(self):
        """A maintenance request is done when its last open visit is: it goes
        to its team's closing stage (the request's own close), so its plan
        counts the next date from it and it is no longer open (nor overdue).
        Requests of other types wait for the office to close them."""
        requests = self.request_id.filtered(
            lambda r: r.request_type == "maintenance" and not r.is_closed
        )
        # sudo: whether the request has other visits to come, and its close
        # (the technician finishing the last visit closes the work they did)
        done = requests.sudo().filtered(
            lambda r: (
                all(v.state in ("done", "cancelled") for v in r.visit_ids)
                and any(v.state == "done" for v in r.visit_ids)
            )
        )
        if done:
            done.action_close()
