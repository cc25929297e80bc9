from odoo.tests import TransactionCase, new_test_user


class ServiceContractCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.customer = cls.env["res.partner"].create(
            {"name": "Contract Customer LLC", "is_company": True, "email": "cc@example.com"}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Contact of Contract Customer", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Customer LLC", "is_company": True}
        )
        cls.equipment_model = cls.env["product.product"].create(
            {
                "name": "Contract Boiler CB-1",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
                "list_price": 5000.0,
            }
        )
        cls.service_product = cls.env["product.product"].create(
            {
                "name": "Boiler Maintenance Plan",
                "type": "service",
                "list_price": 300.0,
                "taxes_id": [(5, 0, 0)],
            }
        )
        cls.unit = cls._unit("CB-0001", cls.customer_contact)
        cls.other_unit = cls._unit("CB-0002", cls.other_customer)
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Contract Test 40h", "tz": "UTC"}
        )
        cls.sla = cls.env["service.sla.policy"].create(
            {
                "name": "Test SLA",
                "calendar_id": cls.calendar.id,
                "paused_stage_names": "Waiting for Customer, Waiting for Parts",
                "line_ids": [
                    (0, 0, {"priority": "1", "response_hours": 8, "resolution_hours": 24}),
                    (0, 0, {"priority": "3", "response_hours": 1, "resolution_hours": 8}),
                ],
            }
        )
        cls.service_user = new_test_user(
            cls.env, login="sc_user", groups="service_base.group_service_user"
        )
        cls.service_manager = new_test_user(
            cls.env, login="sc_manager", groups="service_base.group_service_manager"
        )

    @classmethod
    def _unit(cls, serial, partner):
        lot = cls.env["stock.lot"].create(
            {"name": serial, "product_id": cls.equipment_model.id, "company_id": cls.company.id}
        )
        return cls.env["service.equipment"].create(
            {"product_id": cls.equipment_model.id, "lot_id": lot.id, "partner_id": partner.id}
        )

    @classmethod
    def _contract(cls, **vals):
        values = {
            "partner_id": cls.customer.id,
            "date_start": "2027-01-01",
            "date_end": "2027-12-31",
            "sla_policy_id": cls.sla.id,
            "line_ids": [
                (0, 0, {"equipment_id": cls.unit.id}),
                (0, 0, {"product_id": cls.service_product.id, "price_unit": 300.0}),
            ],
        }
        values.update(vals)
        return cls.env["service.contract"].create(values)
