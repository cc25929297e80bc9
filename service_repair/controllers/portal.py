from markupsafe import escape

from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .service_request_form import (
    MAX_DESCRIPTION,
    MAX_SUBJECT,
    read_attachments,
    request_upload_limit,
)


class ServiceRequestPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_request_count" in counters:
            Request = request.env["service.request"]
            values["service_request_count"] = (
                Request.search_count([]) if Request.has_access("read") else 0
            )
        return values

    def _service_request_sortings(self):
        return {
            "date": {"label": _("Newest"), "order": "create_date desc, id desc"},
            "stage": {"label": _("Stage"), "order": "stage_id, id desc"},
            "name": {"label": _("Reference"), "order": "name desc"},
        }

    @http.route(
        ["/my/service-requests", "/my/service-requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_service_requests(self, page=1, sortby=None, **kw):
        Request = request.env["service.request"]
        if not Request.has_access("read"):
            return request.redirect("/my")
        sortings = self._service_request_sortings()
        sortby = sortby if sortby in sortings else "date"
        count = Request.search_count([])
        pager = portal_pager(
            url="/my/service-requests",
            url_args={"sortby": sortby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        requests = Request.search(
            [], order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_service_requests_history"] = requests.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            service_requests=requests,
            page_name="service_request",
            pager=pager,
            default_url="/my/service-requests",
            searchbar_sortings=sortings,
            sortby=sortby,
        )
        return request.render("service_repair.portal_my_service_requests", values)

    @http.route("/my/service-requests/<int:request_id>", type="http", auth="public", website=True)
    def portal_my_service_request(self, request_id, access_token=None, **kw):
        try:
            request_sudo = self._document_check_access("service.request", request_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            request_sudo,
            access_token,
            {"service_request": request_sudo, "page_name": "service_request"},
            "my_service_requests_history",
            False,
            **kw,
        )
        return request.render("service_repair.portal_my_service_request", values)

    @http.route(
        "/my/service-requests/new",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
        max_content_length=request_upload_limit,
    )
    def portal_new_service_request(self, **post):
        # the portal rule on units shows the customer only their own units
        units = request.env["service.equipment"].search([])
        values = self._prepare_portal_layout_values()
        values.update(page_name="service_request_new", units=units, errors={}, post=post)
        if request.httprequest.method != "POST":
            return request.render("service_repair.portal_new_service_request", values)
        errors = values["errors"]
        # sudo: the counter is not readable by portal users; only a hash of
        # the user id is written.
        if not request.env["service.rate.limit"].sudo()._hit("portal_post", request.env.uid):
            errors["form"] = _("You sent too many requests in a minute. Try again shortly.")
            return request.render("service_repair.portal_new_service_request", values, status=429)
        unit = units.filtered(lambda u: str(u.id) == post.get("equipment_id"))
        if not unit:
            errors["equipment_id"] = _("Choose one of your units.")
        subject = (post.get("subject") or "").strip()
        if not subject:
            errors["subject"] = _("Say in a few words what is wrong.")
        elif len(subject) > MAX_SUBJECT:
            errors["subject"] = _(
                "The subject is too long (at most %(max)s characters).", max=MAX_SUBJECT
            )
        description = (post.get("description") or "").strip()
        if len(description) > MAX_DESCRIPTION:
            errors["description"] = _(
                "The description is too long (at most %(max)s characters).", max=MAX_DESCRIPTION
            )
        files, file_error = read_attachments(request.httprequest.files.getlist("attachments"))
        if file_error:
            errors["attachments"] = file_error
        if errors:
            return request.render("service_repair.portal_new_service_request", values)
        partner = request.env.user.partner_id
        # sudo: portal users cannot create requests through the ORM; the unit was
        # checked above to be one of theirs, and the request is theirs.
        service_request = (
            request.env["service.request"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "equipment_id": unit.id,
                    "team_id": unit.team_id.id,
                    "company_id": unit.company_id.id,
                    "subject": subject,
                    "description": description and f"<p>{_escape(description)}</p>",
                    "channel": "portal",
                    "request_type": "repair",
                }
            )
        )
        _attach(service_request, files)
        return request.redirect(service_request.get_portal_url())


def _escape(text):
    return str(escape(text)).replace("\n", "<br/>")


def _attach(service_request, files):
    if files:
        request.env["ir.attachment"].sudo().create(
            [
                {
                    "name": name,
                    "raw": data,
                    "res_model": "service.request",
                    "res_id": service_request.id,
                }
                for name, data in files
            ]
        )
