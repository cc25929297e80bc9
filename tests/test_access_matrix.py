import re

from odoo import Command, api
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from .access_matrix import (
    ODOO_MODELS,
    PORTAL_FIELDS,
    ROOT,
    expected_field_matrix,
    expected_record_matrix,
    field_matrix,
    matrix,
    record_matrix,
    record_specs,
    render,
    suite_fields,
    suite_models,
)
from .world import PORTAL_PAGES, ROLES, build_world, login


@tagged("post_install", "-at_install", "service_suite")
class TestAccessMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world = build_world(cls.env)
        cls.measured = record_matrix(cls.env, cls.world)
        cls.fields = field_matrix(cls.env, cls.world)

    def test_documented_matrix_matches_code(self):
        documented = (ROOT / "docs" / "security.md").read_text()
        self.assertEqual(
            render(self.env, self.world, self.measured, self.fields),
            documented,
            "docs/security.md is out of date: run setup/security-doc and review the diff",
        )

    def test_every_suite_model_has_access_rights(self):
        for (addon, name), cells in matrix(self.env).items():
            with self.subTest(model=name):
                self.assertTrue(
                    any(cell != "····" for role, cell in cells.items()),
                    f"{addon}: {name} has no access rights for any role",
                )
                # Public pages reach data only through their controllers.
                self.assertEqual(cells["public"], "····", name)
                self.assertIn("R", cells["service_manager"], name)

    def test_records_as_each_role(self):
        """Each role reads, creates, writes and deletes exactly what the policy says."""
        expected = expected_record_matrix(self.world)
        self.assertEqual(set(self.measured), set(expected))
        for key, cells in expected.items():
            for role in ROLES:
                with self.subTest(model=key[0], record=key[1], role=role):
                    self.assertEqual(self.measured[key][role], cells[role])

    def test_fields_as_each_role(self):
        """Each role reads exactly the fields the policy says, on what it reads."""
        expected = expected_field_matrix(self.env, self.world)
        self.assertEqual(set(self.fields), set(expected))
        for (model, name), cells in expected.items():
            with self.subTest(model=model, field=name):
                self.assertEqual(self.fields[(model, name)], cells)

    def test_field_policy_covers_what_portal_reads(self):
        """A model portal customers may read has its stated portal fields: a new
        one (or a suite field on another Odoo model they read) fails here."""
        portal = self.env.ref("base.group_portal")
        read_by_portal = {
            model.model
            for model in self.env["ir.model.access"]
            .sudo()
            .search([("group_id", "=", portal.id), ("perm_read", "=", True)])
            .model_id
        }
        suite = {name for __, name in suite_models(self.env)}
        odoo = {m for m in read_by_portal - suite if m in self.env and suite_fields(self.env, m)}
        self.assertEqual(set(ODOO_MODELS), odoo)
        self.assertEqual(set(PORTAL_FIELDS), (read_by_portal & suite) | odoo)
        for model, names in PORTAL_FIELDS.items():
            with self.subTest(model=model):
                self.assertLessEqual(set(names), set(suite_fields(self.env, model)))


