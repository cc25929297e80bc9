from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_equipment_count = fields.Integer(
        string="Equipment Count",
        compute="_compute_service_equipment_count",
        groups="service_base.group_service_user",
    )

    def _compute_service_equipment_count(self):
        # Units belong to the commercial entity: a contact sees its company's units.
        counts = dict(
            self.env["service.equipment"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.service_equipment_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_service_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_base.service_equipment_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
