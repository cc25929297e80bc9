from odoo import fields, models


class ServiceChecklistItem(models.Model):
    _name = "service.checklist.item"
    _description = "Visit Checklist Item"
    _order = "sequence, id"

    checklist_id = fields.Many2one(
        "service.checklist", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="checklist_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check Item", required=True, translate=True)
    mandatory = fields.Boolean(
        default=True, help="The visit cannot be finished while this item is not done."
    )
