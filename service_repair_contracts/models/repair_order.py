from odoo import api, fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    service_contract_id = fields.Many2one(
        "service.contract",
        compute="_compute_service_contract_id",
        search="_search_service_contract_id",
        help="The contract that pays this repair: its request's, or the one extending "
        "the warranty of its warranty claim.",
    )
    service_contract_cap = fields.Monetary(
        related="service_contract_id.yearly_cap",
        string="Contract Yearly Cap",
        currency_field="service_contract_currency_id",
    )
    service_contract_currency_id = fields.Many2one(
        related="service_contract_id.currency_id", string="Contract Currency"
    )
    service_covered_amount = fields.Monetary(
        string="Paid by Contract",
        compute="_compute_service_cap",
        currency_field="service_contract_currency_id",
        help="What the contract pays on this repair's quotation.",
    )
    service_cap_used = fields.Monetary(
        string="Contract Cap Used",
        compute="_compute_service_cap",
        currency_field="service_contract_currency_id",
        help="What the contract paid in the contract year of this repair's request, on "
        "confirmed repair quotations (this one included once confirmed).",
    )
    service_cap_remaining = fields.Monetary(
        string="Contract Cap Remaining",
        compute="_compute_service_cap",
        currency_field="service_contract_currency_id",
        help="What the yearly cap still pays in that contract year.",
    )

    @api.depends(
        "request_id.contract_id",
        "service_warranty_claim_id.warranty_contract_id",
        "lot_id",
        "request_id.contract_id.line_ids.equipment_id",
    )
    def _compute_service_contract_id(self):
        for repair in self:
            contract = (
                repair.request_id.contract_id
                or repair.service_warranty_claim_id.warranty_contract_id
            )
            # a contract of units pays the repair of one of them only (the
            # request may have none, its repair another serial)
            covered = contract.line_ids.equipment_id
            if covered and repair.lot_id and repair.lot_id not in covered.lot_id:
                contract = contract.browse()
            repair.service_contract_id = contract

    def _search_service_contract_id(self, operator, value):
        return [
            "|",
            ("request_id.contract_id", operator, value),
            "&",
            ("request_id.contract_id", "=", False),
            ("service_warranty_claim_id.warranty_contract_id", operator, value),
        ]

    def _service_contract_date(self):
        """The day whose contract year pays this repair: when its request came in,
        or its warranty claim's date."""
        self.ensure_one()
        claim = self.service_warranty_claim_id
        if not self.request_id and claim.claim_date:
            # never a later year than the one the claim was filed in: a claim
            # dated ahead would take a whole new cap
            filed = fields.Date.context_today(self, claim.create_date or fields.Datetime.now())
            return min(claim.claim_date, filed)
        return fields.Date.context_today(self, self.request_id.create_date or fields.Datetime.now())

    @api.depends(
        "service_contract_id.yearly_cap",
        "sale_order_id.order_line.service_covered_amount",
        "sale_order_id.state",
    )
    def _compute_service_cap(self):
        contracts = self.service_contract_id
        used = contracts._service_cap_used_by_year()
        # sudo: only the sums the contracts pay on these repairs' quotations,
        # also for a technician who may not read the quotation's lines.
        covered = {
            order.id: amount
            for order, amount in self.env["sale.order.line"]
            .sudo()
            ._read_group(
                [
                    ("order_id", "in", self.sale_order_id.ids),
                    ("service_contract_id", "!=", False),
                ],
                ["order_id"],
                ["service_covered_amount:sum"],
            )
        }
        for repair in self:
            contract = repair.service_contract_id
            repair.service_covered_amount = covered.get(repair.sale_order_id.id, 0.0)
            repair.service_cap_used = repair.service_cap_remaining = 0.0
            if not contract:
                continue
            year = contract._service_contract_year(repair._service_contract_date())[0]
            repair.service_cap_used = used[contract.id, year]
            if contract.yearly_cap:
                repair.service_cap_remaining = max(
                    contract.yearly_cap - repair.service_cap_used, 0.0
                )
