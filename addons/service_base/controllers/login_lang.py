from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.web import Home


class ServiceLoginLanguage(Home):
    @http.route()
    def web_login(self, redirect=None, **kw):
        """After a successful login, the pages outside the back office (the
        portal, /my) speak the user's language: Odoo would keep the language
        of the login page (the ``frontend_lang`` cookie set for the visitor,
        English by default), so a Russian customer landed on an English portal."""
        response = super().web_login(redirect=redirect, **kw)
        if request.params.get("login_success") and request.session.uid:
            lang = request.env["res.users"].sudo().browse(request.session.uid).lang
            if lang and hasattr(response, "set_cookie"):
                response.set_cookie("frontend_lang", lang)
        return response
