from odoo.tests import TransactionCase, new_test_user


class ServiceRepairCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "service_deadline_hours_0": 72,
                "service_deadline_hours_1": 24,
                "service_deadline_hours_2": 8,
            }
        )
        cls.categ_boilers = cls.env["product.category"].create({"name": "SR Boilers"})
        cls.categ_climate = cls.env["product.category"].create({"name": "SR Climate"})
        cls.boiler = cls._equipment_model("SR Boiler B-1", cls.categ_boilers)
        cls.aircon = cls._equipment_model("SR Aircon A-1", cls.categ_climate)
        cls.skill_boilers = cls.env["service.skill"].create(
            {"name": "SR boilers", "product_category_ids": [(6, 0, cls.categ_boilers.ids)]}
        )
        cls.skill_climate = cls.env["service.skill"].create(
            {"name": "SR climate", "product_category_ids": [(6, 0, cls.categ_climate.ids)]}
        )
        cls.tech_boilers = new_test_user(
            cls.env,
            login="sr_tech_b",
            name="Tech Boilers",
            groups="service_base.group_service_user",
        )
        cls.tech_boilers2 = new_test_user(
            cls.env,
            login="sr_tech_b2",
            name="Tech Boilers 2",
            groups="service_base.group_service_user",
        )
        cls.tech_climate = new_test_user(
            cls.env,
            login="sr_tech_c",
            name="Tech Climate",
            groups="service_base.group_service_user",
        )
        (cls.tech_boilers | cls.tech_boilers2).service_skill_ids = cls.skill_boilers
        cls.tech_climate.service_skill_ids = cls.skill_climate
        cls.manager = new_test_user(
            cls.env, login="sr_manager", groups="service_base.group_service_manager"
        )
        cls.team = cls.env["service.team"].create(
            {
                "name": "SR Team",
                "member_ids": [
                    (6, 0, (cls.tech_boilers | cls.tech_boilers2 | cls.tech_climate).ids)
                ],
            }
        )
        # other rules (demo data) must not interfere
        cls.env["service.dispatch.rule"].search([]).active = False
        cls.customer = cls.env["res.partner"].create(
            {"name": "SR Customer", "is_company": True, "email": "sr.customer@example.com"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "SR Other Customer", "is_company": True}
        )
        cls.unit = cls._unit("SR-BOILER-001", cls.boiler, cls.customer)
        cls.aircon_unit = cls._unit("SR-AIR-001", cls.aircon, cls.customer)
        cls.Request = cls.env["service.request"]

    @classmethod
    def _equipment_model(cls, name, categ):
        return cls.env["product.product"].create(
            {
                "name": name,
                "categ_id": categ.id,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )

    @classmethod
    def _unit(cls, serial, product, partner):
        lot = cls.env["stock.lot"].create(
            {"name": serial, "product_id": product.id, "company_id": cls.company.id}
        )
        return cls.env["service.equipment"].create(
            {"product_id": product.id, "lot_id": lot.id, "partner_id": partner.id}
        )
