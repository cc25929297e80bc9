from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class ServiceContractPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_contract_count" in counters:
            Contract = request.env["service.contract"]
            values["service_contract_count"] = (
                Contract.search_count(self._service_contract_domain())
                if Contract.has_access("read")
                else 0
            )
        return values

    def _service_contract_domain(self):
        # Record rules already restrict a portal user to their company's contracts;
        # drafts are internal until they are activated.
        return [("state", "!=", "draft")]

    def _service_contract_sortings(self):
        return {
            "date": {"label": _("Start Date"), "order": "date_start desc, id desc"},
            "name": {"label": _("Reference"), "order": "name desc"},
            "state": {"label": _("Status"), "order": "state, date_start desc"},
        }

    @http.route(
        ["/my/contracts", "/my/contracts/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_service_contracts(self, page=1, sortby=None, **kw):
        Contract = request.env["service.contract"]
        values = self._prepare_portal_layout_values()
        sortings = self._service_contract_sortings()
        sortby = sortby if sortby in sortings else "date"
        domain = self._service_contract_domain()
        total = Contract.search_count(domain) if Contract.has_access("read") else 0
        pager = portal_pager(
            url="/my/contracts",
            url_args={"sortby": sortby},
            total=total,
            page=page,
            step=self._items_per_page,
        )
        contracts = (
            Contract.search(
                domain,
                order=sortings[sortby]["order"],
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            if total
            else Contract
        )
        request.session["my_service_contracts_history"] = contracts.ids[:100]
        values.update(
            {
                "contracts": contracts,
                "page_name": "service_contract",
                "pager": pager,
                "default_url": "/my/contracts",
                "searchbar_sortings": sortings,
                "sortby": sortby,
            }
        )
        return request.render("service_contracts.portal_my_service_contracts", values)

    @http.route(["/my/contracts/<int:contract_id>"], type="http", auth="public", website=True)
    def portal_my_service_contract(self, contract_id, access_token=None, **kw):
        try:
            contract = self._document_check_access(
                "service.contract", contract_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        # An access token opens the record past the record rules: drafts and
        # cancelled contracts stay internal all the same.
        if contract.state not in ("active", "expired"):
            return request.redirect("/my/contracts")
        values = self._get_page_view_values(
            contract,
            access_token,
            {"contract": contract, "page_name": "service_contract"},
            "my_service_contracts_history",
            False,
            **kw,
        )
        return request.render("service_contracts.portal_my_service_contract", values)
