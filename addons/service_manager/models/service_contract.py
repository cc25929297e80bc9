from collections import defaultdict

from odoo import _, api, fields, models

from odoo.addons.service_base.tools import action_records


class ServiceContract(models.Model):
    _name = "service.contract"
    _inherit = ["service.contract", "service.meeting.mixin"]

    service_revenue = fields.Monetary(
        string="Revenue Invoiced",
        compute="_compute_service_profitability",
        help="Untaxed posted invoices (less credit notes) of the contract, plus those of the "
        "repairs of its requests, in company currency.",
        groups="base.group_user",
    )
    service_parts_cost = fields.Monetary(
        string="Parts Cost",
        compute="_compute_service_profitability",
        help="Parts consumed by the repairs of the contract's requests, at stock move cost.",
        groups="base.group_user",
    )
    service_labour_cost = fields.Monetary(
        string="Labour Cost",
        compute="_compute_service_profitability",
        help="Labour hours of the repairs of the contract's requests times the labour rate.",
        groups="base.group_user",
    )
    service_center_cost = fields.Monetary(
        string="Service Centre Cost",
        compute="_compute_service_profitability",
        help="Posted vendor bills of external service centres for the contract's requests.",
        groups="base.group_user",
    )
    service_cost = fields.Monetary(
        string="Cost of Service",
        compute="_compute_service_profitability",
        help="Parts, labour and service-centre costs of the requests under this contract.",
        groups="base.group_user",
    )
    service_margin = fields.Monetary(
        string="Margin", compute="_compute_service_profitability", groups="base.group_user"
    )

    def _compute_service_profitability(self):
        """Figures in company currency, as the analytic account of the
        contract receives them. Read with sudo: a manager sees the figures of
        the contracts he may read, not the journal items behind them."""
        invoiced = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("service_contract_id", "in", self.ids),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ],
                ["service_contract_id"],
                ["amount_untaxed_signed:sum"],
            )
        )
        requests = self.env["service.request"].sudo().search([("contract_id", "in", self.ids)])
        totals = defaultdict(lambda: defaultdict(float))
        for request in requests:
            total = totals[request.contract_id.id]
            total["revenue"] += request.service_revenue
            total["parts"] += request.service_parts_cost
            total["labour"] += request.service_labour_cost
            total["center"] += request.service_center_cost
        for contract in self:
            total = totals[contract.id]
            contract.service_revenue = invoiced.get(contract, 0.0) + total["revenue"]
            contract.service_parts_cost = total["parts"]
            contract.service_labour_cost = total["labour"]
            contract.service_center_cost = total["center"]
            contract.service_cost = total["parts"] + total["labour"] + total["center"]
            contract.service_margin = contract.service_revenue - contract.service_cost

    @api.model_create_multi
    def create(self, vals_list):
        contracts = super().create(vals_list)
        for contract, vals in zip(contracts, vals_list, strict=True):
            if vals.get("analytic_account_id"):
                contract.analytic_account_id._service_check_chargeable(contract)
        return contracts

    def write(self, vals):
        result = super().write(vals)
        if vals.get("analytic_account_id"):
            # The contract's requests, repairs and labour follow its account.
            for contract in self:
                contract.analytic_account_id._service_check_chargeable(contract)
        return result

    def action_activate(self):
        result = super().action_activate()
        self._service_create_analytic_accounts()
        return result

    def _service_create_analytic_accounts(self):
        """Give each contract without one its own analytic account, so that its
        invoices, repairs, parts, labour and service-centre bills meet there."""
        contracts = self.filtered(lambda c: not c.analytic_account_id)
        if not contracts:
            return
        plan = self.env.ref("service_manager.analytic_plan_service", raise_if_not_found=False)
        if not plan:
            return
        # sudo: a service manager may run contracts without accounting rights;
        # the account only names the contract, for those who may change it.
        contracts.check_access("write")
        accounts = (
            self.env["account.analytic.account"]
            .sudo()
            .create(
                [
                    {
                        "name": _(
                            "%(contract)s – %(customer)s",
                            contract=contract.name,
                            customer=contract.commercial_partner_id.name,
                        ),
                        "code": contract.name,
                        "plan_id": plan.id,
                        "partner_id": contract.commercial_partner_id.id,
                        "company_id": contract.company_id.id,
                    }
                    for contract in contracts
                ]
            )
        )
        # the activation's own account: a running contract's account is
        # otherwise the service manager's to change
        for contract, account in zip(action_records(contracts), accounts, strict=True):
            contract.analytic_account_id = account.id
