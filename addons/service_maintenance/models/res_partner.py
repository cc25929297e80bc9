from odoo import fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_has_maintenance = fields.Boolean(
        string="Has Maintenance Plans",
        compute="_compute_service_has_maintenance",
        search="_search_service_has_maintenance",
        groups="base.group_user",
        help="A customer some unit of which has a maintenance plan (the schedule's customers).",
    )

    def _service_maintenance_customers_sql(self):
        """The commercial partners of the active plans' customers, as a
        subquery (one scan of the plans' customer index, whatever their
        number; no plan read into the ORM)."""
        self.env["service.maintenance.plan"].flush_model(["partner_id", "active"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        return SQL(
            "(SELECT DISTINCT customer.commercial_partner_id"
            "   FROM service_maintenance_plan plan"
            "   JOIN res_partner customer ON customer.id = plan.partner_id"
            "  WHERE plan.active)"
        )

    def _compute_service_has_maintenance(self):
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) AND commercial_partner_id IN %s",
                list(self.ids),
                self._service_maintenance_customers_sql(),
            )
        )
        with_plans = {row[0] for row in self.env.cr.fetchall()}
        for partner in self:
            partner.service_has_maintenance = partner.id in with_plans

    def _search_service_has_maintenance(self, operator, value):
        positive = (operator == "=") == bool(value)
        return [
            (
                "commercial_partner_id",
                "in" if positive else "not in",
                self._service_maintenance_customers_sql(),
            )
        ]
