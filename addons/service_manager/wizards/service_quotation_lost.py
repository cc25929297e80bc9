from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.service_base.tools import action_records


class ServiceQuotationLost(models.TransientModel):
    _name = "service.quotation.lost"
    _description = "Quotation Lost"

    order_ids = fields.Many2many("sale.order", string="Quotations", required=True)
    lost_reason_id = fields.Many2one("crm.lost.reason", required=True)
    competitor_id = fields.Many2one("res.partner", domain=[("is_service_competitor", "=", True)])
    competitor_price = fields.Monetary(
        string="Competitor's Price", help="Their price for the same offer, untaxed, if known."
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")

    @api.depends("order_ids")
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = wizard.order_ids.currency_id[:1] or self.env.company.currency_id

    def action_mark_lost(self):
        """Cancel the quotations, recording why they were lost and to whom."""
        self.ensure_one()
        orders = self.order_ids
        if orders.filtered(lambda o: o.state not in ("draft", "sent")):
            raise UserError(_("Only a quotation that is not confirmed yet can be marked as lost."))
        action_records(orders).write(
            {
                "service_lost_reason_id": self.lost_reason_id.id,
                "service_competitor_id": self.competitor_id.id,
                "service_competitor_price": self.competitor_price,
            }
        )
        # No cancellation e-mail to the customer: they declined the offer.
        orders.with_context(disable_cancel_warning=True).action_cancel()
        return True
