"""The suite's access matrix: every suite model x every role x every operation.

Two tables: the access rights of each group on every suite model, and what
each role of ``tests/world.py`` can do to actual records (its customer's,
another customer's, another company's) through the ORM as that user.
``RECORD_RIGHTS`` states what they should be; ``test_access_matrix`` checks the
measured table against it and ``docs/security.md`` against ``render(env)``,
which ``setup/security-doc`` writes.
"""

import ast
import pathlib

from odoo import Command
from odoo.exceptions import AccessError

from . import world as world_module

ROOT = pathlib.Path(__file__).resolve().parent.parent
OPERATIONS = {"read": "R", "create": "C", "write": "W", "unlink": "D"}

# The roles of the access-rights table: one per group (the portal customers
# and the other company's manager differ from their group only by record rules).
ROLES = {
    "public": ("Public (not logged in)", None),
    "portal": ("Portal customer", ["base.group_portal"]),
    "internal": ("Internal user without service rights", ["base.group_user"]),
    "service_user": ("Service user", ["service_base.group_service_user"]),
    "service_manager": ("Service manager", ["service_base.group_service_manager"]),
    "accountant": ("Accountant (invoicing)", ["account.group_account_invoice"]),
    "stock_user": ("Stock user", ["stock.group_stock_user"]),
}


def suite_addons():
    manifests = [*ROOT.glob("addons/*/__manifest__.py"), *ROOT.glob("*/__manifest__.py")]
    return sorted(
        m.parent.name for m in manifests if ast.literal_eval(m.read_text()).get("installable", True)
    )


def suite_models(env):
    """Models whose ``_name`` a suite addon defines, sorted by addon then name."""
    addons = set(suite_addons())
    models = [
        (model._original_module, name)
        for name, model in env.registry.items()
        if model._original_module in addons and not model._abstract
    ]
    return sorted(models)


def role_users(env):
    users = {"public": env.ref("base.public_user")}
    for role, (__, groups) in ROLES.items():
        if groups is None:
            continue
        users[role] = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": f"Access matrix {role}",
                    "login": f"access_matrix_{role}",
                    "groups_id": [(6, 0, [env.ref(g).id for g in groups])],
                }
            )
        )
    return users


def matrix(env):
    """{(addon, model): {role: "RCWD"-style string}} from the access rights in force."""
    users = role_users(env)
    access = env["ir.model.access"]
    result = {}
    for addon, name in suite_models(env):
        result[(addon, name)] = {
            role: "".join(
                letter if access.with_user(user).check(name, op, False) else "·"
                for op, letter in OPERATIONS.items()
            )
            for role, user in users.items()
        }
    return result


def rules(env):
    """Record rules on suite models: (model, rule name, groups, domain)."""
    names = [name for __, name in suite_models(env)]
    found = env["ir.rule"].sudo().search([("model_id.model", "in", names)], order="model_id, name")
    return [
        (
            rule.model_id.model,
            rule.name,
            ", ".join(rule.groups.mapped("full_name")) or "everyone (global)",
            rule.domain_force,
        )
        for rule in found
    ]


# ---------------------------------------------------------------------------
# Record level: what each role does to actual records
# ---------------------------------------------------------------------------

# What each role's group may do on the records it can see (the policy, stated
# by hand: the measured matrix must agree). The portal customers have the
# "portal" rights, the other company's manager the "service_manager" ones.
RECORD_RIGHTS = {
    "service.equipment": {"portal": "R", "service_user": "RCW", "service_manager": "RCWD"},
    "service.request": {"portal": "R", "service_user": "RCW", "service_manager": "RCWD"},
    "service.warranty.claim": {"portal": "R", "service_user": "RCW", "service_manager": "RCWD"},
    "service.contract": {
        "portal": "R",
        "service_user": "RCW",
        "service_manager": "RCWD",
        "accountant": "R",
    },
    "service.contract.line": {
        "portal": "R",
        "service_user": "RCWD",
        "service_manager": "RCWD",
        "accountant": "R",
    },
    "service.team": {"service_user": "R", "service_manager": "RCWD"},
    "service.warranty.policy": {"service_user": "R", "service_manager": "RCWD"},
    "service.sla.policy": {"portal": "R", "service_user": "R", "service_manager": "RCWD"},
    "service.dispatch.rule": {"service_user": "R", "service_manager": "RCWD"},
    # The parts catalog: everyone inside reads it (the warehouse, the
    # accountant), the service staff keeps it.
    **{
        model: {
            "internal": "R",
            "service_user": "RCWD",
            "service_manager": "RCWD",
            "accountant": "R",
            "stock_user": "R",
        }
        for model in (
            "service.part.crossref",
            "service.part.compatibility",
            "service.part.substitute",
        )
    },
    "service.supplier.claim": {"service_user": "RCW", "service_manager": "RCWD"},
    "service.qc.check": {"service_user": "RCW", "service_manager": "RCWD"},
    "service.demo.booking": {"service_user": "RCW", "service_manager": "RCWD"},
}
RIGHTS_ROLE = {"portal_a": "portal", "portal_b": "portal", "other_manager": "service_manager"}

