{
    "name": "Service Desk: Requests and Repairs",
    "summary": "Intake and dispatch of service requests, external service centres, repair forms and printed acts",
    "version": "18.0.1.0.0",
    "category": "Services/Service Desk",
    "author": "Service Desk for Odoo",
    "website": "https://github.com/service-desk-odoo/service-desk",
    "license": "LGPL-3",
    "depends": ["service_base", "repair", "sale_management", "rating", "portal"],
    "data": [
        "views/menus.xml",
    ],
    "installable": True,
}
