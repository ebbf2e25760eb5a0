"""Fixtures shared by the test files (their helpers are in helpers.py)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import ROOT, Browser, SiteServer, course_cmd, require_command
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

# Property tests draw the same examples on every run and never fail for being slow: no test
# may depend on timing (a loaded machine, or mutmut's instrumented code, is slow), and a
# mutant must be killed or not the same way every time.  With the same examples every run,
# hypothesis's example database would only replay them: it is off, and what else hypothesis
# keeps (the constants it draws from the code) goes to the temporary folder, not the checkout.
settings.register_profile("project", derandomize=True, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "contested-peace-hypothesis")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The book, built once a test session (tests/test_book.py, tests/test_widgets_in_lab.py),
    with its PDFs where Chromium is (tests/test_pdf.py)."""
    out = tmp_path_factory.mktemp("book")
    pdf = ["--pdf"] if shutil.which("chromium") else []
    result = course_cmd("build", *pdf, "--output", str(out), "--quiet", check=False)
    assert result.returncode == 0, f"the book does not build:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return out / "_build" / "html"


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium, one for the session (Playwright's sync API runs one at a
    time in a thread): the book's pages and a live JupyterLab open in it."""
    playwright = pytest.importorskip("playwright.sync_api")
    executable = require_command("chromium", "Debian's chromium (apt-get install chromium), for the browser tests")
    with playwright.sync_playwright() as p:
        engine = p.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield engine
        engine.close()


@pytest.fixture(scope="session")
def browser(site, chromium):
    """The built book served on 127.0.0.1 for the session (tests/test_book.py, tests/test_accessibility.py)."""
    server = SiteServer(site)
    yield Browser(chromium, server.base, site)
    server.stop()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core, fetched by `course fetch-assets` (or here, once, if that ran before it
    fetched test tools); the site itself never serves it."""
    from coursebook.build import AssetsMissing, fetch_test_tool

    try:
        return fetch_test_tool(ROOT, "axe-core")
    except AssetsMissing as exc:
        pytest.fail(f"axe-core is needed for the accessibility check: {exc}")
