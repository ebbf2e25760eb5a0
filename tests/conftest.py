"""Fixtures shared by the test files (their helpers are in helpers.py)."""
from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
from helpers import ROOT, Browser, QuietHandler, course_cmd, require_command
from hypothesis import HealthCheck, settings

# Property tests draw the same examples on every run and never fail for being slow: no test
# may depend on timing (a loaded machine, or mutmut's instrumented code, is slow), and a
# mutant must be killed or not the same way every time.
settings.register_profile("project", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The book, built once a test session (tests/test_book.py, tests/test_widgets_in_lab.py)."""
    out = tmp_path_factory.mktemp("book")
    result = course_cmd("build", "--output", str(out), "--quiet", check=False)
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
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *args: QuietHandler(*args, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Browser(chromium, f"http://127.0.0.1:{server.server_port}/", site)
    server.shutdown()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core, fetched by `course fetch-assets` (or here, once, if that ran before it
    fetched test tools); the site itself never serves it."""
    from coursebook.build import AssetsMissing, fetch_test_tool

    try:
        return fetch_test_tool(ROOT, "axe-core")
    except AssetsMissing as exc:
        pytest.fail(f"axe-core is needed for the accessibility check: {exc}")
