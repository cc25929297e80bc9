from odoo import models


class ServiceChecklist(models.Model):
    _inherit = "service.checklist"

    def _service_for_requests(self, requests):
        # a maintenance request takes its plan's checklist, when the plan names one
        found = super()._service_for_requests(requests)
        for request in requests:
            # sudo: the plan is read only for its checklist, copied to the visit
            checklist = request.sudo().maintenance_plan_id.checklist_id
            if checklist:
                found[request] = checklist.sudo(self.env.su)
        return found
