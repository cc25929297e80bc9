from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.service_base.tools import lock_for_update, user_lang_env


class ResUsers(models.Model):
    _inherit = "res.users"

    service_van_location_id = fields.Many2one(
        "stock.location",
        string="Van Location",
        domain="[('usage', '=', 'internal')]",
        help="The stock the technician carries in their van: parts used on a visit are "
        "taken from here when the visit is finished. Replenished by ordinary internal "
        "transfers.",
        groups="base.group_user",
    )

    def action_service_create_van_location(self):
        """Create the technician's van location (an internal location under the
        warehouse of their company) unless they have one; answers True.

        Safe when two managers press it at once: the user's row is locked
        first, so the second sees the first's location and creates none."""
        env = user_lang_env(self.env)
        if not (self.env.su or self.env.user._has_group("service_base.group_service_manager")):
            raise UserError(env._("Only a service manager creates the van locations."))
        lock_for_update(self)
        self.invalidate_recordset(["service_van_location_id"])
        # sudo: stock locations are kept by the warehouse managers; the service
        # manager creates only this internal location under the warehouse.
        Location = self.env["stock.location"].sudo()
        for user in self.filtered(lambda u: not u.service_van_location_id):
            company = user.company_id
            warehouse = (
                self.env["stock.warehouse"]
                .sudo()
                .search([("company_id", "=", company.id)], limit=1)
            )
            if not warehouse:
                raise UserError(
                    env._(
                        "%(company)s has no warehouse: the van of %(user)s needs one to belong to.",
                        company=company.name,
                        user=user.name,
                    )
                )
            location = Location.create(
                {
                    "name": env._("Van: %(user)s", user=user.name),
                    "usage": "internal",
                    "location_id": warehouse.view_location_id.id,
                    "company_id": company.id,
                }
            )
            user.sudo().service_van_location_id = location
        return True
