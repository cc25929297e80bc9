"""Each addon's README.rst (and an application's index.html) from its readme/ fragments.

The layout is that of OCA's ``oca-gen-addon-readme`` (OCA's maintainer tools,
not published on PyPI): the same fragments (readme/DESCRIPTION.md, USAGE.md,
CONFIGURE.md, CONTRIBUTORS.md, HISTORY.md...), converted from Markdown by
pandoc with the same options (GitHub Markdown, raw HTML off, heading levels
shifted as OCA shifts them), the same sections, badges, source digest (sha256
of the manifest and the fragments) and the same checks (docutils halts on a
warning), so OCA's own generator would give the same sections from the same
fragments. Whool's wheel takes README.rst as its long description, and Odoo's
Apps page shows it too, except for an application (service_base), whose page
shows only static/description/index.html: that one is written for
applications only (OCA writes it for every addon).

    gen_readme.py [ADDON_DIR ...]          write README.rst (and index.html)
    gen_readme.py --check [ADDON_DIR ...]  regenerate into a temporary folder,
                                           compare, exit 1 naming what is stale
    --root DIR   the repository (default: this one); addons default to its suite

Runs in the packaging tools' virtualenv (setup/gen-readme installs it).
"""

import argparse
import ast
import difflib
import hashlib
import os
import pathlib
import re
import sys
import tempfile

import pypandoc
from docutils.core import publish_string

ROOT = pathlib.Path(__file__).resolve().parent.parent

# name: (section title, heading level of the section: 2 = "=", 3 = "-" under Credits)
FRAGMENTS = {
    "DESCRIPTION": (None, 2),
    "CONTEXT": ("Use Cases / Context", 2),
    "INSTALL": ("Installation", 2),
    "CONFIGURE": ("Configuration", 2),
    "USAGE": ("Usage", 2),
    "DEVELOP": ("Development", 2),
    "ROADMAP": ("Known issues / Roadmap", 2),
    "HISTORY": ("Changelog", 2),
    "CONTRIBUTORS": ("Contributors", 3),
    "CREDITS": ("Other credits", 3),
}
# GitHub Markdown; raw HTML off; no automatic identifiers (pylint-odoo would
# report them as unreferenced hyperlink targets): OCA's setting.
PANDOC_FORMAT = "gfm-raw_html-gfm_auto_identifiers"

MATURITY_BADGES = {
    "mature": ("Mature", "brightgreen"),
    "production/stable": ("Production%2FStable", "green"),
    "beta": ("Beta", "yellow"),
    "alpha": ("Alpha", "red"),
}
LICENSE_URLS = {
    "AGPL-3": "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "LGPL-3": "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
    "GPL-3": "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
}
# pypa/readme_renderer's settings, as OCA's generator uses them.
RST2HTML_SETTINGS = {
    "file_insertion_enabled": False,
    "halt_level": 2,
    "math_output": "MathJax",
    "raw_enabled": False,
    "smart_quotes": True,
    "syntax_highlight": "short",
    "xml_declaration": False,
    "output_encoding": "utf-8",
    # Unlike OCA's pages, without docutils' stylesheet: Odoo's Apps page drops
    # a <style> (html_sanitize), and six copies of it are six copies of it.
    "stylesheet_path": "",
    "embed_stylesheet": False,
}
GENERATED_BY = "setup/gen-readme"


def suite_addon_dirs(root):
    manifests = sorted([*root.glob("addons/*/__manifest__.py"), *root.glob("*/__manifest__.py")])
    return [
        m.parent
        for m in manifests
        if ast.literal_eval(m.read_text(encoding="utf-8")).get("installable", True)
    ]


def source_digest(addon_dir):
    """sha256 of the manifest and the readme/ fragments, names included (OCA's digest)."""
    digest = hashlib.sha256()
    paths = [addon_dir / "__manifest__.py"]
    readme = addon_dir / "readme"
    for dirpath, dirnames, filenames in os.walk(readme):
        dirnames.sort()
        paths += [pathlib.Path(dirpath, f) for f in sorted(filenames) if not f.startswith(".")]
    for path in paths:
        digest.update(str(path.relative_to(addon_dir)).encode("utf-8"))
        digest.update(path.read_bytes())
    return f"sha256:{digest.hexdigest()}"


