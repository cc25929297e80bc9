from odoo import fields, models


class ServiceEquipment(models.Model):
    _inherit = "service.equipment"

    demo_booking_ids = fields.One2many(
        "service.demo.booking", "equipment_id", string="Bookings", groups="base.group_user"
    )
    demo_booking_count = fields.Integer(
        string="Demonstrations",
        compute="_compute_demo_booking_count",
        groups="base.group_user",
    )

    def _compute_demo_booking_count(self):
        counts = dict(
            self.env["service.demo.booking"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for unit in self:
            unit.demo_booking_count = counts.get(unit, 0)

    def action_view_demo_bookings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_manager.service_demo_booking_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"default_equipment_id": self.id}
        return action
