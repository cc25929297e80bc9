from odoo import models
from odoo.exceptions import UserError

from odoo.addons.service_base.tools import user_lang_env

# what makes an attachment another document (its name, content or record)
DOCUMENT_FIELDS = {"name", "datas", "raw", "db_datas", "store_fname", "res_model", "res_id"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def write(self, vals):
        if DOCUMENT_FIELDS & set(vals):
            self._service_check_signed_reports()
        return super().write(vals)

    def unlink(self):
        self._service_check_signed_reports()
        return super().unlink()

    def _service_check_signed_reports(self):
        """A visit's signed service report, mailed to the customer, is the
        customer's document: nobody deletes or changes it (its technician,
        as the author of its message, could delete it from the request)."""
        if self.env.su or not self.ids:
            return
        # sudo: whether these attachments are reports, whoever's visits they are
        visit = (
            self.env["service.visit"]
            .sudo()
            .search([("report_attachment_id", "in", self.ids)], limit=1)
        )
        if visit:
            raise UserError(
                user_lang_env(self.env)._(
                    "“%(report)s” is the signed service report of visit %(visit)s, mailed to "
                    "the customer: it is neither deleted nor changed.",
                    report=visit.report_attachment_id.name,
                    visit=visit.name,
                )
            )
