import hashlib
from datetime import timedelta

from odoo import api, fields, models


class ServiceWarrantyCheck(models.Model):
    """One use of the public warranty page, kept briefly to rate-limit it per IP.

    Only a hash of the address is stored, never the serial asked for. The
    counter lives in the database so that it holds across workers.
    """

    _name = "service.warranty.check"
    _description = "Public Warranty Check"
    _log_access = False

    ip_hash = fields.Char(required=True, index=True)
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)

    RATE_LIMIT = 10
    RATE_WINDOW = timedelta(minutes=1)

    @api.model
    def _hash_ip(self, ip):
        return hashlib.sha256((ip or "").encode()).hexdigest()

    @api.model
    def _register_and_allow(self, ip):
        """Count one check from ``ip``; False when it went over the limit."""
        ip_hash = self._hash_ip(ip)
        since = fields.Datetime.now() - self.RATE_WINDOW
        recent = self.search_count([("ip_hash", "=", ip_hash), ("date", ">=", since)])
        if recent >= self.RATE_LIMIT:
            return False
        self.create({"ip_hash": ip_hash})
        return True

    @api.autovacuum
    def _gc_old_checks(self):
        self.search([("date", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
