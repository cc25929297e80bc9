from odoo import fields, models


class ServiceQcFailWizard(models.TransientModel):
    _name = "service.qc.fail.wizard"
    _description = "Fail a Quality Check"

    check_id = fields.Many2one(
        "service.qc.check",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.context.get("active_id"),
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.check_id.action_fail(self.reason)
        return {"type": "ir.actions.act_window_close"}
