from odoo import _, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    service_contract_ids = fields.One2many(
        "service.contract", "opportunity_id", string="Service Contracts"
    )
    service_contract_count = fields.Integer(
        compute="_compute_service_contract_count", string="Contract Count"
    )

    def _compute_service_contract_count(self):
        Contract = self.env["service.contract"]
        counts = (
            dict(
                Contract._read_group(
                    [("opportunity_id", "in", self.ids)], ["opportunity_id"], ["__count"]
                )
            )
            if Contract.has_access("read")
            else {}
        )
        for lead in self:
            lead.service_contract_count = counts.get(lead, 0)

    def action_service_contract_new(self):
        """Open a new service contract for this opportunity's customer, linked back to it."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(_("Set the opportunity's customer before creating a contract."))
        return {
            "type": "ir.actions.act_window",
            "name": _("New Contract"),
            "res_model": "service.contract",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_opportunity_id": self.id,
                "default_user_id": (self.user_id or self.env.user).id,
                "default_company_id": (self.company_id or self.env.company).id,
                "default_title": self.name,
            },
        }

    def action_view_service_contracts(self):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": _("Contracts"),
            "res_model": "service.contract",
            "view_mode": "list,kanban,form",
            "domain": [("opportunity_id", "=", self.id)],
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_opportunity_id": self.id,
            },
        }
        if self.service_contract_count == 1:
            action.update(
                view_mode="form", views=[(False, "form")], res_id=self.service_contract_ids.id
            )
        return action

    def action_service_deal_timeline(self):
        """Open the deal as a flow: a column a step (opportunity to payment), each document
        of this opportunity in its step with its state; the list view shows the same rows."""
        self.ensure_one()
        documents = self.env["service.deal.document"]._build_for_leads(self)
        return {
            "type": "ir.actions.act_window",
            "name": _("Deal Documents: %(deal)s", deal=self.name),
            "res_model": "service.deal.document",
            "view_mode": "kanban,list,form",
            "views": [
                (self.env.ref("service_contracts.service_deal_document_view_kanban").id, "kanban"),
                (self.env.ref("service_contracts.service_deal_document_view_list").id, "list"),
                (self.env.ref("service_contracts.service_deal_document_view_form").id, "form"),
            ],
            "domain": [("id", "in", documents.ids)],
            "context": {"create": False, "delete": False},
        }
