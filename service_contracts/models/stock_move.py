import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, fields, models
from odoo.tools import SQL


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._service_warranty_register()
        moves._service_warranty_replace_units()
        moves._service_create_delivered_units()
        return moves

    def _service_warranty_deliveries(self):
        """The done moves of serial-tracked products from the company to a customer.

        Service transfers of a unit (a demonstration, a loan, a service centre)
        are no sale: the unit stays the company's, or its owner's.
        """
        return self.filtered(
            lambda m: (
                m.state == "done"
                and m.location_dest_id.usage == "customer"
                and m.location_id.usage != "customer"
                and m.product_id.tracking != "none"
                and not m.picking_id.service_unit_transfer
            )
        )

    def _service_warranty_register(self):
        """Give the serials delivered by these moves their warranty, in one batch.

        Start, end, policy, customer and supplier warranty are set once: a serial
        that already has a warranty keeps it (a second delivery of the same
        serial, e.g. after a repair, moves nothing). The number of queries does
        not depend on the number of serials.
        """
        deliveries = self._service_warranty_deliveries()
        if not deliveries:
            return
        policies = {}
        for company, company_moves in deliveries.grouped("company_id").items():
            policies.update(
                self.env["service.warranty.policy"]
                .sudo()
                ._find_for_products(company_moves.product_id, company=company)
            )
        rows = []
        for move in deliveries:
            policy = policies.get(move.product_id) or self.env["service.warranty.policy"]
            start = move._service_warranty_start_date(policy)
            end = False
            # sudo: the warehouse user validating a replacement may not read
            # claims; only the faulty serial's warranty dates are used.
            claim = move.picking_id.sudo().service_warranty_claim_id
            if (
                claim
                and policy.replacement_warranty == "continue"
                and claim.lot_id.service_warranty_end
            ):
                # A replacement unit inherits what was left of the faulty one's warranty.
                start = claim.lot_id.service_warranty_start
                end = claim.lot_id.service_warranty_end
            elif policy:
                end = start + relativedelta(months=policy.months, days=-1)
            partner = (move.picking_id.partner_id or move.partner_id).commercial_partner_id
            rows.append(
                SQL(
                    "(%s::int, %s::int, %s::date, %s::date, %s::int, %s::int, %s::int, %s::boolean)",
                    move.id,
                    policy.id or None,
                    start,
                    end or None,
                    partner.id or None,
                    policy.supplier_months or 0,
                    policy.months or 0,
                    bool(policy.start_on == "installation" and not claim),
                )
            )
        # Raw SQL because the ORM writes and prefetches by chunks of 1,000 ids:
        # a 10,000-serial delivery would cost ten times the queries of a
        # 1,000-serial one. One UPDATE joins the moves' lines, the unit (for an
        # installation date) and the serial's receipt from its supplier.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH v(move_id, policy_id, start_date, end_date, partner_id,
                       supplier_months, months, use_installation) AS (VALUES %(rows)s),
                todo AS (
                    SELECT DISTINCT ON (ml.lot_id) ml.lot_id, ml.company_id, v.*,
                           CASE WHEN v.use_installation AND eq.installation_date IS NOT NULL
                                THEN eq.installation_date ELSE v.start_date END AS real_start,
                           CASE WHEN v.use_installation AND eq.installation_date IS NOT NULL
                                THEN (eq.installation_date + make_interval(months => v.months)
                                      - interval '1 day')::date
                                ELSE v.end_date END AS real_end
                      FROM v
                      JOIN stock_move_line ml ON ml.move_id = v.move_id AND ml.lot_id IS NOT NULL
                      JOIN stock_lot lot ON lot.id = ml.lot_id
                      LEFT JOIN service_equipment eq ON eq.lot_id = ml.lot_id
                     WHERE lot.service_warranty_start IS NULL
                  ORDER BY ml.lot_id, v.move_id
                )
                UPDATE stock_lot lot
                   SET company_id = COALESCE(lot.company_id, todo.company_id),
                       service_warranty_policy_id = todo.policy_id,
                       service_warranty_start = todo.real_start,
                       service_warranty_end = todo.real_end,
                       service_warranty_partner_id = todo.partner_id,
                       service_warranty_move_id = todo.move_id,
                       service_supplier_id = receipt.partner_id,
                       service_supplier_warranty_end = CASE WHEN todo.supplier_months > 0 THEN
                           (COALESCE((receipt.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
                                     todo.start_date)
                            + make_interval(months => todo.supplier_months)
                            - interval '1 day')::date END
                  FROM todo
                  LEFT JOIN LATERAL (
                        SELECT sml.date, COALESCE(sp.partner_id, sm.partner_id) AS partner_id
                          FROM stock_move_line sml
                          JOIN stock_location src ON src.id = sml.location_id
                          JOIN stock_move sm ON sm.id = sml.move_id
                          LEFT JOIN stock_picking sp ON sp.id = sml.picking_id
                         WHERE sml.lot_id = todo.lot_id AND sml.state = 'done'
                           AND src.usage = 'supplier'
                      ORDER BY sml.date
                         LIMIT 1
                  ) receipt ON TRUE
                 WHERE lot.id = todo.lot_id
                """,
                rows=SQL(", ").join(rows),
                tz=self._service_user_tz(),
            )
        )
        self.env["stock.lot"].invalidate_model(
            [
                "company_id",
                "service_warranty_policy_id",
                "service_warranty_start",
                "service_warranty_end",
                "service_warranty_partner_id",
                "service_warranty_move_id",
                "service_supplier_id",
                "service_supplier_warranty_end",
            ]
        )

    def _service_warranty_replace_units(self):
        """The replacement delivered under a warranty claim takes the faulty unit's
        place: the customer's unit carries the new serial from now on, with its
        owner, site, contracts and history."""
        # sudo: the storekeeper validating the replacement may not read claims
        # or units; only the claim's own unit takes the serial just delivered.
        for move in self._service_warranty_deliveries().sudo():
            claim = move.picking_id.service_warranty_claim_id
            unit = claim.equipment_id
            lot = move.move_line_ids.lot_id[:1]
            if (
                not unit
                or move.picking_id != claim.replacement_picking_id
                or not lot
                or unit.lot_id == lot
            ):
                continue
            old_lot = unit.lot_id
            unit.lot_id = lot
            note = _(
                "Serial number %(old)s replaced by %(new)s under warranty claim %(claim)s.",
                old=old_lot.name or "-",
                new=lot.name,
                claim=claim.name,
            )
            unit.message_post(body=note)
            claim.message_post(body=note)

    def _service_create_delivered_units(self):
        """Register in the installed base the equipment these moves delivered to
        a customer: one unit per serial, owned by the delivery's partner.

        A serial already registered as a unit (a second delivery after a repair
        or a return, a replacement that took the faulty unit's place) gets no
        other one. The number of queries does not depend on the number of serials.
        """
        deliveries = self._service_warranty_deliveries().filtered("product_id.is_equipment")
        if not deliveries:
            return
        lines = deliveries.move_line_ids.filtered("lot_id")
        # sudo: the storekeeper validating the delivery may not read or create
        # units; registering what was delivered returns nothing to him.
        Unit = (
            self.env["service.equipment"]
            .sudo()
            .with_context(active_test=False, mail_create_nolog=True, mail_create_nosubscribe=True)
        )
        registered = set(
            Unit.search_fetch([("lot_id", "in", lines.lot_id.ids)], ["lot_id"]).lot_id.ids
        )
        vals_list = []
        for line in lines:
            lot = line.lot_id
            if lot.id in registered:
                continue
            registered.add(lot.id)
            move = line.move_id
            # The customer owns the unit; it stands at the delivery address.
            address = move.picking_id.partner_id or move.partner_id
            owner = address.commercial_partner_id
            vals_list.append(
                {
                    "product_id": lot.product_id.id,
                    "lot_id": lot.id,
                    "company_id": move.company_id.id,
                    "partner_id": owner.id,
                    "site_partner_id": address.id if address.type == "delivery" else False,
                    "sale_date": fields.Date.context_today(self, move.date),
                }
            )
        if vals_list:
            Unit.create(vals_list)

    def _service_user_tz(self):
        """The time zone in which dates of this user are read, as
        ``fields.Date.context_today`` reads them (UTC when unset or unknown)."""
        tz = self.env.context.get("tz") or self.env.user.tz
        return tz if tz in pytz.all_timezones_set else "UTC"

    def _service_warranty_start_date(self, policy):
        """The date the warranty clock starts for what this move delivers."""
        self.ensure_one()
        delivered = fields.Date.context_today(self, self.date)
        # sudo: the warehouse user validating the delivery may not read sales
        # or invoices; only their dates are used.
        sale_line = self.sudo().sale_line_id
        if policy.start_on == "sale" and sale_line:
            return fields.Date.context_today(self, sale_line.order_id.date_order)
        if policy.start_on == "invoice" and sale_line:
            invoices = sale_line.invoice_lines.move_id.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice"
            )
            dates = invoices.mapped("invoice_date")
            if dates:
                return min(dates)
        return delivered