def fragment_rst(addon_dir, name, level, raw_base):
    """The fragment as reStructuredText, or None when the addon has none."""
    md = addon_dir / "readme" / f"{name}.md"
    if (addon_dir / "readme" / f"{name}.rst").exists():
        sys.exit(f"{addon_dir}/readme/{name}.rst: the suite's fragments are Markdown")
    if not md.is_file() or not md.read_text(encoding="utf-8").strip():
        return None
    rst = pypandoc.convert_text(
        md.read_text(encoding="utf-8"),
        "rst",
        format=PANDOC_FORMAT,
        extra_args=[f"--shift-heading-level-by={level - 2}"],
        sandbox=True,
    )
    # An image beside the fragments (../static/description/x.png) is read from
    # the repository, as on GitHub.
    rst = re.sub(
        r"(\.\. (?:figure|image)::\s+)(?!https?:)(?:\.\./)*(\S+)",
        lambda m: m.group(1) + raw_base + m.group(2),
        rst,
    )
    return rst.replace("\r\n", "\n").rstrip("\n") + "\n"


def repo_of(manifest):
    match = re.match(r"https://github\.com/([^/]+)/([^/]+?)/?$", manifest.get("website", ""))
    if not match:
        sys.exit("the manifest's website must be the project's GitHub repository")
    return match.group(1), match.group(2)


def section(title, underline, body):
    return f"{title}\n{underline * len(title)}\n\n{body.rstrip()}\n"


def render(addon_dir, root):
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text(encoding="utf-8"))
    addon = addon_dir.name
    org, repo = repo_of(manifest)
    branch = ".".join(manifest["version"].split(".")[:2])
    path = addon_dir.relative_to(root).as_posix()
    tree = f"https://github.com/{org}/{repo}/tree/{branch}/{path}"
    raw_base = f"https://raw.githubusercontent.com/{org}/{repo}/{branch}/{path}/"
    fragments = {}
    for name, (_title, level) in FRAGMENTS.items():
        rst = fragment_rst(addon_dir, name, level, raw_base)
        if rst:
            fragments[name] = rst
    if "DESCRIPTION" not in fragments:
        sys.exit(f"{path}: readme/DESCRIPTION.md is missing")

    badges = []
    status = manifest.get("development_status", "Beta").lower()
    if status in MATURITY_BADGES:
        label, colour = MATURITY_BADGES[status]
        badges.append(
            (
                f"https://img.shields.io/badge/maturity-{label}-{colour}.png",
                "https://odoo-community.org/page/development-status",
                label.replace("%2F", "/"),
            )
        )
    licence = manifest.get("license")
    if licence in LICENSE_URLS:
        badges.append(
            (
                f"https://img.shields.io/badge/license-{licence.replace('-', '--')}-blue.png",
                LICENSE_URLS[licence],
                f"License: {licence}",
            )
        )
    badges.append(
        (
            f"https://img.shields.io/badge/github-{org.replace('-', '--')}%2F"
            f"{repo.replace('-', '--')}-lightgray.png?logo=github",
            tree,
            f"{org}/{repo}",
        )
    )

    name = manifest["name"]
    out = [
        f"{'=' * len(name)}\n{name}\n{'=' * len(name)}\n",
        ".. \n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        f"   !! This file is generated by {GENERATED_BY:<21}!!\n"
        "   !! changes will be overwritten.                   !!\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        f"   !! source digest: {source_digest(addon_dir)}\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
        "".join(
            f".. |badge{i}| image:: {image}\n    :target: {target}\n    :alt: {alt}\n"
            for i, (image, target, alt) in enumerate(badges, 1)
        )
        + "\n"
        + " ".join(f"|badge{i}|" for i in range(1, len(badges) + 1))
        + "\n",
        fragments["DESCRIPTION"],
        "**Table of contents**\n\n.. contents::\n   :local:\n",
    ]
    for key in ("CONTEXT", "INSTALL", "CONFIGURE", "USAGE", "DEVELOP", "ROADMAP", "HISTORY"):
        if key in fragments:
            out.append(section(FRAGMENTS[key][0], "=", fragments[key]))
    out.append(
        section(
            "Bug Tracker",
            "=",
            f"Bugs are tracked on `GitHub Issues <https://github.com/{org}/{repo}/issues>`_.\n"
            "Please look there first whether your problem is already known; if it is\n"
            "not, a detailed report helps us fix it:\n"
            f"`report a bug <https://github.com/{org}/{repo}/issues/new?body=module:%20{addon}"
            f"%0Aversion:%20{branch}%0A%0A**Steps%20to%20reproduce**%0A-%20...%0A%0A"
            "**Current%20behavior**%0A%0A**Expected%20behavior**>`_.",
        )
    )
    credits = ["Credits\n=======\n"]
    authors = [a.strip() for a in manifest.get("author", "").split(",") if a.strip()]
    if authors:
        credits.append(section("Authors", "-", "".join(f"* {a}\n" for a in authors)))
    for key in ("CONTRIBUTORS", "CREDITS"):
        if key in fragments:
            credits.append(section(FRAGMENTS[key][0], "-", fragments[key]))
    maintainers = manifest.get("maintainers", [])
    body = ""
    if maintainers:
        body += "".join(
            f".. |maintainer-{m}| image:: https://github.com/{m}.png?size=40px\n"
            f"    :target: https://github.com/{m}\n"
            f"    :alt: {m}\n"
            for m in maintainers
        )
        plural = "s" if len(maintainers) > 1 else ""
        body += f"\nCurrent maintainer{plural}:\n\n"
        body += " ".join(f"|maintainer-{m}|" for m in maintainers) + "\n\n"
    body += (
        f"This module is part of the `{org}/{repo} <{tree}>`_ project on GitHub.\n\n"
        "You are welcome to contribute.\n"
    )
    credits.append(section("Maintainers", "-", body))
    out.append("\n".join(credits))
    readme = "\n".join(out)
    html = index_html(readme, path)  # checks the README, also where no page is kept
    return readme, html if manifest.get("application") else None


