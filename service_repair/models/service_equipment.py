from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ServiceEquipment(models.Model):
    _inherit = "service.equipment"

    is_loaner = fields.Boolean(
        string="Loaner Unit",
        tracking=True,
        help="Part of the loaner pool (подменный фонд): the company's unit lent to "
        "customers while theirs is away.",
        groups="base.group_user",
    )
    service_request_ids = fields.One2many(
        "service.request", "equipment_id", string="Requests", groups="base.group_user"
    )
    service_request_count = fields.Integer(
        string="Number of Requests",
        compute="_compute_service_request_count",
        groups="base.group_user",
    )
    repair_ids = fields.One2many(
        "repair.order", "equipment_id", string="Repairs", groups="base.group_user"
    )
    repair_count = fields.Integer(
        string="Number of Repairs", compute="_compute_repair_count", groups="base.group_user"
    )

    @api.constrains("is_loaner", "is_demo", "partner_id", "company_id", "state")
    def _check_loaner_pool(self):
        for unit in self:
            if unit.is_loaner and not unit._is_company_owned():
                raise ValidationError(
                    _(
                        "Unit %(unit)s belongs to a customer: only the company's own units "
                        "can be in the loaner pool.",
                        unit=unit.display_name,
                    )
                )
            if unit.state == "on_loan" and not (unit.is_loaner or unit.is_demo):
                raise ValidationError(
                    _(
                        "Unit %(unit)s is on loan: it stays in its pool until it is returned.",
                        unit=unit.display_name,
                    )
                )

    def _compute_service_request_count(self):
        counts = dict(
            self.env["service.request"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for unit in self:
            unit.service_request_count = counts.get(unit, 0)

    def _compute_repair_count(self):
        counts = dict(
            self.env["repair.order"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for unit in self:
            unit.repair_count = counts.get(unit, 0)

    def action_view_service_requests(self):
        """Open the unit's requests (its service history), newest first."""
        return self._action_view_service_requests()

    def _action_view_service_requests(self, exclude=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_repair.service_request_action_history"
        )
        domain = [("equipment_id", "=", self.id)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        action["domain"] = domain
        action["context"] = {
            "default_equipment_id": self.id,
            "default_partner_id": self.partner_id.id,
            "active_test": False,
        }
        return action

    def action_view_repairs(self):
        """Open the repair orders of this unit."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {
            "default_equipment_id": self.id,
            "default_product_id": self.product_id.id,
            "default_lot_id": self.lot_id.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def _service_is_pool_unit(self):
        return super()._service_is_pool_unit() or bool(self.is_loaner)
