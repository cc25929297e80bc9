"""The addons are packaged the OCA way.

Each addon's README.rst (Odoo's Apps page and the wheel's long description)
and an application's static/description/index.html (its Apps page) are
generated from its readme/ fragments by setup/gen-readme: a fragment or a
manifest changed without regenerating them fails here. Each has its own icon,
OCA's manifest keys and OCA's fragments.
"""

import ast
import hashlib
import os
import pathlib
import shutil
import subprocess
import tempfile

import lxml.html
from PIL import Image

from odoo.tests import TransactionCase, tagged

ROOT = pathlib.Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "setup" / "gen_readme.py"
FRAGMENTS = ("DESCRIPTION.md", "USAGE.md", "CONTRIBUTORS.md", "HISTORY.md")


def suite_addons():
    manifests = [*ROOT.glob("addons/*/__manifest__.py"), *ROOT.glob("*/__manifest__.py")]
    return {m.parent.name: m.parent for m in sorted(manifests)}


def tools_python():
    """The packaging tools' interpreter (setup/lib.sh install_tools)."""
    home = pathlib.Path(
        os.environ.get("SERVICE_DESK_HOME", pathlib.Path.home() / ".cache" / "service-desk")
    )
    venv = pathlib.Path(os.environ.get("SERVICE_DESK_TOOLS_VENV", home / "tools-venv"))
    return venv / "bin" / "python"


def gen_readme(*args):
    python = tools_python()
    if not python.exists():
        raise AssertionError(f"{python} is missing: setup/test or setup/gen-readme installs it")
    return subprocess.run(
        [str(python), str(GENERATOR), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@tagged("post_install", "-at_install", "service_suite")
class TestPackaging(TransactionCase):
    def test_readmes_current(self):
        """Every README.rst and index.html is what its fragments give now."""
        done = gen_readme("--check")
        self.assertEqual(
            done.returncode, 0, f"stale README (run setup/gen-readme):\n{done.stdout}{done.stderr}"
        )

    def test_changed_fragment_is_stale(self):
        """The check sees a changed fragment, a new one and a changed manifest."""
        addon = suite_addons()["service_base"]
        manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
        self.assertTrue(manifest.get("application"), "an application: it has an index.html")
        rel = addon.relative_to(ROOT)
        with tempfile.TemporaryDirectory() as tmp:
            copy = pathlib.Path(tmp) / rel
            shutil.copytree(addon / "readme", copy / "readme")
            (copy / "static" / "description").mkdir(parents=True)
            for name in ("__manifest__.py", "README.rst", "static/description/index.html"):
                shutil.copy(addon / name, copy / name)
            done = gen_readme("--check", "--root", tmp, copy)
            self.assertEqual(done.returncode, 0, f"a faithful copy is current:\n{done.stdout}")

            usage = copy / "readme" / "USAGE.md"
            usage.write_text(usage.read_text() + "\n- One more step.\n")
            done = gen_readme("--check", "--root", tmp, copy)
            self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
            self.assertIn(f"{rel}/README.rst", done.stdout)
            self.assertIn(f"{rel}/static/description/index.html", done.stdout)
            self.assertIn("+- One more step.", done.stdout)

            done = gen_readme("--root", tmp, copy)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn("One more step.", (copy / "README.rst").read_text())
            self.assertEqual(gen_readme("--check", "--root", tmp, copy).returncode, 0)

            (copy / "readme" / "ROADMAP.md").write_text("- Nothing planned yet.\n")
            done = gen_readme("--check", "--root", tmp, copy)
            self.assertEqual(done.returncode, 1, "a new fragment is a new section")
            self.assertIn("+Known issues / Roadmap", done.stdout)
            (copy / "readme" / "ROADMAP.md").unlink()

            manifest = copy / "__manifest__.py"
            manifest.write_text(manifest.read_text().replace('"Beta"', '"Production/Stable"'))
            done = gen_readme("--check", "--root", tmp, copy)
            self.assertEqual(done.returncode, 1, "the manifest feeds the badges and the digest")
            self.assertIn("maturity-Production%2FStable", done.stdout)

    def test_fragments_and_manifests(self):
        """OCA's fragments and manifest keys, on every addon."""
        for name, path in suite_addons().items():
            with self.subTest(addon=name):
                for fragment in FRAGMENTS:
                    text = path / "readme" / fragment
                    self.assertTrue(text.is_file(), f"{name}: readme/{fragment} is missing")
                    self.assertTrue(text.read_text().strip(), f"{name}: readme/{fragment} is empty")
                self.assertTrue((path / "README.rst").is_file(), f"{name}: no README.rst")
                manifest = ast.literal_eval((path / "__manifest__.py").read_text())
                self.assertEqual(manifest.get("development_status"), "Beta")
                maintainers = manifest.get("maintainers")
                self.assertIsInstance(maintainers, list)
                self.assertTrue(maintainers)
                for handle in maintainers:
                    self.assertRegex(handle, r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$")
                self.assertNotIn("spreadsheet_dashboard", manifest.get("depends", []))

    def test_icons(self):
        """A 128×128 PNG per addon, none the same as another's."""
        digests = {}
        for name, path in suite_addons().items():
            with self.subTest(addon=name):
                icon = path / "static" / "description" / "icon.png"
                with Image.open(icon) as image:
                    self.assertEqual(image.format, "PNG")
                    self.assertEqual(image.size, (128, 128))
                digests.setdefault(hashlib.sha256(icon.read_bytes()).hexdigest(), []).append(name)
        self.assertEqual(
            [names for names in digests.values() if len(names) > 1], [], "shared icons"
        )

    def test_apps_page(self):
        """Odoo's Apps page shows each addon's description and icon."""
        addons = suite_addons()
        Module = self.env["ir.module.module"]
        # what Update Apps List does: the README as the files have it now (a
        # template database is not rebuilt for a README)
        Module.update_list()
        modules = Module.search([("name", "in", list(addons))])
        self.assertEqual(set(modules.mapped("name")), set(addons))
        for module in modules:
            with self.subTest(addon=module.name):
                self.assertEqual(module.icon, f"/{module.name}/static/description/icon.png")
                html = module.description_html or ""
                self.assertIn("Table of contents", html)
                self.assertIn("Usage", html)
                # the description's opening words
                words = (addons[module.name] / "readme" / "DESCRIPTION.md").read_text().split()
                opening = " ".join(words[:4]).replace("*", "").replace("`", "")
                text = " ".join(lxml.html.fromstring(html).text_content().split())
                # index.html has docutils' smart quotes, Odoo's own rendering not
                self.assertIn(opening, text.replace("\N{RIGHT SINGLE QUOTATION MARK}", "'"))
