"""The book as readers meet it.  It builds with warnings as errors; then, in real headless
Chromium with the network cut off, every page of the site loads with no console error
and no failed request, every internal link leads somewhere that exists, search finds the
glossary, every widget and practice question responds (with the mouse and from the
keyboard alone), every page fits every screen width, and every chapter and
assignment can be downloaded and opened on the course's JupyterHub, Binder and Colab."""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from helpers import ROOT, Browser, draw_widgets, keys_in_plain, page_problems
from widget_actions import responds

CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("ch[0-9]-*.md"))
WIDGET_PAGES = [*CHAPTERS, "synthesis"]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "exercises").iterdir() if (p / f"{p.name}.ipynb").is_file())

pytestmark = pytest.mark.slow   # every test here needs the built book


def site_pages(site: Path) -> list[str]:
    """Every HTML page a reader can reach (not the theme's templates in _static)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).parts[0].startswith("_"))


def test_every_chapter_assignment_and_guide_is_built(site):
    assert len(CHAPTERS) == 5 and len(ASSIGNMENTS) == 5
    pages = [*CHAPTERS, *(f"assignments/{a}" for a in ASSIGNMENTS),
             "glossary", "references", "intro", "synthesis", "teaching-guide", "instructor-guide", "authoring", "accessibility"]
    for page in pages:
        assert (site / "book" / f"{page}.html").is_file(), page
    glossary = (site / "book" / "glossary.html").read_text()
    assert glossary.count('<dt id="term-') >= 12
    # the marking notes for the discussion questions stay with the instructor
    assert not any("instructor-notes" in p.as_posix() for p in site.rglob("*"))


def test_no_page_loads_anything_from_another_host(site):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=\"(https?://[^\"]+)\"", text):
            pytest.fail(f"{page.relative_to(site)} loads {tag}")


def test_no_page_loads_the_widget_manager_mathjax_or_the_icon_script(site):
    """A chapter must stay light on a phone: its widgets are drawn by the toolkit's loader,
    its math is MathML and its icons a style sheet (see benchmarks/book.py for the bytes)."""
    heavy = ("require.js", "embed-amd.js", "fontawesome.js", "tex-chtml.js", "mathjax")
    for page in site_pages(site):
        for src in re.findall(r"<script[^>]+src=\"([^\"]+)\"", (site / page).read_text(encoding="utf-8")):
            assert not any(name in src for name in heavy), f"{page} loads {src}"
    chapter = (site / "book" / f"{CHAPTERS[0]}.html").read_text(encoding="utf-8")
    assert "cp-widgets.js" in chapter and "<math " in (site / "book" / f"{CHAPTERS[3]}.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the browser, offline

def open_offline(browser: Browser, path: str, context=None):
    """Open a page of the site with every other host cut off (in `context`, a browser
    window of a given kind, or a default desktop one), and wait for its widgets;
    `problems` collects what a reader's browser would complain about."""
    base = browser.base
    # Each page opened here is a first view, without the book's offline worker (which
    # would save the whole book from every fresh window): tests/test_offline.py tests it.
    page = context.new_page() if context else browser.engine.new_page(service_workers="block")
    problems = page_problems(page)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
               else (problems.append(f"off-site request: {route.request.url}"), route.abort()))
    page.goto(base + path, wait_until="networkidle")
    draw_widgets(page, (browser.site / urlsplit(path).path).read_text(encoding="utf-8"))
    return page, problems


@dataclass
class Visit:
    problems: list[str]
    links: list[dict]                       # every <a href>: href (absolute), title, text
    ids: set[str]


@pytest.fixture(scope="session")
def visits(browser, site) -> dict[str, Visit]:
    """Every page of the site, opened once offline: what went wrong, where its links go,
    and which ids it has (axe-core's findings: tests/test_accessibility.py)."""
    seen = {}
    for path in site_pages(site):
        page, problems = open_offline(browser, path)
        links = page.eval_on_selector_all("a[href]", """els => els.map(a => ({
            href: a.href, title: a.getAttribute('title') || a.getAttribute('data-bs-original-title') || '', text: a.textContent.trim(), cls: a.className }))""")
        ids = set(page.eval_on_selector_all("[id], a[name]", "els => els.map(e => e.id || e.getAttribute('name'))"))
        page.close()
        seen[path] = Visit(problems, links, ids)
    return seen


