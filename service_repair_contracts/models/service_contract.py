from collections import defaultdict

from odoo import api, fields, models

# Computed from the confirmed repair lines the contract pays.
CAP_FACTS = {"cap_year_start", "cap_year_end", "cap_used", "cap_remaining"}


class ServiceContract(models.Model):
    _inherit = "service.contract"

    service_request_ids = fields.One2many(
        "service.request",
        "contract_id",
        string="Requests",
        groups="service_base.group_service_user",
    )
    service_request_count = fields.Integer(
        string="Request Count",
        compute="_compute_service_request_count",
        groups="service_base.group_service_user",
    )

    cap_year_start = fields.Date(
        string="Contract Year Start",
        compute="_compute_cap",
        groups="base.group_user",
        help="First day of the current contract year (the yearly cap counts from it).",
    )
    cap_year_end = fields.Date(
        string="Contract Year End", compute="_compute_cap", groups="base.group_user"
    )
    cap_used = fields.Monetary(
        compute="_compute_cap",
        groups="base.group_user",
        help="What the contract paid this contract year for covered parts and labour on "
        "the confirmed repair quotations of its units.",
    )
    cap_remaining = fields.Monetary(
        compute="_compute_cap",
        groups="base.group_user",
        help="What the yearly cap still pays this contract year; beyond it, covered work "
        "is charged.",
    )

    @api.depends("date_start", "date_end", "yearly_cap")
    def _compute_cap(self):
        today = fields.Date.context_today(self)
        years = {
            contract: contract._service_contract_year(today)
            if contract.date_start
            else (False,) * 2
            for contract in self
        }
        used = self.filtered("id")._service_cap_used_by_year()
        for contract in self:
            start, end = years[contract]
            contract.cap_year_start = start
            contract.cap_year_end = end
            contract.cap_used = used[contract.id, start] if start else 0.0
            contract.cap_remaining = (
                max(contract.yearly_cap - contract.cap_used, 0.0) if contract.yearly_cap else 0.0
            )

    def _service_cap_used_by_year(self, exclude_lines=None):
        """``{(contract_id, year_start): amount}`` these contracts paid on confirmed
        repair lines (``exclude_lines`` left out), one query; 0.0 for the others."""
        used = defaultdict(float)
        if not self.ids:
            return used
        domain = [("service_contract_id", "in", self.ids), ("state", "=", "sale")]
        if exclude_lines:
            domain.append(("id", "not in", exclude_lines.ids))
        # sudo: only the sums of what these contracts paid, for users who read the
        # contract (and its cap); no order line is shown to them.
        rows = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group(
                domain,
                ["service_contract_id", "service_contract_year:day"],
                ["service_covered_amount:sum"],
            )
        )
        for contract, year, amount in rows:
            used[contract.id, year] = amount
        return used

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | CAP_FACTS

    @api.depends("service_request_ids")
    def _compute_service_request_count(self):
        counts = dict(
            self.env["service.request"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.service_request_count = counts.get(contract._origin, 0)

    def action_view_service_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_repair.service_request_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action
