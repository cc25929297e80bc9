from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    service_skill_ids = fields.Many2many(
        "service.skill",
        "service_skill_res_users_rel",
        "user_id",
        "skill_id",
        string="Service Skills",
        help="What this technician can repair.",
        groups="base.group_user",
    )
    service_team_ids = fields.Many2many(
        "service.team",
        "service_team_member_rel",
        "user_id",
        "team_id",
        string="Service Teams",
        groups="base.group_user",
    )

    def _service_who_can_repair(self, product):
        """The technicians of ``self`` whose skills cover ``product``'s
        category (or a parent): ``_service_can_repair`` for a batch, without
        a query per technician."""
        category = product.categ_id
        if not category:
            return self.browse()
        self.env["product.category"].flush_model(["parent_path"])
        lineage = {int(part) for part in category.parent_path.split("/") if part}
        self.fetch(["service_skill_ids"])
        self.service_skill_ids.fetch(["product_category_ids"])
        return self.filtered(
            lambda user: not lineage.isdisjoint(user.service_skill_ids.product_category_ids.ids)
        )

    def _service_can_repair(self, product):
        """Whether this technician's skills cover ``product``'s category (or a parent)."""
        self.ensure_one()
        category = product.categ_id
        if not category:
            return False
        self.env["product.category"].flush_model(["parent_path"])
        skill_categories = self.service_skill_ids.product_category_ids
        return bool(skill_categories) and any(
            category.parent_path.startswith(skill_category.parent_path)
            for skill_category in skill_categories
        )
