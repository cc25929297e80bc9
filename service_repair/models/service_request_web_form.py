import time

from markupsafe import Markup, escape
from werkzeug.urls import url_encode

from odoo import Command, api, fields, models
from odoo.tools import consteq
from odoo.tools.misc import hmac

from odoo.addons.service_base.tools import action_records

# How long the link sent to a customer to confirm a web request stays valid.
CONFIRM_HOURS = 72
CONFIRM_SCOPE = "service_repair.web_request_confirm"


# Kept apart from the intake of service_request.py, as the service centres are.
class ServiceRequest(models.Model):
    """Requests from the public web form given with the email address of an
    existing customer, by a visitor who is not logged in as that customer.

    Anyone can type anyone's address. Such a request is held: it has no
    customer (so it is on nobody's portal, has no unit and no warranty) until
    the owner of the address opens the link sent to it, which files the
    request in the customer's name. Until then the team leader has an
    activity; a link not opened in time leaves the request held for them.
    """

    _inherit = "service.request"  # pylint: disable=consider-merging-classes-inherited

    web_confirm_partner_id = fields.Many2one(
        "res.partner",
        string="Awaiting Confirmation By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer whose email address was given on the public web form: the "
        "request is filed in their name once they confirm it through the link sent "
        "to that address.",
        groups="base.group_user",
    )
    web_serial = fields.Char(
        string="Serial Given",
        readonly=True,
        copy=False,
        help="The serial number typed on the web form; its unit is linked when the "
        "customer confirms the request.",
        groups="base.group_user",
    )

    def _service_guarded_fields(self):
        return super()._service_guarded_fields() | {"web_confirm_partner_id", "web_serial"}

    @api.model
    def _web_create_held(self, partner, vals, serial):
        """Create a web request held for ``partner``'s confirmation and send
        the link to their address."""
        request = (
            action_records(self)
            .create(dict(vals, web_confirm_partner_id=partner.id, web_serial=serial or False))
            .with_env(self.env)
        )
        request._web_send_confirmation()
        return request

    def _web_is_held(self):
        self.ensure_one()
        return bool(self.web_confirm_partner_id and not self.partner_id)

    def _web_confirmation_token(self, expires):
        self.ensure_one()
        return hmac(
            self.env(su=True), CONFIRM_SCOPE, (self.id, self.web_confirm_partner_id.id, expires)
        )

    def _web_confirmation_url(self):
        self.ensure_one()
        expires = int(time.time()) + CONFIRM_HOURS * 3600
        query = url_encode({"expires": expires, "token": self._web_confirmation_token(expires)})
        return f"{self.get_base_url()}/service/request/{self.id}/confirm?{query}"

    def _web_check_confirmation(self, expires, token):
        """Whether ``token`` is this request's confirmation link and has not expired."""
        self.ensure_one()
        try:
            expires = int(expires)
        except (TypeError, ValueError):
            return False
        if not self.web_confirm_partner_id or expires < time.time() or not isinstance(token, str):
            return False
        return consteq(self._web_confirmation_token(expires), token)

    def _web_send_confirmation(self):
        self.ensure_one()
        partner = self.web_confirm_partner_id
        # In the customer's language; and no text of the visitor's in it: the
        # mail must not carry a stranger's words to the customer in our name.
        env = self.with_context(lang=partner.lang or self.env.context.get("lang")).env
        body = Markup(
            "<div><p>%(what)s</p>"
            '<p><a href="%(url)s" style="padding: 8px 16px; background-color: #875A7B; '
            'color: #fff; border-radius: 4px; text-decoration: none;">%(button)s</a></p>'
            "<p>%(ignore)s</p></div>"
        ) % {
            "what": env._(
                "Service request %(request)s was sent from our web form with this email "
                "address. Open the link within %(hours)s hours to confirm it: it is then "
                "filed on your account.",
                request=self.name,
                hours=CONFIRM_HOURS,
            ),
            "url": self._web_confirmation_url(),
            "button": env._("Confirm the request"),
            "ignore": env._(
                "If you did not send it, ignore this email: nothing is filed in your name."
            ),
        }
        # sudo: one mail with the link, to the address the visitor gave, which
        # reaches only its owner; the public user may not create mails.
        self.env["mail.mail"].sudo().create(
            {
                "subject": env._("Confirm your service request %(request)s", request=self.name),
                "body_html": body,
                "email_from": self.company_id.email_formatted or False,
                "recipient_ids": [Command.link(partner.id)],
                "model": self._name,
                "res_id": self.id,
                "auto_delete": True,
            }
        )
        leader = (
            self.team_id.user_id
            or self.company_id.service_default_team_id.user_id
            or self.env.ref("base.user_admin", raise_if_not_found=False)
        )
        self.activity_schedule(
            "service_repair.mail_activity_type_web_confirm",
            date_deadline=fields.Date.add(
                fields.Date.context_today(self), days=CONFIRM_HOURS // 24
            ),
            note=escape(
                self.env._(
                    "Sent from the web form with the email address of %(customer)s by a "
                    "visitor who was not logged in as them: held, without customer, unit or "
                    "warranty, until they confirm it through the link sent to %(email)s.",
                    customer=partner.display_name,
                    email=partner.email or "",
                )
            ),
            user_id=leader.id or self.env.uid,
        )

    def _web_confirm(self):
        """File the held request in the name of the customer who confirmed it,
        with their unit when the serial given is one of theirs."""
        self.ensure_one()
        partner = self.web_confirm_partner_id
        vals = {"partner_id": partner.id}
        unit = self.env["service.equipment"]
        if self.web_serial:
            unit = unit.search(
                [
                    ("lot_id.name", "=", self.web_serial),
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        if unit:
            vals.update(equipment_id=unit.id, team_id=self.team_id.id or unit.team_id.id)
        action_records(self).write(vals)
        self.activity_unlink(["service_repair.mail_activity_type_web_confirm"])
        self.message_post(
            author_id=partner.id,
            body=self.env._(
                "Confirmed by %(customer)s through the link sent to %(email)s.",
                customer=partner.display_name,
                email=partner.email or "",
            ),
        )
        return True
