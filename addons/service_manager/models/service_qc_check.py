from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import LazyTranslate

from odoo.addons.service_base.tools import action_records, rpc_text

_lt = LazyTranslate(__name__)


class ServiceQcCheck(models.Model):
    _name = "service.qc.check"
    _description = "Quality Control Check of a Repair"
    _inherit = ["mail.thread", "service.guarded.mixin"]
    _order = "id desc"
    _check_company_auto = True

    repair_id = fields.Many2one(
        "repair.order", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="repair_id.company_id", store=True, index=True)
    template_id = fields.Many2one(
        "service.qc.template", required=True, ondelete="restrict", check_company=True
    )
    line_ids = fields.One2many("service.qc.check.line", "check_id", string="Checks")
    state = fields.Selection(
        [("todo", "To Check"), ("passed", "Passed"), ("failed", "Failed")],
        default="todo",
        required=True,
        tracking=True,
        index=True,
    )
    checked_by_id = fields.Many2one(
        "res.users", string="Checked by", readonly=True, tracking=True, check_company=True
    )
    date_checked = fields.Datetime(readonly=True)
    failure_reason = fields.Text(readonly=True, tracking=True)
    technician_id = fields.Many2one(related="repair_id.user_id", string="Repaired by")

    def _creation_message(self):
        # Odoo's "%s created" with the model's name reads «Проверка качества
        # ремонта создан» in Russian.
        self.ensure_one()
        return _("Quality check created")

    @api.depends("repair_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # Breadcrumbs, chatter and links name the check after its repair (it has no name).
        for check in self:
            check.display_name = _("Quality check of %(repair)s", repair=check.repair_id.name)

    def _service_guarded_fields(self):
        guarded = super()._service_guarded_fields() | {
            "state",
            "checked_by_id",
            "date_checked",
            "failure_reason",
            "company_id",
        }
        if self:
            # A check stays on the repair and the checklist it was made for:
            # another checklist would bring other rules (four eyes, items).
            guarded |= {"repair_id", "template_id"}
        return guarded

    @api.constrains("state", "checked_by_id", "repair_id", "template_id")
    def _check_checked(self):
        for check in self.filtered(lambda c: c.state != "todo"):
            if not check.checked_by_id:
                raise ValidationError(
                    _("A passed or failed quality check names the person who checked it.")
                )
            if check.state == "passed":
                problem = check._service_pass_problem(check.checked_by_id)
                if problem:
                    raise ValidationError(problem)

    @api.model_create_multi
    def create(self, vals_list):
        checks = super().create(vals_list)
        # The items come from the checklist, through the check's own action:
        # they are the rules the check is passed against.
        action_records(self.env["service.qc.check.line"]).create(
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
            if check.state != "todo":
                raise UserError(check._service_checked_message())
            problem = check._service_pass_problem(self.env.user)
            if problem:
                raise UserError(problem)
        action_records(self).write(
            {
                "state": "passed",
                "checked_by_id": self.env.uid,
                "date_checked": fields.Datetime.now(),
                "failure_reason": False,
            }
        )
        return True

    def action_pass_all(self):
        """Tick every item not yet answered as passed, then pass the check
        (one click for a checklist that all went well; items already marked
        failed or not applicable keep their answer)."""
        for check in self:
            if check.state != "todo":
                raise UserError(check._service_checked_message())
            check._check_checker()
        self.line_ids.filtered(lambda line: not line.result).write({"result": "pass"})
        return self.action_pass()

    def action_fail(self, reason=None):
        """Fail the check: the repair goes back to its technician with the reason."""
        reason = rpc_text(
            self.env, reason or self.env.context.get("qc_failure_reason"), _lt("Reason")
        )
        if not reason.strip():
            raise UserError(_("Say why the check failed: the technician needs the reason."))
        for check in self:
            if check.state != "todo":
                raise UserError(check._service_checked_message())
            check._check_checker()
        action_records(self).write(
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
        action_records(self).write({"state": "todo", "checked_by_id": False, "date_checked": False})
        action_records(self.line_ids).write({"result": False})
        return True

    def _service_checked_message(self):
        return _(
            "The quality check of %(repair)s is done already: reset it to check again.",
            repair=self.repair_id.name,
        )

    def _check_checker(self):
        self.ensure_one()
        if self._service_four_eyes() and self.repair_id.user_id == self.env.user:
            raise UserError(self._service_four_eyes_message())

    def _service_four_eyes(self):
        """Whether someone other than the repair's technician must check it:
        as the check's checklist says, or the one that applies to the repair
        now (a check made by hand on a laxer checklist does not escape it)."""
        self.ensure_one()
        repair = self.repair_id
        if not repair.user_id:
            return False
        # sudo: the checklists are read only to apply their rule to this check.
        template = self.sudo().template_id
        return bool(
            template.require_other_user
            or template.browse()._for_repair(repair.sudo()).require_other_user
        )

    def _service_four_eyes_message(self):
        return _(
            "%(repair)s must be checked by someone other than the technician who repaired it.",
            repair=self.repair_id.name,
        )

    def _service_pass_problem(self, checker):
        """Why this check may not be passed by ``checker`` (a sentence), or False."""
        self.ensure_one()
        if not checker:
            return _("A passed or failed quality check names the person who checked it.")
        if self._service_four_eyes() and checker == self.repair_id.user_id:
            return self._service_four_eyes_message()
        undone = self.line_ids.filtered(lambda line: line.mandatory and line.result != "pass")
        if undone:
            return _(
                "These mandatory checks have not passed: %(items)s",
                items=", ".join(undone.mapped("name")),
            )
        return False


class ServiceQcCheckLine(models.Model):
    _name = "service.qc.check.line"
    _description = "Quality Control Check Line"
    _inherit = ["service.guarded.mixin"]
    _order = "sequence, id"

    check_id = fields.Many2one("service.qc.check", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check Item", required=True)
    mandatory = fields.Boolean(default=True)
    result = fields.Selection([("pass", "Pass"), ("fail", "Fail"), ("na", "N/A")])
    note = fields.Char()

    def _service_guarded_fields(self):
        # The items are the checklist's (made by the check); their answers
        # are the inspector's while the check is to do, then they are its record.
        guarded = super()._service_guarded_fields() | {"check_id", "name", "mandatory"}
        if any(line.check_id.state != "todo" for line in self):
            guarded |= {"result", "note", "sequence"}
        return guarded

    def unlink(self):
        if not self._service_guarded_free() and self.check_id:
            raise UserError(
                _(
                    "The items of a quality check come from its checklist: they cannot be "
                    "removed from the check."
                )
            )
        return super().unlink()
