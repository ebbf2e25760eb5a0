"""The book: it builds with warnings as errors, every page is there, and in real headless
Chromium with the network cut off every widget and practice question responds."""
import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest

from conftest import ROOT, course_cmd

CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("ch[0-9]-*.md"))
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book")
    result = course_cmd("build", "--output", str(out), "--quiet", check=False)
    assert result.returncode == 0, f"the book does not build:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return out / "_build" / "html"


def test_every_chapter_and_the_glossary_are_built(site):
    assert len(CHAPTERS) == 5
    for page in [*CHAPTERS, "glossary", "references", "intro", "synthesis"]:
        assert (site / "book" / f"{page}.html").is_file(), page
    glossary = (site / "book" / "glossary.html").read_text()
    assert glossary.count('<dt id="term-') >= 12


def test_no_page_loads_anything_from_another_host(site):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"(https?://[^\"]+)\"", text):
            pytest.fail(f"{page.relative_to(site)} loads {tag}")


@pytest.fixture(scope="session")
def browser(site):
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is needed for the browser tests (apt-get install chromium)")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with playwright.sync_playwright() as p:
        engine = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield engine, f"http://127.0.0.1:{server.server_port}/"
        engine.close()
    server.shutdown()


def open_offline(browser, path):
    engine, base = browser
    page = engine.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
               else (problems.append(f"off-site request: {route.request.url}"), route.abort()))
    page.goto(base + path, wait_until="networkidle")
    return page, problems


@pytest.mark.browser
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_widgets_and_practice_questions_respond_offline(browser, chapter):
    page, problems = open_offline(browser, f"book/{chapter}.html")
    widgets = page.locator(".cp-widget")
    widgets.first.wait_for(timeout=20000)
    count = widgets.count()
    assert count >= 6, f"{chapter}: only {count} widgets rendered"   # 2+ widgets and 4+ practice questions
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{chapter}.png"), full_page=True)
    for i in range(count):
        widget = widgets.nth(i)
        before = widget.inner_text()
        assert _responds(page, widget, before), f"{chapter}: widget {i} did not respond"
    # sphinx-thebe (pulled in by jupyter-book) declares its config twice; not ours (see issue 8)
    problems = [p for p in problems if "THEBE_JS_URL" not in p]
    assert not problems, problems


def _responds(page, widget, before) -> bool:
    """Use the widget's controls the way a reader would, one kind after another, until
    what it shows changes."""
    for action in _ACTIONS:
        if action(widget):
            check = widget.locator("button:not([disabled])", has_text=re.compile("^(Check|Next|Show)"))
            if check.count():
                check.first.click()
            page.wait_for_timeout(150)
            if widget.inner_text() != before or widget.inner_html() != before:
                return True
    return False


def _radios(widget) -> bool:
    radio = widget.locator("input[type=radio]")
    names = dict.fromkeys(radio.nth(i).get_attribute("name") for i in range(radio.count()))
    for name in names:   # one choice in every group
        widget.locator(f"input[type=radio][name='{name}']").last.check()
    return bool(names)


def _selects(widget) -> bool:
    select = widget.locator("select")
    for i in range(select.count()):
        options = select.nth(i).locator("option")
        select.nth(i).select_option(index=options.count() - 1)
    return select.count() > 0


def _checkboxes(widget) -> bool:
    box = widget.locator("input[type=checkbox]")
    if box.count():
        box.first.click()
    return box.count() > 0


def _sliders(widget) -> bool:
    slider = widget.locator("input[type=range]")
    if slider.count():
        slider.first.focus()
        for _ in range(3):
            slider.first.press("ArrowRight")
    return slider.count() > 0


def _fields(widget) -> bool:
    field = widget.locator("input[type=number], input[type=text]")
    if field.count():
        field.first.fill("1")
    return field.count() > 0


def _buttons(widget) -> bool:
    button = widget.locator("button:not([disabled])")
    if button.count():
        button.first.click()
    return button.count() > 0


_ACTIONS = [_radios, _selects, _checkboxes, _sliders, _fields, _buttons]
