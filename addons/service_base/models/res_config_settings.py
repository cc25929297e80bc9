from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_default_team_id = fields.Many2one(
        related="company_id.service_default_team_id", readonly=False
    )
    module_service_repair = fields.Boolean(string="Service Requests and Repairs")
    module_service_parts = fields.Boolean(string="Spare Parts Catalog")
    module_service_contracts = fields.Boolean(string="Contracts and Warranty")
    module_service_manager = fields.Boolean(string="Service Manager's Cockpit")
