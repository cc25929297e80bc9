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
        # Warranty
        "security/ir.model.access.csv",
        "security/service_contracts_security.xml",
        "data/service_warranty_data.xml",
        "views/service_warranty_policy_views.xml",
        "views/service_warranty_claim_views.xml",
        "views/service_supplier_claim_views.xml",
        "views/service_warranty_stock_views.xml",
        "views/service_warranty_portal_templates.xml",
        "report/service_warranty_claim_reports.xml",
        "report/service_warranty_claim_templates.xml",
        # Shared
        "views/menus.xml",
    ],
    "demo": [
        # Warranty
        "demo/service_warranty_demo.xml",
    ],
    "assets": {
        # Warranty
        "web.assets_tests": ["service_contracts/static/tests/tours/*.js"],
    },
    "installable": True,
}
