from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import check_product_pair, fill_product_pair, serial_le, serial_parts


class ServicePartCompatibility(models.Model):
    _name = "service.part.compatibility"
    _inherit = ["service.guarded.mixin"]
    _description = "Spare Part Compatibility"
    _order = "equipment_tmpl_id, position, id"
    _check_company_auto = True

    part_product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("is_spare_part", "=", True)],
    )
    part_tmpl_id = fields.Many2one(
        "product.template", string="Part Template", required=True, ondelete="cascade", index=True
    )
    equipment_product_id = fields.Many2one(
        "product.product",
        string="Equipment Model",
        ondelete="cascade",
        index="btree_not_null",
        domain=[("is_equipment", "=", True)],
        check_company=True,
    )
    equipment_tmpl_id = fields.Many2one(
        "product.template",
        string="Equipment Template",
        ondelete="cascade",
        index="btree_not_null",
        check_company=True,
    )
    equipment_categ_id = fields.Many2one(
        "product.category",
        string="Equipment Category",
        ondelete="cascade",
        index="btree_not_null",
        help="The part fits every equipment model of this category (and its sub-categories).",
    )
    quantity = fields.Float(
        string="Quantity per Unit", default=1.0, digits="Product Unit of Measure"
    )
    position = fields.Char(string="Position / Assembly")
    note = fields.Char()
    serial_from = fields.Char(
        help="First serial number the part fits (inclusive); empty means from the first. "
        "Serials compare as a person reads them: the same prefix, then the number by its "
        "value (CH-1000 comes after CH-200; CH-0150 is CH-150)."
    )
    serial_to = fields.Char(
        help="Last serial number the part fits (inclusive); empty means up to the last."
    )
    company_id = fields.Many2one(related="part_tmpl_id.company_id", store=True, index=True)

    @api.constrains(
        "equipment_product_id", "equipment_categ_id", "serial_from", "serial_to", "quantity"
    )
    def _check_target(self):
        for compat in self:
            if compat.quantity <= 0:
                raise ValidationError(_("The quantity per unit must be positive."))
            if not compat.equipment_product_id and not compat.equipment_categ_id:
                raise ValidationError(
                    _(
                        "Choose the equipment model or the category the part %(part)s fits.",
                        part=compat.part_product_id.display_name,
                    )
                )
            if not (compat.serial_from and compat.serial_to):
                continue
            start, end = serial_parts(compat.serial_from), serial_parts(compat.serial_to)
            if start and end and start[0] != end[0]:
                raise ValidationError(
                    _(
                        "The serial range %(start)s - %(end)s mixes two series: both ends "
                        "must start alike and differ in their number.",
                        start=compat.serial_from,
                        end=compat.serial_to,
                    )
                )
            if not serial_le(compat.serial_from, compat.serial_to):
                raise ValidationError(
                    _(
                        "The serial range %(start)s - %(end)s is reversed.",
                        start=compat.serial_from,
                        end=compat.serial_to,
                    )
                )

    @api.constrains("part_product_id", "part_tmpl_id", "equipment_product_id", "equipment_tmpl_id")
    def _check_product_pairs(self):
        check_product_pair(self, "part_product_id", "part_tmpl_id")
        check_product_pair(self, "equipment_product_id", "equipment_tmpl_id")

    @api.model_create_multi
    def create(self, vals_list):
        fill_product_pair(vals_list, self.env, "part_product_id", "part_tmpl_id")
        fill_product_pair(vals_list, self.env, "equipment_product_id", "equipment_tmpl_id")
        return super().create(vals_list)

    def write(self, vals):
        fill_product_pair([vals], self.env, "part_product_id", "part_tmpl_id")
        fill_product_pair([vals], self.env, "equipment_product_id", "equipment_tmpl_id")
        return super().write(vals)

    def _matches_serial(self, serial):
        """True when the unit's serial is inside the optional range (see
        tools.serial_le); a unit without a serial is not excluded. The lookup's
        SQL (service_parts_serial_fits) applies the same rule."""
        self.ensure_one()
        if not serial:
            return True
        return serial_le(self.serial_from, serial) and serial_le(serial, self.serial_to)

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {"company_id"}
