from werkzeug.exceptions import RequestEntityTooLarge

from odoo import models
from odoo.http import request

from ..tools import check_unicode


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _dispatch(cls, endpoint):
        # JSON lets a client send a lone UTF-16 surrogate ("\ud800"), which no
        # text column and no UTF-8 answer can hold: any method given one would
        # fail in psycopg2 with a UnicodeEncodeError, and the JSON error
        # carrying the text back could not be encoded either (an HTML 500).
        # Forms cannot carry one: werkzeug decodes them with replacement.
        if request.dispatcher.routing_type == "json":
            invalid = _invalid_text(request.params)
            if invalid:
                path, text = invalid
                env = request.env
                check_unicode(env, text, env._("Request parameter %(name)s", name=path))
        return super()._dispatch(endpoint)

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # The portal's message box (under a request, a contract, a claim) is
        # mail's composer and thread: without the website addon (whose
        # website_mail adds it) nothing loads mail's translations on portal
        # pages, and a Russian customer read "The conversation is empty.",
        # "Attach files"... in English.
        return [*super()._get_translation_frontend_modules_name(), "mail"]

    @classmethod
    def _handle_error(cls, exception):
        # A body above the route's max_content_length (see
        # service_base.tools.uploads) was refused unparsed: say so in the
        # user's language. Not through the website's error page, which
        # would parse the same body again and fail the same way.
        if (
            isinstance(exception, RequestEntityTooLarge)
            and request.dispatcher.routing_type == "http"
        ):
            limit = request.httprequest.max_content_length or 0
            return RequestEntityTooLarge(
                description=request.env._(
                    "The files sent are larger than this page accepts (at most %(size)s MB "
                    "in all). Go back and send fewer or smaller files.",
                    size=max(1, round(limit / (1024 * 1024))),
                )
            )
        return super()._handle_error(exception)


def _invalid_text(params):
    """(path, text) of the first text in the JSON parameters (keys included)
    that is not valid Unicode, or None."""
    stack = [("params", params)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and not _valid(key):
                    return path, key
                stack.append((f"{path}.{key}", item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
        elif isinstance(value, str) and not _valid(value):
            return path, value
    return None


def _valid(text):
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
