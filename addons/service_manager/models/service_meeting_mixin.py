from odoo import fields, models


class ServiceMeetingMixin(models.AbstractModel):
    """Meetings, negotiations and presentations linked to a service document."""

    _name = "service.meeting.mixin"
    _description = "Service Meetings"

    service_meeting_count = fields.Integer(
        string="Meetings",
        compute="_compute_service_meeting_count",
        groups="base.group_user",
    )

    def _compute_service_meeting_count(self):
        counts = dict(
            self.env["calendar.event"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for record in self:
            record.service_meeting_count = counts.get(record.id, 0)

    def action_service_schedule_meeting(self):
        """Open the calendar on this document's meetings, ready to plan a new one
        with the customer."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("calendar.action_calendar_event")
        partners = self.env.user.partner_id | self.partner_id
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {
            "default_res_model_id": self.env["ir.model"]._get_id(self._name),
            "default_res_id": self.id,
            "default_partner_ids": partners.ids,
            "default_name": self.display_name,
        }
        return action
