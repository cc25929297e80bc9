from odoo import _, api, fields, models
from odoo.exceptions import UserError


class RepairOrder(models.Model):
    _inherit = "repair.order"

    service_labour_hours = fields.Float(
        string="Labour Hours", help="Hours the technicians spent on this repair."
    )
    service_qc_check_ids = fields.One2many("service.qc.check", "repair_id", string="Quality Checks")
    service_qc_state = fields.Selection(
        [
            ("none", "Not Required"),
            ("todo", "To Check"),
            ("passed", "Passed"),
            ("failed", "Failed"),
        ],
        string="Quality Check",
        compute="_compute_service_qc_state",
        store=True,
    )

    @api.depends("service_qc_check_ids.state")
    def _compute_service_qc_state(self):
        for repair in self:
            last = repair.service_qc_check_ids.sorted("id")[-1:]
            repair.service_qc_state = last.state or "none"

    def action_repair_start(self):
        result = super().action_repair_start()
        self._service_create_qc_checks()
        return result

    def action_repair_done(self):
        blocked = self.filtered(lambda r: r.service_qc_state in ("todo", "failed"))
        if blocked:
            raise UserError(
                _(
                    "The quality check of %(repairs)s has not passed yet: the repair "
                    "cannot be finished.",
                    repairs=", ".join(blocked.mapped("name")),
                )
            )
        return super().action_repair_done()

    def action_service_qc_check(self):
        """Open the repair's quality check (created from its template if needed)."""
        self.ensure_one()
        self._service_create_qc_checks()
        check = self.service_qc_check_ids.sorted("id")[-1:]
        if not check:
            raise UserError(_("No quality checklist applies to this repair."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.qc.check",
            "res_id": check.id,
            "view_mode": "form",
            "target": "current",
        }

    def _service_create_qc_checks(self):
        Template = self.env["service.qc.template"]
        vals_list = []
        for repair in self:
            if repair.service_qc_check_ids.filtered(lambda c: c.state != "failed"):
                continue
            template = Template._for_repair(repair)
            if template:
                vals_list.append({"repair_id": repair.id, "template_id": template.id})
        return self.env["service.qc.check"].create(vals_list)
