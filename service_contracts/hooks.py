from odoo.tools import SQL

# What the addon's init() creates outside the ORM on Odoo's own tables: the
# ORM drops the addon's columns and tables at uninstall, not these.
CORE_INDEXES = (
    "stock_lot_name_service_hash_index",
    "stock_move_line_service_lot_index",
    "account_move_service_contract_open_period_uniq",
)


def uninstall_hook(env):
    for name in CORE_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
