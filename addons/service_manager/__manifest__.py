{
    "name": "Service Desk: Manager's Cockpit",
    "summary": "The service manager's cockpit: demonstrations, meetings, quality control, satisfaction, cost and revenue control, workload forecast, competitors, KPI dashboard",
    "version": "18.0.1.0.0",
    "category": "Services/Service Desk",
    "author": "Service Desk for Odoo",
    "website": "https://github.com/service-desk-odoo/service-desk",
    "license": "LGPL-3",
    "depends": [
        "service_repair",
        "service_parts",
        "service_contracts",
        "calendar",
        "spreadsheet_dashboard",
    ],
    "data": [
        "views/menus.xml",
    ],
    "installable": True,
}
