from odoo import _, fields, http
from odoo.http import request


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
        """The one answer of ``stock.lot.service_warranty_status``: in warranty
        or not, until when and from where (manufacturer or a service contract,
        not named); nothing else. An unknown serial is told so, and offered the
        request form. Rate-limited per IP.
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
        # answer, its end date and its source (no contract named) leave the server.
        Lot = request.env["stock.lot"].sudo()
        status = Lot.service_warranty_status(serial)
        if status["source"] == "unknown":
            # Said plainly, with the request form offered: the page is
            # rate-limited, so it lends itself to no enumeration of serials.
            answer = "unknown"
        else:
            answer = "in" if status["in_warranty"] else "out"
        message = Lot._service_warranty_label(
            {
                "in_warranty": status["in_warranty"],
                "warranty_end": fields.Date.to_date(status["warranty_end"]),
                "source": status["source"],
                "contract": Lot.env["service.contract"],
            },
            public=True,
        )
        return request.render(
            "service_contracts.warranty_check_page",
            {"answer": answer, "message": message, "serial": serial},
        )
