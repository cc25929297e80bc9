from odoo import fields, models


class ServiceLoanerLend(models.TransientModel):
    _name = "service.loaner.lend"
    _description = "Lend a Loaner Unit"

    request_id = fields.Many2one("service.request", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="request_id.company_id")
    loaner_id = fields.Many2one(
        "service.equipment",
        string="Loaner Unit",
        required=True,
        domain="[('is_loaner', '=', True), ('state', '=', 'in_use'), ('company_id', '=', company_id)]",
    )

    def action_confirm(self):
        self.ensure_one()
        self.request_id.action_lend_loaner(self.loaner_id)
        return {"type": "ir.actions.act_window_close"}
