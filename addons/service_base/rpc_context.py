"""A call's ``default_<field>`` keys stay with the creates they are meant for.

Odoo applies a context's ``default_<field>`` keys to every record created
while a method runs, of any model: a client calling an action of the suite
with ``{"default_state": "done"}`` would have the repair, the picking or the
invoice that the action creates born in that state, around every rule of its
own buttons (Odoo's own actions strip them with ``clean_context`` where it
matters). For the suite's models (those with fields only actions may set),
the external entry points (XML-RPC's ``execute_kw`` and the web client's
``call_kw`` / ``call_button``) drop those keys from the context of every
method except the ones that create the model's own records from a client.
"""

import functools

import odoo.api

# The methods through which a client creates records of the model it calls,
# and for which default_<field> keys are the documented way to prefill them.
CREATING_METHODS = frozenset(
    {"create", "web_save", "onchange", "default_get", "name_create", "load", "copy", "new"}
)


def _without_defaults(model, name, kwargs):
    context = kwargs.get("context")
    if not context or name in CREATING_METHODS:
        return kwargs
    if not any(isinstance(key, str) and key.startswith("default_") for key in context):
        return kwargs
    registry = model.env.registry
    if "service.guarded.mixin" not in registry or not isinstance(
        model, registry["service.guarded.mixin"]
    ):
        return kwargs
    kwargs = dict(kwargs)
    kwargs["context"] = {
        key: value
        for key, value in context.items()
        if not (isinstance(key, str) and key.startswith("default_"))
    }
    return kwargs


def _wrap(call_kw):
    if getattr(call_kw, "_service_without_defaults", False):
        return call_kw

    @functools.wraps(call_kw)
    def wrapper(model, name, args, kwargs):
        return call_kw(model, name, args, _without_defaults(model, name, kwargs))

    wrapper._service_without_defaults = True
    return wrapper


def install():
    from odoo.addons.web.controllers import dataset  # noqa: PLC0415 (web is loaded first)

    odoo.api.call_kw = _wrap(odoo.api.call_kw)
    dataset.call_kw = _wrap(dataset.call_kw)


install()
