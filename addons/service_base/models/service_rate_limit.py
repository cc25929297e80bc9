import hashlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Uses per key within a minute, unless ir.config_parameter
# ``service_base.rate_limit.<scope>`` says otherwise (0 switches the limit off).
DEFAULT_LIMITS = {
    "warranty_check": 10,
    "request_form": 5,
    "portal_post": 10,
}
WINDOW = timedelta(minutes=1)


class ServiceRateLimit(models.Model):
    """How often a visitor used a public form within the current minute.

    The counter lives in the database, so that it holds across HTTP workers
    and servers: one row per scope and key, counted atomically. Only a hash
    of the key (an IP address, a user id) is stored.
    """

    _name = "service.rate.limit"
    _description = "Public Form Rate Limit"
    _log_access = False

    scope = fields.Char(required=True)
    key_hash = fields.Char(required=True)
    window_start = fields.Datetime(required=True, index=True)
    count = fields.Integer(required=True, default=0)

    _sql_constraints = [
        ("scope_key_uniq", "unique(scope, key_hash)", "One counter per scope and key."),
    ]

    @api.model
    def _limit(self, scope):
        """Uses allowed per minute in ``scope`` (0: no limit)."""
        param = self.env["ir.config_parameter"].sudo().get_param(f"service_base.rate_limit.{scope}")
        try:
            return int(param) if param else DEFAULT_LIMITS.get(scope, 0)
        except ValueError:
            return DEFAULT_LIMITS.get(scope, 0)

    @api.model
    def _hit(self, scope, key):
        """Count one use of ``scope`` by ``key``; False once the limit is passed.

        The window opens at the key's first use and lasts a minute. A refused
        use counts too, so that hammering does not open the gate.
        """
        limit = self._limit(scope)
        if limit <= 0:
            return True
        now = fields.Datetime.now()
        key_hash = hashlib.sha256(str(key or "").encode()).hexdigest()
        # The ORM has no atomic upsert: a search then a write would let two
        # workers both read the old count; this counts in one statement.
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO service_rate_limit AS counter (scope, key_hash, window_start, count)
                VALUES (%(scope)s, %(key)s, %(now)s, 1)
                ON CONFLICT (scope, key_hash) DO UPDATE SET
                    count = CASE WHEN counter.window_start <= %(expired)s
                                 THEN 1 ELSE counter.count + 1 END,
                    window_start = CASE WHEN counter.window_start <= %(expired)s
                                        THEN EXCLUDED.window_start ELSE counter.window_start END
                RETURNING count
                """,
                scope=scope,
                key=key_hash,
                now=now,
                expired=now - WINDOW,
            )
        )
        return self.env.cr.fetchone()[0] <= limit

    @api.autovacuum
    def _gc_old_windows(self):
        self.search([("window_start", "<", fields.Datetime.now() - timedelta(hours=1))]).unlink()
