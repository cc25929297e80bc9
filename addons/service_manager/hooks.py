from odoo.tools import SQL

# The dashboard's covering indexes on service_request, created by init():
# service_request is service_repair's table, which stays when this addon goes.
# Those including a column of this addon go with the column; the open backlog's
# index holds only columns of service_repair and service_repair_contracts and
# would stay behind.
KPI_INDEXES = (
    "service_request_open_kpi_index",
    "service_request_create_date_kpi_index",
    "service_request_date_closed_kpi_index",
)


def uninstall_hook(env):
    for name in KPI_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
    # The competitors' report is a view of this addon's model: the ORM drops it.
