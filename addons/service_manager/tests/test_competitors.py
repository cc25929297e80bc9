from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCompetitors(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="sm_comp_sales", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(
            cls.env, login="sm_comp_manager", groups="service_base.group_service_manager"
        )
        Partner = cls.env["res.partner"]
        cls.rival = Partner.create({"name": "Rival Heating", "is_service_competitor": True})
        cls.other_rival = Partner.create({"name": "Cheap Boilers", "is_service_competitor": True})
        cls.customer = Partner.create({"name": "Competed Customer"})
        cls.price_reason = cls.env["crm.lost.reason"].create({"name": "Too expensive"})
        cls.product = cls.env["product.product"].create(
            {"name": "Boiler installation", "type": "service", "list_price": 1000.0}
        )
        # Hand counts below: start without other deals naming a competitor.
        cls.env["crm.lead"].with_context(active_test=False).search(
            [("service_competitor_id", "!=", False)]
        ).service_competitor_id = False
        cls.env["sale.order"].search(
            [("service_competitor_id", "!=", False)]
        ).service_competitor_id = False

    def _quotation(self, amount):
        return (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "price_unit": amount, "tax_id": False}
                        )
                    ],
                }
            )
        )

    def _mark_lost(self, orders, reason, competitor=None, price=0.0):
        action = orders.action_service_mark_lost()
        form = Form(
            self.env[action["res_model"]].with_user(self.salesman).with_context(**action["context"])
        )
        form.lost_reason_id = reason
        if competitor:
            form.competitor_id = competitor
            form.competitor_price = price
        return form.save().action_mark_lost()

    def test_quotation_lost_to_a_competitor(self):
        quotation = self._quotation(1000.0)
        self._mark_lost(quotation, self.price_reason, self.rival, 850.0)
        self.assertEqual(quotation.state, "cancel")
        self.assertEqual(quotation.service_lost_reason_id, self.price_reason)
        self.assertEqual(quotation.service_competitor_id, self.rival)
        self.assertEqual(quotation.service_competitor_price, 850.0)

        confirmed = self._quotation(500.0)
        confirmed.action_confirm()
        with self.assertRaisesRegex(UserError, "not confirmed yet"):
            confirmed.action_service_mark_lost()

    def test_report_covers_opportunities_and_quotations(self):
        Lead = self.env["crm.lead"]
        lost_lead = Lead.create(
            {
                "name": "Boiler room refit",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "expected_revenue": 4000.0,
                "service_competitor_id": self.rival.id,
                "service_competitor_price": 3500.0,
            }
        )
        lost_lead.action_set_lost(lost_reason_id=self.price_reason.id)
        won_lead = Lead.create(
            {
                "name": "Second site",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "expected_revenue": 2000.0,
                "service_competitor_id": self.other_rival.id,
            }
        )
        won_lead.action_set_won()
        lost_quote = self._quotation(1000.0)
        self._mark_lost(lost_quote, self.price_reason, self.rival, 850.0)
        open_quote = self._quotation(700.0)
        open_quote.service_competitor_id = self.other_rival
        self._quotation(300.0)  # names no competitor: not in the report
        self.env.flush_all()

        Report = self.env["service.competitor.report"].with_user(self.manager)
        rows = Report.search([])
        self.assertEqual(len(rows), 4)
        by_competitor = {
            (competitor, outcome): (count, ours, theirs)
            for competitor, outcome, count, ours, theirs in Report._read_group(
                [],
                ["competitor_id", "outcome"],
                ["deal_count:sum", "our_amount:sum", "competitor_price:sum"],
            )
        }
        # Rival Heating took a 4,000 opportunity (for 3,500) and a 1,000 quotation (for 850).
        self.assertEqual(by_competitor[self.rival, "lost"], (2, 5000.0, 4350.0))
        self.assertEqual(by_competitor[self.other_rival, "won"], (1, 2000.0, 0.0))
        self.assertEqual(by_competitor[self.other_rival, "open"], (1, 700.0, 0.0))
        [(reason, count)] = Report._read_group(
            [("outcome", "=", "lost")], ["lost_reason_id"], ["__count"]
        )
        self.assertEqual((reason, count), (self.price_reason, 2))

        quote_row = rows.filtered(lambda r: r.document == "quotation" and r.outcome == "lost")
        action = quote_row.action_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("sale.order", lost_quote.id))