@pytest.mark.browser
def test_every_page_loads_offline_with_no_error_and_no_failed_request(visits):
    assert len(visits) >= 19
    bad = {path: v.problems for path, v in visits.items() if v.problems}
    assert not bad, "\n".join(f"{path}:\n  " + "\n  ".join(problems) for path, problems in bad.items())


@pytest.mark.browser
def test_every_internal_link_resolves(visits, site, browser):
    base = browser.base
    broken = []
    for path, visit in visits.items():
        for link in visit.links:
            if not link["href"].startswith(base):
                continue
            parts = urlsplit(link["href"])
            target = unquote(parts.path[len(urlsplit(base).path):]) or "index.html"
            if target.endswith("/"):
                target += "index.html"
            if not (site / target).is_file():
                broken.append(f"{path}: {link['text'] or link['title']!r} -> {target} (no such file)")
            elif parts.fragment and target.endswith(".html"):
                ids = visits[target].ids if target in visits else set(re.findall(r'id="([^"]+)"', (site / target).read_text()))
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path}: {link['text'] or link['title']!r} -> {target}#{parts.fragment} (no such id)")
    assert not broken, "\n".join(sorted(set(broken)))


@pytest.mark.browser
def test_search_finds_a_glossary_term(browser, site):
    glossary = (site / "book" / "glossary.html").read_text()
    term = re.sub(r"<[^>]+>", "", re.search(r'<dt id="term-[^"]+">(.*?)<a class="headerlink', glossary, re.S).group(1)).strip()
    page, problems = open_offline(browser, f"search.html?q={term}")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=15000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("book/glossary.html" in h for h in hrefs), f"searching for {term!r} found {hrefs}"
    assert not problems, problems


# ---------------------------------------------------------------- widgets and practice questions

@pytest.mark.browser
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_widgets_and_practice_questions_respond_offline(browser, chapter, tmp_path):
    page, problems = open_offline(browser, f"book/{chapter}.html")
    widgets = page.locator(".cp-widget")
    count = widgets.count()
    assert count >= 6, f"{chapter}: only {count} widgets rendered"   # 2+ widgets and 4+ practice questions
    # a screenshot to look at, outside the checkout (pytest keeps its last few temporary folders)
    page.screenshot(path=str(tmp_path / f"{chapter}.png"), full_page=True)
    for i in range(count):
        widget = widgets.nth(i)
        assert responds(page, widget), f"{chapter}: widget {i} did not respond"
    # feedback is coloured green, amber or red, and must say the same in symbols or words
    coloured = page.eval_on_selector_all(".cp-correct, .cp-partial, .cp-wrong", "els => els.map(e => e.textContent)")
    assert coloured, f"{chapter}: no feedback shown after using the widgets"
    mute = [text for text in coloured if not re.search(r"[✔◐✘]|right|wrong|not yet", text, re.I)]
    assert not mute, f"{chapter}: feedback told by colour alone: {mute}"
    assert not problems, problems


# ---------------------------------------------------------------- every screen width

# From a small phone to a wide desktop: the narrow ones as a phone (touch, a high density
# screen), the others as a laptop or desktop window; and a 1280 px window zoomed to 200%
# (WCAG 1.4.4 and 1.4.10: the page lays out in 640 CSS px, drawn at twice the density).
WIDTHS = (320, 375, 768, 1024, 1280, 1440, 1920, "1280-at-200%")
PHONE_WIDTH = 800
TOUCH_TARGET_PX = 44
CHART_TEXT_PX = 11


