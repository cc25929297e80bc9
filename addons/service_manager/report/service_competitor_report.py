from odoo import fields, models, tools
from odoo.tools import SQL


class ServiceCompetitorReport(models.Model):
    """Opportunities and quotations where a competitor was met, in one table:
    what we offered, what they asked, why we lost and who won."""

    _name = "service.competitor.report"
    _description = "Deals by Competitor"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"

    document = fields.Selection(
        [("opportunity", "Opportunity"), ("quotation", "Quotation")], readonly=True
    )
    name = fields.Char(string="Reference", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    order_id = fields.Many2one("sale.order", string="Quotation", readonly=True)
    competitor_id = fields.Many2one("res.partner", readonly=True)
    lost_reason_id = fields.Many2one("crm.lost.reason", readonly=True)
    outcome = fields.Selection([("won", "Won"), ("lost", "Lost"), ("open", "Open")], readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(readonly=True)
    our_amount = fields.Monetary(
        string="Our Price", readonly=True, help="Untaxed, in company currency."
    )
    competitor_price = fields.Monetary(
        string="Competitor's Price", readonly=True, help="Untaxed, in company currency, if known."
    )
    deal_count = fields.Integer(string="Deals", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # Two document models in one table: the ORM has no UNION.
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT lead.id * 2 AS id,
                           'opportunity' AS document,
                           lead.name AS name,
                           lead.id AS lead_id,
                           NULL::integer AS order_id,
                           lead.service_competitor_id AS competitor_id,
                           lead.lost_reason_id AS lost_reason_id,
                           CASE WHEN stage.is_won THEN 'won'
                                WHEN NOT lead.active THEN 'lost'
                                ELSE 'open' END AS outcome,
                           lead.partner_id AS partner_id,
                           lead.user_id AS user_id,
                           lead.company_id AS company_id,
                           COALESCE(
                               company.currency_id,
                               (SELECT currency_id FROM res_company ORDER BY id LIMIT 1)
                           ) AS currency_id,
                           COALESCE(lead.date_closed, lead.create_date)::date AS date,
                           lead.expected_revenue AS our_amount,
                           NULLIF(lead.service_competitor_price, 0) AS competitor_price,
                           1 AS deal_count
                      FROM crm_lead lead
                      LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                      LEFT JOIN res_company company ON company.id = lead.company_id
                     WHERE lead.service_competitor_id IS NOT NULL
                    UNION ALL
                    SELECT so.id * 2 + 1 AS id,
                           'quotation' AS document,
                           so.name AS name,
                           so.opportunity_id AS lead_id,
                           so.id AS order_id,
                           so.service_competitor_id AS competitor_id,
                           so.service_lost_reason_id AS lost_reason_id,
                           CASE so.state WHEN 'sale' THEN 'won'
                                         WHEN 'cancel' THEN 'lost'
                                         ELSE 'open' END AS outcome,
                           so.partner_id AS partner_id,
                           so.user_id AS user_id,
                           so.company_id AS company_id,
                           company.currency_id AS currency_id,
                           so.date_order::date AS date,
                           so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                               AS our_amount,
                           NULLIF(so.service_competitor_price, 0)
                               / COALESCE(NULLIF(so.currency_rate, 0), 1) AS competitor_price,
                           1 AS deal_count
                      FROM sale_order so
                      JOIN res_company company ON company.id = so.company_id
                     WHERE so.service_competitor_id IS NOT NULL
                )
                """,
                SQL.identifier(self._table),
            )
        )

    def action_open_document(self):
        """Open the opportunity or quotation behind this line."""
        self.ensure_one()
        record = self.order_id or self.lead_id
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "views": [(False, "form")],
            "target": "current",
        }
