import logging

from markupsafe import escape

from odoo import _, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.service_base.tools import upload_limit, upload_size

_logger = logging.getLogger(__name__)

MAX_DESCRIPTION = 5000
MAX_NAME = 128
MAX_SUBJECT = 200
MAX_EMAIL = 254
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_SIZE = 5 * 1024 * 1024


def request_upload_limit(controller):
    # The largest body the request forms accept: a larger one is refused
    # before Odoo parses it (see service_base.tools.uploads).
    return upload_limit(MAX_ATTACHMENTS, MAX_ATTACHMENT_SIZE)


def read_attachments(uploads):
    """Read uploaded files within the limits: ([(name, bytes)], error or None).
    The number and the sizes are checked before any file is read."""
    uploads = [upload for upload in uploads if upload and upload.filename]
    if len(uploads) > MAX_ATTACHMENTS:
        return [], _("At most %(count)s files can be attached.", count=MAX_ATTACHMENTS)
    for upload in uploads:
        if upload_size(upload) > MAX_ATTACHMENT_SIZE:
            return [], _(
                "File %(name)s is larger than %(size)s MB.",
                name=upload.filename,
                size=MAX_ATTACHMENT_SIZE // (1024 * 1024),
            )
    return [(upload.filename, upload.read(MAX_ATTACHMENT_SIZE)) for upload in uploads], None


