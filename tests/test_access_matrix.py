import re

from odoo.tests import HttpCase, TransactionCase, tagged

from .access_matrix import (
    ROOT,
    expected_record_matrix,
    matrix,
    record_matrix,
    record_specs,
    render,
)
from .world import PORTAL_PAGES, ROLES, build_world, login


@tagged("post_install", "-at_install", "service_suite")
class TestAccessMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world = build_world(cls.env)
        cls.measured = record_matrix(cls.env, cls.world)

    def test_documented_matrix_matches_code(self):
        documented = (ROOT / "docs" / "security.md").read_text()
        self.assertEqual(
            render(self.env, self.world, self.measured),
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
