from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import LazyTranslate, format_date

from odoo.addons.service_base.tools import (
    action_records,
    lock_for_update,
    rpc_date,
    rpc_record,
    rpc_text,
)

_lt = LazyTranslate(__name__)


class ServiceRequest(models.Model):
    """External service centres and loaner units (kept apart from the intake)."""

    _inherit = "service.request"

    service_center_id = fields.Many2one(
        "res.partner",
        string="Service Centre",
        domain=[("is_service_center", "=", True)],
        readonly=True,
        tracking=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        check_company=True,
    )
    service_center_state = fields.Selection(
        [("sent", "At Service Centre"), ("returned", "Returned")],
        string="Service Centre Status",
        readonly=True,
        tracking=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
    )
    service_center_tracking_ref = fields.Char(
        string="Carrier Tracking Reference",
        tracking=True,
        copy=False,
        groups="base.group_user",
    )
    date_sent_to_center = fields.Date(
        string="Sent On", readonly=True, copy=False, tracking=True, groups="base.group_user"
    )
    date_expected_return = fields.Date(
        string="Expected Return", copy=False, tracking=True, groups="base.group_user"
    )
    date_returned = fields.Date(
        string="Returned On", readonly=True, copy=False, tracking=True, groups="base.group_user"
    )
    is_return_late = fields.Boolean(compute="_compute_is_return_late", groups="base.group_user")
    service_center_out_picking_id = fields.Many2one(
        "stock.picking",
        string="Shipment to Centre",
        readonly=True,
        copy=False,
        check_company=True,
        groups="base.group_user",
    )
    service_center_in_picking_id = fields.Many2one(
        "stock.picking",
        string="Return from Centre",
        readonly=True,
        copy=False,
        check_company=True,
        groups="base.group_user",
    )
    service_center_bill_ids = fields.One2many(
        "account.move",
        "service_request_id",
        string="Vendor Bills",
        groups="account.group_account_invoice",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    service_center_cost = fields.Monetary(
        string="Service Centre Cost",
        compute="_compute_service_center_cost",
        help="Untaxed total of the posted vendor bills (less refunds) linked to this request.",
        groups="base.group_user",
    )
    loaner_equipment_id = fields.Many2one(
        "service.equipment",
        string="Loaner Unit",
        domain=[("is_loaner", "=", True)],
        readonly=True,
        copy=False,
        tracking=True,
        check_company=True,
        groups="base.group_user",
    )
    loaner_state = fields.Selection(
        [("lent", "Lent"), ("returned", "Returned")],
        readonly=True,
        copy=False,
        tracking=True,
        groups="base.group_user",
    )
    loaner_out_picking_id = fields.Many2one(
        "stock.picking", readonly=True, copy=False, check_company=True, groups="base.group_user"
    )
    loaner_in_picking_id = fields.Many2one(
        "stock.picking", readonly=True, copy=False, check_company=True, groups="base.group_user"
    )

    @api.depends("service_center_state", "date_expected_return")
    def _compute_is_return_late(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.is_return_late = bool(
                request.service_center_state == "sent"
                and request.date_expected_return
                and request.date_expected_return < today
            )

    @api.constrains("date_expected_return", "date_sent_to_center")
    def _check_date_expected_return(self):
        for request in self:
            if (
                request.date_expected_return
                and request.date_sent_to_center
                and request.date_expected_return < request.date_sent_to_center
            ):
                raise ValidationError(
                    _(
                        "The unit of %(request)s cannot be expected back before it was sent.",
                        request=request.name,
                    )
                )

    def _compute_service_center_cost(self):
        # sudo: service staff without Invoicing rights see the cost of the
        # requests they can read, not the bills themselves.
        totals = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("service_request_id", "in", self.ids),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("in_invoice", "in_refund")),
                ],
                ["service_request_id"],
                ["amount_untaxed_signed:sum"],
            )
        )
        totals = {self.browse(r.id): v for r, v in totals.items()}
        for request in self:
            # vendor bills are signed negative in company currency
            request.service_center_cost = -totals.get(request, 0.0)

    # ------------------------------------------------------------------
    # Service centre
    # ------------------------------------------------------------------

    def action_send_to_service_center(
        self, partner, tracking_ref=False, date_expected_return=False
    ):
        """Ship this request's unit to the external service centre ``partner``.

        Creates and validates a transfer of the unit's serial from where it is
        (the repair location, else the customer's) to the "At service centres"
        location, the unit staying its owner's stock (a customer's unit is
        never the company's), records the carrier's tracking reference
        and the expected return date; the unit becomes ``at_service_center``.
        Returns the id of the transfer (``stock.picking``). The unit is sent
        once, also when two users send it at once (from this request or
        another one of the unit).
        """
        self.ensure_one()
        partner = rpc_record(self.env, "res.partner", partner, _lt("Service centre"))
        tracking_ref = rpc_text(self.env, tracking_ref, _lt("Tracking reference"), 200)
        date_expected_return = rpc_date(self.env, date_expected_return, _lt("Expected return"))
        lock_for_update(self)
        lock_for_update(self.equipment_id)
        self._check_can_send(partner, date_expected_return)
        unit = self.equipment_id
        quant = self._service_unit_quant(unit.lot_id)
        if quant:
            source, owner = quant.location_id, quant.owner_id
        else:
            # still at the customer's: it goes out as the customer's stock
            source, owner = (
                self.env.ref("stock.stock_location_customers"),
                self._service_unit_owner(),
            )
        warehouse = self._service_warehouse()
        picking = self._service_unit_transfer(
            warehouse.out_type_id,
            source,
            self.env.ref("service_repair.stock_location_service_centers"),
            partner,
            unit.lot_id,
            owner=owner,
        )
        action_records(self).write(
            {
                "service_center_id": partner.id,
                "service_center_state": "sent",
                "service_center_tracking_ref": tracking_ref,
                "date_sent_to_center": fields.Date.context_today(self),
                "date_expected_return": date_expected_return,
                "date_returned": False,
                "service_center_out_picking_id": picking.id,
                "service_center_in_picking_id": False,
            }
        )
        action_records(unit).state = "at_service_center"
        self._service_move_stage("service_repair.stage_service_center")
        self.message_post(
            body=_(
                "Unit %(unit)s sent to service centre %(center)s (%(picking)s), "
                "tracking %(tracking)s, expected back %(date)s.",
                unit=unit.display_name,
                center=partner.display_name,
                picking=picking.name,
                tracking=tracking_ref or "-",
                # the language _() writes in (the user's when the call gives none)
                date=format_date(
                    self.env, date_expected_return, lang_code=self.env.lang or self.env.user.lang
                )
                if date_expected_return
                else "-",
            )
        )
        return picking.id

    def _check_can_send(self, partner, date_expected_return):
        unit = self.equipment_id
        if not partner or not partner.is_service_center:
            raise UserError(
                _(
                    "%(partner)s is not a service centre: flag the partner as one first.",
                    partner=partner.display_name or _("This partner"),
                )
            )
        if not unit or not unit.lot_id:
            raise UserError(
                _(
                    "Request %(request)s has no unit with a serial number to send.",
                    request=self.name,
                )
            )
        if (
            self.partner_id
            and unit.commercial_partner_id
            and unit.commercial_partner_id != self.partner_id.commercial_partner_id
        ):
            raise UserError(
                _(
                    "Unit %(unit)s belongs to %(owner)s, not to the customer of this request.",
                    unit=unit.display_name,
                    owner=unit.commercial_partner_id.display_name,
                )
            )
        if unit.state == "at_service_center" or self.service_center_state == "sent":
            raise UserError(
                _("Unit %(unit)s is already at a service centre.", unit=unit.display_name)
            )
        if unit.state in ("retired", "on_loan"):
            raise UserError(
                _(
                    "Unit %(unit)s cannot be sent: it is %(state)s.",
                    unit=unit.display_name,
                    state=dict(unit._fields["state"]._description_selection(self.env))[unit.state],
                )
            )
        if date_expected_return and fields.Date.to_date(
            date_expected_return
        ) < fields.Date.context_today(self):
            raise UserError(_("The expected return date cannot be in the past."))

    def action_receive_from_service_center(self, serial=False):
        """Receive the unit back from its service centre.

        ``serial`` (a serial number or ``stock.lot``) is what arrived: it must
        be the serial that was sent. Validates a return transfer to the
        warehouse; the unit goes back to ``in_repair`` while repairs are open,
        else ``in_use``. Returns the id of the transfer (``stock.picking``).
        """
        self.ensure_one()
        lock_for_update(self)
        if self.service_center_state != "sent" or not self.service_center_out_picking_id:
            raise UserError(
                _(
                    "Request %(request)s has no unit at a service centre to receive.",
                    request=self.name,
                )
            )
        unit = self.equipment_id
        sent_lot = self.service_center_out_picking_id.move_line_ids.lot_id[:1] or unit.lot_id
        if serial:
            received = (
                serial.name
                if isinstance(serial, models.BaseModel)
                else rpc_text(self.env, serial, _lt("Serial number"), 200).strip()
            )
            if received != sent_lot.name:
                raise UserError(
                    _(
                        "Serial %(received)s is not the unit sent to the service centre "
                        "(%(sent)s): refused.",
                        received=received,
                        sent=sent_lot.name,
                    )
                )
        warehouse = self._service_warehouse()
        out = self.service_center_out_picking_id
        destination = out.location_id
        if destination.usage != "internal":
            destination = warehouse._service_repair_location()
        picking = self._service_unit_transfer(
            warehouse.in_type_id,
            self.env.ref("service_repair.stock_location_service_centers"),
            destination,
            self.service_center_id,
            sent_lot,
            owner=out.owner_id,
        )
        action_records(self).write(
            {
                "service_center_state": "returned",
                "date_returned": fields.Date.context_today(self),
                "service_center_in_picking_id": picking.id,
            }
        )
        open_repairs = self.repair_ids.filtered(lambda r: r.state not in ("done", "cancel"))
        action_records(unit).state = "in_repair" if open_repairs or not self.is_closed else "in_use"
        self.activity_unlink(["service_repair.mail_activity_type_late_return"])
        if self.stage_id == self.env.ref(
            "service_repair.stage_service_center", raise_if_not_found=False
        ):
            self._service_move_stage("service_repair.stage_in_progress")
        self.message_post(
            body=_(
                "Unit %(unit)s received back from %(center)s (%(picking)s).",
                unit=unit.display_name,
                center=self.service_center_id.display_name,
                picking=picking.name,
            )
        )
        return picking.id

    def _service_move_stage(self, xmlid):
        """Move the open requests to the stage ``xmlid`` (the unit went to a
        service centre: the SLA clock stands there, as the stage says; it came
        back: work goes on), if that stage is in use for the request's team."""
        stage = self.env.ref(xmlid, raise_if_not_found=False)
        if not stage or not stage.active:
            return
        # one write for a batch
        self.filtered(
            lambda request: (
                not request.is_closed and (not stage.team_ids or request.team_id in stage.team_ids)
            )
        ).stage_id = stage

    def action_open_send_to_service_center(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Send to Service Centre"),
            "res_model": "service.center.transfer",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id, "default_direction": "send"},
        }

    def action_open_receive_from_service_center(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Receive from Service Centre"),
            "res_model": "service.center.transfer",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id, "default_direction": "receive"},
        }

    def action_create_service_center_bill(self):
        """Open a new vendor bill of the service centre, linked to this request."""
        self.ensure_one()
        if not self.service_center_id:
            raise UserError(_("This request has not been sent to a service centre."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "views": [(False, "form")],
            "context": {
                "default_move_type": "in_invoice",
                "default_partner_id": self.service_center_id.id,
                "default_service_request_id": self.id,
                "default_ref": self.service_center_tracking_ref or self.name,
                "default_invoice_origin": self.name,
            },
        }

    def action_view_service_center_bills(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_in_invoice_type"
        )
        action["domain"] = [("service_request_id", "=", self.id)]
        action["context"] = {
            "default_move_type": "in_invoice",
            "default_partner_id": self.service_center_id.id,
            "default_service_request_id": self.id,
        }
        return action

    @api.model
    def _cron_service_center_late_returns(self):
        """Give the team leader an activity for each unit late back from its centre."""
        late = self.search(
            [
                ("service_center_state", "=", "sent"),
                ("date_expected_return", "<", fields.Date.context_today(self)),
            ]
        )
        activity_type = self.env.ref("service_repair.mail_activity_type_late_return")
        late = late.filtered(lambda r: activity_type not in r.activity_ids.activity_type_id)
        for request in late:
            user = request.team_id.user_id or request.user_id or self.env.user
            request.activity_schedule(
                "service_repair.mail_activity_type_late_return",
                note=_(
                    "Expected back from %(center)s on %(date)s (tracking %(tracking)s).",
                    center=request.service_center_id.display_name,
                    date=format_date(self.env, request.date_expected_return, lang_code=user.lang),
                    tracking=request.service_center_tracking_ref or "-",
                ),
                user_id=user.id,
            )
        return late

    # ------------------------------------------------------------------
    # Workshop intake and delivery back
    # ------------------------------------------------------------------

    def _service_unit_transfer_vals(self):
        return {**super()._service_unit_transfer_vals(), "service_request_id": self.id}

    def _service_unit_repairs(self):
        return self.repair_ids

    def _service_unit_taken_in(self):
        # The unit sent from the customer's to a service centre comes back
        # into the workshop: this request took it in.
        return super()._service_unit_taken_in() or bool(self.service_center_in_picking_id)

    def _service_unit_check_return(self):
        if self.service_center_state == "sent":
            raise UserError(
                _(
                    "Unit %(unit)s is at a service centre: receive it back first.",
                    unit=self.equipment_id.display_name,
                )
            )
        return super()._service_unit_check_return()

    # ------------------------------------------------------------------
    # Loaner units
    # ------------------------------------------------------------------

    def action_lend_loaner(self, loaner):
        """Lend the loaner unit ``loaner`` to this request's customer, with a
        delivery from where it is kept to the warehouse's "Units on Loan"
        location: the loaner stays the company's stock, valued where it is
        (the loan books no valuation). Returns the id of the transfer
        (``stock.picking``). A loaner is lent once, also when two users lend
        it at once."""
        self.ensure_one()
        loaner = rpc_record(self.env, "service.equipment", loaner, _lt("Loaner unit"))
        lock_for_update(self)
        lock_for_update(loaner)
        if not self.partner_id:
            raise UserError(_("Set the customer before lending a unit."))
        if self.loaner_state == "lent":
            raise UserError(
                _(
                    "Unit %(unit)s is already lent on this request.",
                    unit=self.loaner_equipment_id.display_name,
                )
            )
        if not loaner.is_loaner:
            raise UserError(_("Unit %(unit)s is not in the loaner pool.", unit=loaner.display_name))
        if loaner.state != "in_use" or not loaner.lot_id:
            raise UserError(_("Loaner unit %(unit)s is not available.", unit=loaner.display_name))
        warehouse = self._service_warehouse()
        source = self._service_unit_quant(loaner.lot_id)
        if not source:
            raise UserError(
                _(
                    "Loaner unit %(unit)s (serial %(serial)s) is not in stock.",
                    unit=loaner.display_name,
                    serial=loaner.lot_id.name,
                )
            )
        picking = self._service_unit_transfer(
            warehouse.out_type_id,
            source.location_id,
            warehouse._service_loan_location(),
            self.partner_id,
            loaner.lot_id,
            owner=source.owner_id,
        )
        action_records(self).write(
            {
                "loaner_equipment_id": loaner.id,
                "loaner_state": "lent",
                "loaner_out_picking_id": picking.id,
                "loaner_in_picking_id": False,
            }
        )
        action_records(loaner).state = "on_loan"
        self.message_post(
            body=_(
                "Loaner unit %(unit)s lent to the customer (%(picking)s).",
                unit=loaner.display_name,
                picking=picking.name,
            )
        )
        return picking.id

    def action_return_loaner(self):
        """Take the lent loaner unit back from where it was lent to (the
        "Units on Loan" location) into the location it was lent from, its
        owner as it was (the company's own loaners have none): no valuation.
        Returns the id of the transfer (``stock.picking``)."""
        self.ensure_one()
        lock_for_update(self)
        if self.loaner_state != "lent":
            raise UserError(_("No loaner unit is lent on request %(request)s.", request=self.name))
        loaner = self.loaner_equipment_id
        warehouse = self._service_warehouse()
        out = self.loaner_out_picking_id
        destination = out.location_id if out.location_id.usage == "internal" else False
        picking = self._service_unit_transfer(
            warehouse.in_type_id,
            # where it was lent to (the customers' for a loan made before the
            # "Units on Loan" location)
            out.location_dest_id,
            destination or warehouse.lot_stock_id,
            self.partner_id,
            loaner.lot_id,
            owner=out.owner_id,
        )
        action_records(self).write({"loaner_state": "returned", "loaner_in_picking_id": picking.id})
        action_records(loaner).state = "in_use"
        self.message_post(
            body=_(
                "Loaner unit %(unit)s returned (%(picking)s).",
                unit=loaner.display_name,
                picking=picking.name,
            )
        )
        return picking.id

    def action_open_lend_loaner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Lend a Loaner Unit"),
            "res_model": "service.loaner.lend",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    # ------------------------------------------------------------------
    # Guarded fields
    # ------------------------------------------------------------------

    def _service_guarded_fields(self):
        # Where the unit and the loaner are, and the transfers that moved them:
        # set by the actions above after their checks, never by hand.
        return super()._service_guarded_fields() | {
            "service_center_id",
            "service_center_state",
            "date_sent_to_center",
            "date_returned",
            "service_center_out_picking_id",
            "service_center_in_picking_id",
            "loaner_equipment_id",
            "loaner_state",
            "loaner_out_picking_id",
            "loaner_in_picking_id",
        }
