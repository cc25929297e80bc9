from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools import action_records, lock_for_update


class ServiceUnitIntakeMixin(models.AbstractModel):
    """A document that takes a customer's unit into the workshop and gives it back.

    The acceptance receives the unit's serial from the customers' location
    into the warehouse's repair location as its customer's stock: the quant
    and the move line carry the customer as owner (consignment), so the unit
    is never the company's stock and never valued. The delivery back takes it
    from where the company keeps it, the owner kept. Both are validated
    service transfers of the unit (not a sale: no warranty starts), linked to
    the document, each once, also when two users click at once.

    The inheriting model has ``name``, ``company_id``, ``partner_id`` (the
    customer), ``equipment_id`` (the unit, may be empty) and ``mail.thread``,
    and its addon depends on Odoo's Repairs. It says which serial moves
    (``_service_unit_lot``), how its transfers link to it
    (``_service_unit_transfer_vals``), which of its repairs work on the unit
    (``_service_unit_repairs``), and adds its own refusals
    (``_service_unit_check_receive``, ``_service_unit_check_return``).
    """

    _name = "service.unit.intake.mixin"
    _inherit = ["service.guarded.mixin"]
    _description = "Customer's Unit Taken In and Returned"

    unit_intake_picking_id = fields.Many2one(
        "stock.picking",
        string="Acceptance Transfer",
        readonly=True,
        copy=False,
        check_company=True,
        help="The receipt of the customer's unit into the repair location, as the "
        "customer's stock (the acceptance act).",
        groups="base.group_user",
    )
    unit_return_picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery to Customer",
        readonly=True,
        copy=False,
        check_company=True,
        help="The delivery of the customer's unit back to the customer.",
        groups="base.group_user",
    )

    def _service_guarded_fields(self):
        # Set by the actions below after their checks, never by hand.
        return super()._service_guarded_fields() | {
            "unit_intake_picking_id",
            "unit_return_picking_id",
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_receive_unit(self):
        """Accept the customer's unit for repair (the acceptance act).

        Receives the unit's serial from the customer into the warehouse's
        repair location as the customer's stock (the quant and the move line
        carry the customer as owner): it is not the company's stock and gets
        no valuation. The document's repairs not started yet then work from
        that location. The unit is received once, also when two users receive
        it at once (on this document or another one). Returns an action
        opening the receipt.
        """
        self.ensure_one()
        return self._service_picking_action(self._service_receive_unit())

    def action_return_to_customer(self):
        """Deliver the customer's unit back to the customer (or to the site
        where it stands), from the location where it is kept, still as the
        customer's stock: no valuation, nothing left in the company's stock.

        Only the document that took the unit in returns it, once, also when
        two users deliver at once, and not while a repair of the unit is in
        progress. The unit becomes ``in_use``. Returns an action opening the
        delivery.
        """
        self.ensure_one()
        return self._service_picking_action(self._service_return_unit())

    # ------------------------------------------------------------------
    # Intake and return
    # ------------------------------------------------------------------

    def _service_receive_unit(self):
        self.ensure_one()
        self._service_unit_lock()
        self._service_unit_check_receive()
        unit, lot = self.equipment_id, self._service_unit_lot()
        warehouse = self._service_warehouse()
        location = warehouse._service_repair_location()
        picking = self._service_unit_transfer(
            warehouse.in_type_id,
            self.env.ref("stock.stock_location_customers"),
            location,
            self.partner_id,
            lot,
            owner=self._service_unit_owner(),
        )
        action_records(self).write(
            {"unit_intake_picking_id": picking.id, "unit_return_picking_id": False}
        )
        if unit.state == "in_use":
            action_records(unit).state = "in_repair"
        self._service_unit_repairs().filtered(lambda r: r.state == "draft").write(
            {"product_location_src_id": location.id, "product_location_dest_id": location.id}
        )
        self.message_post(
            body=_(
                "Unit %(unit)s accepted for repair into %(location)s (%(picking)s).",
                unit=self._service_unit_label(),
                location=location.display_name,
                picking=picking.name,
            )
        )
        return picking

    def _service_return_unit(self):
        self.ensure_one()
        self._service_unit_lock()
        unit, lot = self.equipment_id, self._service_unit_lot()
        if self.unit_return_picking_id:
            raise UserError(
                _(
                    "Unit %(unit)s has already been returned to the customer (%(picking)s).",
                    unit=self._service_unit_label(),
                    picking=self.unit_return_picking_id.name,
                )
            )
        self._service_unit_check_return()
        owner = self._service_unit_owner() if lot else self.env["res.partner"]
        quant = self._service_unit_quant(lot) if owner else self.env["stock.quant"]
        if not quant or quant.owner_id != owner:
            raise UserError(
                _(
                    "The unit of %(document)s is not in the workshop as the customer's "
                    "unit: there is nothing to return.",
                    document=self.name,
                )
            )
        if not self._service_unit_taken_in():
            raise UserError(
                _(
                    "%(document)s did not take unit %(unit)s in: return it from the request "
                    "or claim that accepted it.",
                    document=self.name,
                    unit=self._service_unit_label(),
                )
            )
        # sudo: a repair of the unit under another document counts too; only
        # its reference is shown.
        repair = (
            self.env["repair.order"]
            .sudo()
            .search(
                [("lot_id", "=", lot.id), ("state", "in", ("confirmed", "under_repair"))], limit=1
            )
        )
        if repair:
            raise UserError(
                _(
                    "Repair %(repair)s of the unit is still in progress: end or cancel it first.",
                    repair=repair.name,
                )
            )
        picking = self._service_unit_transfer(
            self._service_warehouse().out_type_id,
            quant.location_id,
            self.env.ref("stock.stock_location_customers"),
            unit.site_partner_id or self.partner_id,
            lot,
            owner=owner,
        )
        action_records(self).unit_return_picking_id = picking
        if unit.state == "in_repair":
            action_records(unit).state = "in_use"
        self.message_post(
            body=_(
                "Unit %(unit)s returned to the customer (%(picking)s).",
                unit=self._service_unit_label(),
                picking=picking.name,
            )
        )
        return picking

    def _service_unit_lock(self):
        # The document, its unit and its serial (a claim may have no unit):
        # two documents of one unit do not take it in or give it back at once.
        lock_for_update(self)
        lock_for_update(self.equipment_id)
        lock_for_update(self._service_unit_lot())

    def _service_unit_check_receive(self):
        """Refuse the intake (a translated ``UserError``) unless the unit is a
        customer's, with a serial, not in the company's hands yet."""
        unit, lot = self.equipment_id, self._service_unit_lot()
        if not lot:
            raise UserError(
                _(
                    "%(document)s has no unit with a serial number to accept.",
                    document=self.name,
                )
            )
        if unit._service_is_pool_unit():
            raise UserError(
                _(
                    "Unit %(unit)s is the company's own (a loaner or demo unit), "
                    "not a customer's unit to accept.",
                    unit=unit.display_name,
                )
            )
        if not self.partner_id or not self._service_unit_owner():
            raise UserError(
                _("Set the customer of %(document)s before accepting the unit.", document=self.name)
            )
        if self.unit_intake_picking_id:
            raise UserError(
                _(
                    "Unit %(unit)s has already been accepted by %(document)s (%(picking)s).",
                    unit=self._service_unit_label(),
                    document=self.name,
                    picking=self.unit_intake_picking_id.name,
                )
            )
        if unit.state in ("at_service_center", "on_loan", "retired"):
            raise UserError(
                _(
                    "Unit %(unit)s cannot be accepted: it is %(state)s.",
                    unit=unit.display_name,
                    state=unit._state_label(),
                )
            )
        quant = self._service_unit_quant(lot)
        if quant:
            raise UserError(
                _(
                    "Unit %(unit)s is already in %(location)s.",
                    unit=self._service_unit_label(),
                    location=quant.location_id.display_name,
                )
            )

    def _service_unit_check_return(self):
        """Refuse the delivery back (a translated ``UserError``) while the unit
        is away from the workshop."""
        unit = self.equipment_id
        if unit.state == "at_service_center":
            raise UserError(
                _(
                    "Unit %(unit)s is at a service centre: receive it back first.",
                    unit=unit.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Hooks and stock helpers
    # ------------------------------------------------------------------

    def _service_unit_lot(self):
        """The serial (``stock.lot``) of the unit this document takes in."""
        return self.equipment_id.lot_id

    def _service_unit_owner(self):
        """Whose stock the unit is: its customer's (the commercial partner)."""
        self.ensure_one()
        return (self.equipment_id.partner_id or self.partner_id).commercial_partner_id

    def _service_unit_label(self):
        return self.equipment_id.display_name or self._service_unit_lot().display_name

    def _service_unit_taken_in(self):
        """Whether this document took the unit into the company's hands."""
        return bool(self.unit_intake_picking_id)

    def _service_unit_repairs(self):
        """This document's repairs (``repair.order``) of the unit."""
        return self.env["repair.order"]

    def _service_unit_transfer_vals(self):
        """Values of the transfers of the unit that link them to this document."""
        return {}

    def _service_unit_location_vals(self):
        """Where this document's repairs work on the unit: where it is kept as
        its customer's stock (the repair location after the intake), else
        nothing (Odoo's defaults)."""
        lot = self._service_unit_lot()
        quant = lot and self._service_unit_quant(lot)
        if not quant or quant.owner_id != self._service_unit_owner():
            return {}
        return {
            "product_location_src_id": quant.location_id.id,
            "product_location_dest_id": quant.location_id.id,
        }

    def _service_warehouse(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        if not warehouse:
            raise UserError(
                _("Company %(company)s has no warehouse.", company=self.company_id.name)
            )
        return warehouse

    def _service_unit_quant(self, lot):
        """The quant of serial ``lot`` in an internal location (where the unit
        is in the company's hands, and whose stock it is), or no quant."""
        return self.env["stock.quant"].search(
            [
                ("lot_id", "=", lot.id),
                ("quantity", ">", 0),
                ("location_id.usage", "=", "internal"),
            ],
            limit=1,
        )

    def _service_unit_transfer(
        self, picking_type, source, destination, partner, lot, owner=False, vals=None
    ):
        """Create, confirm and validate a one-serial transfer for this document;
        ``owner`` is the partner whose stock the unit stays (none: the
        company's); ``vals`` adds to the picking's values (its links)."""
        picking = self.env["stock.picking"]._service_create_unit_transfer(
            lot.product_id,
            lot,
            picking_type,
            source,
            destination,
            partner,
            self.name,
            company_id=self.company_id.id,
            owner_id=owner.id if owner else False,
            **{**self._service_unit_transfer_vals(), **(vals or {})},
        )
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        if picking.state != "done":
            raise UserError(_("Transfer %(picking)s could not be validated.", picking=picking.name))
        return picking

    def _service_picking_action(self, picking):
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": picking.id,
            "views": [(False, "form")],
        }
