from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_deadline_hours_0 = fields.Integer(
        string="Resolution Time, Normal (hours)", default=72, groups="base.group_user"
    )
    service_deadline_hours_1 = fields.Integer(
        string="Resolution Time, High (hours)", default=24, groups="base.group_user"
    )
    service_deadline_hours_2 = fields.Integer(
        string="Resolution Time, Urgent (hours)", default=8, groups="base.group_user"
    )

    # Which kinds of requests ask the customer for a rating when they are done
    # (the stage's rating template): a one-minute phone answer does not.
    service_rating_consultation = fields.Boolean(
        string="Rate Consultations", default=False, groups="base.group_user"
    )
    service_rating_repair = fields.Boolean(
        string="Rate Repairs", default=True, groups="base.group_user"
    )
    service_rating_maintenance = fields.Boolean(
        string="Rate Maintenance", default=True, groups="base.group_user"
    )
    service_rating_installation = fields.Boolean(
        string="Rate Installations", default=True, groups="base.group_user"
    )
    service_rating_demonstration = fields.Boolean(
        string="Rate Demonstrations", default=False, groups="base.group_user"
    )
    service_rating_complaint = fields.Boolean(
        string="Rate Complaints", default=True, groups="base.group_user"
    )

    def _service_rates(self, request_type):
        """Whether a done request of ``request_type`` asks for a rating."""
        self.ensure_one()
        return bool(self[f"service_rating_{request_type}"])