# The labels of the world's records in the tables.
RECORD_LABELS = {
    "A": "customer A's (company 1)",
    "B": "customer B's (company 1)",
    "C2": "company 2's",
    "co1": "company 1's",
    "co2": "company 2's",
}


def record_specs(w):
    """model -> ([(label, record)], harmless write values, copy defaults), the
    last two each a dict or a function of the record giving one."""

    def customers(records, write, copy=None):
        return list(zip(("A", "B", "C2"), records, strict=True)), write, copy or {}

    def companies(records, write, copy=None):
        return list(zip(("co1", "co2"), records, strict=True)), write, copy or {}

    def spare_substitute(record):
        # The copy swaps in its company's spare part: the same pair twice is refused.
        spares = w.parts.filtered(lambda part: part.company_id == record.company_id)
        return {"substitute_id": spares[-1].id}

    return {
        "service.equipment": customers(w.units, {"note": "<p>probe</p>"}, {"lot_id": False}),
        "service.request": customers(w.requests, {"subject": "probe"}),
        "service.warranty.claim": customers(w.claims, {"defect_description": "probe"}),
        "service.contract": customers(w.contracts, {"title": "probe"}),
        "service.contract.line": customers(w.contracts.line_ids, {"name": "probe"}),
        "service.team": companies(w.teams, {"color": 3}),
        "service.warranty.policy": companies(w.warranty_policies, {"months": 13}),
        "service.sla.policy": companies(w.sla_policies, {"name": "probe"}),
        "service.dispatch.rule": companies(w.dispatch_rules, {"sequence": 11}),
        "service.part.crossref": companies(w.crossrefs, {"note": "probe"}, {"code": "SEC-COPY"}),
        "service.part.compatibility": companies(w.compatibilities, {"note": "probe"}),
        "service.part.substitute": companies(w.substitutes, {"note": "probe"}, spare_substitute),
        "service.supplier.claim": companies(w.supplier_claims, {"note": "probe"}),
        # A check's own fields are its actions' (guarded): a user answers its items.
        "service.qc.check": companies(
            w.qc_checks,
            lambda record: {
                "line_ids": [Command.update(record.line_ids[:1].id, {"note": "probe"})]
            },
        ),
        # The copy on another day: the unit is booked at the original's time.
        "service.demo.booking": companies(
            w.demo_bookings,
            {"location": "probe"},
            {"date_start": "2031-03-04 09:00:00", "date_stop": "2031-03-04 11:00:00"},
        ),
    }


def visible(role, label):
    """Whether ``role`` should see the world's record ``label`` at all."""
    if role == "public":
        return False
    if role == "portal_a":
        return label in ("A", "co1")
    if role == "portal_b":
        return label in ("B", "co1")
    if role == "other_manager":
        return label in ("C2", "co2")
    return label in ("A", "B", "co1")


def expected_record_matrix(w):
    """{(model, label): {role: "RCWD"-style}} as RECORD_RIGHTS and visibility say."""
    result = {}
    for model, (records, __, __) in record_specs(w).items():
        for label, __ in records:
            result[(model, label)] = {
                role: "".join(
                    letter
                    if visible(role, label)
                    and letter in RECORD_RIGHTS[model].get(RIGHTS_ROLE.get(role, role), "")
                    else "·"
                    for letter in OPERATIONS.values()
                )
                for role in world_module.ROLES
            }
    return result


