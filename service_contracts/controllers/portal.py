from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.service_base.tools import upload_limit, upload_size


class ServiceWarrantyPortal(CustomerPortal):
    _CLAIM_MAX_FILES = 5
    _CLAIM_MAX_FILE_SIZE = 10 * 1024 * 1024
    _CLAIM_MAX_DEFECT = 5000

    def _service_claim_request_limit(self):
        # The largest body the claim form accepts: a larger one is refused
        # before Odoo parses it (see service_base.tools.uploads).
        return upload_limit(self._CLAIM_MAX_FILES, self._CLAIM_MAX_FILE_SIZE)

    def _service_claim_evidence_uploads(self):
        """The files sent, not read yet."""
        return [
            upload for upload in request.httprequest.files.getlist("evidence") if upload.filename
        ]

    def _service_claim_evidence_files(self, uploads):
        """(name, content, mimetype) of uploads already checked against the limits."""
        return [
            # one byte past the limit is enough to refuse the file
            (upload.filename, upload.read(self._CLAIM_MAX_FILE_SIZE + 1), upload.mimetype)
            for upload in uploads
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_claim_count" in counters:
            Claim = request.env["service.warranty.claim"]
            values["service_claim_count"] = (
                Claim.search_count([]) if Claim.has_access("read") else 0
            )
        return values

    @http.route(
        ["/my/claims", "/my/claims/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_claims(self, page=1, **kwargs):
        Claim = request.env["service.warranty.claim"]
        total = Claim.search_count([])
        pager = portal_pager(url="/my/claims", total=total, page=page, step=self._items_per_page)
        claims = Claim.search([], limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "claims": claims.sudo(),
                "page_name": "service_claims",
                "pager": pager,
                "default_url": "/my/claims",
            }
        )
        return request.render("service_contracts.portal_my_claims", values)

    @http.route(["/my/claims/<int:claim_id>"], type="http", auth="public", website=True)
    def portal_my_claim(self, claim_id, access_token=None, **kwargs):
        try:
            claim_sudo = self._document_check_access(
                "service.warranty.claim", claim_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            claim_sudo, access_token, {"page_name": "service_claim"}, "my_claims_history", False
        )
        return request.render("service_contracts.portal_my_claim", values)

    @http.route(
        ["/my/claims/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
        max_content_length=_service_claim_request_limit,
    )
    def portal_new_claim(self, equipment_id=None, defect_description="", **kwargs):
        # The record rule limits a portal user to the units of their own company.
        units = request.env["service.equipment"].search([("lot_id", "!=", False)])
        values = self._prepare_portal_layout_values()
        values.update({"units": units, "page_name": "service_claim_new", "error": False})
        if request.httprequest.method == "POST":
            # The limits first (the rate, the number and the sizes of the
            # files, from their spooled streams); the files are read last.
            uploads = self._service_claim_evidence_uploads()
            unit = units.filtered(lambda u: str(u.id) == str(equipment_id))
            # sudo: the counter is not readable by portal users; only a hash
            # of the user id is written.
            if not request.env["service.rate.limit"].sudo()._hit("portal_post", request.env.uid):
                values["error"] = _("You sent too many requests in a minute. Try again shortly.")
            elif not unit:
                values["error"] = _("Choose one of your units.")
            elif not (defect_description or "").strip():
                values["error"] = _("Describe the defect.")
            elif len(defect_description) > self._CLAIM_MAX_DEFECT:
                values["error"] = _(
                    "The description is too long (at most %(max)s characters).",
                    max=self._CLAIM_MAX_DEFECT,
                )
            elif len(uploads) > self._CLAIM_MAX_FILES or any(
                upload_size(upload) > self._CLAIM_MAX_FILE_SIZE for upload in uploads
            ):
                values["error"] = _(
                    "Attach at most %(count)s files of at most %(size)s MB each.",
                    count=self._CLAIM_MAX_FILES,
                    size=self._CLAIM_MAX_FILE_SIZE // (1024 * 1024),
                )
            else:
                files = self._service_claim_evidence_files(uploads)
                try:
                    # A refusal raised after the insert must not leave the claim:
                    # the page then renders normally and the transaction commits.
                    with request.env.cr.savepoint():
                        # sudo: portal users cannot create claims directly; the unit
                        # was checked above to be theirs, and the customer is the user.
                        claim = (
                            request.env["service.warranty.claim"]
                            .sudo()
                            .create(
                                {
                                    "partner_id": request.env.user.partner_id.id,
                                    "equipment_id": unit.id,
                                    "lot_id": unit.lot_id.id,
                                    "company_id": unit.company_id.id,
                                    "defect_description": defect_description.strip(),
                                    "user_id": False,
                                }
                            )
                        )
                except UserError as error:
                    values["error"] = error.args[0]
                else:
                    if files:
                        # sudo: the claim was just created for this user, who may not
                        # write attachments on it directly.
                        attachments = (
                            request.env["ir.attachment"]
                            .sudo()
                            .create(
                                [
                                    {
                                        "name": name,
                                        "raw": content,
                                        "mimetype": mimetype,
                                        "res_model": claim._name,
                                        "res_id": claim.id,
                                    }
                                    for name, content, mimetype in files
                                ]
                            )
                        )
                        claim.evidence_ids = attachments
                    return request.redirect(f"/my/claims/{claim.id}")
        return request.render("service_contracts.portal_new_claim", values)
