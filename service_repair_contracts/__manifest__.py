{
    "name": "Service Desk: Requests under Contracts and Warranty",
    "summary": "Service requests take their deadlines from the contract's SLA; repairs "
    "follow the warranty and the contract's coverage",
    "version": "18.0.1.0.0",
    "category": "Services/Service Desk",
    "author": "Service Desk for Odoo",
    "website": "https://github.com/service-desk-odoo/service-desk",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": ["service-desk-odoo"],
    "depends": ["service_repair", "service_contracts"],
    "data": [
        "data/service_request_sla_data.xml",
        "views/service_request_views.xml",
        "views/service_contract_views.xml",
        "views/repair_order_views.xml",
        "views/service_warranty_portal_templates.xml",
        "report/repair_order_templates.xml",
    ],
    "demo": ["demo/service_request_sla_demo.xml"],
    "auto_install": True,
    "installable": True,
}
