from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_has_maintenance = fields.Boolean(
        string="Has Maintenance Plans",
        compute="_compute_service_has_maintenance",
        search="_search_service_has_maintenance",
        groups="service_base.group_service_user",
        help="A customer some unit of which has a maintenance plan (the schedule's customers).",
    )

    def _service_maintenance_customers(self):
        # sudo: which customers have plans, for the service user's picker
        plans = self.env["service.maintenance.plan"].sudo().search([])
        return plans.equipment_id.commercial_partner_id

    def _compute_service_has_maintenance(self):
        customers = self._service_maintenance_customers()
        for partner in self:
            partner.service_has_maintenance = partner.commercial_partner_id in customers

    def _search_service_has_maintenance(self, operator, value):
        ids = self._service_maintenance_customers().ids
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", ids)]
