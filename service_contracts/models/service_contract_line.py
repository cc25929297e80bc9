from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

# Beyond these a line is a typing error (and its amounts overflow).
MAX_QUANTITY = 1_000_000
MAX_PRICE = 1_000_000_000_000
# What the customer pays for a line, and the unit it covers: fixed once its
# contract runs (managers aside).
LINE_TERMS = frozenset({"price_unit", "quantity", "product_id", "equipment_id"})


class ServiceContractLine(models.Model):
    _name = "service.contract.line"
    _description = "Service Contract Line"
    _inherit = ["service.guarded.mixin"]
    _order = "contract_id, sequence, id"
    _check_company_auto = True

    contract_id = fields.Many2one("service.contract", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    equipment_id = fields.Many2one(
        "service.equipment",
        string="Unit",
        index="btree_not_null",
        check_company=True,
        help="A unit of the customer's installed base covered by the contract.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Service",
        check_company=True,
        domain=[("sale_ok", "=", True)],
        help="The service product invoiced for this line.",
    )
    name = fields.Char(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Monetary(
        string="Price per Period",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    price_subtotal = fields.Monetary(
        string="Subtotal", compute="_compute_price_subtotal", store=True
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sale Order Line",
        readonly=True,
        index="btree_not_null",
        help="The order line this contract line took over: the contract invoices it, "
        "period by period, instead of the order.",
        groups="base.group_user",
    )

    @api.depends("product_id", "equipment_id")
    def _compute_name(self):
        for line in self:
            parts = [
                part
                for part in (line.product_id.display_name, line.equipment_id.display_name)
                if part
            ]
            if parts and not line.name:
                line.name = " — ".join(parts)

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            if line.product_id and not line.price_unit:
                line.price_unit = line.product_id.lst_price

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.quantity * line.price_unit

    @api.constrains("quantity", "price_unit")
    def _check_amounts(self):
        for line in self:
            if not 0 <= line.quantity <= MAX_QUANTITY or abs(line.price_unit) > MAX_PRICE:
                raise ValidationError(
                    _(
                        "Contract line %(line)s: the quantity must be 0 to %(max_qty)s "
                        "and the unit price at most %(max_price)s either way.",
                        line=line.name or "",
                        max_qty=MAX_QUANTITY,
                        max_price=MAX_PRICE,
                    )
                )

    @api.constrains("product_id", "equipment_id", "contract_id")
    def _check_something_covered(self):
        for line in self:
            if not line.product_id and not line.equipment_id:
                raise ValidationError(
                    _("A contract line needs a covered unit, a service, or both.")
                )

    @api.constrains("equipment_id", "contract_id")
    def _check_equipment_owner(self):
        for line in self:
            unit = line.equipment_id
            if (
                unit
                and unit.commercial_partner_id
                and unit.commercial_partner_id != line.contract_id.commercial_partner_id
            ):
                raise ValidationError(
                    _(
                        "Unit %(unit)s belongs to %(owner)s, not to the contract's customer "
                        "%(customer)s.",
                        unit=unit.display_name,
                        owner=unit.commercial_partner_id.display_name,
                        customer=line.contract_id.commercial_partner_id.display_name,
                    )
                )

    def _service_guarded_fields(self):
        # Computed, or related to the contract (writing it would move the contract).
        # The order line taken over is the order's to invoice no more.
        guarded = super()._service_guarded_fields() | {
            "price_subtotal",
            "company_id",
            "sale_line_id",
        }
        if self:
            # A line stays on its contract; another contract gets a line of its own.
            guarded.add("contract_id")
            if not self._service_may_change_running_terms():
                guarded |= LINE_TERMS
        return guarded

    def _service_may_change_running_terms(self):
        """The price of a contract that runs is agreed with the customer: only a
        service manager changes it (a draft's lines are edited freely)."""
        return (
            self.env.su
            or self.env.user.has_group("service_base.group_service_manager")
            or all(line.contract_id.state == "draft" for line in self)
        )

    def _service_check_running_lines(self):
        if not self._service_may_change_running_terms():
            # a right of the manager's, as the access rights answer
            raise AccessError(
                _(
                    "Contract %(contract)s is in force: only a service manager adds or removes "
                    "its lines.",
                    contract=self.filtered(lambda line: line.contract_id.state != "draft")[
                        :1
                    ].contract_id.display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._service_check_running_lines()
        return lines

    def unlink(self):
        self.check_access("unlink")
        self._service_check_running_lines()
        return super().unlink()

    @api.constrains("quantity", "price_unit", "contract_id")
    def _check_period_amount(self):
        for contract in self.contract_id:
            if contract.currency_id.compare_amounts(contract.amount_period, 0) < 0:
                raise ValidationError(
                    _(
                        "The price per period of contract %(contract)s cannot be negative.",
                        contract=contract.display_name,
                    )
                )

    def _prepare_invoice_line_vals(self, period_label, ratio=1.0):
        """Values of this line's invoice line for one period (``ratio`` prorates a cut period)."""
        self.ensure_one()
        contract = self.contract_id
        vals = {
            "name": self.env._("%(line)s — period %(period)s", line=self.name, period=period_label),
            "quantity": self.quantity,
            "price_unit": contract.currency_id.round(self.price_unit * ratio),
        }
        if self.product_id:
            vals["product_id"] = self.product_id.id
            vals["product_uom_id"] = self.product_id.uom_id.id
        if contract.analytic_account_id:
            vals["analytic_distribution"] = {str(contract.analytic_account_id.id): 100}
        return vals
