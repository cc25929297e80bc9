from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import float_round

from odoo.addons.service_base.tools import action_records

# Set by the contract's cover only: what the contract pays counts against its
# yearly cap.
COVER_FACTS = {"service_contract_id", "service_contract_year", "service_covered_amount"}
# A change of these changes what the contract pays on the line.
COVER_TRIGGERS = {"product_id", "product_uom_qty", "price_unit", "order_id"}


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "service.guarded.mixin"]

    service_contract_id = fields.Many2one(
        "service.contract",
        string="Covered by Contract",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The service contract that pays this repair line (all of it, or up to its "
        "yearly cap).",
        groups="base.group_user",
    )
    service_contract_year = fields.Date(
        string="Contract Year",
        readonly=True,
        copy=False,
        help="First day of the contract year whose cap this line uses.",
        groups="base.group_user",
    )
    service_covered_amount = fields.Monetary(
        string="Paid by Contract",
        readonly=True,
        copy=False,
        help="Amount of this line the contract pays, at the line's unit price: it counts "
        "against the contract's yearly cap once the order is confirmed; the rest is charged.",
        groups="base.group_user",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._service_apply_contract_cover()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if COVER_TRIGGERS & set(vals):
            self.order_id._service_apply_contract_cover()
        return res

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | COVER_FACTS

    def _service_covering_contract(self):
        """The contract of the repair's request when it covers this kind of line
        (labour for services, parts for goods), else an empty recordset."""
        self.ensure_one()
        contract = self.order_id.repair_order_ids[:1].service_contract_id
        if self.display_type or not self.product_id or not contract:
            return self.env["service.contract"]
        covered = (
            contract.cover_labour if self.product_id.type == "service" else contract.cover_parts
        )
        return contract if covered else self.env["service.contract"]

    def _service_cover_date(self):
        """The day whose contract year pays this line: when the request came in
        (the claim's date for the repair of a warranty claim)."""
        self.ensure_one()
        repair = self.order_id.repair_order_ids[:1]
        return repair._service_contract_date()

    def _service_contract_cover(self):
        """``{line: (contract, year_start, covered, discount)}`` for these lines, in order.

        A covered line is free (a 100 % discount) while the contract year's covered
        amount stays within the yearly cap; the line that crosses it is discounted
        by what was left, the next ones not at all. What confirmed orders of the
        same contract year took is used first; the lines here take the rest in
        the order of their orders and sequences.
        """
        Contract = self.env["service.contract"]
        contracts = {line: line._service_covering_contract() for line in self}
        years = {
            line: contract._service_contract_year(line._service_cover_date())[0]
            for line, contract in contracts.items()
            if contract
        }
        used = Contract.browse({c.id for c in contracts.values() if c})._service_cap_used_by_year(
            exclude_lines=self
        )
        digits = self.env["decimal.precision"].precision_get("Discount")
        result = {}
        for line in self.sorted(lambda ln: (ln.order_id.id, ln.sequence, ln.id)):
            contract = contracts[line]
            if not contract:
                result[line] = (Contract, False, 0.0, None)
                continue
            currency = contract.currency_id
            year = years[line]
            full = currency.round(line.price_unit * line.product_uom_qty)
            left = full
            if contract.yearly_cap:
                left = min(full, max(contract.yearly_cap - used[contract.id, year], 0.0))
            discount = (
                float_round(left / full * 100.0, precision_digits=digits, rounding_method="DOWN")
                if full > 0
                else 100.0
            )
            # What the discount leaves to charge, as the line computes it: the
            # contract pays the rest, never more than was left of the cap.
            charged = currency.round(line.price_unit * line.product_uom_qty * (1 - discount / 100))
            covered = full - charged
            used[contract.id, year] += covered
            result[line] = (contract, year, covered, discount)
        return result

    def _service_apply_contract_cover(self):
        """Set the contract's cover (discount and amount paid) on these lines."""
        cover = self._service_contract_cover()
        groups = defaultdict(lambda: self.browse())
        for line, (contract, year, covered, discount) in cover.items():
            if not contract and not line.service_contract_id:
                continue
            vals = {
                "service_contract_id": contract.id,
                "service_contract_year": year,
                "service_covered_amount": covered,
            }
            if discount is not None:
                vals["discount"] = discount
            elif line.service_contract_id:
                # no longer covered: charged in full
                vals["discount"] = 0.0
            key = tuple(sorted(vals.items()))
            groups[key] |= line
        for key, lines in groups.items():
            action_records(lines).write(dict(key))
