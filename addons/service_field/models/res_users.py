from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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
        groups="service_base.group_service_user",
    )

    @api.constrains("service_van_location_id", "company_ids")
    def _check_service_van_location(self):
        env = user_lang_env(self.env)
        for user in self:
            company = user.sudo().service_van_location_id.company_id
            if company and company not in user.company_ids:
                raise ValidationError(
                    env._(
                        "The van location of %(user)s belongs to %(company)s, a company "
                        "%(user)s does not work for.",
                        user=user.name,
                        company=company.name,
                    )
                )

    def action_service_create_van_location(self):
        """Create the technician's van location (an internal location under the
        warehouse of their company) unless they have one; answers True.

        Safe when two managers press it at once: the user's row is locked
        first, so the second sees the first's location and creates none."""
        env = user_lang_env(self.env)
        if not (self.env.su or self.env.user._has_group("service_base.group_service_manager")):
            raise UserError(env._("Only a service manager creates the van locations."))
        for user in self:
            if (
                user.share
                or user._is_superuser()
                or not user._has_group("service_base.group_service_user")
            ):
                raise UserError(
                    env._(
                        "%(user)s is not a service technician: only the technicians of the "
                        "service department get a van.",
                        user=user.name,
                    )
                )
            if user.company_id not in self.env.companies:
                raise UserError(
                    env._(
                        "%(user)s works for %(company)s: a service manager of that company "
                        "creates their van.",
                        user=user.name,
                        company=user.company_id.name,
                    )
                )
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
