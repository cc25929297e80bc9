import io
import re
import zipfile

from odoo.tests import TransactionCase, new_test_user


def xlsx(rows):
    """An XLSX workbook of ``rows`` (the header first), as bytes."""
    import openpyxl  # noqa: PLC0415

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rezip(data, change):
    """The zip ``data`` with each member's content replaced by
    ``change(name, content)`` (None drops the member)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for name in old.namelist():
            content = change(name, old.read(name))
            if content is not None:
                new.writestr(name, content)
    return out.getvalue()


def broken_workbooks(header):
    """Workbooks with ``header`` and a few hundred lines, damaged the ways
    files come back from the field, each failing where openpyxl reads it:
    {what: (bytes, whether the header row is still readable)}."""
    data = xlsx([header, *([f"BW-{i}"] + ["1"] * (len(header) - 1) for i in range(400))])
    sheet = "xl/worksheets/sheet1.xml"

    def cut_in(marker):
        def change(name, content):
            if name != sheet:
                return content
            return content[: content.index(marker) + len(marker) + 10]

        return change

    # A wrong checksum of the sheet: zipfile says so when it reaches the end
    # of the sheet, while openpyxl is still yielding the rows it parsed.
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        crc = book.getinfo(sheet).CRC.to_bytes(4, "little")
    bad_crc = data.replace(crc, bytes(b ^ 0xFF for b in crc))
    return {
        "no worksheet": (
            _rezip(
                data,
                lambda name, content: (
                    None
                    if name == sheet
                    else re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", content)
                    if name == "xl/workbook.xml"
                    else content
                ),
            ),
            False,
        ),
        "XML cut in the header": (_rezip(data, cut_in(b'<row r="1"')), False),
        "XML cut after the header": (_rezip(data, cut_in(b'<row r="2"')), True),
        "wrong checksum": (bad_crc, True),
        "truncated file": (data[: len(data) // 2], False),
    }


class ServicePartsCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.rub = cls.env.ref("base.RUB")
        cls.eur = cls.env.ref("base.EUR")
        (cls.rub | cls.eur).active = True
        today = "2000-01-01"
        cls.env["res.currency.rate"].search(
            [("currency_id", "in", (cls.rub | cls.eur | cls.company.currency_id).ids)]
        ).unlink()
        cls.env["res.currency.rate"].create(
            [
                {"currency_id": cls.rub.id, "name": today, "rate": 100.0},
                {"currency_id": cls.eur.id, "name": today, "rate": 0.5},
                {"currency_id": cls.company.currency_id.id, "name": today, "rate": 1.0},
            ]
        )
        cls.manufacturer = cls.env["res.partner"].create({"name": "Maker Co", "is_company": True})
        cls.supplier_rub = cls.env["res.partner"].create(
            {"name": "Rouble Parts", "is_company": True}
        )
        cls.supplier_eur = cls.env["res.partner"].create({"name": "Euro Parts", "is_company": True})
        cls.categ_boilers = cls.env["product.category"].create({"name": "Test Boilers"})
        cls.categ_gas = cls.env["product.category"].create(
            {"name": "Gas Boilers", "parent_id": cls.categ_boilers.id}
        )
        cls.model = cls.env["product.product"].create(
            {
                "name": "Test Boiler TB-1",
                "categ_id": cls.categ_gas.id,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        cls.other_model = cls.env["product.product"].create(
            {"name": "Other Boiler OB-9", "type": "consu", "is_equipment": True}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Customer A", "is_company": True})
        lot = cls.env["stock.lot"].create(
            {"name": "TB1-0500", "product_id": cls.model.id, "company_id": cls.company.id}
        )
        cls.unit = cls.env["service.equipment"].create(
            {"product_id": cls.model.id, "lot_id": lot.id, "partner_id": cls.customer.id}
        )
        cls.service_user = new_test_user(
            cls.env, login="sp_user", groups="service_base.group_service_user"
        )
        cls.service_manager = new_test_user(
            cls.env,
            login="sp_manager",
            groups="service_base.group_service_manager,purchase.group_purchase_user,"
            "sales_team.group_sale_salesman,stock.group_stock_manager",
        )

    @classmethod
    def _part(cls, name, code, **vals):
        return cls.env["product.product"].create(
            dict(
                {
                    "name": name,
                    "default_code": code,
                    "type": "consu",
                    "is_storable": True,
                    "is_spare_part": True,
                },
                **vals,
            )
        )

    @classmethod
    def _crossref(cls, part, code, code_type="oem", partner=None):
        return cls.env["service.part.crossref"].create(
            {
                "product_id": part.id,
                "code": code,
                "code_type": code_type,
                "partner_id": partner and partner.id,
            }
        )

    @classmethod
    def _stock(cls, part, qty, location=None):
        cls.env["stock.quant"]._update_available_quantity(part, location or cls.stock_location, qty)

    @classmethod
    def _seller(cls, part, partner, price, currency, delay=1, min_qty=0):
        return cls.env["product.supplierinfo"].create(
            {
                "partner_id": partner.id,
                "product_tmpl_id": part.product_tmpl_id.id,
                "price": price,
                "currency_id": currency.id,
                "delay": delay,
                "min_qty": min_qty,
            }
        )
