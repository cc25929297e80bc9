"""A call's ``default_<field>`` keys stay with the creates they are meant for.

Odoo applies a context's ``default_<field>`` keys to every record created
while a method runs, of any model: a client calling an action of the suite
with ``{"default_state": "done"}`` would have the repair, the picking or the
invoice that the action creates born in that state, around every rule of its
own buttons (Odoo's own actions strip them with ``clean_context`` where it
matters). For the suite's models (those with fields only actions may set, and those
of its addons) and the methods the suite adds to Odoo's models, the external
entry points (XML-RPC's ``execute_kw`` and the web client's
``call_kw`` / ``call_button``) drop those keys from the context of every
method except the ones that create the model's own records from a client;
a server action bound to a suite model runs without them as well
(``ir.actions.server.run``, which ``/web/action/run`` calls).
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
    if not is_suite_call(model, name):
        return kwargs
    kwargs = dict(kwargs)
    kwargs["context"] = without_defaults(context)
    return kwargs


def is_suite_call(model, name=None):
    """Whether calling ``name`` on ``model`` runs the suite's code: a model
    with guarded fields, a model of a suite addon (its wizards, its parts
    requirements), or a method a suite addon adds to one of Odoo's models."""
    registry = model.env.registry
    if "service.guarded.mixin" not in registry:
        return False
    if isinstance(model, registry["service.guarded.mixin"]):
        return True
    if (getattr(type(model), "_original_module", "") or "").startswith("service_"):
        return True
    func = getattr(type(model), name, None) if name else None
    return (getattr(func, "__module__", "") or "").startswith("odoo.addons.service_")


def without_defaults(context):
    return {
        key: value
        for key, value in context.items()
        if not (isinstance(key, str) and key.startswith("default_"))
    }


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
