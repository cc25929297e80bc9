from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.service_base.tools import user_lang_env


class ServiceVisitCheck(models.Model):
    """One item of a visit's checklist, as the technician answered it.

    Copied from the checklist when the visit arrives on site: its text and
    whether it is mandatory are the checklist's (set by the copy only), the
    technician ticks it and may note what they found while on site.
    """

    _name = "service.visit.check"
    _description = "Visit Checklist Line"
    _inherit = ["service.guarded.mixin"]
    _order = "visit_id, sequence, id"

    visit_id = fields.Many2one("service.visit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    item_id = fields.Many2one(
        "service.checklist.item", string="Checklist Item", ondelete="set null", readonly=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check Item", required=True, readonly=True)
    mandatory = fields.Boolean(readonly=True)
    done = fields.Boolean()
    note = fields.Char()

    def _service_guarded_fields(self):
        guarded = super()._service_guarded_fields() | {
            "visit_id",
            "item_id",
            "sequence",
            "name",
            "mandatory",
        }
        if any(check.visit_id.state != "on_site" for check in self):
            # Answered on site: before the arrival there is nothing to answer,
            # after the departure the answers are the visit's record.
            guarded |= {"done", "note"}
        return guarded

    def write(self, vals):
        self._service_check_on_site({"done", "note"} & set(vals))
        return super().write(vals)

    def unlink(self):
        if not self._service_guarded_free() and not self.env.user._has_group(
            "service_base.group_service_manager"
        ):
            raise UserError(
                _("Only a service manager removes items from the checklist of a visit.")
            )
        return super().unlink()

    def _service_check_on_site(self, names):
        """Refuse answering the items of a visit that is not on site, in words
        the technician understands (the guarded mixin would name fields)."""
        if not names or self._service_guarded_free():
            return
        env = user_lang_env(self.env)
        for visit in self.visit_id:
            if visit.state != "on_site":
                raise UserError(
                    env._(
                        "The checklist of visit %(visit)s is answered on site, between "
                        "arriving and finishing.",
                        visit=visit.name,
                    )
                )

    @api.model
    def _service_prepare_from_items(self, visit, items):
        return [
            {
                "visit_id": visit.id,
                "item_id": item.id,
                "sequence": item.sequence,
                "name": item.with_context(lang=visit.user_id.lang or self.env.lang).name,
                "mandatory": item.mandatory,
            }
            for item in items
        ]
