from odoo import api, fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    service_contract_id = fields.Many2one(
        related="request_id.contract_id", string="Service Contract", readonly=True
    )
    service_contract_cap = fields.Monetary(
        related="request_id.contract_id.yearly_cap",
        string="Contract Yearly Cap",
        currency_field="service_contract_currency_id",
    )
    service_contract_currency_id = fields.Many2one(
        related="request_id.contract_id.currency_id", string="Contract Currency"
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
        "request_id.contract_id.yearly_cap",
        "sale_order_id.order_line.service_covered_amount",
        "sale_order_id.state",
    )
    def _compute_service_cap(self):
        contracts = self.request_id.contract_id
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
            contract = repair.request_id.contract_id
            repair.service_covered_amount = covered.get(repair.sale_order_id.id, 0.0)
            repair.service_cap_used = repair.service_cap_remaining = 0.0
            if not contract:
                continue
            request = repair.request_id
            year = contract._service_contract_year(
                fields.Date.context_today(repair, request.create_date or fields.Datetime.now())
            )[0]
            repair.service_cap_used = used[contract.id, year]
            if contract.yearly_cap:
                repair.service_cap_remaining = max(
                    contract.yearly_cap - repair.service_cap_used, 0.0
                )
