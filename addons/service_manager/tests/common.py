from odoo import Command
from odoo.tests import new_test_user


class CostCommon:
    """Cost test data: a service manager, a labour rate of 1,500 an hour and a
    part valued at a standard cost of 800 (sold at 1,400), 10 in stock."""

    @classmethod
    def _setup_costs(cls, name):
        env = cls.env
        cls.manager = new_test_user(
            env, login=f"sm_{name.lower()}_manager", groups="service_base.group_service_manager"
        )
        env.company.service_labour_rate = 1500.0
        category = env["product.category"].create(
            {"name": f"{name} parts", "property_cost_method": "standard"}
        )
        cls.part = env["product.product"].create(
            {
                "name": f"{name} Valve",
                "is_storable": True,
                "categ_id": category.id,
                "standard_price": 800.0,
                "list_price": 1400.0,
                "taxes_id": [Command.clear()],
            }
        )
        env["stock.quant"]._update_available_quantity(
            cls.part, env.ref("stock.warehouse0").lot_stock_id, 10
        )
