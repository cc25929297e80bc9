"""Days of the user's calendar as the UTC datetimes the database stores."""

from datetime import datetime, time

import pytz


def user_tz(env):
    """The time zone of the context or the user, UTC when unknown (as
    ``fields.Date.context_today`` falls back)."""
    try:
        return pytz.timezone(env.context.get("tz") or env.user.tz or "UTC")
    except pytz.UnknownTimeZoneError:
        return pytz.UTC


def local_midnights_utc(env, days):
    """Midnight at the start of each of ``days`` in the user's time zone, as
    naive UTC datetimes: each at its own UTC offset (daylight saving)."""
    tz = user_tz(env)
    return [
        tz.localize(datetime.combine(day, time.min)).astimezone(pytz.UTC).replace(tzinfo=None)
        for day in days
    ]