class _Undo(Exception):
    pass


def _attempt(env, operation):
    """Run ``operation`` and undo it: "ok", "denied" (AccessError) or the error's name."""
    try:
        with env.cr.savepoint():
            operation()
            env.flush_all()
            raise _Undo
    except _Undo:
        return "ok"
    except AccessError:
        return "denied"
    except Exception as error:  # reported in the matrix: the test fails on it
        return type(error).__name__


def _probe(env, user, record, write_vals, copy_defaults):
    """The letters of what ``user`` may do to ``record``, measured through the ORM."""
    Model = env[record._name].with_user(user)
    defaults = copy_defaults(record) if callable(copy_defaults) else copy_defaults
    vals = write_vals(record) if callable(write_vals) else write_vals
    try:
        found = bool(Model.search([("id", "=", record.id)]))
    except AccessError:
        found = False
    outcomes = {
        "read": _attempt(env, lambda: record.with_user(user).read(["display_name"])),
        "create": _attempt(env, lambda: Model.create(record.sudo().copy_data(defaults)[0])),
        "write": _attempt(env, lambda: record.with_user(user).write(vals)),
        "unlink": _attempt(env, lambda: record.with_user(user).unlink()),
    }
    if found != (outcomes["read"] == "ok"):
        outcomes["read"] = "search-and-read-disagree"
    cell = ""
    for op, letter in OPERATIONS.items():
        outcome = outcomes[op]
        cell += letter if outcome == "ok" else "·" if outcome == "denied" else f"!{outcome}!"
    return cell


def record_matrix(env, w):
    """{(model, label): {role: "RCWD"-style}} measured as each role's user."""
    # Each user works in the companies of their own user record.
    context = {k: v for k, v in env.context.items() if k != "allowed_company_ids"}
    env = env(context=context)
    result = {}
    for model, (records, write_vals, copy_defaults) in record_specs(w).items():
        for label, record in records:
            result[(model, label)] = {
                role: _probe(env, user, record.with_env(env), write_vals, copy_defaults)
                for role, user in w.users.items()
            }
    return result


def render(env, w=None, records=None):
    """The markdown of docs/security.md (``w``/``records``: a built world and its
    measured record matrix, to reuse them)."""
    if w is None:
        w = world_module.build_world(env)
    if records is None:
        records = record_matrix(env, w)
    lines = [
        "# Security: who may do what",
        "",
        "Generated by `setup/security-doc` from the access rights and record rules",
        "in force; `tests/test_access_matrix.py` fails when this file and the code",
        "disagree. R = read, C = create, W = write, D = delete (unlink), · = denied.",
        "Record rules below narrow what an allowed role sees (own company, own",
        "customer's records for the portal).",
        "",
        "## Access rights",
        "",
        "| Addon | Model | " + " | ".join(label for label, __ in ROLES.values()) + " |",
        "|---|---|" + "---|" * len(ROLES),
    ]
    for (addon, name), cells in matrix(env).items():
        lines.append(f"| {addon} | `{name}` | " + " | ".join(f"`{cells[r]}`" for r in ROLES) + " |")
    lines += [
        "",
        "## Record rules",
        "",
        "| Model | Rule | Applies to | Domain |",
        "|---|---|---|---|",
    ]
    for model, name, groups, domain in rules(env):
        domain = " ".join(domain.split()).replace("|", "\\|")
        lines.append(f"| `{model}` | {name} | {groups} | `{domain}` |")
    roles = world_module.ROLES
    lines += [
        "",
        "## What each role does to actual records",
        "",
        "Measured through the ORM as each role's user (`tests/world.py`: customers A",
        "and B of company 1, a customer of company 2), each operation undone after",
        "it: read, create a copy, write, delete. `tests/test_access_matrix.py` checks",
        "this table against the policy stated in `tests/access_matrix.py`",
        "(`RECORD_RIGHTS`) and the portal customers' reads against the portal pages.",
        "",
        "| Model | Record | " + " | ".join(label for label, __, __ in roles.values()) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for (model, label), cells in records.items():
        lines.append(
            f"| `{model}` | {RECORD_LABELS[label]} | "
            + " | ".join(f"`{cells[r]}`" for r in roles)
            + " |"
        )
    return "\n".join(lines) + "\n"
