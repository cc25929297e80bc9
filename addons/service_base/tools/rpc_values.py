"""Checks of the values RPC clients pass to the suite's public methods.

The web client sends what a form holds; an RPC client may send anything. These
turn a value into what the method needs or refuse it with a ``UserError`` in
the caller's language, instead of a ``TypeError`` deep inside the method.

``label`` names the parameter in the message: pass a lazy translation
(``LazyTranslate(__name__)("Quantity")``) so that a valid value costs nothing.
"""

import math

from odoo import fields, models
from odoo.exceptions import UserError

from .lang import user_lang_env
from .plural import count_text

MAX_ID = 2**31 - 1


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def rpc_record(env, model, value, label, must_exist=True):
    """The record of ``model`` that ``value`` designates (a record, an id or
    a string of digits), or an empty recordset for an empty value; it must
    exist (else an empty recordset when ``must_exist`` is False). Access
    rights and record rules apply when it is read."""
    if isinstance(value, models.BaseModel):
        if value._name != model or len(value) > 1:
            raise UserError(
                user_lang_env(env)._(
                    "%(label)s: expected one record, got %(value)s.", label=label, value=value
                )
            )
        return value
    if value is None or value is False or value == "":
        return env[model]
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise UserError(
            user_lang_env(env)._(
                "%(label)s: %(value)s is not a record id.", label=label, value=_shown(value)
            )
        )
    record = env[model].browse(value)
    if must_exist and not record.exists():
        raise UserError(
            user_lang_env(env)._(
                "%(label)s: record %(value)s does not exist.", label=label, value=value
            )
        )
    return record


def rpc_records(env, model, values, label):
    """The records of ``model`` that each of ``values`` designates, as
    ``rpc_record`` gives them (an empty recordset for an empty value), their
    existence checked in one query for all."""
    records = [rpc_record(env, model, value, label, must_exist=False) for value in values]
    ids = {record.id for record in records if record}
    found = set(env[model].browse(ids).exists().ids)
    for record in records:
        if record and record.id not in found:
            raise UserError(
                user_lang_env(env)._(
                    "%(label)s: record %(value)s does not exist.", label=label, value=record.id
                )
            )
    return records


def rpc_number(env, value, label, minimum=None, maximum=None, default=None):
    """``value`` as a finite float within [minimum, maximum]; ``default`` for
    an empty value when one is given."""
    if default is not None and (value is None or value is False or value == ""):
        return default
    try:
        if isinstance(value, bool):
            raise TypeError
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise UserError(
            user_lang_env(env)._(
                "%(label)s: %(value)s is not a number.", label=label, value=_shown(value)
            )
        )
    if minimum is not None and number < minimum or maximum is not None and number > maximum:
        raise UserError(
            user_lang_env(env)._(
                "%(label)s must be between %(minimum)s and %(maximum)s.",
                label=label,
                minimum=minimum if minimum is not None else "-∞",
                maximum=maximum if maximum is not None else "∞",
            )
        )
    return number


def rpc_date(env, value, label):
    """``value`` (a date or an ISO date string) as a date; False for an empty value."""
    if not value:
        return False
    try:
        date = fields.Date.to_date(value) if isinstance(value, str) else value
        if isinstance(date, str) or not hasattr(date, "year"):
            raise ValueError
        return fields.Date.to_date(date)
    except (TypeError, ValueError):
        raise UserError(
            user_lang_env(env)._(
                "%(label)s: %(value)s is not a date (expected YYYY-MM-DD).",
                label=label,
                value=_shown(value),
            )
        ) from None


def rpc_datetime(env, value, label):
    """``value`` (a datetime or a string "YYYY-MM-DD HH:MM:SS", UTC as Odoo's
    RPC gives datetimes) as a naive UTC datetime; False for an empty value."""
    if not value:
        return False
    try:
        if isinstance(value, str):
            moment = fields.Datetime.to_datetime(value.strip())
        elif hasattr(value, "hour"):
            moment = fields.Datetime.to_datetime(value)
        else:
            raise ValueError
        return moment
    except (TypeError, ValueError):
        raise UserError(
            user_lang_env(env)._(
                "%(label)s: %(value)s is not a date and time (expected YYYY-MM-DD HH:MM:SS, UTC).",
                label=label,
                value=_shown(value),
            )
        ) from None


def rpc_selection(records, vals, names):
    """Refuse a value of the selection fields ``names`` in ``vals`` that is
    not one of the field's keys with a ``UserError`` naming the field and the
    keys (the ORM answers a bare ``ValueError``, untranslated)."""
    env = records.env
    for name in names:
        value = vals.get(name)
        if value is None or value is False:
            continue
        field = records._fields[name]
        keys = [key for key, _label in field._description_selection(env)]
        if value not in keys:
            raise UserError(
                user_lang_env(env)._(
                    "%(label)s: %(value)s is not one of %(keys)s.",
                    label=field._description_string(user_lang_env(env)),
                    value=_shown(value),
                    keys=", ".join(keys),
                )
            )


def rpc_text(env, value, label, max_length=None):
    """``value`` as a string (empty for an empty value), at most ``max_length`` long.

    NUL characters are dropped: PostgreSQL refuses them in any text, and
    psycopg2 would answer with a ValueError before any query runs. Text that
    is not valid Unicode (a lone UTF-16 surrogate such as ``"\\ud800"``, which
    JSON lets a client send) is refused: it cannot be encoded for the
    database, nor for the answer.
    """
    if value is None or value is False:
        return ""
    if not isinstance(value, str):
        raise UserError(
            user_lang_env(env)._(
                "%(label)s: %(value)s is not a text.", label=label, value=_shown(value)
            )
        )
    check_unicode(env, value, label)
    if max_length and len(value) > max_length:
        lang_env = user_lang_env(env)
        forms = lang_env._("character|characters")
        raise UserError(
            lang_env._(
                "%(label)s is too long (%(length)s, at most %(max)s).",
                label=label,
                length=count_text(lang_env, len(value), forms),
                max=max_length,
            )
        )
    return value.replace("\x00", "")


def check_unicode(env, value, label):
    """Refuse a text that is not valid Unicode (lone UTF-16 surrogates) with
    a ``UserError``; the message does not echo the text (an answer carrying
    the surrogate could not be encoded either)."""
    if value.isascii():
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise UserError(
            user_lang_env(env)._(
                "%(label)s is not valid Unicode text (a lone surrogate character at position "
                "%(position)s): send the text in UTF-8.",
                label=label,
                position=error.start + 1,
            )
        ) from None
