"""The suite's access matrix: every suite model x every role x every operation.

Two tables: the access rights of each group on every suite model, and what
each role of ``tests/world.py`` can do to actual records (its customer's,
another customer's, another company's) through the ORM as that user.
``RECORD_RIGHTS`` states what they should be; ``test_access_matrix`` checks the
measured table against it and ``docs/security.md`` against ``render(env)``,
which ``setup/security-doc`` writes.
"""

import ast
import functools
import pathlib

from odoo import Command, models
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


@functools.cache
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
    # The accountant reads the claims whose credit notes they post.
    "service.warranty.claim": {
        "portal": "R",
        "service_user": "RCW",
        "service_manager": "RCWD",
        "accountant": "R",
    },
    "service.contract": {
        "portal": "R",
        "service_user": "RCW",
        "service_manager": "RCWD",
        "accountant": "R",
    },
    "service.contract.line": {
        "portal": "R",
        # A draft's lines are edited freely; a contract in force (or ended)
        # changes its lines and prices by a manager only.
        "service_user": {"A_draft": "RCWD", None: "RW"},
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
    "service.supplier.claim": {"service_user": "RCW", "service_manager": "RCWD", "accountant": "R"},
    "service.qc.check": {"service_user": "RCW", "service_manager": "RCWD"},
    "service.demo.booking": {"service_user": "RCW", "service_manager": "RCWD"},
}
RIGHTS_ROLE = {"portal_a": "portal", "portal_b": "portal", "other_manager": "service_manager"}

