"""Build the book: the browser assets it serves itself, then Jupyter Book.

The published book must work with no network, load nothing from another host, and open
fast on a phone on a slow connection.  So the site serves only a small loader of its own
for the widgets (coursebook/widgets/js/loader.js, in place of require.js and the ipywidgets
HTML manager), math is rendered at build time (coursebook.mathml) and the theme's icons
come from a small style sheet (coursebook.icons).  `build_book` needs no network; the
browser tests' tools are fetched once from the npm registry (`fetch_assets`).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib import resources
from pathlib import Path

from autograder.course import course_config

ASSETS_DIR = Path(".cache") / "widget-assets"   # relative to the course root; in html_static_path
WIDGET_LOADER = "cp-widgets.js"                  # what `nb_ipywidgets_js` in _config.yml names
BOOK_STYLE = "cp-book.css"                       # what `html_css_files` in _config.yml names: the pages on a phone
# What the book served before it had its own loader: removed from the assets folder, so
# that an old checkout's cache does not ship them.
RETIRED_ASSETS = ("require.js", "embed-amd.js", "anywidget.js", "widgets-config.js", "mathjax")
# Tools the browser tests run inside the built site: fetched with the assets so the tests
# need no network, but kept out of html_static_path, so never part of the site.
TEST_TOOLS = {"axe-core": ("4.14.1", "axe.min.js")}
TEST_TOOLS_DIR = Path(".cache") / "test-tools"


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


def npm_files(package: str, version: str, member_prefix: str, target: Path, keep=lambda name: True) -> None:
    """Copy the files under `member_prefix` of an npm package that `keep` accepts into `target`."""
    with tempfile.TemporaryDirectory() as scratch, _tarball(package, version, Path(scratch)) as tar:
        _extract(tar, member_prefix, target, keep)


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
    return all((root / ASSETS_DIR / name).is_file() for name in (WIDGET_LOADER, BOOK_STYLE))


def fetch_assets(root: Path) -> Path:
    """Put the book's own browser assets into .cache/widget-assets, and fetch the browser
    tests' tools into .cache/test-tools (needs the npm registry once)."""
    copy_installed_assets(root)
    for package in TEST_TOOLS:
        fetch_test_tool(root, package)
    return root / ASSETS_DIR


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


def minify_js(source: str) -> str:
    """A script as it is served: without its comments and needless white space (rjsmin)."""
    import rjsmin

    return rjsmin.jsmin(source) + "\n"


def copy_installed_assets(root: Path) -> None:
    """The widget loader and the book's style sheet come from this package, so they always
    match the widgets' base."""
    folder = root / ASSETS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name in RETIRED_ASSETS:
        retired = folder / name
        shutil.rmtree(retired) if retired.is_dir() else retired.unlink(missing_ok=True)
    for retired in folder.glob("*"):
        if re.fullmatch(r"[0-9a-f]{20}\.(woff2?|ttf|eot|svg)", retired.name):   # the widget manager's icon fonts
            retired.unlink()
    loader = resources.files("coursebook.widgets") / "js" / "loader.js"
    (folder / WIDGET_LOADER).write_text(minify_js(loader.read_text(encoding="utf-8")), encoding="utf-8")
    (folder / BOOK_STYLE).write_bytes((resources.files("coursebook") / "css" / "book.css").read_bytes())


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


def build_book(root: Path, *, output: Path | None = None, quiet: bool = False, pdf_paper: str | None = None) -> int:
    """Build the book into `output`/_build/html (default: the course root's _build/html);
    with `pdf_paper` (a4, letter), its PDFs first, which its pages then link (coursebook/pdf)."""
    from .pdf import book as pdf

    if pdf_paper is not None:
        pdf.check_can_print(pdf_paper)
    copy_installed_assets(root)
    build_dir = (output or root) / "_build"
    _drop_stale_cache(root, build_dir)
    if not assets_ready(root):
        raise AssetsMissing(f"{root / ASSETS_DIR}: the book's browser assets are missing; run `course fetch-assets` "
                            "once (it needs the npm registry)")
    if pdf_paper is None:
        pdf.drop_pdfs(build_dir)
    else:
        status = _jupyter_book(root, "singlehtml", output, quiet, build_dir)
        if status != 0:
            return status
        pdf.print_pdfs(root, build_dir, pdf_paper)
    return _jupyter_book(root, "html", output, quiet, build_dir)


def _jupyter_book(root: Path, builder: str, output: Path | None, quiet: bool, build_dir: Path) -> int:
    command = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(root), "--builder", builder,
               "--warningiserror", "--keep-going"]
    if output is not None:
        command += ["--path-output", str(output)]
    if quiet:
        command.append("--quiet")
    return subprocess.run(command, cwd=root, env={**os.environ, "IPYTHONDIR": str(kernel_profile(build_dir))}).returncode


def kernel_profile(build_dir: Path) -> Path:
    """An IPython folder for the kernels that run the pages: the user's own profile (startup
    scripts, history) stays out of the build, and their logging drops one notice (kernel_log)."""
    from .kernel_log import KERNEL_CONFIG

    folder = build_dir / ".ipython"
    (folder / "profile_default").mkdir(parents=True, exist_ok=True)
    (folder / "profile_default" / "ipython_kernel_config.py").write_text(KERNEL_CONFIG, encoding="utf-8")
    return folder
