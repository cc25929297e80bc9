{
    "name": "Service Desk: Visits in the Cockpit",
    "summary": "The labour of technicians' visits charged to the request's analytic account "
    "and counted in its cost; the unit's warranty on the visit",
    "version": "18.0.1.0.0",
    "category": "Services/Service Desk",
    "author": "Service Desk for Odoo",
    "website": "https://github.com/service-desk-odoo/service-desk",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": ["service-desk-odoo"],
    "depends": ["service_field", "service_manager"],
    "data": [
        "views/service_visit_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
