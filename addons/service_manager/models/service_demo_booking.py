import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

from odoo.addons.service_base.tools import action_records, user_lang_env

# The states in which the form lets each field change (after them, the
# booking keeps it as its record).
EDITABLE_IN = {
    "equipment_id": ("draft",),
    "off_site": ("draft",),
    "date_start": ("draft", "confirmed"),
    "date_stop": ("draft", "confirmed"),
    "partner_id": ("draft", "confirmed", "out", "cancelled"),
    "lead_id": ("draft", "confirmed", "out", "cancelled"),
    "outcome": ("draft", "confirmed", "out", "cancelled"),
}


class ServiceDemoBooking(models.Model):
    _name = "service.demo.booking"
    _description = "Demonstration Booking"
    _inherit = ["mail.thread", "mail.activity.mixin", "service.guarded.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, copy=False, readonly=True, default=lambda self: _("New"), index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    equipment_id = fields.Many2one(
        "service.equipment",
        string="Demo Unit",
        required=True,
        index=True,
        check_company=True,
        domain=[("is_demo", "=", True)],
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", index=True, check_company=True, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Presenter",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        check_company=True,
        tracking=True,
    )
    date_start = fields.Datetime(string="Start", required=True, tracking=True)
    date_stop = fields.Datetime(string="End", required=True, tracking=True)
    off_site = fields.Boolean(
        string="At the Customer's",
        help="The unit leaves the premises: a transfer takes it out and brings it back.",
    )
    location = fields.Char(string="Place")
    event_id = fields.Many2one("calendar.event", string="Meeting", readonly=True, copy=False)
    picking_out_id = fields.Many2one(
        "stock.picking",
        string="Delivery to Customer",
        readonly=True,
        copy=False,
        check_company=True,
    )
    picking_in_id = fields.Many2one(
        "stock.picking", string="Return", readonly=True, copy=False, check_company=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "Booked"),
            ("out", "Unit Out"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
    )
    outcome = fields.Selection(
        [
            ("interested", "Interested"),
            ("not_interested", "Not Interested"),
            ("ordered", "Ordered"),
        ],
        tracking=True,
    )
    note = fields.Html()
    lead_won = fields.Boolean(related="lead_id.stage_id.is_won", string="Deal Won", store=True)

    # Two bookings saved at once cannot see each other (each transaction has
    # its snapshot), so only the database can refuse the second one: an
    # exclusion constraint, as Odoo's hr_work_entry does for validated work
    # entries. The unit's id as a one-value range makes the equality a GiST
    # operator, so that no btree_gist extension is needed; reversed dates are
    # left out for _check_dates to refuse with its message.
    _sql_constraints = [
        (
            "unit_slot_excl",
            "EXCLUDE USING gist ("
            "int4range(equipment_id, equipment_id, '[]') WITH =, "
            "tsrange(date_start, date_stop, '[)') WITH &&"
            ") WHERE (state != 'cancelled' AND date_stop > date_start)",
            "A demo unit cannot be booked twice for overlapping times.",
        ),
    ]

    def _creation_message(self):
        # Odoo's "%s created" with the model's name takes the wrong gender in Russian.
        self.ensure_one()
        return _("Demonstration booking created")

    def _service_guarded_fields(self):
        guarded = super()._service_guarded_fields() | {
            "state",
            "event_id",
            "picking_out_id",
            "picking_in_id",
            "lead_won",
        }
        states = set(self.mapped("state"))
        return guarded | {name for name, open_in in EDITABLE_IN.items() if states - set(open_in)}

    def _service_guarded_refuse(self, names):
        locked = set(names) & set(EDITABLE_IN)
        if locked == set(names):
            # labels and states in the words of the message (RPC without a context)
            env = user_lang_env(self.env)
            for booking in self:
                frozen = {name for name in locked if booking.state not in EDITABLE_IN[name]}
                if frozen:
                    raise UserError(
                        _(
                            "%(fields)s of %(booking)s can no longer be changed: the "
                            "demonstration is %(state)s.",
                            fields=", ".join(
                                sorted(
                                    self._fields[name]._description_string(env) for name in frozen
                                )
                            ),
                            booking=booking.name,
                            state=dict(self._fields["state"]._description_selection(env))[
                                booking.state
                            ],
                        )
                    )
        return super()._service_guarded_refuse(names)

    @api.constrains("date_start", "date_stop")
    def _check_dates(self):
        for booking in self:
            if booking.date_stop <= booking.date_start:
                raise ValidationError(_("A demonstration must end after it starts."))

    @api.constrains("state", "outcome")
    def _check_outcome(self):
        if self.filtered(lambda booking: booking.state == "done" and not booking.outcome):
            raise ValidationError(_("A demonstration that took place has its outcome."))

    @api.constrains("equipment_id", "date_start", "date_stop", "state")
    def _check_unit_free(self):
        active = self.filtered(lambda b: b.state != "cancelled")
        if not active:
            return
        slots = [(b.equipment_id.id, b.date_start, b.date_stop, b.id) for b in active]
        try:
            with self.env.cr.savepoint(flush=False):
                active.flush_recordset(["equipment_id", "date_start", "date_stop", "state"])
        except psycopg2.errors.ExclusionViolation:
            raise self._slot_taken_error(slots, concurrent=True) from None
        error = self._slot_taken_error(slots)
        if error:
            raise error

    def _slot_taken_error(self, slots, concurrent=False):
        """The refusal of ``slots`` (``(unit id, start, stop, booking id)``):
        the booking one of them clashes with, or, when this transaction cannot
        see it and ``concurrent``, the booking another user has just saved."""
        for unit_id, start, stop, booking_id in slots:
            clash = self.search(
                [
                    ("id", "!=", booking_id),
                    ("equipment_id", "=", unit_id),
                    ("state", "!=", "cancelled"),
                    ("date_start", "<", stop),
                    ("date_stop", ">", start),
                ],
                limit=1,
            )
            if clash:
                return ValidationError(
                    _(
                        "%(unit)s is already booked for %(booking)s from %(start)s to %(stop)s.",
                        unit=clash.equipment_id.with_env(user_lang_env(self.env)).display_name,
                        booking=clash.name,
                        start=format_datetime(
                            user_lang_env(self.env), clash.date_start, dt_format="short"
                        ),
                        stop=format_datetime(
                            user_lang_env(self.env), clash.date_stop, dt_format="short"
                        ),
                    )
                )
        if not concurrent:
            return None
        return ValidationError(
            _(
                "%(unit)s has just been booked by another user for an overlapping time; "
                "reload the bookings to see it.",
                unit=self.env["service.equipment"].browse(slots[0][0]).display_name,
            )
        )

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if self.lead_id.partner_id:
            self.partner_id = self.lead_id.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("service.demo.booking") or _(
                    "New"
                )
        try:
            with self.env.cr.savepoint(flush=False):
                return super().create(vals_list)
        except psycopg2.errors.ExclusionViolation:
            slots = [
                (
                    vals.get("equipment_id"),
                    fields.Datetime.to_datetime(vals.get("date_start")),
                    fields.Datetime.to_datetime(vals.get("date_stop")),
                    False,
                )
                for vals in vals_list
                if vals.get("state", "draft") != "cancelled"
            ]
            raise self._slot_taken_error(slots, concurrent=True) from None

    def action_confirm(self):
        """Book the unit: a calendar meeting with the customer and the presenter."""
        if self.filtered(lambda booking: booking.state != "draft"):
            raise UserError(_("Only a draft demonstration can be booked."))
        # The meeting is logged on the opportunity: a user who may not write
        # there is refused before any meeting exists.
        self.lead_id.check_access("write")
        for booking in self:
            action_records(booking).event_id = self.env["calendar.event"].create(
                booking._prepare_event_vals()
            )
        action_records(self).state = "confirmed"
        return True

    def action_send_out(self):
        """The unit leaves for the customer's premises (a delivery of its serial)."""
        if self.filtered(lambda booking: booking.state != "confirmed"):
            raise UserError(_("Only a booked demonstration can send its unit out."))
        for booking in self:
            if booking.off_site:
                action_records(booking).picking_out_id = booking._create_unit_picking(outgoing=True)
            action_records(booking.equipment_id).state = "on_loan"
        action_records(self).state = "out"
        return True

    def action_done(self):
        """Record the outcome; the unit comes back and the opportunity hears of it."""
        if self.filtered(lambda booking: booking.state not in ("confirmed", "out")):
            raise UserError(_("Only a booked demonstration can be completed."))
        if self.filtered(lambda booking: not booking.outcome):
            raise UserError(_("Record the outcome of the demonstration first."))
        # The outcome is posted on the opportunity: checked before the unit moves.
        self.lead_id.check_access("write")
        for booking in self:
            if booking.picking_out_id:
                action_records(booking).picking_in_id = booking._create_unit_picking(outgoing=False)
            if booking.equipment_id.state == "on_loan":
                action_records(booking.equipment_id).state = "in_use"
            if booking.lead_id:
                booking.lead_id.message_post(
                    body=_(
                        "Demonstration %(booking)s of %(unit)s: %(outcome)s.",
                        booking=booking.name,
                        unit=booking.equipment_id.display_name,
                        outcome=dict(
                            booking._fields["outcome"]._description_selection(booking.env)
                        )[booking.outcome],
                    )
                )
        action_records(self).state = "done"
        return True

    def action_cancel(self):
        if self.filtered(lambda b: b.state in ("out", "done")):
            raise UserError(
                _("A demonstration whose unit is out or that is done cannot be cancelled.")
            )
        self.event_id.unlink()
        action_records(self).state = "cancelled"
        return True

    def action_draft(self):
        """Back to draft: only a cancelled demonstration, to book it again."""
        if self.filtered(lambda booking: booking.state != "cancelled"):
            raise UserError(_("Only a cancelled demonstration can be set back to draft."))
        action_records(self).state = "draft"
        return True

    def _prepare_event_vals(self):
        self.ensure_one()
        partners = self.partner_id | self.user_id.partner_id
        return {
            "name": _("Demonstration: %(unit)s", unit=self.equipment_id.display_name),
            "start": self.date_start,
            "stop": self.date_stop,
            "location": self.location or False,
            "user_id": self.user_id.id,
            "partner_ids": [(6, 0, partners.ids)],
            "opportunity_id": self.lead_id.id,
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
        }

    def _create_unit_picking(self, outgoing):
        """The transfer of the demo unit to the customer's premises and back:
        from where it is kept to the warehouse's "Units on Loan" location and
        back, so that the unit stays the company's stock, valued where it is
        (neither transfer is valued), while its location says it is out."""
        self.ensure_one()
        unit = self.equipment_id
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        if not warehouse:
            raise UserError(_("The company has no warehouse to send the demo unit from."))
        if outgoing:
            # The demo unit leaves from where it is kept (its own shelf, not
            # necessarily the warehouse's stock) and comes back there.
            home = (
                self.env["stock.quant"]
                .search(
                    [
                        ("lot_id", "=", unit.lot_id.id),
                        ("quantity", ">", 0),
                        ("location_id.usage", "=", "internal"),
                    ],
                    limit=1,
                )
                .location_id
            )
        else:
            home = self.picking_out_id.location_id
        home = home or warehouse.lot_stock_id
        picking_type = warehouse.out_type_id if outgoing else warehouse.in_type_id
        # back from where it went (the customers' for a demonstration sent out
        # before the "Units on Loan" location)
        away = (
            warehouse._service_loan_location() if outgoing else self.picking_out_id.location_dest_id
        )
        source, dest = (home, away) if outgoing else (away, home)
        return self.env["stock.picking"]._service_create_unit_transfer(
            unit.product_id,
            unit.lot_id,
            picking_type,
            source,
            dest,
            self.partner_id,
            self.name,
        )
