from odoo import Command
from odoo.tests import TransactionCase, new_test_user


def done_transfer(env, lots, picking_type, source, destination, partner):
    """A done transfer of serials ``lots`` (one product) from ``source`` to
    ``destination``, a move line per serial."""
    product = lots.product_id
    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": len(lots),
                        "product_uom": product.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    move = picking.move_ids
    move.move_line_ids.unlink()
    env["stock.move.line"].create(
        [
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": product.id,
                "product_uom_id": product.uom_id.id,
                "lot_id": lot.id,
                "quantity": 1,
                "location_id": source.id,
                "location_dest_id": destination.id,
            }
            for lot in lots
        ]
    )
    move.picked = True
    picking._action_done()
    return picking


class WarrantyCommon:
    """Warranty test data: a serial-tracked model, its policy, a customer, a vendor."""

    @classmethod
    def _setup_warranty(cls):
        env = cls.env
        # One time zone for every user of these tests, as for a company's staff:
        # the demo zone of the user running them (Brussels) would put his
        # "today" a day ahead of the test users' (UTC) near midnight UTC.
        env.user.tz = "UTC"
        cls.company = env.company
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.customer_location = env.ref("stock.stock_location_customers")
        cls.supplier_location = env.ref("stock.stock_location_suppliers")
        cls.category = env["product.category"].create({"name": "Warranty Test Boilers"})
        cls.model = env["product.product"].create(
            {
                "name": "Warranty Boiler WB-1",
                "categ_id": cls.category.id,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
                "standard_price": 400.0,
                "list_price": 1000.0,
            }
        )
        cls.policy = env["service.warranty.policy"].create(
            {
                "name": "Test boilers: 24 months",
                "categ_id": cls.category.id,
                "months": 24,
                "start_on": "delivery",
                "supplier_months": 12,
                "replacement_warranty": "continue",
            }
        )
        cls.customer = env["res.partner"].create(
            {"name": "Warranty Customer LLC", "is_company": True}
        )
        cls.customer_contact = env["res.partner"].create(
            {"name": "Anna Buyer", "parent_id": cls.customer.id, "email": "anna@example.com"}
        )
        cls.other_customer = env["res.partner"].create({"name": "Someone Else", "is_company": True})
        cls.vendor = env["res.partner"].create({"name": "Boiler Works GmbH", "is_company": True})
        cls.service_user = new_test_user(
            env, login="wc_user", groups="service_base.group_service_user", name="Claim User"
        )
        cls.service_user_2 = new_test_user(
            env, login="wc_user2", groups="service_base.group_service_user", name="Second User"
        )
        cls.service_manager = new_test_user(
            env,
            login="wc_manager",
            groups="service_base.group_service_manager,account.group_account_invoice",
            name="Claim Manager",
        )

    @classmethod
    def _lots(cls, prefix, count, product=None):
        product = product or cls.model
        return cls.env["stock.lot"].create(
            [
                {
                    "name": f"{prefix}-{i:05d}",
                    "product_id": product.id,
                    "company_id": cls.company.id,
                }
                for i in range(count)
            ]
        )

    @classmethod
    def _transfer(cls, lots, picking_type, source, destination, partner):
        return done_transfer(cls.env, lots, picking_type, source, destination, partner)

    @classmethod
    def _receive(cls, lots, vendor=None):
        return cls._transfer(
            lots, cls.warehouse.in_type_id, cls.supplier_location, cls.stock, vendor or cls.vendor
        )

    @classmethod
    def _deliver(cls, lots, partner=None):
        return cls._transfer(
            lots,
            cls.warehouse.out_type_id,
            cls.stock,
            cls.customer_location,
            partner or cls.customer_contact,
        )

    def _sold_and_invoiced(self, lot, date_order=None, invoice_date=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                **({"date_order": date_order} if date_order else {}),
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.model.id,
                            "product_uom_qty": 1,
                            "price_unit": 1000.0,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        if date_order:
            order.date_order = date_order
        picking = order.picking_ids
        picking.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": picking.move_ids.id,
                "picking_id": picking.id,
                "product_id": self.model.id,
                "product_uom_id": self.model.uom_id.id,
                "lot_id": lot.id,
                "quantity": 1,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
            }
        )
        picking.move_ids.picked = True
        picking._action_done()
        invoice = order._create_invoices()
        if invoice_date:
            invoice.invoice_date = invoice_date
        invoice.action_post()
        return order, invoice


class WarrantyCase(WarrantyCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_warranty()
