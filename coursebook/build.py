"""Build the book: the browser assets it serves itself, then Jupyter Book.

The published book must work with no network and load nothing from another host, so
the widget manager, require.js, MathJax and anywidget's front end are served from the
site.  They are fetched once from the npm registry (`fetch_assets`, run by the set-up
script) or taken from installed packages, and never committed.  `build_book` itself
needs no network.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib import resources
from pathlib import Path

from autograder.course import course_config

# @jupyter-widgets/html-manager 1.0.x is the manager for ipywidgets 8 (widgets base 6).
NPM_PACKAGES = {
    "@jupyter-widgets/html-manager": "1.0.15",
    "requirejs": "2.3.7",
    "mathjax": "3.2.2",
}
ASSETS_DIR = Path(".cache") / "widget-assets"   # relative to the course root; in html_static_path
# Tools the browser tests run inside the built site: fetched with the assets so the tests
# need no network, but kept out of html_static_path, so never part of the site.
TEST_TOOLS = {"axe-core": ("4.14.1", "axe.min.js")}
TEST_TOOLS_DIR = Path(".cache") / "test-tools"
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")

# Tells require.js where anywidget's AMD front end lives: next to this script, wherever
# the site is hosted (the book may sit under a sub-path, so no absolute URL).  The
# widget manager finds its icon fonts relative to its modules' ids, so those ids are
# pointed here too.
WIDGETS_CONFIG_JS = """\
(function () {
  var here = document.currentScript.src.replace(/[^/]*$/, "");
  var dir = here.replace(/\\/$/, "");
  window.require.config({ paths: {
    "anywidget": here + "anywidget",
    "@jupyter-widgets/html-manager/dist": dir,
    "@jupyter-widgets": dir
  } });
})();
"""


class AssetsMissing(RuntimeError):
    pass


def _tarball(package: str, version: str, scratch: Path) -> tarfile.TarFile:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsMissing("npm was not found: install Node.js (npm) to fetch the book's browser assets")
    result = subprocess.run([npm, "pack", f"{package}@{version}", "--silent", "--pack-destination", str(scratch)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise AssetsMissing(f"npm could not fetch {package}@{version}: {reason}")
    name = result.stdout.strip().splitlines()[-1]
    return tarfile.open(scratch / name)


def _extract(tar: tarfile.TarFile, member_prefix: str, target: Path, keep=lambda name: True) -> None:
    """Copy the files under `member_prefix` that `keep` accepts; names that would climb out
    of `target` are refused (tarfile's data filter)."""
    for member in tar.getmembers():
        if not member.isfile() or not member.name.startswith(member_prefix):
            continue
        relative = member.name[len(member_prefix):]
        if not keep(relative):
            continue
        tarfile.data_filter(member, str(target))   # raises on an absolute or climbing path
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(tar.extractfile(member).read())


def assets_ready(root: Path) -> bool:
    folder = root / ASSETS_DIR
    return all((folder / name).is_file() for name in ("require.js", "embed-amd.js", "anywidget.js",
                                                       "widgets-config.js", "mathjax/tex-chtml.js"))


def fetch_assets(root: Path) -> Path:
    """Fetch the book's browser assets into .cache/widget-assets, and the browser tests'
    tools into .cache/test-tools (needs the npm registry once)."""
    folder = root / ASSETS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        if not (folder / "embed-amd.js").is_file():
            with _tarball("@jupyter-widgets/html-manager", NPM_PACKAGES["@jupyter-widgets/html-manager"], scratch) as tar:
                _extract(tar, "package/dist/", folder,
                         lambda n: "/" not in n and (n == "embed-amd.js" or n.endswith(FONT_SUFFIXES)))
        if not (folder / "require.js").is_file():
            with _tarball("requirejs", NPM_PACKAGES["requirejs"], scratch) as tar:
                _extract(tar, "package/", folder, lambda n: n == "require.js")
        if not (folder / "mathjax" / "tex-chtml.js").is_file():
            with _tarball("mathjax", NPM_PACKAGES["mathjax"], scratch) as tar:
                _extract(tar, "package/es5/", folder / "mathjax",
                         lambda n: n == "tex-chtml.js" or n.startswith(("output/chtml/fonts/woff-v2/", "input/tex/extensions/")))
    copy_installed_assets(root)
    for package in TEST_TOOLS:
        fetch_test_tool(root, package)
    return folder


def fetch_test_tool(root: Path, package: str) -> Path:
    """The one file of a test tool (TEST_TOOLS) the tests load, fetched once from npm."""
    version, member = TEST_TOOLS[package]
    target = root / TEST_TOOLS_DIR / f"{package}-{version}"
    if not (target / member).is_file():
        with tempfile.TemporaryDirectory() as scratch, _tarball(package, version, Path(scratch)) as tar:
            _extract(tar, "package/", target, lambda name: name == member)
    if not (target / member).is_file():
        raise AssetsMissing(f"{package}@{version} has no file {member}")
    return target / member


def copy_installed_assets(root: Path) -> None:
    """anywidget's AMD front end comes from the installed anywidget package, so it always
    matches the Python side."""
    folder = root / ASSETS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    front_end = resources.files("anywidget") / "nbextension" / "index.js"
    (folder / "anywidget.js").write_bytes(front_end.read_bytes())
    (folder / "widgets-config.js").write_text(WIDGETS_CONFIG_JS, encoding="utf-8")


def _widgets_fingerprint(root: Path) -> str:
    """The widgets, practice questions and data the pages execute (the toolkit's and the
    course's own packages, `course.packages` in _config.yml): the execution cache only
    sees the pages' code, so a change here must empty it."""
    import hashlib
    import importlib

    digest = hashlib.sha256()
    for name in ("coursebook", "autograder.core", *course_config(root).packages):
        package = Path(importlib.import_module(name).__path__[0])
        for path in sorted(package.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".js", ".css", ".yml", ".csv"):
                digest.update(f"{name}/{path.relative_to(package)}".encode() + path.read_bytes())
    return digest.hexdigest()


def _drop_stale_cache(root: Path, build_dir: Path) -> None:
    stamp = build_dir / ".widgets-fingerprint"
    current = _widgets_fingerprint(root)
    if stamp.is_file() and stamp.read_text() == current:
        return
    for stale in (build_dir / ".jupyter_cache", build_dir / ".doctrees", build_dir / "jupyter_execute"):
        shutil.rmtree(stale, ignore_errors=True)
    build_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)


def build_book(root: Path, *, output: Path | None = None, quiet: bool = False) -> int:
    """Build the book into `output`/_build/html (default: the course root's _build/html)."""
    copy_installed_assets(root)
    _drop_stale_cache(root, (output or root) / "_build")
    if not assets_ready(root):
        raise AssetsMissing(f"{root / ASSETS_DIR}: the book's browser assets are missing; run `course fetch-assets` "
                            "once (it needs the npm registry)")
    command = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(root), "--builder", "html",
               "--warningiserror", "--keep-going"]
    if output is not None:
        command += ["--path-output", str(output)]
    if quiet:
        command.append("--quiet")
    return subprocess.run(command, cwd=root).returncode
