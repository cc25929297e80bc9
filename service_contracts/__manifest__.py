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
        "views/menus.xml",
    ],
    "installable": True,
}
