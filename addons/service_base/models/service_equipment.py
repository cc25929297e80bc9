from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import action_records


class ServiceEquipment(models.Model):
    _name = "service.equipment"
    _description = "Customer Equipment"
    _inherit = ["mail.thread", "mail.activity.mixin", "service.guarded.mixin"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        index="trigram",
        tracking=True,
        translate=True,
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    product_id = fields.Many2one(
        "product.product",
        string="Model",
        required=True,
        index=True,
        check_company=True,
        domain=[("is_equipment", "=", True)],
        tracking=True,
    )
    categ_id = fields.Many2one(related="product_id.categ_id", store=True, index=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index=True,
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        tracking=True,
    )
    serial = fields.Char(related="lot_id.name", string="Serial")
    partner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        index=True,
        check_company=True,
        tracking=True,
        help="The customer who owns the unit.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
    )
    site_partner_id = fields.Many2one(
        "res.partner",
        string="Site",
        check_company=True,
        tracking=True,
        help="Address where the unit stands, when it is not the owner's.",
    )
    team_id = fields.Many2one(
        "service.team", string="Service Team", check_company=True, tracking=True
    )
    sale_date = fields.Date(tracking=True)
    installation_date = fields.Date(tracking=True)
    state = fields.Selection(
        [
            ("in_use", "In Use"),
            ("in_repair", "In Repair"),
            ("at_service_center", "At Service Centre"),
            ("on_loan", "On Loan"),
            ("retired", "Retired"),
        ],
        default="in_use",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        group_expand=True,
        help="Set by what happens to the unit (a repair, a service centre, a loan, "
        "retirement), not by hand.",
    )
    is_demo = fields.Boolean(
        string="Demo Unit",
        tracking=True,
        help="Part of the demonstration pool: the company's unit shown to customers.",
        groups="base.group_user",
    )
    note = fields.Html(groups="base.group_user")
    image_128 = fields.Image(related="product_id.image_128")
    delivery_count = fields.Integer(
        related="lot_id.delivery_count", string="Deliveries", groups="base.group_user"
    )

    _sql_constraints = [
        # The Python check below gives the friendly message; this one also
        # holds against two concurrent inserts, which can both pass it.
        (
            "lot_company_uniq",
            "unique(lot_id, company_id)",
            "A unit with this serial number is already registered in this company.",
        ),
    ]

    def _creation_message(self):
        # Odoo's "%s created" with the model's name takes the wrong gender in Russian.
        self.ensure_one()
        return _("Unit registered")

    @api.depends("product_id", "lot_id")
    def _compute_name(self):
        for unit in self:
            if unit.product_id and unit.lot_id:
                unit.name = f"{unit.product_id.name} / {unit.lot_id.name}"
            elif unit.product_id and not unit.name:
                unit.name = unit.product_id.name

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for unit in self:
            if unit.lot_id and unit.lot_id.product_id != unit.product_id:
                raise ValidationError(
                    _(
                        "Serial number %(serial)s belongs to %(lot_product)s, not to %(product)s.",
                        serial=unit.lot_id.name,
                        lot_product=unit.lot_id.product_id.display_name,
                        product=unit.product_id.display_name,
                    )
                )

    @api.constrains("is_demo", "partner_id", "company_id")
    def _check_pool_owner(self):
        for unit in self:
            if unit.is_demo and not unit._is_company_owned():
                raise ValidationError(
                    _(
                        "Unit %(unit)s belongs to a customer: only the company's own units "
                        "can be in the demo pool.",
                        unit=unit.display_name,
                    )
                )

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id
            if not self.partner_id:
                self.partner_id = self.lot_id.last_delivery_partner_id

    @api.model_create_multi
    def create(self, vals_list):
        self._check_serials_free(
            [
                (vals.get("lot_id"), vals.get("company_id") or self.env.company.id)
                for vals in vals_list
            ]
        )
        units = super().create(vals_list)
        units._service_name_in_every_language()
        return units

    def write(self, vals):
        if vals.get("lot_id") or vals.get("company_id"):
            self._check_serials_free(
                [
                    (
                        vals.get("lot_id") or unit.lot_id.id,
                        vals.get("company_id") or unit.company_id.id,
                    )
                    for unit in self
                ],
                exclude=self,
            )
        result = super().write(vals)
        if {"product_id", "lot_id", "name"} & set(vals):
            self._service_name_in_every_language()
        return result

    def _service_name_in_every_language(self):
        """A unit named after its model and serial («Model / serial») gets that
        name in every language its model's name is translated in, so that a
        Russian screen shows the Russian model name whoever registered the
        unit. One query for the batch."""
        units = self.filtered(
            lambda unit: unit.lot_id and unit.name == f"{unit.product_id.name} / {unit.lot_id.name}"
        )
        if not units:
            return
        self.env["service.equipment"].flush_model(["name", "product_id", "lot_id"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["name"])
        self.env["stock.lot"].flush_model(["name"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE service_equipment unit
                   SET name = (
                        SELECT jsonb_object_agg(t.key, t.value || ' / ' || lot.name)
                          FROM jsonb_each_text(template.name) t
                   )
                  FROM product_product product
                  JOIN product_template template ON template.id = product.product_tmpl_id,
                       stock_lot lot
                 WHERE unit.id IN %s
                   AND product.id = unit.product_id
                   AND lot.id = unit.lot_id
                """,
                tuple(units.ids),
            )
        )
        units.invalidate_recordset(["name"])
        units.modified(["name"])

    def action_view_deliveries(self):
        """Open the transfers that moved this unit's serial number."""
        self.ensure_one()
        if not self.lot_id:
            raise UserError(_("This unit has no serial number, so no delivery history."))
        return self.lot_id.action_lot_open_transfers()

    def action_retire(self):
        """Take the units out of the active installed base (service managers only)."""
        self._check_manager(_("Only a service manager may retire units."))
        away = self.filtered(lambda unit: unit.state in ("at_service_center", "on_loan"))
        if away:
            raise UserError(
                _(
                    "Unit %(unit)s is %(state)s: bring it back before retiring it.",
                    unit=away[0].display_name,
                    state=away[0]._state_label(),
                )
            )
        action_records(self).write({"state": "retired", "active": False})
        return True

    def action_reactivate(self):
        """Bring retired units back into use (service managers only)."""
        self._check_manager(_("Only a service manager may bring units back in use."))
        action_records(self.filtered(lambda unit: unit.state == "retired")).write(
            {"state": "in_use", "active": True}
        )
        return True

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {"state", "commercial_partner_id", "categ_id"}

    def _check_manager(self, message):
        if not self.env.su and not self.env.user.has_group("service_base.group_service_manager"):
            raise AccessError(message)

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _service_is_pool_unit(self):
        """Whether the unit is one of the company's pools (demo units here;
        the loaner pool adds its own): the company's unit, never a customer's
        to accept for repair."""
        return bool(self.is_demo)

    def _is_company_owned(self):
        """Whether the unit belongs to no customer: no owner, or the company itself."""
        self.ensure_one()
        owner = self.partner_id.commercial_partner_id
        return not owner or owner == self.company_id.partner_id.commercial_partner_id

    @api.model
    def _check_serials_free(self, lot_company_pairs, exclude=None):
        """Refuse, in the user's language, a serial already registered in its company.

        The SQL constraint holds against concurrent inserts; this check runs
        first so that a person gets a sentence, not a database error.
        """
        pairs = [(lot_id, company_id) for lot_id, company_id in lot_company_pairs if lot_id]
        if not pairs:
            return
        seen = set()
        for pair in pairs:
            if pair in seen:
                self._raise_serial_taken(*pair)
            seen.add(pair)
        lot_ids = {lot_id for lot_id, __ in pairs}
        domain = [("lot_id", "in", list(lot_ids))]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        taken = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(domain, ["lot_id", "company_id"])
        )
        for unit in taken:
            if (unit.lot_id.id, unit.company_id.id) in seen:
                self._raise_serial_taken(unit.lot_id.id, unit.company_id.id)

    def _raise_serial_taken(self, lot_id, company_id):
        # sudo: only the serial's and company's names are shown, both of which
        # the caller already named in its own request.
        lot = self.env["stock.lot"].sudo().browse(lot_id)
        company = self.env["res.company"].sudo().browse(company_id)
        raise ValidationError(
            _(
                "Serial number %(serial)s is already registered as a unit in %(company)s.",
                serial=lot.name,
                company=company.name,
            )
        )

    @api.model
    def _prepare_vals_from_lot(self, lot):
        """Values of a new unit for serial ``lot``: owner and sale date from its last delivery."""
        # Odoo computes a lot's deliveries without dependencies: read them afresh.
        lot.invalidate_recordset(["delivery_ids", "last_delivery_partner_id"])
        last = lot.delivery_ids.filtered(lambda p: p.state == "done").sorted("date_done")[-1:]
        return {
            "product_id": lot.product_id.id,
            "lot_id": lot.id,
            "company_id": (lot.company_id or self.env.company).id,
            "partner_id": last.partner_id.id,
            "sale_date": last.date_done and last.date_done.date(),
        }
