from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ServiceWarrantyPolicy(models.Model):
    _name = "service.warranty.policy"
    _description = "Warranty Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    product_id = fields.Many2one(
        "product.product",
        index=True,
        check_company=True,
        help="The policy applies to this product; it wins over a category policy.",
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        index=True,
        help="The policy applies to the products of this category and its subcategories.",
    )
    months = fields.Integer(string="Warranty (months)", required=True, default=12)
    start_on = fields.Selection(
        [
            ("delivery", "Delivery date"),
            ("sale", "Sale date"),
            ("invoice", "Invoice date"),
            ("installation", "Installation date"),
        ],
        string="Clock Starts On",
        required=True,
        default="delivery",
        help="Installation date: the unit's installation date when it is known, "
        "otherwise the delivery date; a later installation date moves the warranty.",
    )
    cover_labour = fields.Boolean(string="Covers Labour", default=True)
    cover_parts = fields.Boolean(string="Covers Parts", default=True)
    supplier_months = fields.Integer(
        string="Supplier Warranty (months)",
        help="How long the supplier answers for the unit, counted from its receipt; "
        "while it runs, a claim can be passed back to the supplier.",
    )
    replacement_warranty = fields.Selection(
        [("continue", "Continues the original warranty"), ("restart", "Restarts")],
        string="Replacement Unit Warranty",
        required=True,
        default="continue",
    )
    note = fields.Text(string="Terms", translate=True)

    _sql_constraints = [
        ("months_positive", "CHECK(months > 0)", "The warranty must last at least one month."),
        (
            "supplier_months_positive",
            "CHECK(supplier_months >= 0)",
            "The supplier warranty cannot be negative.",
        ),
    ]

    @api.constrains("product_id", "categ_id", "months")
    def _check_scope(self):
        for policy in self:
            if not policy.product_id and not policy.categ_id:
                raise ValidationError(
                    _(
                        "Warranty policy %(policy)s needs a product or a category.",
                        policy=policy.name,
                    )
                )

    @api.model
    def _find_for_products(self, products, company=None):
        """Map each product to its policy: the product's own, else its nearest category's.

        One search for every product at once, whatever their number.
        """
        company = company or self.env.company
        policies = self.search(
            [
                ("company_id", "in", [company.id, False]),
                "|",
                ("product_id", "in", products.ids),
                ("categ_id", "parent_of", products.categ_id.ids),
            ]
        )
        by_product = {}
        by_categ = {}
        for policy in policies:
            if policy.product_id:
                by_product.setdefault(policy.product_id.id, policy)
            else:
                by_categ.setdefault(policy.categ_id.id, policy)
        result = {}
        for product in products:
            policy = by_product.get(product.id)
            if not policy:
                # parent_path "1/4/9/": the nearest category comes last.
                for categ_id in reversed(product.categ_id.parent_path.split("/")[:-1]):
                    policy = by_categ.get(int(categ_id))
                    if policy:
                        break
            result[product] = policy or self.browse()
        return result
