from odoo import api, fields, models
from odoo.osv import expression

from ..tools import or_as_union

# Catalog rows need the part's variant, which exists only once the template is created.
_DEFERRED = (
    "service_crossref_ids",
    "service_fits_ids",
    "service_spare_part_ids",
    "service_substitute_ids",
)


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_spare_part = fields.Boolean(
        string="Spare Part",
        help="The product is a spare part: it has cross-reference numbers, "
        "fits equipment models and is found by the parts lookup.",
    )
    manufacturer_id = fields.Many2one("res.partner", index="btree_not_null")
    manufacturer_part_number = fields.Char(index=True)
    service_crossref_ids = fields.One2many(
        "service.part.crossref", "product_tmpl_id", string="Cross-references"
    )
    service_fits_ids = fields.One2many("service.part.compatibility", "part_tmpl_id", string="Fits")
    service_spare_part_ids = fields.One2many(
        "service.part.compatibility", "equipment_tmpl_id", string="Spare Parts"
    )
    service_substitute_ids = fields.One2many(
        "service.part.substitute", "product_tmpl_id", string="Substitutes"
    )

    @api.model
    def _search_display_name(self, operator, value):
        # The template's name or one of its variants' (a sale line's product
        # picker searches templates): each through its own indexes.
        domain = super()._search_display_name(operator, value)
        if operator not in expression.NEGATIVE_TERM_OPERATORS:
            domain = or_as_union(self, domain)
        return domain

    @api.model_create_multi
    def create(self, vals_list):
        deferred = [{f: vals.pop(f) for f in _DEFERRED if f in vals} for vals in vals_list]
        templates = super().create(vals_list)
        for template, extra in zip(templates, deferred, strict=True):
            if extra:
                template.write(extra)
        return templates
