import math
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# Ten years: longer periods are typing errors (and overflow the date arithmetic).
MAX_DAYS = 3650


class ServicePartReorderWizard(models.TransientModel):
    _name = "service.part.reorder.wizard"
    _description = "Propose Reordering Rules for Parts"

    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        default=lambda self: self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ),
    )
    history_days = fields.Integer(
        string="History (days)",
        default=180,
        required=True,
        help="Repairs' consumption over this period gives the daily usage.",
    )
    safety_days = fields.Integer(
        string="Safety Stock (days)",
        default=7,
        required=True,
        help="Usage covered beyond the supplier's lead time: the minimum is "
        "daily usage × (lead time + safety days).",
    )
    cover_days = fields.Integer(
        string="Order Cover (days)",
        default=30,
        required=True,
        help="Each order brings the stock up to the minimum plus this many days of usage.",
    )
    line_ids = fields.One2many("service.part.reorder.wizard.line", "wizard_id", string="Proposals")

    @api.constrains("history_days", "safety_days", "cover_days")
    def _check_days(self):
        for wizard in self:
            if (
                not 0 < wizard.history_days <= MAX_DAYS
                or not 0 <= wizard.safety_days <= MAX_DAYS
                or not 0 <= wizard.cover_days <= MAX_DAYS
            ):
                raise ValidationError(
                    _(
                        "The history must be 1 to %(max)s days, the other periods 0 to %(max)s.",
                        max=MAX_DAYS,
                    )
                )

    def action_compute(self):
        """Fill the proposals from the parts repairs consumed in the warehouse."""
        self.ensure_one()
        since = fields.Datetime.now() - timedelta(days=self.history_days)
        groups = self.env["stock.move"]._read_group(
            [
                ("repair_id", "!=", False),
                ("repair_line_type", "=", "add"),
                ("state", "=", "done"),
                ("date", ">=", since),
                ("location_id.warehouse_id", "=", self.warehouse_id.id),
            ],
            ["product_id"],
            ["product_qty:sum"],
        )
        consumed = {product: qty for product, qty in groups if qty > 0}
        products = self.env["product.product"].concat(*consumed)
        offers = self.env["product.product"]._service_parts_offers(
            products, {p.id: consumed[p] for p in products}
        )
        existing = {
            op.product_id: op
            for op in self.env["stock.warehouse.orderpoint"].search(
                [("product_id", "in", products.ids), ("warehouse_id", "=", self.warehouse_id.id)]
            )
        }
        lines = [Command.clear()]
        for product in products:
            daily = consumed[product] / self.history_days
            lead = (offers.get(product.id) or {}).get("delay") or 0
            # Rounded first: 0.1 * 30 is 3.0000000000000004 in floats.
            minimum = math.ceil(round(daily * (lead + self.safety_days), 6))
            maximum = max(math.ceil(round(minimum + daily * self.cover_days, 6)), minimum)
            orderpoint = existing.get(product)
            lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "consumed_qty": consumed[product],
                        "daily_qty": daily,
                        "lead_days": lead,
                        "min_qty": minimum,
                        "max_qty": maximum,
                        "orderpoint_id": orderpoint.id if orderpoint else False,
                        "selected": minimum > 0,
                    }
                )
            )
        self.line_ids = lines
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_apply(self):
        """Create or update the reordering rules of the selected proposals."""
        self.ensure_one()
        lines = self.line_ids.filtered("selected")
        if not lines:
            raise UserError(_("Select at least one proposal."))
        for line in lines.filtered("orderpoint_id"):
            line.orderpoint_id.write(
                {"product_min_qty": line.min_qty, "product_max_qty": line.max_qty}
            )
        new = lines.filtered(lambda line: not line.orderpoint_id)
        orderpoints = self.env["stock.warehouse.orderpoint"].create(
            [
                {
                    "product_id": line.product_id.id,
                    "warehouse_id": self.warehouse_id.id,
                    "location_id": self.warehouse_id.lot_stock_id.id,
                    "product_min_qty": line.min_qty,
                    "product_max_qty": line.max_qty,
                    "trigger": "auto",
                }
                for line in new
            ]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_orderpoint")
        action["domain"] = [("id", "in", (orderpoints | lines.orderpoint_id).ids)]
        return action


class ServicePartReorderWizardLine(models.TransientModel):
    _name = "service.part.reorder.wizard.line"
    _description = "Reordering Rule Proposal"

    wizard_id = fields.Many2one("service.part.reorder.wizard", required=True, ondelete="cascade")
    selected = fields.Boolean(string="Apply", default=True)
    product_id = fields.Many2one("product.product", string="Part", required=True)
    consumed_qty = fields.Float(string="Consumed", digits="Product Unit of Measure")
    daily_qty = fields.Float(string="Per Day", digits=(16, 3))
    lead_days = fields.Integer(string="Lead Time")
    min_qty = fields.Float(string="Min", digits="Product Unit of Measure")
    max_qty = fields.Float(string="Max", digits="Product Unit of Measure")
    orderpoint_id = fields.Many2one("stock.warehouse.orderpoint", string="Current Rule")
