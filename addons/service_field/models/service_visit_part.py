import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from odoo.addons.service_base.tools import rpc_record, user_lang_env

_lt = LazyTranslate(__name__)

# More of one part than a van could carry is a typing error, not a visit.
MAX_PART_QUANTITY = 1_000_000


class ServiceVisitPart(models.Model):
    """A part the technician used on site, taken from their van.

    Consumed when the visit is finished: one transfer from the technician's
    van location to the customer, done at once for all the visit's parts.
    """

    _name = "service.visit.part"
    _description = "Visit Part"
    _inherit = ["service.guarded.mixin"]
    _order = "visit_id, id"
    _check_company_auto = True

    visit_id = fields.Many2one("service.visit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit of Measure",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    tracking = fields.Selection(related="product_id.tracking")
    move_id = fields.Many2one("stock.move", string="Stock Move", readonly=True, copy=False)

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            if not line.product_uom_id or line.product_uom_id.category_id != (
                line.product_id.uom_id.category_id
            ):
                line.product_uom_id = line.product_id.uom_id

    @api.constrains("quantity")
    def _check_quantity(self):
        env = user_lang_env(self.env)
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    env._(
                        "The quantity of %(part)s on visit %(visit)s must be positive.",
                        part=line.product_id.display_name,
                        visit=line.visit_id.name,
                    )
                )

    @api.constrains("lot_id", "product_id")
    def _check_lot(self):
        env = user_lang_env(self.env)
        for line in self:
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise ValidationError(
                    env._(
                        "Lot %(lot)s is of %(other)s, not of %(part)s (visit %(visit)s).",
                        lot=line.lot_id.name,
                        other=line.lot_id.product_id.display_name,
                        part=line.product_id.display_name,
                        visit=line.visit_id.name,
                    )
                )

    def _service_check_values(self, vals):
        """Refuse, before they reach the database, a quantity that is no
        number or beyond any van (NaN, infinity, 1e300) and a missing visit."""
        env = user_lang_env(self.env)
        if "quantity" in vals:
            quantity = vals["quantity"]
            try:
                number = float(quantity or 0)
            except (TypeError, ValueError):
                number = math.nan
            if not math.isfinite(number) or abs(number) > MAX_PART_QUANTITY:
                raise ValidationError(
                    env._(
                        "The quantity of a part must be a number up to %(max)s, not %(value)s.",
                        max=MAX_PART_QUANTITY,
                        value=str(quantity)[:40],
                    )
                )
        if vals.get("visit_id"):
            rpc_record(env, "service.visit", vals["visit_id"], _lt("Visit"))

    def _service_guarded_fields(self):
        guarded = super()._service_guarded_fields() | {"move_id"}
        if self:
            # a line stays on the visit it was added to: moved to another
            # visit (a colleague's) it would pass that visit's checks unseen
            guarded |= {"visit_id"}
        if any(line.visit_id.state in ("done", "cancelled") for line in self):
            guarded |= {"visit_id", "product_id", "quantity", "product_uom_id", "lot_id"}
        return guarded

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._service_check_values(vals)
        lines = super().create(vals_list)
        lines._service_check_visit_open()
        return lines

    def write(self, vals):
        self._service_check_values(vals)
        self._service_check_visit_open()
        result = super().write(vals)
        self._service_check_visit_open()
        return result

    def unlink(self):
        self._service_check_visit_open()
        return super().unlink()

    def _service_check_visit_open(self):
        """Parts are added on a visit to come or under way: a finished visit's
        parts are consumed, a cancelled one's were never used."""
        if self._service_guarded_free():
            return
        env = user_lang_env(self.env)
        for visit in self.visit_id:
            if visit.state in ("done", "cancelled"):
                raise UserError(
                    env._(
                        "Visit %(visit)s is over: its parts are as they were consumed.",
                        visit=visit.name,
                    )
                )
