from odoo import _, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "service.guarded.mixin"]

    service_competitor_id = fields.Many2one(
        "res.partner",
        string="Competitor",
        domain=[("is_service_competitor", "=", True)],
        index="btree_not_null",
        tracking=True,
        help="Who the customer chose instead, or compared this quotation with.",
        groups="base.group_user",
    )
    service_competitor_price = fields.Monetary(
        string="Competitor's Price",
        tracking=True,
        help="The competitor's price for the same offer, untaxed, if known.",
        groups="base.group_user",
    )
    service_lost_reason_id = fields.Many2one(
        "crm.lost.reason",
        string="Lost Reason",
        index="btree_not_null",
        tracking=True,
        help="Why the customer did not accept this quotation.",
        groups="base.group_user",
    )

    def _service_guarded_fields(self):
        guarded = super()._service_guarded_fields()
        if any(order.state != "cancel" for order in self):
            # Marking the quotation lost records why; a lost quotation's reason
            # may be corrected (the competitors' report counts it).
            guarded.add("service_lost_reason_id")
        return guarded

    def action_service_mark_lost(self):
        """Open the wizard that cancels the quotation as lost, with its reason."""
        if self.filtered(lambda o: o.state not in ("draft", "sent")):
            raise UserError(_("Only a quotation that is not confirmed yet can be marked as lost."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Quotation Lost"),
            "res_model": "service.quotation.lost",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }
