from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_deadline_hours_0 = fields.Integer(
        string="Resolution Time, Normal (hours)", default=72, groups="base.group_user"
    )
    service_deadline_hours_1 = fields.Integer(
        string="Resolution Time, High (hours)", default=24, groups="base.group_user"
    )
    service_deadline_hours_2 = fields.Integer(
        string="Resolution Time, Urgent (hours)", default=8, groups="base.group_user"
    )
