from odoo import fields, models


class ServiceEquipment(models.Model):
    _inherit = "service.equipment"

    service_contract_line_ids = fields.One2many(
        "service.contract.line", "equipment_id", string="Contract Lines"
    )
    service_contract_count = fields.Integer(
        compute="_compute_service_contract_count", string="Contracts"
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
