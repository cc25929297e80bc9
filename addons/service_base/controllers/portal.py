from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class ServiceEquipmentPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_equipment_count" in counters:
            Equipment = request.env["service.equipment"]
            values["service_equipment_count"] = (
                Equipment.search_count([]) if Equipment.has_access("read") else 0
            )
        return values

    def _service_equipment_sortings(self):
        return {
            "name": {"label": _("Name"), "order": "name"},
            "date": {"label": _("Installation Date"), "order": "installation_date desc, id desc"},
            "state": {"label": _("State"), "order": "state, name"},
        }

    @http.route(
        ["/my/equipment", "/my/equipment/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_equipment(self, page=1, sortby="name", **kw):
        # Record rules limit the search to the customer's own units.
        Equipment = request.env["service.equipment"]
        if not Equipment.has_access("read"):
            return request.redirect("/my")
        sortings = self._service_equipment_sortings()
        sortby = sortby if sortby in sortings else "name"
        total = Equipment.search_count([])
        pager = portal_pager(
            url="/my/equipment", url_args={"sortby": sortby}, total=total, page=page, step=20
        )
        units = Equipment.search(
            [], order=sortings[sortby]["order"], limit=20, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo: only the units the search above returned to this user,
                # so that their model and serial can be shown.
                "units": units.sudo(),
                "page_name": "service_equipment",
                "pager": pager,
                "default_url": "/my/equipment",
                "searchbar_sortings": sortings,
                "sortby": sortby,
            }
        )
        return request.render("service_base.portal_my_equipment", values)

    @http.route(["/my/equipment/<int:unit_id>"], type="http", auth="user", website=True)
    def portal_my_equipment_unit(self, unit_id, **kw):
        try:
            unit_sudo = self._document_check_access("service.equipment", unit_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"unit": unit_sudo, "page_name": "service_equipment_unit"})
        return request.render("service_base.portal_my_equipment_unit", values)
