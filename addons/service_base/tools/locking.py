"""Row locks that make "create the one X for this Y" actions safe in parallel."""

from odoo.tools import SQL


def lock_for_update(records):
    """Lock the rows of ``records`` as a write does, before an action checks
    that the document it creates for them does not exist yet.

    Odoo's transactions run in REPEATABLE READ: a ``SELECT ... FOR UPDATE``
    waits for a concurrent action that only locked the row, then goes on with
    a snapshot that does not see the document that action created. An UPDATE
    marks the row as changed instead: the second action's UPDATE waits for
    the first, then fails with a serialization error once the first commits
    (at once if it committed after the second's snapshot). The server
    (``odoo.service.model.retrying``, for RPC and HTTP) retries it with a
    fresh snapshot, where its own check sees the first one's document and
    refuses with its message.
    """
    if not records.ids:
        return
    records.flush_recordset()
    # The ORM cannot lock a row; a no-op update of the key takes the row lock
    # of a write (FOR NO KEY UPDATE: rows referencing it are not blocked)
    # without changing a value, the cache or the write date.
    records.env.cr.execute(
        SQL(
            "UPDATE %s SET id = id WHERE id IN %s",
            SQL.identifier(records._table),
            tuple(records.ids),
        ),
        # a concurrent action's commit is retried, not a bad query
        log_exceptions=False,
    )
