from odoo import models

from ..rpc_context import is_suite_call, without_defaults


class IrActionsServer(models.Model):
    _inherit = "ir.actions.server"

    def run(self):
        # A server action of a suite model (a list's "Create Invoices") runs
        # in the client's context: its default_<field> keys would reach the
        # invoices, repairs and transfers it creates (see rpc_context).
        context = self.env.context
        if any(isinstance(key, str) and key.startswith("default_") for key in context) and any(
            action.model_id.model in self.env and is_suite_call(self.env[action.model_id.model])
            for action in self.sudo()
        ):
            return super(
                IrActionsServer, self.with_env(self.env(context=without_defaults(context)))
            ).run()
        return super().run()
