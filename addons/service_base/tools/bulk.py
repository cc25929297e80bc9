"""Batch work in a fixed number of statements: chatter notes and followers in
one INSERT each, and the ORM's own statements not split by 100 rows."""

import threading
from contextlib import contextmanager

from markupsafe import escape

from odoo import models
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

_rows_lock = threading.Lock()
_rows = {"batches": 0, "odoo": None}


@contextmanager
def whole_batch_statements(rows=10_000):
    """Let the ORM write a batch's creates and flushed updates in one
    statement per table and set of columns, up to ``rows`` rows, instead of
    one per 100 rows (``odoo.models.INSERT_BATCH_SIZE``, ``UPDATE_BATCH_SIZE``,
    module constants Odoo reads at each call and offers no other way to set).

    The ORM's work is the same (every field computed, every override run):
    only its statements are larger. While one batch runs, other transactions
    of the process write larger statements too, which changes nothing but
    their number; the first batch in raises the sizes, the last one out puts
    Odoo's back."""
    with _rows_lock:
        if not _rows["batches"]:
            _rows["odoo"] = (models.INSERT_BATCH_SIZE, models.UPDATE_BATCH_SIZE)
            models.INSERT_BATCH_SIZE = max(rows, models.INSERT_BATCH_SIZE)
            models.UPDATE_BATCH_SIZE = max(rows, models.UPDATE_BATCH_SIZE)
        _rows["batches"] += 1
    try:
        yield
    finally:
        with _rows_lock:
            _rows["batches"] -= 1
            if not _rows["batches"]:
                models.INSERT_BATCH_SIZE, models.UPDATE_BATCH_SIZE = _rows["odoo"]


def log_notes(records, bodies):
    """Log a note (plain text, escaped) on each record of ``records`` that
    ``bodies`` ({record id: text}) has one for, as Odoo's
    ``_message_log_batch`` logs them (an internal note by the current user,
    no notification), in one INSERT whatever their number; Odoo's create
    writes 100 messages per INSERT and costs most of a large batch's time.
    Returns the ids of the messages."""
    records = records.filtered(lambda r: r.id in bodies)
    if not records:
        return []
    env = records.env
    Message = env["mail.message"].sudo()
    author_id, email_from = records._message_compute_author(raise_on_email=False)
    values = Message._add_missing_default_values(
        {
            "author_id": author_id,
            "email_from": email_from,
            "model": records._name,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "record_name": False,
            "message_type": "notification",
            "is_internal": True,
            "subject": False,
            "subtype_id": env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "email_add_signature": False,
            "message_id": generate_tracking_message_id("message-notify"),
            "reply_to": env["mail.thread"]._notify_get_reply_to(default=email_from)[False],
            "create_uid": env.uid,
            "write_uid": env.uid,
            "create_date": env.cr.now(),
            "write_date": env.cr.now(),
        }
    )
    body_field = Message._fields["body"]
    columns, constants = [], []
    for name, value in sorted(values.items()):
        field = Message._fields[name]
        if not (field.store and field.column_type) or name in ("id", "res_id", "body"):
            continue
        columns.append(SQL.identifier(name))
        constants.append(SQL("%s", field.convert_to_column_insert(value, Message, values)))
    ids = [record.id for record in records]
    texts = [body_field.convert_to_column(escape(bodies[record_id]), Message) for record_id in ids]
    Message.flush_model()
    env.cr.execute(
        SQL(
            """
            INSERT INTO mail_message (%s, res_id, body)
            SELECT %s, note.res_id, note.body
              FROM unnest(%s::int4[], %s::text[]) AS note(res_id, body)
            RETURNING id
            """,
            SQL(", ").join(columns),
            SQL(", ").join(constants),
            ids,
            texts,
        )
    )
    message_ids = [row[0] for row in env.cr.fetchall()]
    # the ORM learns of the rows as if it had created them
    Message.browse(message_ids).modified(["model", "res_id"], create=True)
    records.invalidate_recordset(["message_ids"])
    return message_ids


def add_followers(records, partners):
    """Make each partner of ``partners`` ({record id: partner ids}) follow
    its record of ``records``, with the default subtypes Odoo's
    ``message_subscribe`` gives a new follower (the internal ones to users,
    the external ones to customers); an existing follower stays as it is.
    One INSERT for the batch whatever its size (Odoo's: 100 rows each).
    The caller has the right to change the records."""
    pairs = sorted(
        {
            (record_id, partner_id)
            for record_id, partner_ids in partners.items()
            if record_id in set(records.ids)
            for partner_id in partner_ids
            if partner_id
        }
    )
    if not pairs:
        return
    env = records.env
    default, __, external = env["mail.message.subtype"].default_subtypes(records._name)
    people = env["res.partner"].sudo().browse({partner_id for __, partner_id in pairs})
    people.fetch(["partner_share"])
    subtype_rows = [
        (person.id, subtype_id)
        for person in people
        for subtype_id in (external if person.partner_share else default).ids
    ]
    env["mail.followers"].flush_model()
    env.cr.execute(
        SQL(
            """
            WITH new AS (
                INSERT INTO mail_followers (res_model, res_id, partner_id)
                SELECT %s, pair.res_id, pair.partner_id
                  FROM unnest(%s::int4[], %s::int4[]) AS pair(res_id, partner_id)
                    ON CONFLICT DO NOTHING
             RETURNING id, partner_id
            )
            INSERT INTO mail_followers_mail_message_subtype_rel
                   (mail_followers_id, mail_message_subtype_id)
            SELECT new.id, kind.subtype_id
              FROM new
              JOIN unnest(%s::int4[], %s::int4[]) AS kind(partner_id, subtype_id)
                ON kind.partner_id = new.partner_id
            """,
            records._name,
            [record_id for record_id, __ in pairs],
            [partner_id for __, partner_id in pairs],
            [partner_id for partner_id, __ in subtype_rows],
            [subtype_id for __, subtype_id in subtype_rows],
        )
    )
    env["mail.followers"].invalidate_model()
    records.invalidate_recordset(["message_follower_ids", "message_partner_ids"])
