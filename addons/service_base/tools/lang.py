def user_lang_env(env):
    """``env`` when its context names a language, else ``env`` in the user's.

    Odoo's ``_()`` falls back to the user's language when the context has
    none (an XML-RPC call without a context); field labels, selection values
    and dates follow the context only. A message that joins them reads in one
    language when its parts come from this env. ``context_get`` is cached per
    user: no query.
    """
    if env.lang:
        return env
    lang = env["res.users"].context_get().get("lang") or "en_US"
    return env(context=dict(env.context, lang=lang))
