from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, formatLang

from odoo.addons.service_base.tools import action_records, count_text


class RepairOrder(models.Model):
    _name = "repair.order"
    _inherit = ["repair.order", "service.guarded.mixin"]

    request_id = fields.Many2one(
        "service.request",
        string="Service Request",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        copy=False,
    )
    equipment_id = fields.Many2one(
        "service.equipment",
        string="Unit",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    service_complaint = fields.Text(
        string="Customer's Complaint", help="The fault as the customer describes it."
    )
    service_completeness = fields.Text(
        string="Completeness",
        help="What was handed over with the unit: accessories, cables, documents.",
    )
    service_condition = fields.Text(
        string="Visible Condition", help="Scratches, dents, missing parts noted at acceptance."
    )
    service_work_done = fields.Html(string="Work Done")
    service_warranty_months = fields.Integer(
        string="Warranty on Repair (months)",
        default=3,
        help="How long the work done is guaranteed, from the end of the repair.",
    )
    service_date_done = fields.Datetime(
        string="Repaired On",
        compute="_compute_service_date_done",
        store=True,
        copy=False,
        help="When the repair was ended: the repair's own warranty and the rework "
        "window count from it.",
    )
    service_work_warranty_end = fields.Date(
        string="Repair Warranty Until",
        compute="_compute_service_work_warranty_end",
        help="Until when the work done is guaranteed (not the serial's own warranty).",
    )

    @api.depends("state")
    def _compute_service_date_done(self):
        now = fields.Datetime.now()
        for repair in self:
            repair.service_date_done = repair.service_date_done or (
                now if repair.state == "done" else False
            )

    def _service_warranty_months_text(self):
        """The repair's warranty in months, with its noun in the reader's
        language («12 месяцев»), for the work completion act."""
        self.ensure_one()
        return count_text(self.env, self.service_warranty_months, _("month|months"))

    @api.depends("service_date_done", "service_warranty_months")
    def _compute_service_work_warranty_end(self):
        for repair in self:
            repair.service_work_warranty_end = (
                repair.service_date_done
                and repair.service_warranty_months
                and (
                    repair.service_date_done.date()
                    + relativedelta(months=repair.service_warranty_months)
                )
            )

    @api.constrains("equipment_id", "lot_id", "request_id")
    def _check_service_unit(self):
        for repair in self:
            unit = repair.equipment_id
            if unit.lot_id and repair.lot_id and repair.lot_id != unit.lot_id:
                raise ValidationError(
                    _(
                        "Serial number %(serial)s is not the serial of unit %(unit)s.",
                        serial=repair.lot_id.name,
                        unit=unit.display_name,
                    )
                )
            request_unit = repair.request_id.equipment_id
            if unit and request_unit and unit != request_unit:
                raise ValidationError(
                    _(
                        "Repair %(repair)s is for unit %(unit)s, but its request %(request)s "
                        "is for unit %(request_unit)s.",
                        repair=repair.name,
                        unit=unit.display_name,
                        request=repair.request_id.name,
                        request_unit=request_unit.display_name,
                    )
                )

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        unit = self.equipment_id
        if unit:
            self.product_id = unit.product_id
            self.lot_id = unit.lot_id
            if not self.partner_id:
                self.partner_id = unit.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        self._check_request_writable([vals.get("request_id") for vals in vals_list])
        born = self.env.context.get("default_state") or "draft"
        if not self.env.su and any(vals.get("state", born) != "draft" for vals in vals_list):
            # A repair is confirmed, started and ended by its buttons, which
            # check the parts and the quality control: it is born a draft.
            raise UserError(
                _("A repair order is created as a draft; its buttons move it on from there.")
            )
        repairs = super().create(vals_list)
        repairs.filtered("under_warranty")._service_check_warranty_decision()
        return repairs

    def write(self, vals):
        if vals.get("request_id"):
            self._check_request_writable([vals["request_id"]])
        if "under_warranty" in vals:
            self.filtered(
                lambda r: r.under_warranty != bool(vals["under_warranty"])
            )._service_check_warranty_decision(bool(vals["under_warranty"]))
        res = super().write(vals)
        if {"lot_id", "partner_id", "request_id"} & set(vals) and "under_warranty" not in vals:
            # another serial or customer: the warranty check answers again
            # (a free repair stayed free for a serial without warranty)
            self._service_follow_warranty_answer()
        if vals.get("state") in ("done", "cancel"):
            # sudo: repairs are also ended or cancelled by users without Service
            # rights (Odoo's Repairs and Sales users); closing the requests of
            # finished repairs is bookkeeping that returns nothing to them, and
            # only who may write a request can link a repair to it (above).
            self.sudo().request_id._close_when_repairs_done()
        return res

    def action_validate(self):
        # Odoo finds the unit to repair among the quants of the repair's
        # partner or of nobody; a customer's unit accepted for repair is the
        # stock of the customer company, while the repair may name one of its
        # people: that unit is there too.
        self.ensure_one()
        if self._service_owned_unit_available():
            return self._action_repair_confirm()
        return super().action_validate()

    def action_repair_done(self):
        # Odoo asks before ending a repair whose parts were not all used (the
        # End Repair button's confirmation) and then cancels what was not used:
        # the repair says which parts those were, once.
        ending = self.filtered(lambda repair: repair.state != "done")
        # Odoo gives the repaired unit's move an owner only when it finds the
        # unit among the quants of the repair's partner at the repair's
        # component location; a customer's unit accepted for repair is the
        # customer company's stock at the product's location: it moves as the
        # customer's (stock.move.create), not as nobody's.
        owners = {repair.id: repair._service_unit_owner().id for repair in ending}
        owners = {repair_id: owner for repair_id, owner in owners.items() if owner}
        if owners:
            self = self.with_context(service_repair_unit_owners=owners)
        result = super().action_repair_done()
        for repair in ending:
            unused = repair._service_act_parts()["unused"]
            if not unused:
                continue
            items = Markup().join(
                Markup("<li>%s</li>")
                % _(
                    "%(part)s: %(quantity)s %(uom)s",
                    part=line["product"].display_name,
                    quantity=formatLang(self.env, line["quantity"], dp="Product Unit of Measure"),
                    uom=line["uom"].name,
                )
                for line in unused
            )
            repair.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (_("The repair was ended with parts planned but not used:"), items),
            )
        return result

    def _service_act_parts(self):
        """The parts of the work completion act, by part and unit of measure:
        ``used`` (the quantities done, or reserved while the repair is not
        ended) and ``unused``, planned but not used (the rest of each planned
        quantity: out of stock, or not taken when Odoo asked on ending the
        repair — it cancels those moves)."""
        self.ensure_one()
        used, unused = {}, {}
        for move in self.move_ids.filtered(lambda m: m.repair_line_type == "add"):
            rounding = move.product_uom.rounding
            done = 0.0 if move.state == "cancel" else move.quantity
            rest = move.product_uom_qty - done
            key = (move.product_id.id, move.product_uom.id)
            for lines, quantity in ((used, done), (unused, rest)):
                if float_compare(quantity, 0.0, precision_rounding=rounding) <= 0:
                    continue
                line = lines.setdefault(
                    key,
                    {
                        "product": move.product_id,
                        "uom": move.product_uom,
                        "quantity": 0.0,
                        "lots": self.env["stock.lot"],
                    },
                )
                line["quantity"] += quantity
                if lines is used:
                    line["lots"] |= move.move_line_ids.lot_id
        return {"used": list(used.values()), "unused": list(unused.values())}

    def _service_owned_unit_available(self):
        """The unit is the stock of the customer company while the repair names
        one of its people (Odoo looks for the partner's quants only)."""
        return self.partner_id != self.partner_id.commercial_partner_id and bool(
            self._service_unit_owner()
        )

    def _service_unit_owner(self):
        """The customer company whose stock the unit to repair is, where the
        repair finds it (its product location), or an empty partner."""
        owner = self.partner_id.commercial_partner_id
        if (
            not owner
            or not self.lot_id
            or not self.product_id.is_storable
            or any(move.product_uom_qty < 0 for move in self.move_ids)
        ):
            return self.env["res.partner"]
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product_id.id),
                ("location_id", "=", self.product_location_src_id.id),
                ("lot_id", "=", self.lot_id.id),
                ("owner_id", "=", owner.id),
            ]
        )
        repair_qty = self.product_uom._compute_quantity(self.product_qty, self.product_id.uom_id)
        enough = (
            float_compare(
                sum(quants.mapped("quantity")),
                repair_qty,
                precision_rounding=self.product_id.uom_id.rounding,
            )
            >= 0
        )
        return owner if enough else self.env["res.partner"]

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {"service_date_done"}

    def _service_warranty_answer(self):
        """Whether the suite's warranty check makes this repair free: its
        request's answer, or its serial's for its customer."""
        self.ensure_one()
        if self.request_id:
            return self.request_id._is_under_warranty()
        return self.env["service.request"]._service_lot_in_warranty(self.lot_id, self.partner_id)

    def _service_follow_warranty_answer(self):
        if self.env.su:
            return
        for repair in self.filtered(lambda r: r.state not in ("done", "cancel")):
            answer = repair._service_warranty_answer()
            if repair.under_warranty != answer:
                action_records(repair).write({"under_warranty": answer})

    def _service_check_warranty_decision(self, under_warranty=None):
        """Free of charge (or not) is the warranty check's answer: another one
        (a goodwill repair, a warranty refused) is the service manager's call,
        since it sets what the customer pays."""
        if (
            not self
            or self._service_guarded_free()
            or self.env.user.has_group("service_base.group_service_manager")
        ):
            return
        for repair in self:
            wanted = repair.under_warranty if under_warranty is None else under_warranty
            if wanted != repair._service_warranty_answer():
                raise AccessError(
                    _(
                        "Repair %(repair)s: the warranty check finds the unit under warranty; "
                        "only a service manager charges the customer for it.",
                        repair=repair.name,
                    )
                    if not wanted
                    else _(
                        "Repair %(repair)s: the warranty check finds no warranty that makes "
                        "it free; only a service manager repairs it free of charge.",
                        repair=repair.name,
                    )
                )

    def _check_request_writable(self, request_ids):
        """Finishing a repair closes its request (under sudo, above): only who
        may change a request may link a repair to it."""
        requests = self.env["service.request"].browse(
            {request_id for request_id in request_ids if isinstance(request_id, int)}
        )
        if requests and not self.env.su:
            requests.check_access("write")
