from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import SQL, LazyTranslate

from odoo.addons.service_base.tools import action_records, rpc_date, rpc_text

_lt = LazyTranslate(__name__)

# Registered by the delivery (and moved by an installation or an invoice date),
# never typed: the warranty of a serial decides free repairs and refunds.
LOT_WARRANTY_FACTS = {
    "service_warranty_policy_id",
    "service_warranty_start",
    "service_warranty_end",
    "service_supplier_warranty_end",
    "service_supplier_id",
    "service_warranty_partner_id",
    "service_warranty_move_id",
}


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "service.guarded.mixin"]

    service_warranty_policy_id = fields.Many2one(
        "service.warranty.policy", string="Warranty Policy", readonly=True, index="btree_not_null"
    )
    service_warranty_start = fields.Date(string="Warranty Start", readonly=True)
    service_warranty_end = fields.Date(string="Warranty End", readonly=True)
    service_supplier_warranty_end = fields.Date(string="Supplier Warranty End", readonly=True)
    service_supplier_id = fields.Many2one(
        "res.partner", string="Supplier", readonly=True, index="btree_not_null"
    )
    service_warranty_partner_id = fields.Many2one(
        "res.partner",
        string="Sold To",
        readonly=True,
        index="btree_not_null",
        help="The customer (commercial entity) the serial was delivered to.",
    )
    service_warranty_move_id = fields.Many2one(
        "stock.move",
        string="Delivery Move",
        readonly=True,
        help="The delivery to the customer that started the warranty.",
    )
    service_in_warranty = fields.Boolean(
        string="In Warranty", compute="_compute_service_in_warranty"
    )

    def init(self):
        res = super().init()
        # Odoo indexes stock_lot.name with a trigram index only, which serves
        # ILIKE but makes the exact lookup of service_warranty_status several
        # times slower. A hash index serves that equality and, unlike a btree,
        # takes serials of any length (a btree refuses entries over ~2.7 kB).
        self.env.cr.execute(SQL("DROP INDEX IF EXISTS stock_lot_name_service_btree_index"))
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS stock_lot_name_service_hash_index "
                "ON stock_lot USING hash (name)"
            )
        )
        return res

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | LOT_WARRANTY_FACTS

    @api.depends("service_warranty_end")
    def _compute_service_in_warranty(self):
        today = fields.Date.context_today(self)
        for lot in self:
            lot.service_in_warranty = bool(
                lot.service_warranty_end and lot.service_warranty_end >= today
            )

    @api.model
    def service_warranty_status(self, serial, date=False):
        """Warranty status of the serial number ``serial`` on ``date`` (default: today).

        Returns a dict ``{serial, equipment_id, product, partner, warranty_start,
        warranty_end, in_warranty, days_left, contract_id, source}``:
        ``product`` is ``[id, "[internal reference] name"]``, ``partner`` (the
        customer it was sold to, else the unit's owner) ``[id, complete name]``,
        or False,
        dates are ISO strings or False, ``days_left`` counts the days until the end
        inclusive of ``date`` (0 when out of warranty). ``source`` says where the
        answer comes from: ``warranty`` (the serial's warranty policy),
        ``contract`` (a service contract covers it), ``none`` (a known serial with
        no warranty registered) or ``unknown`` (no such serial; then every other
        value is False). An unknown serial is an answer, not an error, so that an
        RPC client or the public page treats it like an expired warranty.
        The lookup is exact (hash index on the serial name).
        """
        date = rpc_date(self.env, date, _lt("Date"))
        if not date:
            # The caller's timezone from the context (UTC without one): reading
            # the user's preferences for it would double the cost of a lookup.
            date = fields.Date.context_today(
                self.with_context(tz=self.env.context.get("tz") or "UTC")
            )
        serial = rpc_text(self.env, serial, _lt("Serial number")).strip()
        result = {
            "serial": serial,
            "equipment_id": False,
            "product": False,
            "partner": False,
            "warranty_start": False,
            "warranty_end": False,
            "in_warranty": False,
            "days_left": 0,
            "contract_id": False,
            "source": "unknown",
        }
        lot = serial and self.search_fetch(
            [("name", "=", serial)],
            [
                "product_id",
                "service_warranty_start",
                "service_warranty_end",
                "service_warranty_partner_id",
            ],
            order="service_warranty_end DESC NULLS LAST, id DESC",
            limit=1,
        )
        if not lot:
            return result
        unit = self.env["service.equipment"].search_fetch(
            [("lot_id", "=", lot.id)], ["partner_id"], limit=1
        )
        start, end = lot.service_warranty_start, lot.service_warranty_end
        in_warranty = bool(end and start and start <= date <= end)
        # Fetch only the columns the names need, not every prefetchable one.
        product = lot.product_id
        product.fetch(["default_code", "product_tmpl_id"])
        product.product_tmpl_id.fetch(["name"])
        # Not display_name: its variant attributes cost a query as slow as all
        # the others together; the reference and name identify the model.
        product_name = product.product_tmpl_id.name
        if product.default_code:
            product_name = f"[{product.default_code}] {product_name}"
        partner = lot.service_warranty_partner_id or unit.partner_id
        partner.fetch(["complete_name"])
        result.update(
            equipment_id=unit.id or False,
            product=[product.id, product_name],
            partner=[partner.id, partner.complete_name] if partner else False,
            warranty_start=start and fields.Date.to_string(start),
            warranty_end=end and fields.Date.to_string(end),
            in_warranty=in_warranty,
            days_left=(end - date).days + 1 if in_warranty else 0,
            source="warranty" if end else "none",
        )
        contract = self._service_warranty_contract(lot, date)
        if contract:
            result["contract_id"] = contract.id
            if not in_warranty:
                result.update(in_warranty=True, source="contract")
        return result

    @api.model
    def _service_warranty_contract(self, lot, date):
        """The service contract that covers serial ``lot`` on ``date``, or False.

        An active contract covering the unit of this serial, with labour and
        parts covered, extends its warranty (a partial cover leaves it a paid
        repair).
        """
        units = lot.service_equipment_ids
        if not units:
            return False
        contracts = units._service_active_contracts(date)
        return next((c for c in contracts.values() if c.cover_labour and c.cover_parts), False)

    def action_service_warranty_status(self):
        """Show this serial's warranty status in a notification."""
        self.ensure_one()
        return self.env["service.equipment"]._service_warranty_notification(
            self.service_warranty_status(self.name)
        )

    def _service_warranty_apply_installation(self, installation_dates):
        """Move the warranty of serials whose policy counts from installation.

        ``installation_dates``: {lot: date}. Only lots already delivered move.
        """
        for lot, installed in installation_dates.items():
            policy = lot.service_warranty_policy_id
            if not installed or not lot.service_warranty_start or policy.start_on != "installation":
                continue
            # The unit's installation date moves the warranty, as its policy says.
            action_records(lot).write(
                {
                    "service_warranty_start": installed,
                    "service_warranty_end": installed
                    + relativedelta(months=policy.months, days=-1),
                }
            )
            lot.message_post(
                body=_(
                    "Warranty moved to the installation date: %(start)s to %(end)s.",
                    start=installed,
                    end=lot.service_warranty_end,
                )
            )