# The labels of the world's records in the tables.
RECORD_LABELS = {
    "A": "customer A's (company 1)",
    "A_draft": "customer A's draft (company 1)",
    "A_cancelled": "customer A's cancelled (company 1)",
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

    def internal(spec, records):
        # Customer A's draft and cancelled documents, after the three above.
        labelled, write, copy = spec
        return labelled + list(zip(("A_draft", "A_cancelled"), records, strict=True)), write, copy

    def spare_substitute(record):
        # The copy swaps in its company's spare part: the same pair twice is refused.
        spares = w.parts.filtered(lambda part: part.company_id == record.company_id)
        return {"substitute_id": spares[-1].id}

    return {
        "service.equipment": customers(w.units, {"note": "<p>probe</p>"}, {"lot_id": False}),
        "service.request": customers(w.requests, {"subject": "probe"}),
        "service.warranty.claim": customers(w.claims, {"defect_description": "probe"}),
        "service.contract": internal(
            customers(w.contracts, {"title": "probe"}), w.internal_contracts
        ),
        "service.contract.line": internal(
            customers(w.contracts.line_ids, {"name": "probe"}), w.internal_contracts.line_ids
        ),
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
    """Whether ``role`` should see the world's record ``label`` at all (a
    customer's draft or cancelled document is internal: its customer does not)."""
    owner = label.partition("_")[0]
    if role == "public":
        return False
    if role == "portal_a":
        return label in ("A", "co1")
    if role == "portal_b":
        return label in ("B", "co1")
    if role == "other_manager":
        return owner in ("C2", "co2")
    return owner in ("A", "B", "co1")


def expected_record_matrix(w):
    """{(model, label): {role: "RCWD"-style}} as RECORD_RIGHTS and visibility say."""
    result = {}
    for model, (records, __, __) in record_specs(w).items():
        for label, __ in records:
            result[(model, label)] = {
                role: "".join(
                    letter
                    if visible(role, label) and letter in _rights(model, role, label)
                    else "·"
                    for letter in OPERATIONS.values()
                )
                for role in world_module.ROLES
            }
    return result


def _rights(model, role, label):
    """RECORD_RIGHTS of ``role`` on ``model``'s record ``label`` (a role's rights
    may differ per record: {label: rights, None: the others'})."""
    rights = RECORD_RIGHTS[model].get(RIGHTS_ROLE.get(role, role), "")
    if isinstance(rights, dict):
        rights = rights.get(label, rights[None])
    return rights


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


# ---------------------------------------------------------------------------
# Field level: which fields of what it reads each role reads
# ---------------------------------------------------------------------------

# Odoo's models whose records a portal customer reads (its own partner, user
# and company, its invoices, orders and transfers) and to which the suite adds
# fields; ``test_access_matrix`` finds them again from the access rights.
ODOO_MODELS = (
    "res.partner",
    "res.users",
    "res.company",
    "account.move",
    "sale.order",
    "sale.order.line",
    "purchase.order",
    "stock.picking",
)

# The suite's fields a portal customer reads on each model it may read (the
# policy, stated by hand): what its portal pages show and what identifies its
# own documents. Every other suite field of these models is internal
# (``groups="base.group_user"``): costs, margins, revenue and analytic
# accounts, the yearly cap, inspection findings, suppliers and their warranty,
# who decided and why, internal notes, the desk's own organisation (dispatch,
# service centres, loaners, rework, KPIs) and links to internal documents
# (repairs, transfers, supplier claims, opportunities, renewals).
PORTAL_FIELDS = {
    "service.equipment": (
        "name",
        "active",
        "company_id",
        "product_id",
        "categ_id",
        "lot_id",
        "serial",
        "partner_id",
        "commercial_partner_id",
        "site_partner_id",
        "team_id",
        "sale_date",
        "installation_date",
        "state",
        "image_128",
        "service_warranty_start",
        "service_warranty_end",
        "service_in_warranty",
        # The one warranty answer of the customer's own unit: until when and from where.
        "service_warranty_valid_until",
        "service_warranty_source",
        "service_warranty_label",
    ),
    "service.request": (
        "name",
        "subject",
        "active",
        "company_id",
        "currency_id",
        "partner_id",
        "commercial_partner_id",
        "email_from",
        "partner_phone",
        "channel",
        "request_type",
        "equipment_id",
        "lot_id",
        "product_id",
        "categ_id",
        "description",
        "resolution",
        "priority",
        "stage_id",
        "is_closed",
        "team_id",
        "user_id",
        "date_closed",
        "date_deadline",
        "date_scheduled",
        "is_overdue",
        "contract_id",
        "date_response_deadline",
    ),
    "service.warranty.claim": (
        "name",
        "company_id",
        "currency_id",
        "user_id",
        "partner_id",
        "commercial_partner_id",
        "equipment_id",
        "lot_id",
        "product_id",
        "claim_date",
        "sale_order_id",
        "invoice_line_id",
        "invoice_id",
        "purchase_date",
        "defect_description",
        "evidence_ids",
        "warranty_end",
        "in_warranty",
        "warranty_source",
        "warranty_label",
        "state",
        "decision",
        "decision_date",
        "reject_reason",
        "replacement_lot_id",
        "refund_amount",
        "credit_note_id",
    ),
    "service.contract": (
        "name",
        "title",
        "active",
        "company_id",
        "partner_id",
        "commercial_partner_id",
        "partner_invoice_id",
        "user_id",
        "state",
        "date_start",
        "date_end",
        "line_ids",
        "equipment_ids",
        "sla_policy_id",
        "cover_labour",
        "cover_parts",
        "cover_travel",
        "currency_id",
        "amount_period",
        "invoicing_period",
        "invoicing_mode",
        "previous_contract_id",
        "sale_order_id",
        "invoice_count",
        "next_invoice_date",
        "note",
    ),
    "service.contract.line": (
        "contract_id",
        "sequence",
        "company_id",
        "currency_id",
        "equipment_id",
        "product_id",
        "name",
        "quantity",
        "price_unit",
        "price_subtotal",
    ),
    "service.sla.policy": (
        "name",
        "sequence",
        "active",
        "company_id",
        "calendar_id",
        "line_ids",
        "description",
    ),
    "service.sla.policy.line": ("policy_id", "priority", "response_hours", "resolution_hours"),
    "service.request.stage": ("name", "sequence", "active", "fold", "is_closed"),
    "res.partner": (),
    "res.users": (),
    "res.company": (),
    "account.move": (
        "service_contract_id",
        "service_period_start",
        "service_period_end",
        "service_warranty_claim_id",
    ),
    "sale.order": (),
    # what a contract pays on a repair line goes with its (internal) yearly cap
    "sale.order.line": (),
    "purchase.order": (),
    "stock.picking": (),
}

# Suite fields that not every internal user reads: (model, field) -> the roles
# that read them, of those the model's access rights let in. Mostly links to
# records of a model the others may not read (the accountant reads contracts,
# not units or requests; the service staff not invoices).
SERVICE_STAFF = {"service_user", "service_manager", "other_manager"}
SERVICE_MANAGERS = {"service_manager", "other_manager"}
NARROW_FIELDS = {
    # invoices: the accountant's, and the service managers' (Billing, implied by
    # their group: they invoice contracts and read service-centre bills)
    ("service.request", "service_center_bill_ids"): {"accountant", *SERVICE_MANAGERS},
    ("service.contract", "equipment_ids"): SERVICE_STAFF,
    ("service.contract", "invoice_ids"): {"accountant", *SERVICE_MANAGERS},
    ("service.contract", "service_request_ids"): SERVICE_STAFF,
    ("service.contract", "service_request_count"): SERVICE_STAFF,
    ("res.partner", "service_equipment_count"): SERVICE_STAFF,
    # meter readings and maintenance plans: the service's own records
    ("service.equipment", "reading_ids"): SERVICE_STAFF,
    ("service.equipment", "maintenance_plan_ids"): SERVICE_STAFF,
    ("service.contract", "maintenance_plan_ids"): SERVICE_STAFF,
    # the technician's van: the service's stock, not every employee's
    ("res.users", "service_van_location_id"): SERVICE_STAFF,
}

PORTAL_ROLES = ("public", "portal_a", "portal_b")
_NOT_IN_FIELD_MATRIX = {"id", "display_name", *models.LOG_ACCESS_COLUMNS}


def field_models(env):
    """The models of the field matrix: the suite's, then Odoo's that portal reads."""
    return [name for __, name in suite_models(env)] + list(ODOO_MODELS)


def suite_fields(env, model):
    """The fields a suite addon defines on ``model`` (the id and log fields left out)."""
    addons = set(suite_addons())
    return [
        name
        for name, field in env[model]._fields.items()
        if field._module in addons and name not in _NOT_IN_FIELD_MATRIX
    ]


def _field_probe_record(env, w, role, model):
    """The record of ``model`` that ``role`` reads in the world (its customer's,
    its company's, its own user), or an empty recordset where the world has none."""
    user = w.users[role]
    own = {
        "res.partner": user.partner_id,
        "res.users": user,
        "res.company": user.company_id,
    }
    if model in own:
        return own[model].with_env(env)
    spec = record_specs(w).get(model)
    if spec:
        for label, record in spec[0]:
            if visible(role, label):
                return record.with_env(env)
    return env[model]


def _probe_fields(env, user, record, names):
    """{field: cell} measured as ``user`` on ``record``, each field read on its
    own from the database: "R" when ``fields_get`` describes it and ``read``
    gives it, "·" when neither does (refused by name with AccessError, and left
    out of a read without names), "!…!" for any other combination."""
    Model = env[record._name].with_user(user)
    if not env["ir.model.access"].with_user(user).check(record._name, "read", False):
        return dict.fromkeys(names, "·")
    try:
        record.with_user(user).read(["display_name"])
    except AccessError:  # a record rule hides the record
        return dict.fromkeys(names, "·")
    described = set(Model.fields_get(names, attributes=["type"]))
    if record and record._original_module in suite_addons():
        env.invalidate_all()
        try:
            with env.cr.savepoint():
                unnamed = set(record.with_user(user).read()[0])
        except Exception:  # the field at fault fails its own read below
            unnamed = described
    else:
        # what a read without names reads (on Odoo's models, some of Odoo's
        # own fields refuse some roles: not the subject here)
        unnamed = set(Model.check_field_access_rights("read", None))
    cells = {}
    for name in names:
        env.invalidate_all()
        try:
            with env.cr.savepoint():
                record.with_user(user).read([name])
            outcome = "ok"
        except AccessError:
            outcome = "denied"
        except Exception as error:  # reported in the matrix: the test fails on it
            outcome = type(error).__name__
        if name in described and outcome == "ok" and name in unnamed:
            cells[name] = "R"
        elif name not in described and outcome == "denied" and name not in unnamed:
            cells[name] = "·"
        elif name in described:
            cells[name] = f"!described, read: {outcome}!"
        else:
            cells[name] = f"!not described, read: {outcome}!"
    return cells


def field_matrix(env, w):
    """{(model, field): {role: "R" or "·"}} measured as each role's user."""
    context = {k: v for k, v in env.context.items() if k != "allowed_company_ids"}
    env = env(context=context)
    result = {}
    for model in field_models(env):
        names = suite_fields(env, model)
        if not names:
            continue
        by_role = {
            role: _probe_fields(env, user, _field_probe_record(env, w, role, model), names)
            for role, user in w.users.items()
        }
        for name in names:
            result[(model, name)] = {role: by_role[role][name] for role in world_module.ROLES}
    return result


def expected_field_matrix(env, w):
    """{(model, field): {role: "R" or "·"}} as PORTAL_FIELDS and NARROW_FIELDS
    say, for the roles whose access rights let them read the model at all."""
    access = env["ir.model.access"]
    result = {}
    for model in field_models(env):
        readers = {
            role
            for role, user in w.users.items()
            if access.with_user(user).check(model, "read", False)
        }
        for name in suite_fields(env, model):
            cells = {}
            for role in world_module.ROLES:
                if role not in readers:
                    reads = False
                elif role in PORTAL_ROLES:
                    reads = name in PORTAL_FIELDS.get(model, ())
                else:
                    reads = role in NARROW_FIELDS.get((model, name), {role})
                cells[role] = "R" if reads else "·"
            result[(model, name)] = cells
    return result


def _field_rows(fields):
    """Rows of the field table: per model, its fields grouped by who reads them,
    the portal's models first."""
    by_model = {}
    for (model, name), cells in fields.items():
        pattern = tuple(cells[role] for role in world_module.ROLES)
        by_model.setdefault(model, {}).setdefault(pattern, []).append(name)
    portal = [m for m in by_model if m in PORTAL_FIELDS]
    others = [m for m in by_model if m not in PORTAL_FIELDS]
    rows = []
    for model in portal + others:
        groups = by_model[model]
        # the fields the portal reads first, then the widest-read
        for pattern, names in sorted(
            groups.items(), key=lambda item: (item[0][1] != "R", -item[0].count("R"))
        ):
            shown = (
                f"all {len(names)} fields"
                if len(groups) == 1 and model not in PORTAL_FIELDS
                else ", ".join(f"`{name}`" for name in names)
            )
            rows.append((model, shown, pattern))
    return rows


def render(env, w=None, records=None, fields=None):
    """The markdown of docs/security.md (``w``/``records``: a built world and its
    measured record matrix, to reuse them)."""
    if w is None:
        w = world_module.build_world(env)
    if records is None:
        records = record_matrix(env, w)
    if fields is None:
        fields = field_matrix(env, w)
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
    lines += [
        "",
        "## Which fields each role reads",
        "",
        "The fields the suite defines, on its own models and on Odoo's models whose",
        "records portal customers read (Odoo's own fields keep Odoo's rules; `id` and",
        "the create/write log fields are left out). Measured as each role's user on",
        "the record of the world it reads: `fields_get`, then `read` of the fields it",
        "describes; each other field must be refused by name (AccessError) and left out",
        "of a `read` without field names. R = reads, · = does not (a role that may not",
        "read the model reads none of its fields). Portal customers read the fields of",
        "`PORTAL_FIELDS` in `tests/access_matrix.py` and nothing else; internal users",
        "read every field of what they may read, except those of `NARROW_FIELDS`.",
        "",
        "| Model | Fields | " + " | ".join(label for label, __, __ in roles.values()) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for model, shown, pattern in _field_rows(fields):
        lines.append(f"| `{model}` | {shown} | " + " | ".join(f"`{c}`" for c in pattern) + " |")
    return "\n".join(lines) + "\n"
