from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    service_competitor_id = fields.Many2one(
        "res.partner",
        string="Competitor",
        domain=[("is_service_competitor", "=", True)],
        index=True,
        tracking=True,
        help="Who the customer chose or compared us with.",
    )
    service_competitor_price = fields.Monetary(
        string="Competitor's Price", currency_field="company_currency"
    )
    service_demo_booking_ids = fields.One2many(
        "service.demo.booking", "lead_id", string="Demonstrations"
    )
    service_demo_count = fields.Integer(
        string="Demonstration Count", compute="_compute_service_demo_count"
    )

    @api.depends("service_demo_booking_ids")
    def _compute_service_demo_count(self):
        counts = dict(
            self.env["service.demo.booking"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.service_demo_count = counts.get(lead._origin, 0)

    def action_service_demo_bookings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_manager.service_demo_booking_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action
