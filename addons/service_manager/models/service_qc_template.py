from odoo import fields, models


class ServiceQcTemplate(models.Model):
    _name = "service.qc.template"
    _description = "Quality Control Checklist Template"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Repairs of products in these categories (and sub-categories) use this "
        "checklist; empty means every repair.",
    )
    item_ids = fields.One2many(
        "service.qc.template.item", "template_id", string="Checks", copy=True
    )
    require_other_user = fields.Boolean(
        string="Four-Eyes Check",
        default=True,
        help="The checklist must be completed by someone other than the repair's "
        "responsible technician.",
    )

    def _applies_to(self, product):
        self.ensure_one()
        if not self.product_categ_ids:
            return True
        path = product.categ_id.parent_path or ""
        return any(path.startswith(categ.parent_path) for categ in self.product_categ_ids)

    def _for_repair(self, repair):
        """The first active template (by sequence) that applies to ``repair``."""
        self.env["product.category"].flush_model(["parent_path"])
        templates = self.search(
            [("company_id", "in", [False, repair.company_id.id])], order="sequence, id"
        )
        return next((t for t in templates if t._applies_to(repair.product_id)), self.browse())


class ServiceQcTemplateItem(models.Model):
    _name = "service.qc.template.item"
    _description = "Quality Control Check Item"
    _order = "sequence, id"

    template_id = fields.Many2one(
        "service.qc.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check Item", required=True, translate=True)
    mandatory = fields.Boolean(default=True)
