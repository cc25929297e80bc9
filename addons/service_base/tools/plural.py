"""A number with its noun in the right plural form of the reader's language.

Russian has three forms where English has two («1 день, 2 дня, 5 дней»), and
gettext's ``ngettext`` is not available to Odoo's ``_()``. So the forms of a
noun are one translatable string, separated by ``|`` in the order of the
language's plural categories as CLDR names them (zero, one, two, few, many,
other — only those the language has, ``other`` always last): English
``"day|days"`` (one, other), Russian ``"день|дня|дней|дня"`` (one, few, many,
other: «1,5 дня»). The category of a number comes from Babel's CLDR rules; the
JavaScript twin (``service_base/static/src/plural.js``) takes it from the
browser's ``Intl.PluralRules``, with the same strings.
"""

from babel import Locale, UnknownLocaleError

from odoo.tools.misc import formatLang

CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")


def plural_form(lang, number, forms):
    """The form of ``forms`` ("one|other" in the language's CLDR categories)
    that ``number`` takes in ``lang`` (an Odoo language code, e.g. ru_RU)."""
    choices = [form.strip() for form in str(forms).split("|")]
    try:
        rule = Locale.parse(lang or "en_US").plural_form
    except (ValueError, UnknownLocaleError):
        rule = Locale.parse("en_US").plural_form
    categories = [tag for tag in CLDR_ORDER if tag in rule.tags or tag == "other"]
    category = rule(abs(number))
    index = categories.index(category) if category in categories else len(categories) - 1
    return choices[min(index, len(choices) - 1)]


def count_text(env, number, forms, digits=0, lang=None):
    """``number`` written in the language of ``env`` (or ``lang``) followed by
    its noun: ``count_text(env, 14, _("day|days"))`` is «14 дней» in Russian.
    ``forms`` is the translated string of the forms (see the module's doc)."""
    lang = lang or env.context.get("lang") or env.lang or "en_US"
    value = round(number or 0, digits)
    if value == int(value):
        value, digits = int(value), 0
    shown = formatLang(env(context=dict(env.context, lang=lang)), value, digits=digits)
    return f"{shown}\N{NO-BREAK SPACE}{plural_form(lang, value, forms)}"