def screen(width: int | str) -> dict:
    if width == "1280-at-200%":
        return {"viewport": {"width": 640, "height": 360}, "device_scale_factor": 2, "service_workers": "block"}
    if width < PHONE_WIDTH:
        return {"viewport": {"width": width, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
                "service_workers": "block"}
    return {"viewport": {"width": width, "height": 900}, "service_workers": "block"}


# What does not fit the screen: the page's width beyond the screen's; each widget that is
# wider than its column, scrolls sideways itself, or has content that sticks out of it
# without a scrolling box of its own (inside the widget) to hold it; each control and each
# feedback that is not on screen within the widget's box (never left in a box scrolled
# aside); chart text under 11 px on screen; and, on a touch screen, each control whose touch
# target (the control, or the label that holds it) is less than 44 px tall.
FIT_PROBE = """({ touch, chartText }) => {
  const screen = window.innerWidth;
  const out = { pageWidth: document.documentElement.scrollWidth, screen, overflow: [], hidden: [], small: [], tiny: [] };
  const scrolls = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const name = (e) => `${e.tagName.toLowerCase()} ${(e.getAttribute('aria-label') || e.textContent || e.value || '').trim().slice(0, 40)}`;
  document.querySelectorAll('.cp-widget').forEach((widget) => {
    const label = widget.getAttribute('aria-label') || widget.querySelector('h4')?.textContent || '?';
    const box = widget.getBoundingClientRect();
    const column = widget.parentElement.getBoundingClientRect();
    if (box.right > Math.min(screen, column.right) + 1 || box.left < -1) out.overflow.push(`${label}: the widget is ${Math.round(box.width)} px wide`);
    if (widget.scrollWidth > widget.clientWidth + 1) out.overflow.push(`${label}: the widget scrolls sideways (${widget.scrollWidth} px in ${widget.clientWidth})`);
    for (const e of widget.querySelectorAll('*')) {
      let holder = e.parentElement, held = false;
      while (holder && holder !== widget) { if (scrolls(holder)) { held = true; break; } holder = holder.parentElement; }
      const r = e.getBoundingClientRect();
      if (!held && r.width > 0 && r.right > box.right + 1) { out.overflow.push(`${label}: ${name(e)} sticks out by ${Math.round(r.right - box.right)} px`); break; }
    }
    widget.querySelectorAll('button, input, select, textarea, [role=status], .cp-verdict').forEach((c) => {
      const r = c.getBoundingClientRect();
      if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) out.hidden.push(`${label}: ${name(c)}`);
    });
    widget.querySelectorAll('svg text').forEach((t) => {
      const m = t.getScreenCTM();
      if (!m || !t.textContent.trim()) return;
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (px < chartText - 0.05) out.tiny.push(`${label}: "${t.textContent.trim().slice(0, 30)}" (${px.toFixed(1)} px)`);
    });
    if (!touch) return;
    widget.querySelectorAll('button, input, select, textarea, summary, a[href]').forEach((c) => {
      if (c.type === 'hidden' || c.disabled && c.tagName !== 'BUTTON') return;
      const target = c.closest('label') || c;
      const height = Math.max(target.getBoundingClientRect().height, c.getBoundingClientRect().height);
      if (height < touch - 0.5) out.small.push(`${label}: ${name(c)} (${Math.round(height)} px)`);
    });
  });
  return out;
}"""


@pytest.mark.browser
@pytest.mark.timeout(900)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_every_screen_width(browser, site, width):
    """At every width from a small phone to a wide desktop no page scrolls sideways, every
    widget and practice question fits its column (a wide table or a dense chart scrolls in a
    box of its own), and once used, every control and its feedback are on screen in it, and
    its chart text is at least 11 px; on a touch screen every control is a 44 px target."""
    context = browser.engine.new_context(**screen(width))
    touch = TOUCH_TARGET_PX if screen(width).get("has_touch") else 0
    misfits = []
    for path in site_pages(site):
        page, problems = open_offline(browser, path, context)
        widgets = page.locator(".cp-widget")
        for i in range(widgets.count()):   # feedback and results are shown only once a widget is used
            responds(page, widgets.nth(i))
        found = page.evaluate(FIT_PROBE, {"touch": touch, "chartText": CHART_TEXT_PX})
        page.close()
        if found["pageWidth"] > found["screen"]:
            misfits.append(f"{path}: the page is {found['pageWidth']} px wide in a {found['screen']} px window")
        misfits += [f"{path}: {o}" for o in found["overflow"]]
        misfits += [f"{path}: off screen (in a box scrolled aside or past the widget's edge): {h}" for h in found["hidden"][:8]]
        misfits += [f"{path}: chart text under {CHART_TEXT_PX} px: {t}" for t in found["tiny"][:8]]
        misfits += [f"{path}: touch target under {TOUCH_TARGET_PX} px: {s}" for s in found["small"][:8]]
        misfits += [f"{path}: {p}" for p in problems]
    context.close()
    assert not misfits, f"at {width} px:\n" + "\n".join(misfits)


# ---------------------------------------------------------------- the keyboard alone

def tab_into(page, selector: str, limit: int = 600) -> None:
    """Press Tab from the top of the page until the focus is inside `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement.closest(s)", selector):
            return
    pytest.fail(f"Tab never reaches {selector}")


@pytest.mark.browser
def test_a_widget_and_a_practice_question_work_from_the_keyboard_alone(browser):
    page, problems = open_offline(browser, "book/ch1-collective-instruments.html")

    # The instrument classifier: answer its two questions with Space and the arrow keys.
    matrix = "[aria-label=\"Classify a scenario among the UN's four instruments\"]"
    result = page.locator(f"{matrix} [role=status]")
    assert result.inner_text().startswith("Answer both questions")
    tab_into(page, f"{matrix} input[type=radio]")      # the first question: troops or armed police?
    page.keyboard.press("Space")                       # "Yes"
    page.keyboard.press("Tab")                         # the second question: consent?
    page.keyboard.press("ArrowDown")                   # "No"
    assert result.inner_text().startswith("Instrument:"), result.inner_text()
    assert "enforcement" in result.inner_text().lower()

    # A practice question with choices: choose with the arrow keys, check with Enter,
    # show the answer with Space; the feedback says in words (not only in colour) how it went.
    question = page.locator(".cp-practice", has=page.locator("input[type=radio]")).first
    name = question.get_attribute("aria-label")
    feedback = question.locator("[role=status]")
    tab_into(page, f"[aria-label='{name}'] input[type=radio]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check"
    page.keyboard.press("Enter")
    assert re.match(r"^(✔ Right|◐ Partly right|✘ Not yet)", feedback.inner_text()), feedback.inner_text()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert feedback.inner_text().startswith("Answer:"), feedback.inner_text()
    assert not problems, problems


# ---------------------------------------------------------------- download and launch

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPOSITORY = CONFIG["repository"]["url"].rstrip("/")
BRANCH = CONFIG["repository"]["branch"]
LAUNCH = CONFIG["launch_buttons"]
SITE_BRANCH = CONFIG["sphinx"]["config"]["course_site_branch"]
ORG, REPO = urlsplit(REPOSITORY).path.strip("/").split("/")


def opened_by(kind: str, url: str) -> tuple[str, str]:
    """(branch, path in the repository) that a launch link opens; fails on a malformed link."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.scheme == "https", url
    if kind == "hub":
        assert f"https://{parts.netloc}" == LAUNCH["jupyterhub_url"].rstrip("/") and parts.path == "/hub/user-redirect/git-pull", url
        assert query["repo"] == REPOSITORY, url
        prefix = f"lab/tree/{REPO}/"          # nbgitpuller clones into a folder named after the repository
        assert query["urlpath"].startswith(prefix), url
        return query["branch"], query["urlpath"][len(prefix):]
    if kind == "binder":
        assert f"https://{parts.netloc}" == LAUNCH["binderhub_url"].rstrip("/"), url
        match = re.fullmatch(rf"/v2/gh/{ORG}/{REPO}/([^/]+)", parts.path)
        assert match and query["urlpath"].startswith("lab/tree/"), url
        return match.group(1), query["urlpath"][len("lab/tree/"):]
    assert f"https://{parts.netloc}" == LAUNCH["colab_url"].rstrip("/"), url
    match = re.fullmatch(rf"/github/{ORG}/{REPO}/blob/([^/]+)/(.+\.ipynb)", parts.path)
    assert match, f"Colab opens only notebooks from GitHub: {url}"
    return match.group(1), match.group(2)


def read_notebook(site: Path, url: str, base: str) -> dict:
    assert url.startswith(base), url
    notebook = json.loads((site / unquote(urlsplit(url).path[len(urlsplit(base).path):])).read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4 and notebook["cells"], url
    return notebook


@pytest.mark.browser
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_offers_its_notebook_and_three_launch_links(visits, site, browser, chapter):
    base = browser.base
    links = {link["title"]: link["href"] for link in visits[f"book/{chapter}.html"].links}
    notebook = read_notebook(site, links["Download notebook file"], base)
    # opened outside the course's environments, the notebook installs the course first
    assert "pip" in "".join(notebook["cells"][0]["source"]) and "contested" in "".join(notebook["cells"][0]["source"])
    assert opened_by("hub", links["Launch on JupyterHub"]) == (BRANCH, f"book/{chapter}.md")
    assert opened_by("binder", links["Launch on Binder"]) == (BRANCH, f"book/{chapter}.md")
    # Colab cannot read MyST markdown: it gets the same notebook from the published site
    branch, path = opened_by("colab", links["Launch on Colab"])
    assert (branch, path) == (SITE_BRANCH, f"_sources/book/{chapter}.ipynb")
    assert (site / path).is_file()


def test_binder_builds_an_environment_with_the_course_in_it():
    """Binder's launch links open the repository as it is: its binder/ folder must install
    the course's package, and let JupyterLab open the chapters' markdown as notebooks."""
    postbuild = ROOT / "binder" / "postBuild"
    assert postbuild.stat().st_mode & 0o111, "repo2docker runs postBuild only if it is executable"
    # the toolkit (./toolkit) first, then the course (.)
    assert re.search(r"^pip install .*\./toolkit \.$", postbuild.read_text(), re.M)
    assert "jupytext" in (ROOT / "binder" / "requirements.txt").read_text()


def test_binder_shows_students_no_instructor_tools():
    """nbgrader's instructor tools (and its Assignments list, which needs the hub's exchange)
    are turned off in Binder's environment, by the names the installed nbgrader has; its
    Validate stays."""
    import nbgrader

    postbuild = (ROOT / "binder" / "postBuild").read_text()
    plugins = set(re.search(r"for plugin in ([^;]+); do\s+jupyter labextension disable --level=sys_prefix "
                            r'"@jupyter/nbgrader:\$plugin"', postbuild).group(1).split())
    extensions = set(re.search(r"for extension in ([^;]+); do\s+jupyter server extension disable --sys-prefix "
                               r'"nbgrader.server_extensions.\$extension"', postbuild).group(1).split())
    assert {"formgrader", "create-assignment", "course-list"} <= plugins and "validate-assignment" not in plugins
    assert {"formgrader", "course_list"} <= extensions and "validate_assignment" not in extensions
    lab = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader"
    code = "".join(p.read_text(errors="replace") for p in (lab / "static").glob("*.js"))
    assert all(f'"@jupyter/nbgrader:{plugin}"' in code for plugin in plugins), "a plugin nbgrader does not have"
    server = Path(nbgrader.__file__).parent / "server_extensions"
    assert all((server / extension).is_dir() for extension in extensions), "a server extension nbgrader does not have"


@pytest.mark.browser
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_assignment_page_offers_the_student_notebook_and_three_launch_links(visits, site, browser, assignment):
    base = browser.base
    links = visits[f"book/assignments/{assignment}.html"].links
    downloads = {link["text"]: link["href"] for link in links if "download" in link["cls"]}
    released = ROOT / "exercises" / assignment
    assert read_notebook(site, downloads[f"{assignment}.ipynb"], base) == json.loads((released / f"{assignment}.ipynb").read_text())
    checks = site / unquote(urlsplit(downloads["checks.json"]).path[len(urlsplit(base).path):])
    assert checks.read_bytes() == (released / "checks.json").read_bytes()
    launches = {kind: next(link["href"] for link in links if f"cp-launch-{kind}" in link["cls"]) for kind in ("hub", "binder", "colab")}
    for kind, url in launches.items():
        branch, path = opened_by(kind, url)
        assert (branch, path) == (BRANCH, f"exercises/{assignment}/{assignment}.ipynb"), f"{kind}: {url}"
        assert (ROOT / path).is_file()


def test_no_assignment_key_is_in_the_built_site(site):
    """The book shows practice questions, never a graded one's key (of any student's version)."""
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".js", ".json", ".ipynb", ".txt"))
    for aid in ASSIGNMENTS:
        leaked = [key for key in keys_in_plain(aid) if key in text]
        assert not leaked, f"{aid}: keys in the built site: {leaked[:5]}"
