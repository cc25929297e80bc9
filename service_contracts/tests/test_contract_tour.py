from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestContractTour(HttpCase):
    def test_contract_from_opportunity_to_first_invoice(self):
        customer = self.env["res.partner"].create(
            {"name": "Tour Contract Customer", "is_company": True}
        )
        self.env["product.product"].create(
            {"name": "Tour Maintenance Plan", "type": "service", "list_price": 450.0}
        )
        lead = self.env["crm.lead"].create(
            {"name": "Tour service deal", "type": "opportunity", "partner_id": customer.id}
        )
        self.start_tour(
            f"/odoo/action-crm.crm_lead_action_pipeline/{lead.id}",
            "service_contract_tour",
            login="admin",
            timeout=180,
        )
        contract = self.env["service.contract"].search([("opportunity_id", "=", lead.id)])
        self.assertEqual(contract.state, "active")
        self.assertEqual(contract.partner_id, customer)
        self.assertEqual(len(contract.invoice_ids), 1)
        self.assertEqual(contract.invoice_ids.amount_untaxed, 450.0)
        self.assertEqual(contract.invoice_ids.partner_id, customer)
        self.start_tour("/odoo/service-contracts", "service_contract_menu_tour", login="admin")