class ServiceRequestForm(http.Controller):
    @http.route(
        "/service/request", type="http", auth="public", methods=["GET"], sitemap=False, website=True
    )
    def service_request_form(self, **kw):
        return request.render(
            "service_repair.service_request_public_form", {"errors": {}, "post": {}}
        )

    @http.route(
        "/service/request",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
        csrf=True,
        website=True,
        max_content_length=request_upload_limit,
    )
    def service_request_submit(self, **post):
        form = "service_repair.service_request_public_form"
        # sudo: the counter is not readable by the public; only a hash of the
        # address is written.
        if (
            not request.env["service.rate.limit"]
            .sudo()
            ._hit("request_form", request.httprequest.remote_addr)
        ):
            message = _("Too many requests from your address. Try again in a minute.")
            return request.render(form, {"errors": {"form": message}, "post": post}, status=429)
        errors = {}
        name = (post.get("name") or "").strip()
        email = (post.get("email") or "").strip()
        email = len(email) <= MAX_EMAIL and email_normalize(email)
        description = (post.get("description") or "").strip()
        if not name:
            errors["name"] = _("Please give your name.")
        elif len(name) > MAX_NAME:
            errors["name"] = _("The name is too long (at most %(max)s characters).", max=MAX_NAME)
        if not email:
            errors["email"] = _("Please give a valid email address.")
        if not description:
            errors["description"] = _("Please describe the problem.")
        elif len(description) > MAX_DESCRIPTION:
            errors["description"] = _(
                "The description is too long (at most %(max)s characters).", max=MAX_DESCRIPTION
            )
        files, file_error = read_attachments(request.httprequest.files.getlist("attachments"))
        if file_error:
            errors["attachments"] = file_error
        if errors:
            return request.render(form, {"errors": errors, "post": post}, status=400)
        try:
            with request.env.cr.savepoint():
                service_request = self._create_request(name, email, description, post, files)
        except (UserError, ValidationError) as error:
            # The refusal may name records the visitor must not learn of.
            _logger.warning("Web request refused: %s", error)
            message = _("Your request could not be recorded. Please call us or write to us.")
            return request.render(form, {"errors": {"form": message}, "post": post}, status=400)
        return request.render(
            "service_repair.service_request_public_thanks", {"service_request": service_request}
        )

    def _create_request(self, name, email, description, post, files):
        # sudo: the public user may neither read partners nor create requests;
        # only what the visitor typed is written, and nothing is shown back
        # but the new request's reference.
        env = request.env(su=True)
        company = request.env.company
        Partner = env["res.partner"]
        # This company's contacts and the shared ones: another company's
        # contact is no customer here (and its name must reach no page).
        partner = Partner.search(
            [("email_normalized", "=", email), ("company_id", "in", [company.id, False])],
            order="is_company desc, id",
            limit=1,
        )
        phone = (post.get("phone") or "").strip()[:64] or False
        serial = (post.get("serial") or "").strip()[:64]
        vals = {
            "email_from": email,
            "partner_phone": phone,
            "company_id": company.id,
            "subject": (post.get("subject") or "").strip()[:MAX_SUBJECT] or _("Web request"),
            "channel": "web",
            "request_type": "repair",
        }
        visitor = request.env.user
        if partner and (
            visitor._is_public()
            or visitor.partner_id.commercial_partner_id != partner.commercial_partner_id
        ):
            # Anyone can type a customer's address: held, in nobody's name,
            # until the address's owner confirms it (see service_request_web_form).
            body = self._description_html(description, name=name, serial=serial)
            service_request = env["service.request"]._web_create_held(
                partner, dict(vals, description=body), serial
            )
        else:
            if not partner:
                partner = Partner.create(
                    {
                        "name": name,
                        "email": email,
                        "phone": phone,
                        "lang": request.lang.code if request.lang else False,
                        "company_id": False,
                    }
                )
            unit = env["service.equipment"]
            if serial:
                unit = unit.search(
                    [
                        ("lot_id.name", "=", serial),
                        ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                        ("company_id", "=", company.id),
                    ],
                    limit=1,
                )
            body = self._description_html(description, serial=serial if not unit else "")
            service_request = env["service.request"].create(
                dict(
                    vals,
                    partner_id=partner.id,
                    equipment_id=unit.id,
                    team_id=unit.team_id.id,
                    description=body,
                )
            )
        if files:
            env["ir.attachment"].create(
                [
                    {
                        "name": fname,
                        "raw": data,
                        "res_model": "service.request",
                        "res_id": service_request.id,
                    }
                    for fname, data in files
                ]
            )
        return service_request

    def _description_html(self, description, name="", serial=""):
        body = str(escape(description)).replace("\n", "<br/>")
        if name:
            body += "<p>" + str(escape(_("Name given: %(name)s", name=name))) + "</p>"
        if serial:
            body += (
                "<p>" + str(escape(_("Serial number given: %(serial)s", serial=serial))) + "</p>"
            )
        return f"<p>{body}</p>"

    # ------------------------------------------------------------------
    # Confirmation of held requests (the link sent by email)
    # ------------------------------------------------------------------

    def _held_request(self, request_id, expires, token):
        """The held request that this link confirms, or None (also for an
        expired link or one already used): nothing else is said about it."""
        # sudo: the signed token, not the visitor, grants access to the request.
        held = (
            request.env["service.request"]
            .sudo()
            .with_context(active_test=False)
            .browse(request_id)
            .exists()
        )
        if not held or not held._web_check_confirmation(expires, token):
            return None
        return held

    @http.route(
        "/service/request/<int:request_id>/confirm",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        website=True,
    )
    def service_request_confirm_page(self, request_id, expires=None, token=None, **kw):
        held = self._held_request(request_id, expires, token)
        if held is None:
            return request.render("service_repair.service_request_confirm_invalid", status=403)
        if not held._web_is_held():
            return request.render(
                "service_repair.service_request_confirmed", {"service_request": held}
            )
        return request.render(
            "service_repair.service_request_confirm",
            {"service_request": held, "expires": expires, "token": token},
        )

    @http.route(
        "/service/request/<int:request_id>/confirm",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
        csrf=True,
        website=True,
    )
    def service_request_confirm(self, request_id, expires=None, token=None, **kw):
        # A POST from the page above, not the GET of the link: mail scanners
        # that open every link do not confirm anything.
        held = self._held_request(request_id, expires, token)
        if held is None:
            return request.render("service_repair.service_request_confirm_invalid", status=403)
        if held._web_is_held():
            held._web_confirm()
        return request.render("service_repair.service_request_confirmed", {"service_request": held})
