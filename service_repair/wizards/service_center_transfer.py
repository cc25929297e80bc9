from odoo import fields, models


class ServiceCenterTransfer(models.TransientModel):
    _name = "service.center.transfer"
    _description = "Send a Unit to / Receive it from a Service Centre"

    request_id = fields.Many2one("service.request", required=True, ondelete="cascade")
    direction = fields.Selection(
        [("send", "To the Service Centre"), ("receive", "From the Service Centre")],
        required=True,
        default="send",
    )
    equipment_id = fields.Many2one(related="request_id.equipment_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Service Centre",
        domain=[("is_service_center", "=", True)],
    )
    tracking_ref = fields.Char(string="Carrier Tracking Reference")
    date_expected_return = fields.Date(string="Expected Return")
    serial = fields.Char(
        string="Serial Received", help="Type or scan the serial number of the unit that arrived."
    )

    def action_confirm(self):
        self.ensure_one()
        if self.direction == "send":
            self.request_id.action_send_to_service_center(
                self.partner_id,
                tracking_ref=self.tracking_ref,
                date_expected_return=self.date_expected_return,
            )
        else:
            self.request_id.action_receive_from_service_center(serial=self.serial or False)
        return {"type": "ir.actions.act_window_close"}
