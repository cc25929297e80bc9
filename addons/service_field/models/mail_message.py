from odoo import models

# what makes a message another one than the one that was mailed
MAILED_FIELDS = {"body", "subject", "attachment_ids", "model", "res_id"}


class MailMessage(models.Model):
    _inherit = "mail.message"

    def write(self, vals):
        # its text and attachments are what the customer received (its
        # author rewrote the body and took the report off over XML-RPC)
        if not self.env.su and MAILED_FIELDS & set(vals):
            self._service_check_signed_reports("write")
        return super().write(vals)

    def unlink(self):
        # the message that mailed a visit's signed report stays with it (its
        # author, the technician, deleted it from the request's chatter)
        if not self.env.su:
            self._service_check_signed_reports()
        return super().unlink()

    def _service_check_signed_reports(self, mode="unlink"):
        """Refuse (UserError) when one of these messages carries a visit's
        signed service report."""
        # sudo: the attachments of the messages, whoever may read them
        self.sudo().attachment_ids.with_env(self.env)._service_check_signed_reports(mode)
