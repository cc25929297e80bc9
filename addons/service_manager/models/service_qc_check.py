from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from odoo.addons.service_base.tools import rpc_text

_lt = LazyTranslate(__name__)


class ServiceQcCheck(models.Model):
    _name = "service.qc.check"
    _description = "Quality Control Check of a Repair"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    repair_id = fields.Many2one(
        "repair.order", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="repair_id.company_id", store=True, index=True)
    template_id = fields.Many2one("service.qc.template", required=True, ondelete="restrict")
    line_ids = fields.One2many("service.qc.check.line", "check_id", string="Checks")
    state = fields.Selection(
        [("todo", "To Check"), ("passed", "Passed"), ("failed", "Failed")],
        default="todo",
        required=True,
        tracking=True,
        index=True,
    )
    checked_by_id = fields.Many2one("res.users", string="Checked by", readonly=True, tracking=True)
    date_checked = fields.Datetime(readonly=True)
    failure_reason = fields.Text(tracking=True)
    technician_id = fields.Many2one(related="repair_id.user_id", string="Repaired by")

    @api.model_create_multi
    def create(self, vals_list):
        checks = super().create(vals_list)
        self.env["service.qc.check.line"].create(
            [
                {
                    "check_id": check.id,
                    "name": item.name,
                    "mandatory": item.mandatory,
                    "sequence": item.sequence,
                }
                for check in checks
                for item in check.template_id.item_ids
            ]
        )
        return checks

    def action_pass(self):
        """Pass the check: every mandatory item must be ticked, by the right person."""
        for check in self:
            check._check_checker()
            undone = check.line_ids.filtered(lambda line: line.mandatory and line.result != "pass")
            if undone:
                raise UserError(
                    _(
                        "These mandatory checks have not passed: %(items)s",
                        items=", ".join(undone.mapped("name")),
                    )
                )
        self.write(
            {
                "state": "passed",
                "checked_by_id": self.env.uid,
                "date_checked": fields.Datetime.now(),
                "failure_reason": False,
            }
        )
        return True

    def action_fail(self, reason=None):
        """Fail the check: the repair goes back to its technician with the reason."""
        reason = rpc_text(
            self.env, reason or self.env.context.get("qc_failure_reason"), _lt("Reason")
        )
        if not reason.strip():
            raise UserError(_("Say why the check failed: the technician needs the reason."))
        for check in self:
            check._check_checker()
        self.write(
            {
                "state": "failed",
                "checked_by_id": self.env.uid,
                "date_checked": fields.Datetime.now(),
                "failure_reason": reason,
            }
        )
        for check in self:
            repair = check.repair_id
            repair.message_post(
                body=_("Quality check failed, back to repair: %(reason)s", reason=reason)
            )
            if repair.user_id:
                repair.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Quality check failed"),
                    note=reason,
                    user_id=repair.user_id.id,
                )
        return True

    def action_reset(self):
        self.write({"state": "todo", "checked_by_id": False, "date_checked": False})
        self.line_ids.write({"result": False})
        return True

    def _check_checker(self):
        self.ensure_one()
        if (
            self.template_id.require_other_user
            and self.repair_id.user_id
            and self.repair_id.user_id == self.env.user
        ):
            raise UserError(
                _(
                    "%(repair)s must be checked by someone other than the technician who "
                    "repaired it.",
                    repair=self.repair_id.name,
                )
            )


class ServiceQcCheckLine(models.Model):
    _name = "service.qc.check.line"
    _description = "Quality Control Check Line"
    _order = "sequence, id"

    check_id = fields.Many2one("service.qc.check", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True)
    mandatory = fields.Boolean(default=True)
    result = fields.Selection([("pass", "Pass"), ("fail", "Fail"), ("na", "N/A")])
    note = fields.Char()
