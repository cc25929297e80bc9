from odoo import fields, models


class ServiceContract(models.Model):
    _inherit = "service.contract"

    maintenance_plan_ids = fields.One2many(
        "service.maintenance.plan",
        "contract_id",
        string="Maintenance Plans",
        groups="service_base.group_service_user",
    )
