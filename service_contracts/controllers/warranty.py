from odoo import _, http
from odoo.http import request
from odoo.tools import format_date


class ServiceWarrantyCheck(http.Controller):
    @http.route(
        "/service/warranty",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def warranty_check_form(self, **kwargs):
        return request.render("service_contracts.warranty_check_page", {"answer": False})

    @http.route(
        "/service/warranty",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=True,
        website=True,
        sitemap=False,
    )
    def warranty_check(self, serial="", **kwargs):
        """Answer in warranty or not, and until when: nothing else.

        An unknown serial gets the same answer as an expired one, so the page
        does not tell whether a serial exists; it is rate-limited per IP.
        """
        # sudo: the counter is not readable by the public; only a hash of the
        # address is written.
        if (
            not request.env["service.rate.limit"]
            .sudo()
            ._hit("warranty_check", request.httprequest.remote_addr)
        ):
            return request.render(
                "service_contracts.warranty_check_page",
                {
                    "answer": "limited",
                    "message": _("Too many checks from your address. Try again in a minute."),
                },
                status=429,
            )
        serial = (serial or "").strip()[:100]
        # sudo: the public may not read serials; of the status only the
        # warranty answer and its end date leave the server.
        status = request.env["stock.lot"].sudo().service_warranty_status(serial) if serial else {}
        if status.get("in_warranty") and status.get("warranty_end"):
            answer = "in"
            message = _(
                "In warranty until %(date)s.", date=format_date(request.env, status["warranty_end"])
            )
        else:
            answer = "out"
            message = _("Not in warranty.")
        return request.render(
            "service_contracts.warranty_check_page",
            {"answer": answer, "message": message, "serial": serial},
        )
