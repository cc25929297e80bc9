from odoo import _, api, fields, models


class ServiceVisit(models.Model):
    _inherit = "service.visit"

    service_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    service_labour_hours = fields.Float(
        string="Labour Hours",
        compute="_compute_service_labour_hours",
        store=True,
        help="Travel time and time on site of the visit done.",
    )
    service_labour_cost = fields.Monetary(
        string="Labour Cost",
        compute="_compute_service_labour_hours",
        store=True,
        currency_field="service_currency_id",
        help="Labour hours times the company's labour rate when the visit was finished; "
        "charged to the request's analytic account.",
        groups="base.group_user",
    )
    # The unit's warranty, as the warranty check answers it (service_contracts).
    service_warranty_label = fields.Char(
        related="equipment_id.service_warranty_label", string="Warranty"
    )
    service_in_warranty = fields.Boolean(
        related="equipment_id.service_in_warranty", string="In Warranty"
    )

    @api.depends("state", "travel_hours", "onsite_hours", "company_id")
    def _compute_service_labour_hours(self):
        for visit in self:
            if visit.state != "done":
                visit.service_labour_hours = visit.service_labour_cost = 0.0
                continue
            visit.service_labour_hours = visit.travel_hours + visit.onsite_hours
            visit.service_labour_cost = (
                visit.service_labour_hours * visit.company_id.service_labour_rate
            )

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {
            "service_labour_hours",
            "service_labour_cost",
        }

    def _service_visits_finished(self):
        result = super()._service_visits_finished()
        self._service_sync_labour_analytic()
        return result

    def _service_analytic_sources(self):
        """The accounts the visit's request gives it (its own, its contract's, its team's)."""
        self.ensure_one()
        # sudo: the accounts are read only to compare them with the one charged.
        request = self.sudo().request_id
        return (
            request.analytic_account_id
            | request.contract_id.analytic_account_id
            | request.team_id.analytic_account_id
        ).sudo(False)

    def _service_sync_labour_analytic(self):
        """Charge the labour of done visits to their request's analytic account,
        as a repair's labour is: at the company's labour rate, one line per
        visit (updated, never doubled, when it is synchronised again)."""
        no_account = self.env["account.analytic.account"]
        self.env["account.analytic.line"]._service_sync_labour(
            self,
            "service_visit_id",
            lambda visit: (
                # sudo: the request's account is read to charge it, checked
                # by _service_sync_labour against who finishes the visit.
                visit.sudo().request_id.analytic_account_id.sudo(False)
                if visit.state == "done"
                else no_account,
                visit.service_labour_cost,
                visit.service_labour_hours,
            ),
        )

    def _prepare_analytic_line_values(self, account_field_values, amount, unit_amount):
        """Values of a labour analytic line (called by _perform_analytic_distribution)."""
        self.ensure_one()
        return {
            "name": _("Labour: %(visit)s", visit=self.name),
            "date": (self.date_departure or fields.Datetime.now()).date(),
            "amount": amount,
            "unit_amount": unit_amount,
            "product_uom_id": self.env.ref("uom.product_uom_hour").id,
            "partner_id": self.partner_id.id,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
            "ref": f"{self.name} ({self.request_id.name})",
            "category": "other",
            "service_visit_id": self.id,
            **account_field_values,
        }
