from odoo import fields, models


class ServiceSkill(models.Model):
    _name = "service.skill"
    _description = "Service Skill"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    product_category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Equipment of these categories (and their sub-categories) "
        "can be repaired with this skill.",
    )
    user_ids = fields.Many2many(
        "res.users",
        "service_skill_res_users_rel",
        "skill_id",
        "user_id",
        string="Technicians",
        domain=[("share", "=", False)],
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A skill with this name already exists."),
    ]
