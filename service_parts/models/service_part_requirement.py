from collections import defaultdict

from odoo import Command, _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, drop_view_if_exists

from odoo.addons.service_base.tools import lock_for_update


class ServicePartRequirement(models.Model):
    """Parts lines of open repair orders, as the warehouse needs them: what to
    pick for which repair, from which location, and what is missing."""

    _name = "service.part.requirement"
    _description = "Parts Requirement"
    _auto = False
    _order = "schedule_date, repair_id, id"
    _rec_name = "product_id"
    # What the view reads: flushed before every search on it.
    _depends = {
        "stock.move": [
            "repair_id",
            "repair_line_type",
            "state",
            "product_id",
            "location_id",
            "product_qty",
            "product_uom_qty",
            "quantity",
        ],
        "repair.order": ["state", "partner_id", "company_id", "schedule_date"],
        "stock.quant": ["product_id", "location_id", "quantity", "reserved_quantity"],
        "stock.location": ["parent_path"],
    }

    move_id = fields.Many2one("stock.move", string="Stock Move", readonly=True)
    repair_id = fields.Many2one("repair.order", string="Repair Order", readonly=True)
    repair_state = fields.Selection(
        [
            ("draft", "New"),
            ("confirmed", "Confirmed"),
            ("under_repair", "Under Repair"),
        ],
        readonly=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", string="Part", readonly=True)
    location_id = fields.Many2one("stock.location", string="Pick From", readonly=True)
    schedule_date = fields.Datetime(string="Scheduled", readonly=True)
    product_qty = fields.Float(string="Needed", readonly=True, digits="Product Unit of Measure")
    reserved_qty = fields.Float(
        string="To Pick",
        readonly=True,
        digits="Product Unit of Measure",
        help="Already reserved for the repair at the location.",
    )
    available_qty = fields.Float(
        string="Free at Location",
        readonly=True,
        digits="Product Unit of Measure",
        help="Unreserved stock at the location and its sub-locations.",
    )
    missing_qty = fields.Float(
        string="Missing",
        readonly=True,
        digits="Product Unit of Measure",
        help="What the free stock cannot cover once earlier repairs (by schedule) "
        "have taken their share.",
    )

    def init(self):
        # A view: the warehouse's worklist is an aggregate over moves and quants
        # (free stock shared by repairs in schedule order), which the ORM cannot
        # express as one query.
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    WITH need AS (
                        SELECT m.id, m.id AS move_id, m.repair_id, r.state AS repair_state,
                               r.partner_id, r.company_id, m.product_id, m.location_id,
                               r.schedule_date, m.product_qty,
                               CASE WHEN m.product_uom_qty > 0
                                    THEN m.quantity * m.product_qty / m.product_uom_qty
                                    ELSE 0 END AS reserved_qty,
                               sl.parent_path
                          FROM stock_move m
                          JOIN repair_order r ON r.id = m.repair_id
                          JOIN stock_location sl ON sl.id = m.location_id
                         WHERE m.repair_line_type = 'add'
                           AND m.state NOT IN ('done', 'cancel')
                           AND r.state IN ('draft', 'confirmed', 'under_repair')
                    ), free AS (
                        SELECT n.id, COALESCE(SUM(q.quantity - q.reserved_quantity), 0) AS qty
                          FROM need n
                          LEFT JOIN stock_location ql ON ql.parent_path LIKE n.parent_path || '%%'
                          LEFT JOIN stock_quant q
                                 ON q.location_id = ql.id AND q.product_id = n.product_id
                         GROUP BY n.id
                    ), ordered AS (
                        SELECT n.*, GREATEST(f.qty, 0) AS available_qty,
                               SUM(GREATEST(n.product_qty - n.reserved_qty, 0)) OVER (
                                   PARTITION BY n.product_id, n.location_id
                                   ORDER BY n.schedule_date, n.id
                               ) AS cumulative_need
                          FROM need n JOIN free f ON f.id = n.id
                    )
                    SELECT id, move_id, repair_id, repair_state, partner_id, company_id,
                           product_id, location_id, schedule_date, product_qty, reserved_qty,
                           available_qty,
                           LEAST(GREATEST(product_qty - reserved_qty, 0),
                                 GREATEST(cumulative_need - available_qty, 0)) AS missing_qty
                      FROM ordered
                )
                """,
                SQL.identifier(self._table),
            )
        )

    def action_create_rfqs(self):
        """One RFQ per best supplier for what the selected lines miss.

        Needs are summed per part over all repairs (wholesale), minus what RFQs
        already linked to those repairs order; each RFQ names the repairs in its
        origin and links them. Two users ordering for the same repairs at once
        order once: the second one is told that RFQs cover the need.
        """
        lines = self.filtered(lambda line: line.missing_qty > 0)
        if not lines:
            raise UserError(_("Nothing is missing in the selected lines."))
        repairs = lines.repair_id
        lock_for_update(repairs)
        needed = defaultdict(float)
        need_date = {}
        repairs_of = defaultdict(lambda: self.env["repair.order"])
        for line in lines:
            needed[line.product_id] += line.missing_qty
            repairs_of[line.product_id] |= line.repair_id
            date = line.schedule_date and line.schedule_date.date()
            if date and (line.product_id not in need_date or date < need_date[line.product_id]):
                need_date[line.product_id] = date
        ordered = dict(
            self.env["purchase.order.line"]._read_group(
                [
                    ("order_id.service_repair_ids", "in", repairs.ids),
                    ("product_id", "in", [p.id for p in needed]),
                    ("state", "!=", "cancel"),
                ],
                ["product_id"],
                ["product_qty:sum"],
            )
        )
        for product, qty in ordered.items():
            needed[product] = max(needed[product] - qty, 0.0)
        products = self.env["product.product"].concat(*[p for p, q in needed.items() if q > 0])
        if not products:
            raise UserError(_("RFQs already cover everything missing in the selected lines."))
        Product = self.env["product.product"]
        offers = {}
        # Need dates differ per part: rank each part's offers against its own date.
        for product in products:
            offers.update(
                Product._service_parts_offers(
                    product, {product.id: needed[product]}, need_date.get(product)
                )
            )
        without = products.filtered(lambda p: p.id not in offers)
        if without:
            raise UserError(
                _(
                    "No supplier for: %(parts)s. Add suppliers on their Purchase tab.",
                    parts=", ".join(without.mapped("display_name")),
                )
            )
        by_partner = defaultdict(list)
        for product in products:
            by_partner[offers[product.id]["partner_id"]].append(product)
        vals_list = []
        for partner_id, partner_products in by_partner.items():
            order_repairs = self.env["repair.order"].concat(
                *[repairs_of[p] for p in partner_products]
            )
            vals_list.append(
                {
                    "partner_id": partner_id,
                    "origin": ", ".join(order_repairs.mapped("name")),
                    "service_repair_ids": [Command.set(order_repairs.ids)],
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_qty": max(needed[product], offers[product.id]["min_qty"]),
                                **(
                                    {"date_planned": need_date[product]}
                                    if product in need_date
                                    else {}
                                ),
                            }
                        )
                        for product in partner_products
                    ],
                }
            )
        orders = self.env["purchase.order"].create(vals_list)
        for repair in repairs:
            repair_orders = orders.filtered(lambda o, r=repair: r in o.service_repair_ids)
            if repair_orders:
                repair.message_post(
                    body=_(
                        "Missing parts ordered: %(orders)s",
                        orders=", ".join(repair_orders.mapped("name")),
                    )
                )
        action = self.env["ir.actions.act_window"]._for_xml_id("purchase.purchase_rfq")
        action["domain"] = [("id", "in", orders.ids)]
        if len(orders) == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": orders.id})
        return action
