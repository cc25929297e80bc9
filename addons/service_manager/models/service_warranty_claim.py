from odoo import models


class ServiceWarrantyClaim(models.Model):
    _inherit = ["service.warranty.claim", "service.meeting.mixin"]
