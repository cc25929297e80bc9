"""Reading on Odoo's read-only replica from a request that also writes."""

import logging

import psycopg2.errors

_logger = logging.getLogger(__name__)


def on_replica(env, func):
    """``func(env)`` on a read-only cursor, its result: on the replica that
    odoo.conf names (``db_replica_host``/``db_replica_port``), else on
    ``env`` itself (no second connection to the primary).

    For a route that must write a little on the primary (a rate-limit
    counter) and can answer the rest from the replica: Odoo's ``readonly``
    route argument chooses one cursor for the whole request. ``func`` gets
    ``env`` on the read-only cursor (same user, context and superuser mode)
    and must return plain values, no recordset: that cursor is closed when it
    returns. Should ``func`` write, PostgreSQL refuses the statement (a
    standby, or a read-only transaction) and ``func`` runs again on ``env``,
    as Odoo retries a read-only route on a read/write cursor.
    """
    registry = env.registry
    # in test mode, registry.cursor(readonly=True) is the test's cursor in a
    # read-only savepoint: the same checks as on a replica
    if registry._db_readonly is None and not registry.in_test_mode():
        return func(env)
    try:
        # commits on leaving: a write left in the ORM's cache is flushed, and
        # refused, here too
        with registry.cursor(readonly=True) as cr:
            return func(env(cr=cr))
    except psycopg2.errors.ReadOnlySqlTransaction as error:
        _logger.warning("%s, retrying with a read/write cursor", error.args[0].rstrip())
        return func(env)
