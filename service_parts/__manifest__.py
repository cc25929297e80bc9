{
    "name": "Service Desk: Spare Parts Catalog",
    "summary": "Electronic parts catalog: compatibility, cross-references, substitutes, fast lookup, availability, supplier offers, parts requirements, catalog import",
    "version": "18.0.1.0.0",
    "category": "Services/Service Desk",
    "author": "Service Desk for Odoo",
    "website": "https://github.com/service-desk-odoo/service-desk",
    "license": "LGPL-3",
    "depends": ["service_base", "repair", "purchase_stock", "queue_job"],
    "data": [
        "views/menus.xml",
    ],
    "installable": True,
}
