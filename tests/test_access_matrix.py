from odoo.tests import TransactionCase, tagged

from .access_matrix import ROOT, matrix, render


@tagged("post_install", "-at_install", "service_suite")
class TestAccessMatrix(TransactionCase):
    def test_documented_matrix_matches_code(self):
        documented = (ROOT / "docs" / "security.md").read_text()
        self.assertEqual(
            render(self.env),
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
