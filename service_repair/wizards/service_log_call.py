from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.service_base.models.service_team import REQUEST_TYPES

from ..exceptions import ASSIGNMENT_CHECKED


class ServiceLogCall(models.TransientModel):
    _name = "service.log.call"
    _description = "Log a Call"

    partner_id = fields.Many2one("res.partner", string="Caller", required=True)
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id")
    equipment_id = fields.Many2one(
        "service.equipment",
        string="Unit",
        domain="[('commercial_partner_id', '=', commercial_partner_id)] if commercial_partner_id else []",
    )
    channel = fields.Selection(
        [("phone", "Phone"), ("walk_in", "Walk-in")], required=True, default="phone"
    )
    request_type = fields.Selection(REQUEST_TYPES, required=True, default="consultation")
    subject = fields.Char(required=True)
    description = fields.Html(string="Question")
    resolution = fields.Html(string="Answer")
    close_now = fields.Boolean(
        string="Answered, Close Now",
        default=True,
        help="The customer got the answer during the call: the request is closed at once.",
    )
    priority = fields.Selection([("0", "Normal"), ("1", "High"), ("2", "Urgent")], default="0")

    @api.onchange("request_type")
    def _onchange_request_type(self):
        self.close_now = self.request_type == "consultation"

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        if self.equipment_id and not self.partner_id:
            self.partner_id = self.equipment_id.partner_id

    def action_log(self):
        """Record the call as a request (closed at once when answered) and open it."""
        self.ensure_one()
        if self.close_now and not self.resolution:
            raise UserError(_("Write the answer given before closing the request."))
        # Checked before the request exists, not by its constraint after.
        error = self.env["service.request"]._equipment_owner_error(
            self.equipment_id, self.partner_id
        )
        if error:
            raise UserError(error)
        # A call answered and closed on the spot is its answerer's: the
        # dispatch's checks (team, skill, capacity) do not apply to it.
        request = (
            self.env["service.request"]
            .with_context(service_assignment_checked=ASSIGNMENT_CHECKED)
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "equipment_id": self.equipment_id.id,
                    "team_id": self.equipment_id.team_id.id,
                    "channel": self.channel,
                    "request_type": self.request_type,
                    "subject": self.subject,
                    "description": self.description,
                    "resolution": self.resolution,
                    "priority": self.priority,
                    "user_id": self.env.user.id if self.close_now else False,
                }
            )
        )
        if self.close_now:
            request.action_close()
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.request",
            "res_id": request.id,
            "views": [(False, "form")],
        }
