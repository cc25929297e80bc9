"""A small world for the suite's security tests: two customers, two companies.

Customer A and customer B buy from company 1; company 2 has a customer of its
own. Each has a unit, a request, a warranty claim and an active contract (A
also a draft and a cancelled one) under its company's SLA policy; each
company has its team, warranty policy, SLA policy and dispatch rule, a spare
part with a number, a fit and a substitute, a claim to a supplier, a repair
with its quality check and a demo unit with a booking. One user per role of
the access matrix; every user's password is its login.

``build_world(env)`` creates it all inside the caller's transaction (a test's
class set-up, or the shell of ``setup/security-doc`` that rolls back).
"""

from types import SimpleNamespace

from odoo import Command
from odoo.models import BaseModel

# role -> (label, groups, company): company 2 only for the other company's manager.
ROLES = {
    "public": ("Public (not logged in)", None, 1),
    "portal_a": ("Portal customer A", "base.group_portal", 1),
    "portal_b": ("Portal customer B", "base.group_portal", 1),
    "internal": ("Internal user without service rights", "base.group_user", 1),
    "service_user": ("Service user", "service_base.group_service_user", 1),
    "service_manager": ("Service manager", "service_base.group_service_manager", 1),
    "accountant": ("Accountant (invoicing)", "account.group_account_invoice", 1),
    "stock_user": ("Stock user", "stock.group_stock_user", 1),
    "other_manager": (
        "Service manager of another company",
        "service_base.group_service_manager",
        2,
    ),
}


# The portal page of each customer document the world has.
PORTAL_PAGES = {
    "service.equipment": "/my/equipment/{id}",
    "service.request": "/my/service-requests/{id}",
    "service.warranty.claim": "/my/claims/{id}",
    "service.contract": "/my/contracts/{id}",
}


def login(role):
    return f"sec_{role}"


