{
    "name": "Service Desk: Contracts and Warranty",
    "summary": "Service contracts with SLAs and recurring invoicing, warranty policies and check, warranty claims and claims back to suppliers, deal tracking",
    "version": "18.0.1.0.0",
    "category": "Services/Service Desk",
    "author": "Service Desk for Odoo",
    "website": "https://github.com/service-desk-odoo/service-desk",
    "license": "LGPL-3",
    "depends": [
        "service_base",
        "sale_management",
        "sale_stock",
        "sale_crm",
        "purchase_stock",
        "account",
        "repair",
    ],
    "data": [
        "security/ir.model.access.csv",
        # Contracts
        "security/service_contracts_contract_security.xml",
        "data/service_contract_data.xml",
        "views/service_contract_views.xml",
        "views/service_sla_policy_views.xml",
        "views/service_deal_document_views.xml",
        "views/crm_lead_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "views/service_equipment_contract_views.xml",
        "views/service_contract_portal_templates.xml",
        # /Contracts
        "views/menus.xml",
    ],
    "demo": [
        # Contracts
        "demo/service_contract_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            # Contracts
            "service_contracts/static/tests/tours/service_contract_tour.js",
        ],
    },
    "installable": True,
}
