from odoo import fields, models

SCHEDULE_FROM = [
    ("done", "Date Done"),
    ("schedule", "Previous Due Date"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    service_maintenance_schedule_from = fields.Selection(
        SCHEDULE_FROM,
        string="Maintenance Counted From",
        default="schedule",
        required=True,
        groups="base.group_user",
        help="Default for new maintenance plans: the next due date counted from the date "
        "the previous maintenance was done, or from its due date (a fixed schedule).",
    )
