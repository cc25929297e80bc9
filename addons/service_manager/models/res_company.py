from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# A bound far above any technician's hourly cost: beyond it, a typing error.
MAX_LABOUR_RATE = 1_000_000
TARGET_FIELDS = (
    "service_target_sla",
    "service_target_csat",
    "service_target_first_time_fix",
    "service_target_parts_fill",
    "service_target_qc_pass",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    service_rework_days = fields.Integer(
        string="Rework Window (days)",
        default=30,
        help="A new request on a unit within this many days of a finished repair "
        "counts as rework of that repair.",
        groups="base.group_user",
    )
    service_labour_rate = fields.Monetary(
        string="Labour Rate per Hour",
        currency_field="currency_id",
        help="Cost of one hour of a technician's work, for the cost of repairs.",
        groups="base.group_user",
    )
    service_weekly_hours = fields.Float(
        string="Technician Hours per Week",
        default=40.0,
        help="Capacity of one technician, to weigh the workload forecast.",
        groups="base.group_user",
    )
    service_hours_per_request = fields.Float(
        string="Hours per Request",
        default=4.0,
        help="Average time a request takes, to turn the forecast into hours.",
        groups="base.group_user",
    )

    # Targets of the dashboard's figures, in percent: a figure at its target
    # shows green, within 10 points of it amber, further off red.
    service_target_sla = fields.Float(
        string="SLA Target (%)",
        default=90.0,
        help="Share of requests answered and resolved within the SLA that the service aims at.",
        groups="base.group_user",
    )
    service_target_csat = fields.Float(
        string="Satisfaction Target (%)",
        default=85.0,
        help="Share of ratings of 4 or 5 out of 5 that the service aims at.",
        groups="base.group_user",
    )
    service_target_first_time_fix = fields.Float(
        string="First-Time Fix Target (%)",
        default=85.0,
        help="Share of repairs that are not a comeback; the rework target is the rest.",
        groups="base.group_user",
    )
    service_target_parts_fill = fields.Float(
        string="Parts Fill Rate Target (%)",
        default=90.0,
        help="Share of repair parts served from stock that the warehouse aims at.",
        groups="base.group_user",
    )
    service_target_qc_pass = fields.Float(
        string="Quality Check Target (%)",
        default=95.0,
        help="Share of completed quality checks that pass, which the workshop aims at.",
        groups="base.group_user",
    )

    @api.constrains(
        "service_target_sla",
        "service_target_csat",
        "service_target_first_time_fix",
        "service_target_parts_fill",
        "service_target_qc_pass",
    )
    def _check_service_targets(self):
        for company in self:
            for name in TARGET_FIELDS:
                if not 0 <= company[name] <= 100:
                    raise ValidationError(
                        _(
                            'The target "%(target)s" must be between 0 and 100 %%.',
                            target=self._fields[name]._description_string(self.env),
                        )
                    )

    @api.constrains("service_labour_rate")
    def _check_service_labour_rate(self):
        for company in self:
            if not 0 <= company.service_labour_rate <= MAX_LABOUR_RATE:
                raise ValidationError(
                    _(
                        "The labour rate of %(company)s must be between 0 and %(maximum)s an hour.",
                        company=company.name,
                        maximum=MAX_LABOUR_RATE,
                    )
                )
