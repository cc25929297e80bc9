"""Helpers shared by the catalog models, the lookup and the bulk import."""

import re

from odoo.exceptions import ValidationError

# Letters and digits of any script: "ab-12/c" and "AB 12C" are the same number.
_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)

# Same rule in SQL, for the bulk import (PostgreSQL's [:alnum:] follows the
# database locale like Python's str.isalnum follows Unicode).
SQL_NORMALIZE = "upper(regexp_replace({col}, '[^[:alnum:]]+', '', 'g'))"

MAX_QUERY_LENGTH = 10000
# Longer than this is a broken cell, not a part number (and would not fit the
# unique index of the numbers).
MAX_CODE_LENGTH = 100


# A serial's number: its last group of digits, and what follows it.
_SERIAL_NUMBER = re.compile(r"([0-9]+)([^0-9]*)$")


def serial_parts(serial):
    """(prefix, sort key) of a serial, compared the way a person reads it:
    the text before the last group of digits, then that number by its value
    (leading zeros do not count: CH-0150 is CH-150) and what follows it.
    None for a serial without digits. data/service_parts_lookup.sql's
    service_parts_serial_le() is the same rule in SQL."""
    match = _SERIAL_NUMBER.search(serial)
    if not match:
        return None
    number = match.group(1).lstrip("0")
    return serial[: match.start()].upper(), (len(number), number, match.group(2).upper())


def serial_le(low, high):
    """True when serial ``low`` comes at or before ``high``: same prefix and
    a number not above; serials without digits compare as text. A missing
    bound (empty) is no limit."""
    if not low or not high:
        return True
    low_parts, high_parts = serial_parts(low), serial_parts(high)
    if low_parts is None or high_parts is None:
        return low.upper() <= high.upper()
    return low_parts[0] == high_parts[0] and low_parts[1] <= high_parts[1]


def normalize_code(code):
    """Upper-case letters and digits only; '' for nothing usable."""
    if not code:
        return ""
    return _NOT_ALNUM.sub("", code).upper()


def fill_product_pair(vals_list, env, product_field, template_field):
    """Let callers give either the variant or the template: fill the other.

    Catalog rows are edited from the product template form (one2many on the
    template) and created by RPC clients or the import with the variant.
    """
    missing_tmpl = {
        vals[product_field]
        for vals in vals_list
        if vals.get(product_field) and not vals.get(template_field)
    }
    missing_product = {
        vals[template_field]
        for vals in vals_list
        if vals.get(template_field) and not vals.get(product_field)
    }
    tmpl_of = {}
    if missing_tmpl:
        products = env["product.product"].browse(missing_tmpl)
        tmpl_of = {product.id: product.product_tmpl_id.id for product in products}
    variant_of = {}
    if missing_product:
        templates = env["product.template"].with_context(active_test=False).browse(missing_product)
        variant_of = {tmpl.id: tmpl.product_variant_ids[:1].id for tmpl in templates}
    for vals in vals_list:
        if vals.get(product_field) and not vals.get(template_field):
            vals[template_field] = tmpl_of[vals[product_field]]
        elif vals.get(template_field) and not vals.get(product_field):
            vals[product_field] = variant_of[vals[template_field]]
    return vals_list


def check_product_pair(records, product_field, template_field):
    """Refuse a row whose variant is not of its template: the row's company is
    its template's, and the lookup shows the variant under it."""
    for record in records:
        product, template = record[product_field], record[template_field]
        if product and template and product.product_tmpl_id != template:
            raise ValidationError(
                record.env._(
                    "%(product)s is not a variant of %(template)s.",
                    product=product.display_name,
                    template=template.display_name,
                )
            )


def or_branches(domain):
    """The branches of a domain that is an OR at its top (each a domain), or
    None when it is not one."""
    from odoo.osv import expression  # noqa: PLC0415

    domain = expression.normalize_domain(domain)
    if not domain or domain[0] != expression.OR_OPERATOR:
        return None

    def term_end(index):
        # The index after the (prefix-notation) term starting at ``index``.
        token = domain[index]
        if token == expression.NOT_OPERATOR:
            return term_end(index + 1)
        if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
            return term_end(term_end(index + 1))
        return index + 1

    branches = []

    def collect(index):
        if domain[index] == expression.OR_OPERATOR:
            return collect(collect(index + 1))
        end = term_end(index)
        branches.append(domain[index:end])
        return end

    collect(0)
    return branches


def or_as_union(model, domain):
    """``domain`` (an OR at its top) as ``[('id', 'in', <UNION of one
    subquery per branch>)]``, which finds the same records: ``a OR b`` on one
    row is ``a`` or ``b`` on it, and each branch's subquery is searched with
    the same environment (the same active filter and record rules, which the
    outer search applies as well). Why: PostgreSQL evaluates an OR whose
    branches are subqueries or other tables' columns row by row, a scan of
    the whole table, while each branch alone takes its own index. Other
    domains come back unchanged."""
    branches = or_branches(domain)
    if not branches or len(branches) < 2:
        return domain
    from odoo.tools import SQL  # noqa: PLC0415

    id_column = SQL.identifier(model._table, "id")
    selects = [model._search(branch).subselect(id_column) for branch in branches]
    return [("id", "in", SQL("(%s)", SQL(" UNION ").join(selects)))]
