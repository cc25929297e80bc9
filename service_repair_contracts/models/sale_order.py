from odoo import api, models

from odoo.addons.service_base.tools import lock_for_update


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # Lines created with the order may come before its link to the repair.
        orders._service_apply_contract_cover()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if "repair_order_ids" in vals:
            self._service_apply_contract_cover()
        return res

    def _action_confirm(self):
        res = super()._action_confirm()
        # Confirmed, the order's covered lines take their share of the cap for good.
        self._service_apply_contract_cover()
        return res

    def _service_apply_contract_cover(self):
        """Set what the contracts of these repair quotations pay on their lines.

        A confirmed order takes its share of the yearly cap for good: the
        contracts are locked first, so that two repairs confirmed at once do not
        both take what is left.
        """
        orders = self.filtered(lambda o: o.repair_order_ids and o.state != "cancel")
        if not orders:
            return
        lines = orders.order_line
        confirmed = orders.filtered(lambda o: o.state == "sale")
        if confirmed:
            contracts = confirmed.repair_order_ids.service_contract_id.filtered("yearly_cap")
            lock_for_update(contracts.sorted("id"))
        lines._service_apply_contract_cover()
