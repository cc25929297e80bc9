{
    "name": "Service Desk: Field Service Visits",
    "summary": "Visits (выезды) of technicians to customers' sites for service requests: "
    "booked without conflicts, inside working hours, found by the first free slots",
    "version": "18.0.1.0.0",
    "category": "Services/Service Desk",
    "author": "Service Desk for Odoo",
    "website": "https://github.com/service-desk-odoo/service-desk",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": ["service-desk-odoo"],
    "depends": ["service_repair", "resource", "web_timeline"],
    "data": [
        "security/ir.model.access.csv",
        "security/service_field_security.xml",
        "data/ir_sequence_data.xml",
        "wizards/service_slot_wizard_views.xml",
        "views/service_visit_views.xml",
        "views/service_request_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/service_visit_demo.xml"],
    "installable": True,
}
