from odoo import models
from odoo.exceptions import UserError

from odoo.addons.service_base.tools import user_lang_env


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def write(self, vals):
        # any field: its content and record, and also who may read it
        # (public, access token, company) and what it is (type, url, mimetype)
        self._service_check_signed_reports("write", vals)
        return super().write(vals)

    def unlink(self):
        self._service_check_signed_reports("unlink")
        return super().unlink()

    def _service_check_signed_reports(self, mode, vals=None):
        """A visit's signed service report, mailed to the customer, is the
        customer's document: nobody deletes or changes it (its technician,
        as the author of its message, could delete it from the request),
        except Odoo itself (superuser: the file store's cleanup, an
        uninstall). Refused with Odoo's access error first for who may not
        touch these attachments at all (they learn no report's name)."""
        if self.env.su or not self.ids:
            return
        # sudo: whether these attachments are reports, whoever's visits they are
        visit = (
            self.env["service.visit"]
            .sudo()
            .search([("report_attachment_id", "in", self.ids)], limit=1)
        )
        if visit:
            self.check(mode, values=vals)
            raise UserError(
                user_lang_env(self.env)._(
                    "“%(report)s” is the signed service report of visit %(visit)s, mailed to "
                    "the customer: it is neither deleted nor changed.",
                    report=visit.report_attachment_id.name,
                    visit=visit.name,
                )
            )
