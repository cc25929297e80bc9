from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import check_product_pair, fill_product_pair


class ServicePartSubstitute(models.Model):
    _name = "service.part.substitute"
    _inherit = ["service.guarded.mixin"]
    _description = "Spare Part Substitute"
    _order = "product_tmpl_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product", string="Part", required=True, ondelete="cascade", index=True
    )
    product_tmpl_id = fields.Many2one(
        "product.template", string="Part Template", required=True, ondelete="cascade", index=True
    )
    substitute_id = fields.Many2one(
        "product.product", required=True, ondelete="cascade", index=True, check_company=True
    )
    direction = fields.Selection(
        [("one_way", "One-way"), ("two_way", "Two-way")],
        required=True,
        default="one_way",
        help="One-way: the part may be replaced by the substitute. "
        "Two-way: either may replace the other.",
    )
    is_supersession = fields.Boolean(
        string="Supersedes",
        help="The part is discontinued and superseded by the substitute: the lookup "
        "follows such chains (A → B → C) to the current part.",
    )
    note = fields.Char()
    company_id = fields.Many2one(related="product_tmpl_id.company_id", store=True, index=True)

    _sql_constraints = [
        (
            "substitute_unique",
            "UNIQUE (product_id, substitute_id)",
            "This substitute is already recorded for the part.",
        ),
        (
            "substitute_not_self",
            "CHECK (product_id <> substitute_id)",
            "A part cannot substitute itself.",
        ),
    ]

    @api.constrains("product_id", "substitute_id", "direction", "is_supersession")
    def _check_no_cycle(self):
        for sub in self:
            if sub.is_supersession and sub.direction == "two_way":
                raise ValidationError(
                    _(
                        "A supersession goes one way: %(part)s is replaced by %(new)s.",
                        part=sub.product_id.display_name,
                        new=sub.substitute_id.display_name,
                    )
                )
            reverse = self.search_count(
                [
                    ("product_id", "=", sub.substitute_id.id),
                    ("substitute_id", "=", sub.product_id.id),
                ]
            )
            if reverse:
                raise ValidationError(
                    _(
                        "%(new)s already replaces %(part)s the other way: use one two-way "
                        "substitute instead of two records.",
                        part=sub.product_id.display_name,
                        new=sub.substitute_id.display_name,
                    )
                )
            if sub.direction == "one_way" and sub._reaches(sub.substitute_id, sub.product_id):
                raise ValidationError(
                    _(
                        "%(new)s already leads back to %(part)s through other substitutes: "
                        "the chain would be a cycle.",
                        part=sub.product_id.display_name,
                        new=sub.substitute_id.display_name,
                    )
                )

    def _reaches(self, start, target):
        # A recursive walk of the one-way graph; the ORM has no recursive query.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH RECURSIVE chain(product_id, path) AS (
                    SELECT %(start)s, ARRAY[%(start)s]
                    UNION ALL
                    SELECT s.substitute_id, chain.path || s.substitute_id
                      FROM service_part_substitute s
                      JOIN chain ON s.product_id = chain.product_id
                     WHERE s.direction = 'one_way'
                       AND NOT s.substitute_id = ANY(chain.path)
                )
                SELECT 1 FROM chain WHERE product_id = %(target)s LIMIT 1
                """,
                start=start.id,
                target=target.id,
            )
        )
        return bool(self.env.cr.fetchone())

    @api.constrains("product_id", "product_tmpl_id")
    def _check_product_pair(self):
        check_product_pair(self, "product_id", "product_tmpl_id")

    @api.model_create_multi
    def create(self, vals_list):
        fill_product_pair(vals_list, self.env, "product_id", "product_tmpl_id")
        return super().create(vals_list)

    def write(self, vals):
        fill_product_pair([vals], self.env, "product_id", "product_tmpl_id")
        return super().write(vals)

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {"company_id"}

    @api.model
    def _supersession_chains(self, products):
        """{product id: [ids of the parts that supersede it, in order]} in one query."""
        if not products:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH RECURSIVE chain(origin, product_id, depth, path) AS (
                    SELECT s.product_id, s.substitute_id, 1, ARRAY[s.product_id, s.substitute_id]
                      FROM service_part_substitute s
                     WHERE s.is_supersession AND s.product_id = ANY(%(ids)s)
                    UNION ALL
                    SELECT chain.origin, s.substitute_id, chain.depth + 1,
                           chain.path || s.substitute_id
                      FROM service_part_substitute s
                      JOIN chain ON s.product_id = chain.product_id
                     WHERE s.is_supersession AND NOT s.substitute_id = ANY(chain.path)
                )
                SELECT origin, product_id FROM chain ORDER BY origin, depth
                """,
                ids=list(products.ids),
            )
        )
        chains = {}
        for origin, product_id in self.env.cr.fetchall():
            chains.setdefault(origin, []).append(product_id)
        return chains
