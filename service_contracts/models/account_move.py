from odoo import fields, models
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    service_contract_id = fields.Many2one(
        "service.contract",
        index="btree_not_null",
        copy=False,
        readonly=True,
        check_company=True,
    )
    service_period_start = fields.Date(
        string="Contract Period Start",
        copy=False,
        readonly=True,
        help="First day of the contract period this invoice bills.",
    )
    service_period_end = fields.Date(string="Contract Period End", copy=False, readonly=True)

    def init(self):
        res = super().init()
        # The ORM cannot declare a partial unique index. This one makes the
        # recurring invoicing idempotent even across concurrent transactions:
        # one customer invoice per contract and period, whatever runs twice.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS account_move_service_contract_period_uniq
                    ON account_move (service_contract_id, service_period_start)
                 WHERE service_contract_id IS NOT NULL
                   AND service_period_start IS NOT NULL
                   AND move_type = 'out_invoice'
                """
            )
        )
        return res

    def action_view_service_contract(self):
        self.ensure_one()
        return self.service_contract_id._get_formview_action()
