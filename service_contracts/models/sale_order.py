from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.service_base.tools import action_records, lock_for_update


class SaleOrder(models.Model):
    _inherit = "sale.order"

    service_contract_ids = fields.One2many(
        "service.contract",
        "sale_order_id",
        string="Service Contracts",
        groups="base.group_user",
    )
    service_contract_count = fields.Integer(
        compute="_compute_service_contract_count",
        string="Contract Count",
        groups="base.group_user",
    )

    def _compute_service_contract_count(self):
        Contract = self.env["service.contract"]
        counts = (
            dict(
                Contract._read_group(
                    [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
                )
            )
            if Contract.has_access("read")
            else {}
        )
        for order in self:
            order.service_contract_count = counts.get(order, 0)

    def action_create_service_contract(self):
        """Create a draft service contract from this order and open it.

        The contract takes the customer, the opportunity, the service lines (at
        their price) and the units registered for the serials this order delivered.
        The service lines it takes over are then invoiced by the contract, period
        by period, and no longer by the order.
        One contract per order (its renewals aside), also when two users click at once.
        """
        self.ensure_one()
        lock_for_update(self)
        if self.state == "cancel":
            raise UserError(_("A cancelled order cannot become a contract."))
        contract = self.service_contract_ids.filtered(
            lambda c: c.state != "cancelled" and not c.previous_contract_id
        )[:1]
        if contract:
            raise UserError(
                _(
                    "Order %(order)s already has service contract %(contract)s.",
                    order=self.name,
                    contract=contract.name,
                )
            )
        # sudo: only whether a cancelled contract of the order billed periods,
        # which a second contract would bill again.
        invoiced = self.sudo().service_contract_ids.filtered(
            lambda c: (
                c.state == "cancelled" and c.invoice_ids.filtered(lambda m: m.state != "cancel")
            )
        )[:1]
        if invoiced:
            raise UserError(
                _(
                    "Order %(order)s had service contract %(contract)s, cancelled after it "
                    "invoiced: a new contract from the order would bill those periods again. "
                    "Create the contract for the periods that follow by hand.",
                    order=self.name,
                    contract=invoiced.name,
                )
            )
        billed = self._service_lines().filtered("qty_invoiced")
        if billed and not self._service_contract_lines():
            raise UserError(
                _(
                    "Order %(order)s has no service line left for a contract to invoice: "
                    "its services are invoiced by the order already. Create the contract "
                    "by hand for the periods that follow.",
                    order=self.name,
                )
            )
        # The contract takes the order's service lines over (sale_line_id).
        contract = (
            action_records(self.env["service.contract"])
            .create(self._prepare_service_contract_vals())
            .with_env(self.env)
        )
        self.message_post(
            body=_("Service contract %(contract)s created.", contract=contract._get_html_link())
        )
        if billed:
            contract.message_post(
                body=_(
                    "Not taken over, already invoiced by order %(order)s: %(lines)s.",
                    order=self.name,
                    lines=", ".join(billed.mapped("product_id.display_name")),
                )
            )
        return contract._get_formview_action()

    def _service_lines(self):
        return self.order_line.filtered(
            lambda line: not line.display_type and line.product_id.type == "service"
        )

    def _service_contract_lines(self):
        """The order's service lines a contract takes over: those the order has
        not invoiced (an invoiced one would be billed twice, by the order and
        by the contract's first period)."""
        return self._service_lines().filtered(lambda line: not line.qty_invoiced)

    def _prepare_service_contract_vals(self):
        self.ensure_one()
        lines = [
            fields.Command.create(
                {
                    "product_id": line.product_id.id,
                    "name": line.name,
                    "quantity": line.product_uom_qty,
                    "price_unit": line.price_unit * (1 - (line.discount or 0.0) / 100.0),
                    "sale_line_id": line.id,
                }
            )
            for line in self._service_contract_lines()
        ]
        lots = self.picking_ids.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing"
        ).move_line_ids.lot_id
        if lots:
            units = self.env["service.equipment"].search(
                [
                    ("lot_id", "in", lots.ids),
                    ("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
                ]
            )
            lines += [fields.Command.create({"equipment_id": unit.id}) for unit in units]
        return {
            "partner_id": self.partner_id.id,
            "partner_invoice_id": self.partner_invoice_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "user_id": (self.user_id or self.env.user).id,
            "opportunity_id": self.opportunity_id.id,
            "sale_order_id": self.id,
            "title": self.client_order_ref or self.name,
            "line_ids": lines,
        }

    def action_service_deal_timeline(self):
        """Open the documents of the deal (opportunity) this order belongs to."""
        self.ensure_one()
        if not self.opportunity_id:
            raise UserError(_("This order does not belong to an opportunity."))
        return self.opportunity_id.action_service_deal_timeline()

    def action_view_service_contracts(self):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": _("Contracts"),
            "res_model": "service.contract",
            "view_mode": "list,kanban,form",
            "domain": [("sale_order_id", "=", self.id)],
            "context": {"create": False},
        }
        if self.service_contract_count == 1:
            action.update(
                view_mode="form", views=[(False, "form")], res_id=self.service_contract_ids.id
            )
        return action
