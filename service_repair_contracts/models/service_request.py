from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .service_request_sla import SLA_GUARDED_FIELDS


class ServiceRequest(models.Model):
    _name = "service.request"
    _inherit = ["service.request", "service.guarded.mixin"]

    contract_id = fields.Many2one(
        "service.contract",
        compute="_compute_contract_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The active service contract covering the unit when the request came in.",
    )

    @api.depends("equipment_id", "partner_id")
    def _compute_contract_id(self):
        contracts = self.equipment_id._service_active_contracts()
        for request in self:
            contract = contracts.get(request.equipment_id.id, self.env["service.contract"])
            # Only the customer's own contract covers the request.
            if contract.commercial_partner_id != request.commercial_partner_id:
                contract = False
            request.contract_id = contract

    @api.constrains("contract_id", "partner_id")
    def _check_contract(self):
        """A request is under its own customer's contract, one in force when it came
        in: the contract makes its repair free and sets its deadlines."""
        for request in self.filtered("contract_id"):
            contract = request.contract_id
            days = {
                fields.Date.context_today(request, request.create_date or fields.Datetime.now()),
                fields.Date.context_today(request),
            }
            in_force = contract.state in ("active", "expired") and any(
                contract.date_start <= day and (not contract.date_end or day <= contract.date_end)
                for day in days
            )
            if contract.commercial_partner_id != request.commercial_partner_id or not in_force:
                raise ValidationError(
                    _(
                        "Request %(request)s cannot be under contract %(contract)s: the contract "
                        "must be %(customer)s's and in force when the request came in.",
                        request=request.name,
                        contract=contract.name,
                        customer=request.commercial_partner_id.display_name,
                    )
                )

    def _service_guarded_fields(self):
        # The SLA's clock, deadlines, responses and breaches: the suite's only.
        return super()._service_guarded_fields() | SLA_GUARDED_FIELDS

    def _is_under_warranty(self):
        """Under warranty when the serial's warranty runs, or a contract covers
        both labour and parts without a yearly cap. Under a cap the repair is not
        free as a whole: its quotation lines are, while the cap lasts (see
        sale.order.line)."""
        status = {}
        if self.lot_id:
            status = self.env["stock.lot"].service_warranty_status(self.lot_id.name)
        # The serial's "warranty" may be its contract's: then the contract's cap rules.
        warranty_contract = self.env["service.contract"]
        if status.get("source") == "contract" and status.get("contract_id"):
            warranty_contract = self.env["service.contract"].browse(status["contract_id"])
        if not warranty_contract.yearly_cap:
            if super()._is_under_warranty() or status.get("in_warranty"):
                return True
        contract = self.contract_id
        return bool(
            contract and contract.cover_labour and contract.cover_parts and not contract.yearly_cap
        )