def build_world(env):
    caller_env = env
    w = SimpleNamespace()
    w.company1 = env.ref("base.main_company")
    w.company2 = env["res.company"].create({"name": "Security Test Company 2"})
    # Multi-company rules and fields must see both companies while we build.
    env = env(context=dict(env.context, allowed_company_ids=[w.company1.id, w.company2.id]))
    w.env = env
    Partner = env["res.partner"]
    w.customer_a = Partner.create({"name": "Security Customer A", "is_company": True})
    w.contact_a = Partner.create(
        {"name": "Alice of A", "parent_id": w.customer_a.id, "email": "alice.a@example.com"}
    )
    w.customer_b = Partner.create({"name": "Security Customer B", "is_company": True})
    w.contact_b = Partner.create(
        {"name": "Bob of B", "parent_id": w.customer_b.id, "email": "bob.b@example.com"}
    )
    w.customer_c = Partner.create(
        {"name": "Security Customer C2", "is_company": True, "company_id": w.company2.id}
    )
    w.users = {"public": env.ref("base.public_user")}
    for role, (label, groups, company) in ROLES.items():
        if groups is None:
            continue
        company = w.company1 if company == 1 else w.company2
        extra = {}
        if role == "portal_a":
            extra["partner_id"] = w.contact_a.id
        elif role == "portal_b":
            extra["partner_id"] = w.contact_b.id
        # Not odoo.tests.new_test_user: setup/security-doc runs outside test mode.
        w.users[role] = (
            env["res.users"]
            .with_context(no_reset_password=True, mail_create_nosubscribe=True)
            .create(
                {
                    "name": f"Security {label}",
                    "login": login(role),
                    "password": login(role),
                    "email": f"{login(role)}@example.com",
                    "groups_id": [Command.set([env.ref(groups).id])],
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    **extra,
                }
            )
        )
    w.model = env["product.product"].create(
        {
            "name": "Security Boiler SB-1",
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "is_equipment": True,
            "list_price": 900.0,
        }
    )
    w.service_product = env["product.product"].create(
        {"name": "Security Maintenance Plan", "type": "service", "list_price": 50.0}
    )
    w.lots = env["stock.lot"].create(
        [
            {"name": "SEC-A-0001", "product_id": w.model.id, "company_id": w.company1.id},
            {"name": "SEC-B-0001", "product_id": w.model.id, "company_id": w.company1.id},
            {"name": "SEC-C-0001", "product_id": w.model.id, "company_id": w.company2.id},
        ]
    )
    owners = [(w.contact_a, w.company1), (w.customer_b, w.company1), (w.customer_c, w.company2)]
    w.teams = env["service.team"].create(
        [
            {"name": "Security Team 1", "company_id": w.company1.id},
            {"name": "Security Team 2", "company_id": w.company2.id},
        ]
    )
    w.units = env["service.equipment"].create(
        [
            {
                "product_id": w.model.id,
                "lot_id": lot.id,
                "partner_id": partner.id,
                "company_id": company.id,
            }
            for lot, (partner, company) in zip(w.lots, owners, strict=True)
        ]
    )
    w.requests = env["service.request"].create(
        [
            {
                "partner_id": partner.id,
                "equipment_id": unit.id,
                "company_id": company.id,
                "subject": f"Security request of {partner.commercial_partner_id.name}",
                "description": "<p>It leaks.</p>",
            }
            for unit, (partner, company) in zip(w.units, owners, strict=True)
        ]
    )
    w.claims = env["service.warranty.claim"].create(
        [
            {
                "partner_id": partner.id,
                "lot_id": unit.lot_id.id,
                "equipment_id": unit.id,
                "company_id": company.id,
                "defect_description": f"Claim of {partner.commercial_partner_id.name}",
            }
            for unit, (partner, company) in zip(w.units, owners, strict=True)
        ]
    )
    w.contracts = env["service.contract"].create(
        [
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "currency_id": company.currency_id.id,
                "title": f"Security contract of {partner.commercial_partner_id.name}",
                "line_ids": [
                    Command.create(
                        {"equipment_id": unit.id, "name": "Covered unit", "price_unit": 10.0}
                    )
                ],
            }
            for unit, (partner, company) in zip(w.units, owners, strict=True)
        ]
    )
    w.contracts.action_activate()
    # Customer A's contract under negotiation and a cancelled one: internal
    # (terms and prices not agreed), not the customer's to see.
    w.internal_contracts = env["service.contract"].create(
        [
            {
                "partner_id": w.contact_a.id,
                "company_id": w.company1.id,
                "currency_id": w.company1.currency_id.id,
                "title": f"Security {title} contract of {w.customer_a.name}",
                "line_ids": [
                    Command.create(
                        {"equipment_id": w.units[0].id, "name": "Draft price", "price_unit": 7.0}
                    )
                ],
            }
            for title in ("draft", "cancelled")
        ]
    )
    w.internal_contracts[1].action_cancel()
    w.warranty_policies = env["service.warranty.policy"].create(
        [
            {"name": "Security policy 1", "product_id": w.model.id, "company_id": w.company1.id},
            {"name": "Security policy 2", "product_id": w.model.id, "company_id": w.company2.id},
        ]
    )
    w.sla_policies = env["service.sla.policy"].create(
        [
            {
                "name": f"Security SLA {index}",
                "calendar_id": company.resource_calendar_id.id,
                "company_id": company.id,
            }
            for index, company in enumerate(w.company1 | w.company2, start=1)
        ]
    )
    # Each company's contracts run under its policy (a portal customer reads
    # the policies of its own contracts only).
    for contract in w.contracts | w.internal_contracts:
        contract.sla_policy_id = w.sla_policies.filtered(
            lambda policy, contract=contract: policy.company_id == contract.company_id
        )
    # Their own teams: a team used by a rule cannot be deleted.
    rule_teams = env["service.team"].create(
        [
            {"name": "Security Rule Team 1", "company_id": w.company1.id},
            {"name": "Security Rule Team 2", "company_id": w.company2.id},
        ]
    )
    w.dispatch_rules = env["service.dispatch.rule"].create(
        [
            {"name": f"Security rule {index}", "team_id": team.id, "company_id": team.company_id.id}
            for index, team in enumerate(rule_teams, start=1)
        ]
    )
    # Each company's spare part (and a substitute, and a spare for the copies
    # the matrix makes) with an OEM number and a fit with the model.
    w.parts = env["product.product"].create(
        [
            {
                "name": f"Security Part {index}",
                "default_code": f"SEC-PART-{index}",
                "type": "consu",
                "is_spare_part": True,
                "company_id": company.id,
            }
            for index, company in enumerate((w.company1, w.company2) * 3, start=1)
        ]
    )
    w.crossrefs = env["service.part.crossref"].create(
        [
            {"product_id": part.id, "code": f"SEC-OEM-{part.id}", "code_type": "oem"}
            for part in w.parts[:2]
        ]
    )
    w.compatibilities = env["service.part.compatibility"].create(
        [{"part_product_id": part.id, "equipment_product_id": w.model.id} for part in w.parts[:2]]
    )
    w.substitutes = env["service.part.substitute"].create(
        [
            {"product_id": part.id, "substitute_id": substitute.id}
            for part, substitute in zip(w.parts[:2], w.parts[2:4], strict=True)
        ]
    )
    supplier = Partner.create({"name": "Security Supplier", "is_company": True})
    w.supplier_claims = env["service.supplier.claim"].create(
        [
            {
                "claim_id": claim.id,
                "company_id": claim.company_id.id,
                "supplier_id": supplier.id,
                "lot_id": claim.lot_id.id,
            }
            for claim in w.claims[0] | w.claims[2]
        ]
    )
    # A repair of each company's unit, waiting for its quality check.
    # A company created here has no warehouse yet, hence no repair type.
    if not env["stock.warehouse"].search([("company_id", "=", w.company2.id)]):
        env["stock.warehouse"].create(
            {"name": "Security Warehouse 2", "code": "SEC2", "company_id": w.company2.id}
        )
    repair_types = {
        company: env["stock.picking.type"].search(
            [("code", "=", "repair_operation"), ("company_id", "=", company.id)], limit=1
        )
        for company in w.company1 | w.company2
    }
    repairs = env["repair.order"].create(
        [
            {
                "product_id": w.model.id,
                "lot_id": unit.lot_id.id,
                "partner_id": unit.partner_id.id,
                "company_id": unit.company_id.id,
                "picking_type_id": repair_types[unit.company_id].id,
            }
            for unit in w.units[0] | w.units[2]
        ]
    )
    template = env["service.qc.template"].create(
        {
            "name": "Security QC",
            "company_id": False,
            "item_ids": [Command.create({"name": "Security probe", "mandatory": False})],
        }
    )
    w.qc_checks = env["service.qc.check"].create(
        [{"repair_id": repair.id, "template_id": template.id} for repair in repairs]
    )
    demo_lots = env["stock.lot"].create(
        [
            {"name": f"SEC-DEMO-{index}", "product_id": w.model.id, "company_id": company.id}
            for index, company in enumerate(w.company1 | w.company2, start=1)
        ]
    )
    demo_units = env["service.equipment"].create(
        [
            {
                "product_id": w.model.id,
                "lot_id": lot.id,
                "company_id": lot.company_id.id,
                "is_demo": True,
            }
            for lot in demo_lots
        ]
    )
    w.demo_bookings = env["service.demo.booking"].create(
        [
            {
                "equipment_id": unit.id,
                "company_id": unit.company_id.id,
                "partner_id": partner.id,
                "date_start": "2031-03-03 09:00:00",
                "date_stop": "2031-03-03 11:00:00",
            }
            for unit, partner in zip(demo_units, (w.customer_a, w.customer_c), strict=True)
        ]
    )
    # Hand the records back in the caller's environment (its companies).
    for name, value in vars(w).items():
        if isinstance(value, BaseModel):
            setattr(w, name, value.with_env(caller_env))
    w.users = {role: user.with_env(caller_env) for role, user in w.users.items()}
    w.env = caller_env
    return w
