from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import SQL, LazyTranslate, format_date

from odoo.addons.service_base.tools import action_records, rpc_date, rpc_text, user_lang_env

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
        string="In Warranty",
        compute="_compute_service_warranty_answer",
        help="Today's answer: the manufacturer warranty runs, or a service contract "
        "covering labour and parts extends it.",
    )
    service_warranty_valid_until = fields.Date(
        string="Covered Until",
        compute="_compute_service_warranty_answer",
        help="End of today's answer: the manufacturer warranty's end, or the end of "
        "the service contract that extends it (empty for an open-ended contract).",
    )
    service_warranty_source = fields.Selection(
        [
            ("warranty", "Manufacturer warranty"),
            ("contract", "Service contract"),
            ("none", "No warranty"),
        ],
        string="Warranty Source",
        compute="_compute_service_warranty_answer",
    )
    service_warranty_label = fields.Char(
        string="Warranty Status", compute="_compute_service_warranty_answer"
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

    @api.depends("service_warranty_start", "service_warranty_end", "service_equipment_ids")
    @api.depends_context("tz", "lang")
    def _compute_service_warranty_answer(self):
        today = fields.Date.context_today(self)
        answers = self._service_warranty_answers(today)
        for lot in self:
            answer = answers.get(lot.id) or self._service_warranty_no_answer()
            lot.service_in_warranty = answer["in_warranty"]
            lot.service_warranty_valid_until = answer["warranty_end"]
            lot.service_warranty_source = answer["source"]
            lot.service_warranty_label = self._service_warranty_label(answer)

    # Reads only: served by a read-only replica when odoo.conf names one.
    @api.readonly
    @api.model
    def service_warranty_status(self, serial, date=False):
        """Warranty status of the serial number ``serial`` on ``date`` (default: today).

        Returns a dict ``{serial, equipment_id, product, partner, warranty_start,
        warranty_end, manufacturer_warranty_end, in_warranty, days_left,
        contract_id, source, label}``, the one answer every screen, act and
        page shows: ``product`` is ``[id, "[internal reference] name"]``,
        ``partner`` (the customer it was sold to, else the unit's owner)
        ``[id, complete name]``, or False; dates are ISO strings or False.
        ``source`` says where the answer comes from: ``warranty`` (the serial's
        manufacturer warranty), ``contract`` (it has ended or never was, and an
        active service contract covering labour and parts extends it), ``none``
        (a known serial with no warranty registered) or ``unknown`` (no such
        serial, or one the caller may not read; then every other value is False).
        ``warranty_start``/``warranty_end`` are those of the answer (the
        contract's when it extends the warranty; ``warranty_end`` False for an
        open-ended contract), ``manufacturer_warranty_end`` the serial's own.
        ``days_left`` counts the days until ``warranty_end`` inclusive of
        ``date`` (0 when out of warranty, False when covered without an end).
        ``contract_id`` is the covering contract, also while the manufacturer
        warranty runs. ``label`` is the answer as one sentence in the context's
        language. An unknown serial is an answer, not an error.
        The lookup is exact, as typed or in capitals (hash index on the serial name).
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
            "manufacturer_warranty_end": False,
            "contract_id": False,
            "source": "unknown",
            "label": self._service_warranty_label(self._service_warranty_no_answer()),
        }
        lot = self._service_warranty_find(serial)
        if not lot:
            return result
        unit = self.env["service.equipment"].search_fetch(
            [("lot_id", "=", lot.id)], ["partner_id"], limit=1
        )
        answer = lot._service_warranty_answers(date)[lot.id]
        end = answer["warranty_end"]
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
        contract = answer["contract"]
        result.update(
            serial=lot.name,
            equipment_id=unit.id or False,
            product=[product.id, product_name],
            partner=[partner.id, partner.complete_name] if partner else False,
            warranty_start=answer["warranty_start"]
            and fields.Date.to_string(answer["warranty_start"]),
            warranty_end=end and fields.Date.to_string(end),
            manufacturer_warranty_end=lot.service_warranty_end
            and fields.Date.to_string(lot.service_warranty_end),
            in_warranty=answer["in_warranty"],
            days_left=(((end - date).days + 1 if end else False) if answer["in_warranty"] else 0),
            contract_id=contract.id or False,
            source=answer["source"],
            label=self._service_warranty_label(answer),
        )
        return result

    @api.model
    def _service_warranty_find(self, serial, company=None):
        """The serial named exactly ``serial`` the caller may read (the one
        with the latest warranty when several companies share the number),
        or an empty recordset; with ``company``, only a serial of that company
        (or of none)."""
        if not serial:
            return self.browse()
        domain = [("company_id", "in", [company.id, False])] if company else []
        # As typed, else in capitals (a customer types «vx-2024-01012» for the
        # plate's VX-2024-01012): both exact, on the hash index.
        serial = serial.strip()
        lots = self.browse()
        for name in dict.fromkeys([serial, serial.upper()]):
            lots = self.search_fetch(
                [("name", "=", name), *domain],
                [
                    "name",
                    "product_id",
                    "service_warranty_start",
                    "service_warranty_end",
                    "service_warranty_partner_id",
                ],
                order="service_warranty_end DESC NULLS LAST, id DESC",
                limit=1,
            )
            if lots:
                break
        return lots

    @api.model
    def _service_warranty_no_answer(self):
        return {
            "in_warranty": False,
            "warranty_start": False,
            "warranty_end": False,
            "source": "unknown",
            "contract": self.env["service.contract"],
        }

    def _service_warranty_answers(self, date):
        """``{lot id: answer}``: the one warranty answer of these serials on ``date``.

        An answer is ``{in_warranty, warranty_start, warranty_end, source, contract,
        not_started}``:
        while the manufacturer warranty runs, it answers (``source`` ``warranty``,
        its dates); after it (or without one), an active service contract covering
        labour and parts of the serial's unit extends it (``source`` ``contract``,
        ``warranty_end`` the contract's last day, False when open-ended); else
        ``source`` is ``warranty`` (expired, or ``not_started`` on ``date``) or
        ``none`` (no warranty registered). ``contract`` is the covering contract
        (an empty recordset if none), also while the manufacturer warranty runs.
        One query for the contracts of the whole batch.
        """
        # sudo: whoever may read the serial may know whether a contract on its
        # unit extends its warranty and until when (a storekeeper may read
        # neither units nor contracts); the contract's number is named only to
        # those who may read contracts (_service_warranty_label).
        lots = self.sudo()
        units = lots.service_equipment_ids
        contracts = units._service_active_contracts(date) if units else {}
        answers = {}
        for lot in lots:
            start, end = lot.service_warranty_start, lot.service_warranty_end
            contract = next(
                (
                    c
                    for unit in lot.service_equipment_ids
                    if (c := contracts.get(unit.id)) and c.cover_labour and c.cover_parts
                ),
                self.env["service.contract"],
            )
            answer = {
                "in_warranty": bool(end and start and start <= date <= end),
                "warranty_start": start,
                "warranty_end": end,
                "source": "warranty" if end else "none",
                "contract": contract,
                "not_started": bool(start and date < start),
            }
            if contract and not answer["in_warranty"]:
                answer.update(
                    in_warranty=True,
                    warranty_start=contract.date_start,
                    warranty_end=contract.date_end,
                    source="contract",
                )
            answers[lot.id] = answer
        return answers

    @api.model
    def _service_warranty_label(self, answer, public=False):
        """The one sentence of ``answer`` (see ``_service_warranty_answers``) in
        the context's language (the user's without one, as _() takes it).
        ``public``: the contract is not named."""
        if not self.env.lang:
            # An RPC call without a context: the words and the dates in the
            # user's language.
            return self.with_env(user_lang_env(self.env))._service_warranty_label(answer, public)
        end = answer["warranty_end"] and format_date(self.env, answer["warranty_end"])
        source = answer["source"]
        if source == "unknown":
            return _("Serial number not found.")
        if source == "contract":
            if public:
                if end:
                    return _("Extended by a service contract until %(date)s.", date=end)
                return _("Extended by a service contract.")
            contract = answer["contract"].with_env(self.env)
            if not contract.has_access("read"):
                return self._service_warranty_label(answer, public=True)
            contract = contract.sudo().name
            if end:
                return _(
                    "Extended by contract No. %(contract)s until %(date)s.",
                    contract=contract,
                    date=end,
                )
            return _("Extended by contract No. %(contract)s (open-ended).", contract=contract)
        if source == "none":
            return _("No warranty registered.")
        if answer["in_warranty"]:
            return _("In manufacturer warranty until %(date)s.", date=end)
        if answer.get("not_started"):
            start = format_date(self.env, answer["warranty_start"])
            return _("Manufacturer warranty starts on %(date)s.", date=start)
        return _("Manufacturer warranty ended on %(date)s.", date=end)

    def action_service_warranty_status(self):
        """Show this serial's warranty status in a notification."""
        self.ensure_one()
        return self.env["service.equipment"]._service_warranty_notification(
            self.service_warranty_status(self.name)
        )

    def _service_warranty_apply_installation(self, installation_dates):
        """Move the warranty of serials whose policy counts from installation.

        ``installation_dates``: {lot: date or False}. Only lots already delivered
        move: to the installation date, or back to the delivery date when the
        installation date is cleared. A replacement unit keeps what was left of
        the faulty one's warranty.
        """
        for lot, installed in installation_dates.items():
            policy = lot.service_warranty_policy_id
            if not lot.service_warranty_start or policy.start_on != "installation":
                continue
            # sudo: the service user may not read transfers; only the delivery's
            # date and whether it replaced a unit under a claim are used.
            move = lot.sudo().service_warranty_move_id
            if move.picking_id.service_warranty_claim_id:
                continue
            start = installed or (move and fields.Date.context_today(lot, move.date))
            if not start or start == lot.service_warranty_start:
                continue
            # The unit's installation date moves the warranty, as its policy says.
            action_records(lot).write(
                {
                    "service_warranty_start": start,
                    "service_warranty_end": start + relativedelta(months=policy.months, days=-1),
                }
            )
            if installed:
                body = _(
                    "Warranty moved to the installation date: %(start)s to %(end)s.",
                    start=format_date(self.env, start),
                    end=format_date(self.env, lot.service_warranty_end),
                )
            else:
                body = _(
                    "Installation date cleared: the warranty counts from the delivery, "
                    "%(start)s to %(end)s.",
                    start=format_date(self.env, start),
                    end=format_date(self.env, lot.service_warranty_end),
                )
            lot.message_post(body=body)
