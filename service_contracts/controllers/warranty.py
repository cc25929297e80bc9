from odoo import _, fields, http
from odoo.http import request

from odoo.addons.service_base.tools import on_replica


class ServiceWarrantyCheck(http.Controller):
    @http.route(
        "/service/warranty",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
        readonly=True,
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
        request form. Rate-limited per IP: the counter is written on the
        primary, the answer read on the read-only replica if there is one
        (``service_base.tools.on_replica``).
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
        # PostgreSQL refuses NUL in any text; a form may send one (%00).
        serial = (serial or "").replace("\x00", "").strip()[:100]
        # Counted above on the primary (this route is read/write for it), the
        # answer is read on the replica when odoo.conf names one.
        kind, message = on_replica(request.env, lambda env: self._warranty_answer(env, serial))
        return request.render(
            "service_contracts.warranty_check_page",
            {"answer": kind, "message": message, "serial": serial},
        )

    @staticmethod
    def _warranty_answer(env, serial):
        """(kind, public sentence) of ``serial``'s warranty today: ``in``,
        ``out`` or ``unknown``. Reads only (it runs on the replica)."""
        # sudo: the public may not read serials; of the status only the
        # answer, its end date and its source (no contract named) leave the
        # server, and only for the serials of the site's company: another
        # company's serial is not known here.
        Lot = env["stock.lot"].sudo()
        lot = Lot._service_warranty_find(serial, company=env.company)
        if lot:
            answer = lot._service_warranty_answers(fields.Date.context_today(lot))[lot.id]
            kind = "in" if answer["in_warranty"] else "out"
        else:
            # Said plainly, with the request form offered: the page is
            # rate-limited, so it lends itself to no enumeration of serials.
            answer, kind = Lot._service_warranty_no_answer(), "unknown"
        return kind, Lot._service_warranty_label(answer, public=True)
