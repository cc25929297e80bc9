from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_default_team_id = fields.Many2one(
        "service.team",
        string="Default Service Team",
        check_company=True,
        help="Team that takes what no dispatch rule or territory assigns.",
        groups="base.group_user",
    )