def index_html(readme, path):
    """The README rendered for Odoo's Apps page; fails on any docutils warning."""
    try:
        html = publish_string(
            readme,
            source_path=f"{path}/README.rst",
            writer_name="html4css1",
            settings_overrides=RST2HTML_SETTINGS,
        )
    except Exception as exc:  # docutils' SystemMessage: the README is not valid
        sys.exit(f"{path}/README.rst: {exc}")
    # no docutils version in the page: an upgrade changes nothing here
    return re.sub(rb"(<meta.*generator.*Docutils)\s*[\d.]+", rb"\1", html)


PAGE = "static/description/index.html"


def write(addon_dir, root, out_root):
    """Write the addon's README.rst (and page) under out_root; the files it wrote."""
    readme, html = render(addon_dir, root)
    target = out_root / addon_dir.relative_to(root)
    target.mkdir(parents=True, exist_ok=True)
    (target / "README.rst").write_text(readme, encoding="utf-8")
    if html is None:
        return ["README.rst"]
    (target / PAGE).parent.mkdir(parents=True, exist_ok=True)
    (target / PAGE).write_bytes(html)
    return ["README.rst", PAGE]


def generated_page(addon_dir):
    """The index.html that this script wrote, if any (not one written by hand)."""
    page = addon_dir / PAGE
    if page.is_file() and GENERATED_BY.encode() in page.read_bytes():
        return page
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("addons", nargs="*", type=pathlib.Path)
    parser.add_argument("--root", type=pathlib.Path, default=ROOT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    addons = [a.resolve() for a in args.addons] or suite_addon_dirs(root)
    if not args.check:
        for addon in addons:
            written = write(addon, root, root)
            page = generated_page(addon)
            if page and PAGE not in written:
                page.unlink()  # no longer an application: Odoo shows the README
            print(f"wrote {addon.relative_to(root)}: {', '.join(written)}")
        return 0
    stale = []
    with tempfile.TemporaryDirectory(prefix="gen-readme-") as tmp:
        out = pathlib.Path(tmp)
        for addon in addons:
            rel = addon.relative_to(root)
            written = write(addon, root, out)
            if PAGE not in written and generated_page(addon):
                stale.append(f"{rel}/{PAGE} (not an application's: remove it)")
            for name in written:
                fresh = (out / rel / name).read_text(encoding="utf-8")
                current = root / rel / name
                old = current.read_text(encoding="utf-8") if current.is_file() else ""
                if fresh != old:
                    stale.append(f"{rel}/{name}")
                    diff = difflib.unified_diff(
                        old.splitlines(),
                        fresh.splitlines(),
                        f"{rel}/{name}",
                        "regenerated",
                        lineterm="",
                    )
                    print("\n".join(list(diff)[:40]))
    if stale:
        print("stale (run setup/gen-readme): " + ", ".join(stale))
        return 1
    print(f"{len(addons)} addons: README.rst (and index.html) up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
