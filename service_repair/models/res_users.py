from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    service_capacity = fields.Integer(
        string="Capacity (open requests)",
        default=10,
        help="How many open requests the dispatcher gives this technician at most; "
        "0 means no limit.",
        groups="base.group_user",
    )
    service_open_request_count = fields.Integer(
        string="Open Requests",
        compute="_compute_service_open_request_count",
        groups="base.group_user",
    )

    @api.depends("service_capacity")
    def _compute_service_open_request_count(self):
        loads = self.env["service.request"]._service_load(self)
        for user in self:
            user.service_open_request_count = loads.get(user.id, 0)
