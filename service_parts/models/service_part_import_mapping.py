from odoo import fields, models

# (field, label, header names recognised automatically, lower-case)
IMPORT_COLUMNS = [
    (
        "col_code",
        "Supplier Code",
        ("code", "supplier code", "article", "sku", "part number", "артикул", "код"),
    ),
    ("col_name", "Name", ("name", "description", "наименование", "название")),
    (
        "col_oem",
        "OEM Number",
        ("oem", "oem code", "oem number", "manufacturer code", "оригинальный номер", "oem номер"),
    ),
    ("col_analog", "Analog Number", ("analog", "analog code", "cross", "аналог")),
    ("col_barcode", "Barcode", ("barcode", "ean", "штрихкод")),
    ("col_price", "Price", ("price", "цена")),
    ("col_currency", "Currency", ("currency", "валюта")),
    ("col_min_qty", "Minimum Quantity", ("min qty", "min_qty", "moq", "минимальная партия")),
    ("col_delay", "Lead Time (days)", ("delay", "lead time", "срок", "срок поставки")),
]


class ServicePartImportMapping(models.Model):
    _name = "service.part.import.mapping"
    _description = "Supplier Catalog Column Mapping"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Supplier", required=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    delimiter = fields.Char(default=",", size=1)
    encoding = fields.Selection(
        [("utf-8", "UTF-8"), ("cp1251", "Windows-1251")], default="utf-8", required=True
    )
    col_code = fields.Char(string="Supplier Code Column", required=True)
    col_name = fields.Char(string="Name Column")
    col_oem = fields.Char(string="OEM Number Column")
    col_analog = fields.Char(string="Analog Number Column")
    col_barcode = fields.Char(string="Barcode Column")
    col_price = fields.Char(string="Price Column", required=True)
    col_currency = fields.Char(string="Currency Column")
    col_min_qty = fields.Char(string="Minimum Quantity Column")
    col_delay = fields.Char(string="Lead Time Column")

    _sql_constraints = [
        (
            "partner_company_unique",
            "UNIQUE (partner_id, company_id)",
            "The supplier already has a column mapping in this company.",
        ),
    ]

    def _columns(self):
        """{field name: header} of the mapped columns."""
        self.ensure_one()
        return {fname: self[fname] for fname, _label, _names in IMPORT_COLUMNS if self[fname]}
