from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.service_base.tools import user_lang_env

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
        # a copy takes the contract covering its unit now, not the original's
        copy=False,
        help="The active service contract covering the unit when the request came in.",
    )

    @api.depends("equipment_id", "partner_id")
    def _compute_contract_id(self):
        contracts = self._service_covering_contracts()
        for request in self:
            request.contract_id = contracts[request]

    def _service_covering_contracts(self):
        """``{request: service.contract}``: the customer's active contract that
        covers the request's unit today (empty if none), one query for all."""
        contracts = self.equipment_id._service_active_contracts()
        result = {}
        for request in self:
            contract = contracts.get(request.equipment_id.id, self.env["service.contract"])
            # Only the customer's own contract covers the request.
            if contract.commercial_partner_id != request.commercial_partner_id:
                contract = self.env["service.contract"]
            result[request] = contract
        return result

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        if not (
            self.env.su or self.env.user.has_group("service_base.group_service_manager")
        ) and any("contract_id" in vals for vals in vals_list):
            # a contract given with the new request: the covering one only, as
            # for a change (below)
            covering = requests._service_covering_contracts()
            for request, vals in zip(requests, vals_list, strict=True):
                if "contract_id" in vals and request.contract_id != covering[request]:
                    request._service_refuse_contract(covering[request], covering[request])
        return requests

    def write(self, vals):
        checked = "contract_id" in vals and not (
            self.env.su or self.env.user.has_group("service_base.group_service_manager")
        )
        before = {request: request.contract_id for request in self} if checked else {}
        res = super().write(vals)
        if checked:
            # The contract sets the request's deadlines and what its repair
            # costs: the service staff take the one covering the unit; another
            # one (or none) is a service manager's decision.
            covering = self._service_covering_contracts()
            unit_changed = "equipment_id" in vals or "partner_id" in vals
            for request in self:
                contract = request.contract_id
                if contract != before[request] and (
                    contract != covering[request] or not (contract or unit_changed)
                ):
                    request._service_refuse_contract(before[request], covering[request])
        return res

    def _service_refuse_contract(self, before, covering):
        if not self.contract_id:
            raise AccessError(
                _(
                    "Only a service manager takes request %(request)s out of contract "
                    "%(contract)s: its deadlines and the price of its repair come from it.",
                    request=self.name,
                    contract=before.name,
                )
            )
        if covering:
            raise AccessError(
                _(
                    "Request %(request)s comes under contract %(contract)s, which covers its "
                    "unit: only a service manager puts it under another contract.",
                    request=self.name,
                    contract=covering.name,
                )
            )
        raise AccessError(
            _(
                "No contract of the customer covers the unit of request %(request)s: only a "
                "service manager puts it under a contract.",
                request=self.name,
            )
        )

    @api.constrains("contract_id", "partner_id", "equipment_id")
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
            covers_unit = (
                not request.equipment_id
                or not contract.line_ids.equipment_id
                or request.equipment_id in contract.line_ids.equipment_id
            )
            if not covers_unit:
                raise ValidationError(
                    _(
                        "Request %(request)s cannot be under contract %(contract)s: the contract "
                        "does not cover unit %(unit)s.",
                        request=request.name,
                        contract=contract.name,
                        unit=request.equipment_id.with_env(user_lang_env(self.env)).display_name,
                    )
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

    @api.model
    def _service_warranty_makes_free(self, status):
        # The serial's "warranty" may be its contract's: under a yearly cap the
        # repair is not free as a whole, the cap pays its lines (sale.order.line).
        if status.get("source") == "contract" and status.get("contract_id"):
            if self.env["service.contract"].browse(status["contract_id"]).yearly_cap:
                return False
        return super()._service_warranty_makes_free(status)

    def _is_under_warranty(self):
        """Under warranty when the serial's warranty runs, or a contract covers
        both labour and parts without a yearly cap. Under a cap the repair is not
        free as a whole: its quotation lines are, while the cap lasts (see
        sale.order.line)."""
        contract = self.contract_id
        return super()._is_under_warranty() or bool(
            contract and contract.cover_labour and contract.cover_parts and not contract.yearly_cap
        )
