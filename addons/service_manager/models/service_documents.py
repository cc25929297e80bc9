from odoo import models


class ServiceRequestMeetings(models.Model):
    _name = "service.request"
    _inherit = ["service.request", "service.meeting.mixin"]


class ServiceContractMeetings(models.Model):
    _name = "service.contract"
    _inherit = ["service.contract", "service.meeting.mixin"]


class ServiceWarrantyClaimMeetings(models.Model):
    _name = "service.warranty.claim"
    _inherit = ["service.warranty.claim", "service.meeting.mixin"]
