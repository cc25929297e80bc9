from odoo import models


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    def _service_add_to_distribution(self, distribution):
        """``distribution`` with this account at 100 % of its plan.

        Kept as it is when it already charges an account of this account's
        plan (a distribution model, or the user, decided).
        """
        self.ensure_one()
        distribution = dict(distribution or {})
        accounts = self.browse(
            int(account_id) for key in distribution for account_id in key.split(",")
        ).exists()
        if self.root_plan_id not in accounts.root_plan_id:
            distribution[str(self.id)] = 100.0
        return distribution
