from odoo import models


class ServiceWarrantyClaim(models.Model):
    _name = "service.warranty.claim"
    _inherit = ["service.warranty.claim", "service.meeting.mixin"]
