from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Requests know three priorities, SLA policies four (with "Low" below "Normal"):
# a normal request gets the policy's medium targets.
SLA_PRIORITY = {"0": "1", "1": "2", "2": "3"}


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
    date_response_deadline = fields.Datetime(
        string="Response Deadline",
        compute="_compute_date_response_deadline",
        store=True,
        copy=False,
        help="When the customer must have had a first answer, by the contract's SLA.",
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

    @api.depends("priority", "company_id", "partner_id", "team_id", "contract_id")
    def _compute_date_deadline(self):
        return super()._compute_date_deadline()

    @api.depends("priority", "contract_id")
    def _compute_date_response_deadline(self):
        for request in self:
            request.date_response_deadline = request._sla_deadlines().get("response") or False

    def _service_guarded_fields(self):
        # Computed from the contract's SLA.
        return super()._service_guarded_fields() | {"date_response_deadline"}

    def _get_sla_deadline(self):
        """The contract's SLA policy, in its working hours, wins over the default times."""
        deadlines = super()._get_sla_deadline()
        for request in self:
            resolution = request._sla_deadlines().get("resolution")
            if resolution:
                deadlines[request.id] = resolution
        return deadlines

    def _sla_deadlines(self):
        self.ensure_one()
        policy = self.contract_id.sla_policy_id
        if not policy:
            return {}
        return policy._compute_deadlines(
            self.create_date or fields.Datetime.now(), SLA_PRIORITY.get(self.priority, "1")
        )

    def _is_under_warranty(self):
        """Under warranty when the serial's warranty runs, or the contract covers
        both labour and parts."""
        if super()._is_under_warranty():
            return True
        if self.lot_id:
            status = self.env["stock.lot"].service_warranty_status(self.lot_id.name)
            if status.get("in_warranty"):
                return True
        contract = self.contract_id
        return bool(contract and contract.cover_labour and contract.cover_parts)
