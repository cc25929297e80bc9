from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ServiceMaintenanceScheduleWizard(models.TransientModel):
    """The maintenance schedule (график ППР) on screen: a year, a customer
    and/or a contract, and the table of their units' maintenance by month,
    each request a link; printed as the landscape PDF."""

    _name = "service.maintenance.schedule.wizard"
    _description = "Maintenance Schedule"

    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        # the customers some unit of which has a maintenance plan
        domain="[('is_company', '=', True), ('service_has_maintenance', '=', True)]",
    )
    contract_id = fields.Many2one(
        "service.contract",
        # the chosen customer's contracts only
        domain="[('commercial_partner_id', '=', partner_id)] if partner_id else []",
    )
    schedule_html = fields.Html(string="Schedule", compute="_compute_schedule_html", sanitize=False)

    @api.depends("year")
    def _compute_display_name(self):
        # the breadcrumb's title once the wizard is saved (an error, a link)
        for wizard in self:
            wizard.display_name = _("Maintenance Schedule %(year)s", year=wizard.year)

    @api.depends("year", "partner_id", "contract_id")
    def _compute_schedule_html(self):
        Schedule = self.env["service.maintenance.schedule"]
        for wizard in self:
            contract = wizard.contract_id
            partner = wizard.partner_id.commercial_partner_id
            if contract and partner and contract.commercial_partner_id != partner:
                # shown as the customer's until the contract is the customer's
                contract = contract.browse()
            schedule = Schedule._service_schedule_data(
                wizard.year, partner=wizard.partner_id, contract=contract
            )
            wizard.schedule_html = self.env["ir.qweb"]._render(
                "service_maintenance.maintenance_schedule_table",
                {"schedule": schedule, "link": "backend"},
            )

    @api.onchange("contract_id")
    def _onchange_contract_id(self):
        # a contract fills in an empty customer, never replaces the chosen one
        if self.contract_id and not self.partner_id:
            self.partner_id = self.contract_id.commercial_partner_id

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        # another customer: the contract of the previous one goes
        contract = self.contract_id
        if (
            contract
            and self.partner_id
            and contract.commercial_partner_id != self.partner_id.commercial_partner_id
        ):
            self.contract_id = False

    def action_print(self):
        """The PDF of the schedule shown: the contract's, else the customer's."""
        self.ensure_one()
        # With ``data`` the web client asks for the report without the ids in
        # its URL (only the data and the context): the ids travel in the data.
        partner = self.partner_id.commercial_partner_id
        if self.contract_id and partner and self.contract_id.commercial_partner_id != partner:
            raise UserError(
                _(
                    "Contract %(contract)s is not a contract of customer %(customer)s.",
                    contract=self.contract_id.name,
                    customer=partner.display_name,
                )
            )
        if self.contract_id:
            docs = self.contract_id
            report = "service_maintenance.action_report_maintenance_schedule_contract"
        elif self.partner_id:
            docs = self.partner_id.commercial_partner_id
            report = "service_maintenance.action_report_maintenance_schedule_partner"
        else:
            raise UserError(_("Choose a customer or a contract to print its schedule."))
        data = {"year": self.year, "doc_ids": docs.ids}
        return self.env.ref(report).report_action(docs, data=data)