@tagged("post_install", "-at_install", "service_suite")
class TestPortalReadsOverRpc(TransactionCase):
    """What customer A's JSON-RPC client gets back from ``call_kw``: its own
    claim, request, contract and unit without their internal fields, and
    nothing of its draft or cancelled contracts."""

    INTERNAL = {
        "service.warranty.claim": (
            "inspection_note",
            "supplier_id",
            "supplier_warranty_end",
            "labour_cost",
            "cost_total",
            "service_margin",
            "analytic_account_id",
            "decided_by_id",
            "override_reason",
        ),
        "service.request": (
            "service_revenue",
            "service_parts_cost",
            "service_labour_cost",
            "service_margin",
            "service_center_cost",
            "analytic_account_id",
        ),
        "service.contract": (
            "yearly_cap",
            "service_revenue",
            "service_cost",
            "service_margin",
            "analytic_account_id",
        ),
        "service.equipment": ("note", "is_demo"),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world = build_world(cls.env)
        cls.own = {
            "service.warranty.claim": cls.world.claims[0],
            "service.request": cls.world.requests[0],
            "service.contract": cls.world.contracts[0],
            "service.equipment": cls.world.units[0],
        }

    def _call(self, model, method, *args, **kwargs):
        env = self.env(user=self.world.users["portal_a"], context={"lang": "en_US"})
        return api.call_kw(env[model], method, list(args), kwargs)

    def test_internal_fields_of_own_records_are_refused(self):
        for model, names in self.INTERNAL.items():
            record = self.own[model]
            for name in names:
                with self.subTest(model=model, field=name):
                    with self.assertRaises(AccessError):
                        self._call(model, "read", record.ids, [name])
                    with self.assertRaises(AccessError):
                        self._call(model, "search_read", [("id", "=", record.id)], [name])
                    with self.assertRaises(AccessError):
                        self._call(model, "web_read", record.ids, {name: {}})
                    if record._fields[name].store:
                        with self.assertRaises(AccessError):
                            self._call(model, "search", [(name, "!=", False)])

    def test_reads_without_field_names_leave_internal_fields_out(self):
        for model, names in self.INTERNAL.items():
            record = self.own[model]
            with self.subTest(model=model):
                [values] = self._call(model, "read", record.ids)
                self.assertEqual(values["name"], record.name)
                self.assertFalse(set(names) & set(values))
                [values] = self._call(model, "search_read", [("id", "=", record.id)])
                self.assertFalse(set(names) & set(values))
                described = self._call(model, "fields_get", attributes=["type"])
                self.assertFalse(set(names) & set(described))

    def test_draft_and_cancelled_contracts_stay_internal(self):
        mine = self.world.contracts[0]
        self.assertEqual(self._call("service.contract", "search", []), mine.ids)
        self.assertEqual(self._call("service.contract", "search_count", []), 1)
        for contract in self.world.internal_contracts:
            with self.subTest(state=contract.state):
                with self.assertRaises(AccessError):
                    self._call("service.contract", "read", contract.ids, ["name", "note"])
                with self.assertRaises(AccessError):
                    self._call("service.contract.line", "read", contract.line_ids.ids, ["name"])
                lines = self._call(
                    "service.contract.line", "search_read", [("contract_id", "=", contract.id)]
                )
                self.assertEqual(lines, [])

    def test_sla_policies_of_own_contracts_only(self):
        """A policy no contract of the customer's runs under (another customer's
        terms, a draft's, another company's) is internal, and so are its targets."""
        mine = self.world.sla_policies[0]
        unused = self.env["service.sla.policy"].create(
            {
                "name": "Security SLA for someone else",
                "calendar_id": self.world.company1.resource_calendar_id.id,
                "company_id": self.world.company1.id,
                "line_ids": [
                    Command.create({"priority": "3", "response_hours": 1, "resolution_hours": 4})
                ],
            }
        )
        self.world.internal_contracts[0].sla_policy_id = unused
        foreign_target = self.env["service.sla.policy.line"].create(
            {"policy_id": self.world.sla_policies[1].id, "priority": "3", "response_hours": 2}
        )
        self.assertEqual(self._call("service.sla.policy", "search", []), mine.ids)
        for policy in unused | self.world.sla_policies[1]:
            with self.subTest(policy=policy.name):
                with self.assertRaises(AccessError):
                    self._call("service.sla.policy", "read", policy.ids, ["name"])
                self.assertFalse(
                    self._call("service.sla.policy.line", "search", [("policy_id", "=", policy.id)])
                )
        # Another company's targets are not company 1's staff's either.
        staff = self.env(user=self.world.users["service_user"], context={})
        self.assertFalse(staff["service.sla.policy.line"].search([("id", "=", foreign_target.id)]))


@tagged("post_install", "-at_install", "service_suite")
class TestAccessMatrixPortalPages(HttpCase):
    """The portal customers' row of the matrix, through the portal pages."""

    PAGES = PORTAL_PAGES
    LISTS = {
        "service.equipment": "/my/equipment",
        "service.request": "/my/service-requests",
        "service.warranty.claim": "/my/claims",
        "service.contract": "/my/contracts",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world = build_world(cls.env)

    def test_portal_pages_follow_the_matrix(self):
        expected = expected_record_matrix(self.world)
        specs = record_specs(self.world)
        for role in ("portal_a", "portal_b", "public"):
            if role == "public":
                self.authenticate(None, None)
            else:
                self.authenticate(login(role), login(role))
            for model, url in self.PAGES.items():
                records, __, __ = specs[model]
                listing = "" if role == "public" else self.url_open(self.LISTS[model]).text
                for label, record in records:
                    may_read = expected[(model, label)][role].startswith("R")
                    with self.subTest(role=role, model=model, record=label):
                        page = self.url_open(url.format(id=record.id))
                        name = re.compile(re.escape(record.sudo().name) + r"(?![\w/])")
                        shown = page.status_code == 200 and bool(name.search(page.text))
                        self.assertEqual(shown, may_read, page.url)
                        if role != "public":
                            self.assertEqual(bool(name.search(listing)), may_read)
