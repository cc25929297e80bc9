from odoo import _, models
from odoo.exceptions import UserError


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

    def _service_check_chargeable(self, document, sources=None):
        """Refuse this account (one or none) for ``document``'s costs unless
        the current user may charge them there.

        The suite charges labour to a document's analytic account with sudo
        (service staff keep no analytic items), so who sets the account decides
        where the money goes: an account of another company never; an account
        of the Service plan, or one of ``sources`` (what the document's own
        documents give it: a request's contract's or team's), for anyone who
        may change the document; any other account only for users who may
        write analytic items themselves. Checked when the account is set on a
        document, and again before the labour is charged.
        """
        account = self.sudo()
        if not account or self.env.su:
            return
        company = document.company_id
        if account.company_id and company and account.company_id != company:
            raise UserError(
                _(
                    "%(document)s cannot be charged to %(account)s: the analytic account "
                    "belongs to another company.",
                    document=document.display_name,
                    account=account.display_name,
                )
            )
        if account in (sources or self.browse()).sudo() or account._service_in_service_plan():
            return
        if self.env["account.analytic.line"].has_access("create"):
            return
        raise UserError(
            _(
                "%(document)s cannot be charged to %(account)s: it is not an analytic account "
                "of the service, nor of the document's contract or team. Only users who keep "
                "the analytic accounts may choose it.",
                document=document.display_name,
                account=account.display_name,
            )
        )

    def _service_in_service_plan(self):
        """Whether this account is of the suite's Service plan (or one of its sub-plans)."""
        self.ensure_one()
        plan = self.env.ref("service_manager.analytic_plan_service", raise_if_not_found=False)
        if not plan:
            return False
        plan = plan.sudo()
        return (self.sudo().plan_id.parent_path or "").startswith(plan.parent_path)
