from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.service_base.tools import action_records, lock_for_update

# Set by the supplier claim's actions only (service.guarded.mixin).
SUPPLIER_CLAIM_FACTS = {
    "state",
    "recovered_amount",
    "return_picking_id",
    "receipt_picking_id",
    "vendor_refund_id",
    # Related fields: writing them would write the serial.
    "product_id",
    "supplier_warranty_end",
}
# What is claimed back, and from whom: set when the claim is made.
SUPPLIER_CLAIM_ORIGIN = {"claim_id", "lot_id", "company_id"}
SETTLED_STATES = ("credited", "replaced", "cancelled")


class ServiceSupplierClaim(models.Model):
    _name = "service.supplier.claim"
    _description = "Supplier Warranty Claim"
    _inherit = ["mail.thread", "mail.activity.mixin", "service.guarded.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    claim_id = fields.Many2one(
        "service.warranty.claim",
        string="Customer Claim",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    supplier_id = fields.Many2one("res.partner", required=True, tracking=True, check_company=True)
    lot_id = fields.Many2one("stock.lot", string="Serial Number", required=True, check_company=True)
    product_id = fields.Many2one(related="lot_id.product_id", store=True, index=True)
    supplier_warranty_end = fields.Date(related="lot_id.service_supplier_warranty_end")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent to Supplier"),
            ("credited", "Credited"),
            ("replaced", "Replaced"),
            ("cancelled", "Withdrawn"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    expected_amount = fields.Monetary(
        tracking=True, help="What the supplier should credit: by default the unit's cost."
    )
    recovered_amount = fields.Monetary(
        readonly=True,
        copy=False,
        tracking=True,
        help="What the supplier actually credited or replaced, at cost.",
    )
    return_picking_id = fields.Many2one(
        "stock.picking", readonly=True, copy=False, check_company=True
    )
    receipt_picking_id = fields.Many2one(
        "stock.picking",
        string="Back from Supplier",
        readonly=True,
        copy=False,
        check_company=True,
        help="The receipt of the customer's unit back from the supplier, still the "
        "customer's stock.",
    )
    is_unit_at_supplier = fields.Boolean(
        string="Customer's Unit at Supplier",
        compute="_compute_is_unit_at_supplier",
        help="The customer's unit was sent to the supplier and has not come back yet.",
    )
    vendor_refund_id = fields.Many2one(
        "account.move",
        string="Vendor Credit Note",
        readonly=True,
        copy=False,
        tracking=True,
        check_company=True,
    )
    note = fields.Text()

    _sql_constraints = [
        (
            "amounts_positive",
            "CHECK(expected_amount >= 0 AND recovered_amount >= 0)",
            "Amounts of a supplier claim cannot be negative.",
        ),
    ]

    def _creation_message(self):
        # Odoo's "%s created" with the model's name takes the wrong gender in Russian.
        self.ensure_one()
        return _("Supplier claim created")

    @api.depends("return_picking_id.state", "return_picking_id.owner_id", "receipt_picking_id")
    def _compute_is_unit_at_supplier(self):
        for supplier_claim in self:
            supplier_claim.is_unit_at_supplier = supplier_claim._service_unit_at_supplier()

    @api.constrains("expected_amount", "recovered_amount")
    def _check_amounts(self):
        if any(claim.expected_amount < 0 or claim.recovered_amount < 0 for claim in self):
            raise ValidationError(_("The amounts of a supplier claim cannot be negative."))

    @api.constrains("claim_id", "lot_id")
    def _check_lot_of_claim(self):
        for supplier_claim in self:
            if supplier_claim.lot_id != supplier_claim.claim_id.lot_id:
                raise ValidationError(
                    _(
                        "Supplier claim %(ref)s must claim back the serial of customer claim "
                        "%(claim)s.",
                        ref=supplier_claim.name,
                        claim=supplier_claim.claim_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("service.supplier.claim") or "/"
        return super().create(vals_list)

    def _service_guarded_fields(self):
        guarded = super()._service_guarded_fields() | SUPPLIER_CLAIM_FACTS
        if self:
            # A new supplier claim names its claim and serial; an existing one keeps them.
            guarded |= SUPPLIER_CLAIM_ORIGIN
        states = set(self.mapped("state"))
        if states - {"draft"}:
            guarded.add("supplier_id")
        if states & set(SETTLED_STATES):
            guarded.add("expected_amount")
        return guarded

    @api.model
    def _create_from_claim(self, claim):
        """The supplier claim for customer claim ``claim``, with the return to the vendor.

        One per claim (cancelled ones aside), also when two users claim back at once.
        A customer's unit kept in the workshop as the customer's stock goes to
        the supplier at once (a validated transfer), still the customer's: no
        valuation; ``action_receive_back`` brings it back. Any other unit is
        returned from the company's stock by a transfer the warehouse validates.
        """
        claim._service_unit_lock()
        if claim.state not in ("decided", "resolved"):
            raise UserError(
                _(
                    "Claim %(claim)s can be claimed back from the supplier once it is decided.",
                    claim=claim.name,
                )
            )
        lot = claim.lot_id
        today = fields.Date.context_today(self)
        if not lot.service_supplier_id:
            raise UserError(_("The supplier of serial %(serial)s is not known.", serial=lot.name))
        if not lot.service_supplier_warranty_end or lot.service_supplier_warranty_end < today:
            raise UserError(
                _(
                    "The supplier warranty of serial %(serial)s has expired: "
                    "nothing to claim back.",
                    serial=lot.name,
                )
            )
        if claim.supplier_claim_ids.filtered(lambda s: s.state != "cancelled"):
            raise UserError(_("Claim %(claim)s is already claimed back.", claim=claim.name))
        supplier_claim = self.create(
            {
                "claim_id": claim.id,
                "company_id": claim.company_id.id,
                "supplier_id": lot.service_supplier_id.id,
                "lot_id": lot.id,
                "expected_amount": lot.product_id.standard_price,
            }
        )
        warehouse = claim._service_warehouse()
        links = {"service_supplier_claim_id": supplier_claim.id, "service_warranty_claim_id": False}
        owner = claim._service_unit_owner()
        quant = claim._service_unit_quant(lot)
        if quant and quant.owner_id and quant.owner_id == owner:
            picking = claim._service_unit_transfer(
                warehouse.out_type_id,
                quant.location_id,
                lot.service_supplier_id.property_stock_supplier,
                lot.service_supplier_id,
                lot,
                owner=owner,
                vals=links,
            )
            if claim.equipment_id.state in ("in_use", "in_repair"):
                action_records(claim.equipment_id).state = "at_service_center"
        else:
            picking = claim._create_picking(
                warehouse.out_type_id,
                warehouse.lot_stock_id,
                lot.service_supplier_id.property_stock_supplier,
                lot,
                partner=lot.service_supplier_id,
                vals=links,
            )
        action_records(supplier_claim).return_picking_id = picking
        claim.message_post(
            body=_(
                "Claimed back from supplier %(supplier)s (%(ref)s).",
                supplier=supplier_claim.supplier_id.display_name,
                ref=supplier_claim.name,
            )
        )
        return supplier_claim

    def action_send(self):
        for claim in self:
            if claim.state != "draft":
                raise UserError(_("Only a draft supplier claim can be sent."))
        action_records(self).write({"state": "sent"})
        return True

    def action_receive_back(self):
        """Receive the customer's unit back from the supplier into the location
        it left from (the repair location), still the customer's stock: no
        valuation. Once, also when two users receive it at once. Returns an
        action opening the receipt.
        """
        self.ensure_one()
        lock_for_update(self)
        claim = self.claim_id
        claim._service_unit_lock()
        if not self._service_unit_at_supplier():
            raise UserError(
                _(
                    "Supplier claim %(ref)s has no customer's unit at the supplier to receive.",
                    ref=self.name,
                )
            )
        out = self.return_picking_id
        warehouse = claim._service_warehouse()
        destination = out.location_id
        if destination.usage != "internal":
            destination = warehouse._service_repair_location()
        picking = claim._service_unit_transfer(
            warehouse.in_type_id,
            out.location_dest_id,
            destination,
            self.supplier_id,
            self.lot_id,
            owner=out.owner_id,
            vals={"service_supplier_claim_id": self.id, "service_warranty_claim_id": False},
        )
        action_records(self).receipt_picking_id = picking
        unit = claim.equipment_id
        if unit.state == "at_service_center":
            action_records(unit).state = "in_repair"
        claim.message_post(
            body=_(
                "Unit %(unit)s received back from supplier %(supplier)s (%(picking)s).",
                unit=claim._service_unit_label(),
                supplier=self.supplier_id.display_name,
                picking=picking.name,
            )
        )
        return claim._service_picking_action(picking)

    def action_create_vendor_refund(self):
        """The vendor credit note the supplier is expected to issue, in draft.

        One per supplier claim, also when two users create it at once.
        """
        self.ensure_one()
        lock_for_update(self)
        if self.vendor_refund_id:
            raise UserError(_("This supplier claim already has a vendor credit note."))
        self._check_unsettled()
        if self.expected_amount <= 0:
            raise UserError(_("Set the amount expected from the supplier."))
        # Record rules: the supplier claim is in one of the user's companies.
        self.check_access("write")
        # sudo: the service desk records what it expects from the supplier; the
        # draft vendor credit note is checked and posted by the accountant. The
        # user may write this open supplier claim (checked above), whose company
        # and supplier the credit note takes.
        action_records(self).vendor_refund_id = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "in_refund",
                    "partner_id": self.supplier_id.id,
                    "company_id": self.company_id.id,
                    "ref": self.name,
                    "service_supplier_claim_id": self.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_id.id,
                                "quantity": 1,
                                "price_unit": self.expected_amount,
                            }
                        )
                    ],
                }
            )
        )
        return self.claim_id._open_record(self.vendor_refund_id)

    def action_mark_credited(self):
        """The supplier credited: recover the posted credit note's amount (or the expected one)."""
        self._check_unsettled()
        # sudo: only the state and amount of the claims' own credit notes are read.
        if self.vendor_refund_id.sudo().filtered(lambda refund: refund.state != "posted"):
            raise UserError(_("Post the vendor credit note first."))
        for claim in self:
            refund = claim.vendor_refund_id.sudo()
            action_records(claim).write(
                {
                    "state": "credited",
                    "recovered_amount": refund.amount_untaxed if refund else claim.expected_amount,
                }
            )
        return True

    def action_mark_replaced(self):
        """The supplier sent a replacement: the unit's cost is recovered."""
        self._check_unsettled()
        for claim in self:
            action_records(claim).write(
                {"state": "replaced", "recovered_amount": claim.expected_amount}
            )
        return True

    def _service_unit_at_supplier(self):
        """Whether this supplier claim sent a customer's unit to the supplier
        (a done transfer of the customer's stock) that has not come back."""
        self.ensure_one()
        out = self.return_picking_id
        return bool(out.state == "done" and out.owner_id and not self.receipt_picking_id)

    def _check_unsettled(self):
        settled = self.filtered(lambda claim: claim.state not in ("draft", "sent"))
        if settled:
            raise UserError(_("Supplier claim %(ref)s is already settled.", ref=settled[0].name))

    def action_cancel(self):
        """Cancel open supplier claims; a settled one (credited, replaced) stays."""
        self._check_unsettled()
        action_records(self).write({"state": "cancelled", "recovered_amount": 0.0})
        return True
