from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.service_base.tools import user_lang_env


class ServiceSlotWizard(models.TransientModel):
    """Find a slot: the first free times of the technicians the dispatch
    would choose, one click to book the visit."""

    _name = "service.slot.wizard"
    _description = "Find a Visit Slot"

    request_id = fields.Many2one("service.request", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="request_id.company_id")
    duration = fields.Float(string="Duration (h)", default=2.0, required=True)
    date_from = fields.Datetime(string="From", default=fields.Datetime.now, required=True)
    line_ids = fields.One2many(
        "service.slot.wizard.line", "wizard_id", string="Free Slots", readonly=True
    )

    def action_search(self):
        """(Re)compute the free slots from the wizard's duration and start."""
        self.ensure_one()
        slots = self.request_id.service_find_slots(
            self.duration, fields.Datetime.to_string(self.date_from), limit=10
        )
        # sudo: the free slots are the search's answer, written by it only
        # (users cannot create or change them); the search stays the user's.
        self.sudo().line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "user_id": slot["user_id"],
                    "date_start": slot["date_start"],
                    "date_end": slot["date_end"],
                    "load": slot["load"],
                }
            )
            for slot in slots
        ]
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Find a Slot: %(request)s", request=self.request_id.name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class ServiceSlotWizardLine(models.TransientModel):
    _name = "service.slot.wizard.line"
    _description = "Free Visit Slot"
    _order = "date_start, id"

    wizard_id = fields.Many2one("service.slot.wizard", required=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Technician", required=True)
    date_start = fields.Datetime(string="Start", required=True)
    date_end = fields.Datetime(string="End", required=True)
    load = fields.Integer(
        string="Open Requests", help="Open requests assigned to the technician now."
    )

    def action_book(self):
        """Book the visit in this slot; the request without a technician
        goes to this one (through the dispatch's checks)."""
        self.ensure_one()
        request = self.wizard_id.request_id
        env = user_lang_env(self.env)
        if request.is_closed:
            raise UserError(
                env._("%(request)s is closed: it needs no visit.", request=request.name)
            )
        if not request.user_id:
            request.user_id = self.user_id
        visit = self.env["service.visit"].create(
            {
                "request_id": request.id,
                "user_id": self.user_id.id,
                "date_start": self.date_start,
                "date_end": self.date_end,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.visit",
            "res_id": visit.id,
            "view_mode": "form",
        }
