from odoo import _, api, fields, models


class ServiceEquipment(models.Model):
    _inherit = "service.equipment"

    service_warranty_start = fields.Date(related="lot_id.service_warranty_start")
    service_warranty_end = fields.Date(related="lot_id.service_warranty_end")
    service_in_warranty = fields.Boolean(related="lot_id.service_in_warranty")
    service_warranty_valid_until = fields.Date(related="lot_id.service_warranty_valid_until")
    service_warranty_source = fields.Selection(related="lot_id.service_warranty_source")
    service_warranty_label = fields.Char(related="lot_id.service_warranty_label")
    service_warranty_claim_ids = fields.One2many(
        "service.warranty.claim",
        "equipment_id",
        string="Warranty Claims",
        groups="base.group_user",
    )
    service_warranty_claim_count = fields.Integer(
        string="Claims",
        compute="_compute_service_warranty_claim_count",
        groups="base.group_user",
    )

    def _compute_service_warranty_claim_count(self):
        counts = dict(
            self.env["service.warranty.claim"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for unit in self:
            unit.service_warranty_claim_count = counts.get(unit, 0)

    @api.model_create_multi
    def create(self, vals_list):
        units = super().create(vals_list)
        installed = units.filtered(lambda unit: unit.lot_id and unit.installation_date)
        if installed:
            installed.lot_id._service_warranty_apply_installation(
                {unit.lot_id: unit.installation_date for unit in installed}
            )
        return units

    def write(self, vals):
        res = super().write(vals)
        if "installation_date" in vals:
            self.lot_id._service_warranty_apply_installation(
                {unit.lot_id: unit.installation_date for unit in self if unit.lot_id}
            )
        return res

    def action_view_service_warranty_claims(self):
        """Open the unit's warranty claims; a new one starts from this unit."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_contracts.service_warranty_claim_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {
            "default_equipment_id": self.id,
            "default_lot_id": self.lot_id.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def action_service_warranty_status(self):
        """Show the unit's warranty status in a notification."""
        self.ensure_one()
        if not self.lot_id:
            return self._service_warranty_notification(
                {"in_warranty": False, "label": _("No serial number, so no warranty to check.")}
            )
        return self._service_warranty_notification(
            self.env["stock.lot"].service_warranty_status(self.lot_id.name)
        )

    def _service_warranty_notification(self, status):
        # The one answer of stock.lot.service_warranty_status, in its own words.
        message = status.get("label") or self.env["stock.lot"]._service_warranty_label(
            self.env["stock.lot"]._service_warranty_no_answer()
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Warranty"),
                "message": message,
                "type": "success" if status["in_warranty"] else "warning",
            },
        }

    service_contract_line_ids = fields.One2many(
        "service.contract.line",
        "equipment_id",
        string="Contract Lines",
        groups="base.group_user",
    )
    service_contract_count = fields.Integer(
        compute="_compute_service_contract_count",
        string="Contracts",
        groups="base.group_user",
    )

    def _compute_service_contract_count(self):
        Line = self.env["service.contract.line"]
        counts = (
            dict(
                Line._read_group(
                    [("equipment_id", "in", self.ids)],
                    ["equipment_id"],
                    ["contract_id:count_distinct"],
                )
            )
            if Line.has_access("read")
            else {}
        )
        for unit in self:
            unit.service_contract_count = counts.get(unit, 0)

    def _service_active_contracts(self, date=None):
        """``{equipment_id: service.contract}`` of the units covered on ``date`` (default today).

        One query for the whole batch; a unit without an active contract is
        absent from the result. When several active contracts cover a unit, the
        one that started last wins.
        """
        date = date or fields.Date.context_today(self)
        if not self.ids:
            return {}
        lines = self.env["service.contract.line"].search_fetch(
            [
                ("equipment_id", "in", self.ids),
                ("contract_id.state", "=", "active"),
                ("contract_id.date_start", "<=", date),
                "|",
                ("contract_id.date_end", "=", False),
                ("contract_id.date_end", ">=", date),
            ],
            ["equipment_id", "contract_id"],
            order="id",
        )
        result = {}
        for line in lines:
            current = result.get(line.equipment_id.id)
            if not current or current.date_start < line.contract_id.date_start:
                result[line.equipment_id.id] = line.contract_id
        return result

    def _service_active_contract(self, date=None):
        """The active contract covering this unit on ``date`` (an empty recordset if none)."""
        self.ensure_one()
        return self._service_active_contracts(date).get(self.id, self.env["service.contract"])

    def action_view_service_contracts(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Contracts"),
            "res_model": "service.contract",
            "view_mode": "list,kanban,form",
            "domain": [("line_ids.equipment_id", "=", self.id)],
            "context": {"default_partner_id": self.partner_id.id},
        }
