from odoo import _, api, fields, models

DEAL_STAGES = [
    ("opportunity", "Opportunity"),
    ("quotation", "Quotation"),
    ("sale_order", "Sale Order"),
    ("delivery", "Delivery"),
    ("contract", "Contract"),
    ("invoice", "Invoice"),
    ("payment", "Payment"),
]


class ServiceDealDocument(models.TransientModel):
    """A row of the deal-as-a-flow screen: one document of an opportunity,
    as the user who opened the screen may see it.

    Rows are built for that user by ``crm.lead.action_service_deal_timeline``
    and are theirs only (a record rule on the creator: a row carries amounts
    that user's rights allowed, which another user's may not); clients read
    them, never create, change or delete them (read-only access rights; the
    builder creates them in superuser mode, which keeps the user as creator)."""

    _name = "service.deal.document"
    _description = "Deal Document"
    _order = "lead_id, stage_sequence, date, id"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True, ondelete="cascade")
    stage = fields.Selection(DEAL_STAGES, readonly=True, required=True, group_expand=True)
    stage_sequence = fields.Integer(readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True, required=True)
    res_id = fields.Integer(string="Document ID", readonly=True, required=True)
    name = fields.Char(string="Document", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    state = fields.Char(string="Status", readonly=True)
    date = fields.Date(readonly=True)
    amount = fields.Monetary(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)

    @api.model
    def _build_for_leads(self, leads):
        """Create one row per document of the deals of ``leads`` and return them.

        Documents the user may not read (a salesman without accounting rights
        and the payments, for instance) are left out, not shown half-empty.
        """
        rows = []
        sequence = {stage: index for index, (stage, __) in enumerate(DEAL_STAGES)}

        def add(lead, stage, record, state, date, amount=0.0, currency=None):
            rows.append(
                {
                    "lead_id": lead.id,
                    "stage": stage,
                    "stage_sequence": sequence[stage],
                    "res_model": record._name,
                    "res_id": record.id,
                    "name": record.display_name,
                    "partner_id": record.partner_id.id if "partner_id" in record else False,
                    "state": state,
                    "date": fields.Date.to_date(date) if date else False,
                    "amount": amount,
                    "currency_id": currency.id if currency else False,
                }
            )

        def labels(model, field="state"):
            return dict(self.env[model]._fields[field]._description_selection(self.env))

        order_states = labels("sale.order")
        picking_states = labels("stock.picking")
        contract_states = labels("service.contract")
        move_states = labels("account.move")
        payment_states = labels("account.move", "payment_state")
        pay_states = labels("account.payment")

        for lead in leads:
            if lead.stage_id.is_won:
                lead_state = _("Won")
            elif not lead.active and not lead.probability:
                lead_state = _("Lost")
            else:
                lead_state = lead.stage_id.name or ""
            add(
                lead,
                "opportunity",
                lead,
                lead_state,
                lead.create_date,
                lead.expected_revenue,
                lead.company_currency,
            )
            orders = lead.order_ids._filtered_access("read")
            for order in orders:
                add(
                    lead,
                    "sale_order" if order.state == "sale" else "quotation",
                    order,
                    order_states.get(order.state, order.state),
                    order.date_order,
                    order.amount_total,
                    order.currency_id,
                )
            pickings = orders.picking_ids._filtered_access("read") if orders else orders
            for picking in pickings:
                add(
                    lead,
                    "delivery",
                    picking,
                    picking_states.get(picking.state, picking.state),
                    picking.date_done or picking.scheduled_date,
                )
            contracts = (lead.service_contract_ids | orders.service_contract_ids)._filtered_access(
                "read"
            )
            for contract in contracts:
                add(
                    lead,
                    "contract",
                    contract,
                    contract_states.get(contract.state, contract.state),
                    contract.date_start,
                    contract.amount_period,
                    contract.currency_id,
                )
            if not self.env["account.move"].has_access("read"):
                continue
            invoices = (
                (orders.invoice_ids | contracts.invoice_ids)
                .filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
                ._filtered_access("read")
            )
            for invoice in invoices.sorted(lambda m: (m.invoice_date or m.date, m.id)):
                state = move_states.get(invoice.state, invoice.state)
                if invoice.state == "posted":
                    state = _(
                        "%(state)s, %(payment)s",
                        state=state,
                        payment=payment_states.get(invoice.payment_state, invoice.payment_state),
                    )
                sign = -1 if invoice.move_type == "out_refund" else 1
                add(
                    lead,
                    "invoice",
                    invoice,
                    state,
                    invoice.invoice_date or invoice.date,
                    sign * invoice.amount_total,
                    invoice.currency_id,
                )
            if not self.env["account.payment"].has_access("read"):
                continue
            payments = invoices._get_reconciled_payments()._filtered_access("read")
            for payment in payments:
                add(
                    lead,
                    "payment",
                    payment,
                    pay_states.get(payment.state, payment.state),
                    payment.date,
                    payment.amount,
                    payment.currency_id,
                )
        # sudo: clients may not create rows (read-only access); the rows hold
        # only what the checks above let this user read, and sudo keeps the
        # user as their creator, whom the record rule shows them to.
        return self.sudo().create(rows).sudo(False)

    def action_open_document(self):
        """Open the document this row stands for."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
