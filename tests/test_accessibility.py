"""WCAG 2.2 AA in the built book, in light and dark, in real headless Chromium offline
(what was tested and what is known not to conform: docs/accessibility.md).

- axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules finds nothing, at any impact, on
  every page in the reader's light and dark system setting (which the book follows), with
  every widget and practice question drawn, and again once each has been used and shows
  its feedback. What axe leaves undecided ("incomplete") is decided here: the contrast of
  text axe cannot place (chart text, symbols, text its background is hidden from) is
  measured with axe's own colour functions; anything else undecided fails.
- Beyond axe: the theme's switch and the system setting re-colour the widgets and their
  charts, and so does JupyterLab's theme; every widget works from the keyboard alone; Tab
  reaches every control with a focus ring that contrasts and is never hidden; targets are
  at least 24 px; no control needs a drag; every chart has a text equivalent in the
  accessibility tree that follows its state, and feedback is in live regions; motion
  stops when the reader asks for less. (Reflow at 320 px and 200% zoom: tests/test_book.py.)

Over 250 lines, because its tests share one pass over every page in each scheme (the
`audits` fixture, the costly part); the scripts they run in the pages are in
accessibility_probes.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from accessibility_probes import AXE_RUN, DARK_PAPER, DRAG_WATCH, FOCUS_PROBE, LOOK, POINTER_PROBE
from test_book import WIDGET_PAGES, open_offline, site_pages
from widget_actions import responds, responds_to_keys

pytestmark = [pytest.mark.slow, pytest.mark.browser]

MODES = ("light", "dark")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TARGET_PX = 24          # WCAG 2.5.8, target size (minimum)
FOCUS_CONTRAST = 3.0    # WCAG 1.4.11: the focus ring against the paper beside it


@dataclass
class Audit:
    lang: str = ""
    theme: str = ""                                       # the colour scheme the page shows
    violations: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    small: list[str] = field(default_factory=list)
    drags: list[str] = field(default_factory=list)


def run_axe(page, axe_script, stage: str, audit: Audit) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    found = page.evaluate(AXE_RUN, WCAG_TAGS)
    audit.violations += [f"{stage}: [{v['impact']}] {v['id']}: {v['help']}\n      " + "\n      ".join(v["nodes"])
                         for v in found["violations"]]
    audit.undecided += [f"{stage}: {u}" for u in found["undecided"]]


@pytest.fixture(scope="session")
def audits(browser, site, axe_script) -> dict[tuple[str, str], Audit]:
    """Every page in each colour scheme of the reader's system: axe with its widgets drawn,
    then with each one used (feedback shown, details opened), and what a pointer can hit."""
    found = {}
    for mode in MODES:
        context = browser.engine.new_context(color_scheme=mode, service_workers="block")
        context.add_init_script(DRAG_WATCH)
        for path in site_pages(site):
            page, problems = open_offline(browser, path, context)
            audit = found[(mode, path)] = Audit(*page.evaluate("[document.documentElement.lang, document.documentElement.dataset.theme]"))
            run_axe(page, axe_script, "drawn", audit)
            widgets = page.locator(".cp-widget")
            if widgets.count():
                for i in range(widgets.count()):
                    responds(page, widgets.nth(i))
                page.evaluate("document.querySelectorAll('.cp-widget details').forEach((d) => { d.open = true; })")
                run_axe(page, axe_script, "used", audit)
                pointer = page.evaluate(POINTER_PROBE, TARGET_PX)
                audit.small, audit.drags = pointer["small"], pointer["drags"]
            audit.violations += problems
            page.close()
        context.close()
    return found


def report(audits, what: str) -> str:
    return "\n".join(f"{path} ({mode}):\n  " + "\n  ".join(getattr(a, what)) for (mode, path), a in audits.items() if getattr(a, what))


def test_every_page_carries_its_language_and_follows_the_system_colour_scheme(audits):
    assert len(audits) >= 2 * 19
    wrong = [f"{path} ({mode}): lang={a.lang!r}, shown {a.theme!r}" for (mode, path), a in audits.items()
             if not re.fullmatch(r"en(-[A-Z]{2})?", a.lang) or a.theme != mode]
    assert not wrong, "\n".join(wrong)


def test_axe_finds_nothing_in_light_and_dark_drawn_and_used(audits):
    bad = report(audits, "violations")
    assert not bad, f"axe-core (WCAG 2.2 A and AA) finds:\n{bad}"


def test_what_axe_leaves_undecided_is_decided(audits):
    bad = report(audits, "undecided")
    assert not bad, f"axe-core could not decide, nor could the test:\n{bad}"


def test_every_widget_target_is_24px_and_nothing_needs_a_drag(audits):
    assert not report(audits, "small"), f"targets under {TARGET_PX} px:\n{report(audits, 'small')}"
    assert not report(audits, "drags"), f"controls that need a drag:\n{report(audits, 'drags')}"


# ---------------------------------------------------------------- dark mode

ARMS_RACE = "book/ch4-security-guarantees.html"


def look(page) -> dict:
    found = page.evaluate(LOOK)
    found["dark"] = page.evaluate(DARK_PAPER, found)
    return found


def test_the_switch_and_the_system_setting_recolour_widgets_and_charts(browser):
    """The theme's switch cycles auto, dark and light; in auto the book follows the system
    setting as it changes; the widgets and their charts are re-coloured each time."""
    context = browser.engine.new_context(color_scheme="light", service_workers="block")
    page, problems = open_offline(browser, ARMS_RACE, context)
    light = look(page)
    assert page.evaluate("document.documentElement.dataset.mode") == "auto" and not light["dark"], light
    page.locator(".theme-switch-button").first.click()
    page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
    dark = look(page)
    assert dark["dark"] and dark["scheme"] == "dark", dark
    assert dark["chart"] != light["chart"] and dark["ink"] != light["ink"], (light, dark)
    page.locator(".theme-switch-button").first.click()   # then light, whatever the system says
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("document.documentElement.dataset.mode === 'light'")
    assert look(page) == light
    for _ in range(2):   # round the switch's cycle (its order depends on the system) back to auto
        if page.evaluate("document.documentElement.dataset.mode") != "auto":
            page.locator(".theme-switch-button").first.click()
    page.wait_for_function("document.documentElement.dataset.mode === 'auto' && document.documentElement.dataset.theme === 'dark'")
    assert look(page) == dark
    page.emulate_media(color_scheme="light")              # the system changes while the page is open
    page.wait_for_function("document.documentElement.dataset.theme === 'light'")
    assert look(page) == light
    context.close()
    assert not [p for p in problems if "console" in p], problems


def test_widgets_follow_jupyterlabs_theme_and_else_the_system(browser):
    """Where the book's theme does not say (a notebook in JupyterLab), the widgets follow
    JupyterLab's theme (body[data-jp-theme-light] and its --jp-* colours), and where
    nothing says, the system setting. Checked on a chapter page made to look like Lab's
    (a live JupyterLab with its dark theme is not started for this)."""
    context = browser.engine.new_context(color_scheme="light", service_workers="block")
    page, problems = open_offline(browser, ARMS_RACE, context)
    # no book theme: its style sheets off (the widgets' own stays), no data-theme
    as_lab = """(light) => { delete document.documentElement.dataset.theme;
      document.querySelectorAll('link[rel=stylesheet]').forEach((sheet) => { sheet.disabled = true; });
      document.body.dataset.jpThemeLight = light;
      document.body.style.setProperty('--jp-layout-color0', light === 'true' ? '#ffffff' : '#111111');
      document.body.style.setProperty('--jp-content-font-color1', light === 'true' ? 'rgba(0, 0, 0, 0.87)' : '#e0e0e0'); }"""
    page.evaluate(as_lab, "false")
    lab_dark = look(page)
    assert lab_dark["scheme"] == "dark" and lab_dark["paper"] == "rgb(17, 17, 17)" and lab_dark["ink"] == "rgb(224, 224, 224)", lab_dark
    page.evaluate(as_lab, "true")
    lab_light = look(page)
    assert lab_light["scheme"] == "light" and lab_light["paper"] == "rgb(255, 255, 255)", lab_light
    page.evaluate("() => { delete document.body.dataset.jpThemeLight; document.body.removeAttribute('style'); }")
    unsaid = "() => { delete document.documentElement.dataset.theme; }"   # the theme's script sets it again on a change
    page.emulate_media(color_scheme="dark")
    page.evaluate(unsaid)
    assert look(page)["dark"], look(page)
    page.emulate_media(color_scheme="light")
    page.evaluate(unsaid)
    assert not look(page)["dark"], look(page)
    context.close()
    assert not problems, problems


# ---------------------------------------------------------------- the keyboard alone

@pytest.mark.parametrize("path", [f"book/{p}.html" for p in WIDGET_PAGES])
def test_every_widget_and_practice_question_works_from_the_keyboard_alone(browser, path):
    page, problems = open_offline(browser, path)
    widgets = page.locator(".cp-widget")
    count = widgets.count()
    dead = [widgets.nth(i).get_attribute("aria-label") for i in range(count) if not responds_to_keys(widgets.nth(i))]
    page.close()
    assert count and not dead, f"{path}: no response to the keys in {dead}"
    assert not problems, problems


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", [f"book/{p}.html" for p in WIDGET_PAGES])
def test_tab_reaches_every_control_with_a_focus_that_shows_and_is_never_covered(browser, axe_script, path, mode):
    context = browser.engine.new_context(color_scheme=mode, service_workers="block")
    page, problems = open_offline(browser, path, context)
    page.add_script_tag(path=str(axe_script))   # for its colour functions
    expected = set(page.evaluate("""() => {
      const keys = [];
      document.querySelectorAll('.cp-widget').forEach((w, wi) => w.querySelectorAll(
          'button:not([disabled]), input:not([disabled]), select, textarea, summary, a[href], [tabindex]'
        ).forEach((c, ci) => {
          c.dataset.cpControl = c.type === 'radio' ? `${wi}:radio:${c.name}` : `${wi}:${ci}`;
          keys.push(c.dataset.cpControl);
        }));
      return keys;
    }"""))
    duplicates = page.evaluate("""() => {
      const ids = [...document.querySelectorAll('.cp-widget [id]')].map(e => e.id);
      return ids.filter((id, i) => ids.indexOf(id) !== i);
    }""")
    assert not duplicates, f"{path}: ids used twice, so a label may name another widget's control: {duplicates}"
    reached, unseen, covered = set(), [], []
    for presses in range(3000):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_PROBE, FOCUS_CONTRAST)
        if stop.get("end") and presses:
            break
        if "key" not in stop:
            continue
        reached.add(stop["key"])
        if not stop["visible"]:
            unseen.append(stop["what"])
        if stop["covered"]:
            covered.append(f"{stop['what']} (under {stop['covered']})")
    context.close()
    assert not unseen, f"{path} ({mode}): no focus ring of {FOCUS_CONTRAST}:1 on {unseen}"
    assert not covered, f"{path} ({mode}): the focused control is covered: {covered}"
    missed = expected - reached
    assert not missed, f"{path}: Tab never reaches {len(missed)} widget controls: {sorted(missed)[:10]}"
    assert not problems, problems


# ---------------------------------------------------------------- what a screen reader gets

EQUIVALENT = re.compile(r"^\s*- (img|table|row|cell|rowheader|columnheader|status)\b")


def text_equivalent(widget, named: bool) -> list[str]:
    """What Chromium's accessibility tree gives of a widget (Playwright's ARIA snapshot):
    where its drawings are named images, their names, its tables and its live regions;
    where they are hidden, everything (the values of its controls say it as well)."""
    return [line for line in widget.aria_snapshot().splitlines() if not named or EQUIVALENT.match(line)]


def drawings(widget) -> list[dict]:
    return widget.evaluate("""w => [...w.querySelectorAll('svg')].filter((s) => s.getBoundingClientRect().width > 40).map((s) => ({
      hidden: s.closest('[aria-hidden=true]') !== null, role: s.getAttribute('role'), name: s.getAttribute('aria-label') || '',
      markup: s.innerHTML }))""")


@pytest.mark.parametrize("path", [f"book/{p}.html" for p in WIDGET_PAGES])
def test_every_chart_has_a_text_equivalent_that_follows_it_and_feedback_is_live(browser, path):
    """A chart is either an image with a name, or hidden from screen readers beside text
    that says the same; when a widget's drawing changes, what the accessibility tree gives
    of it changes too; every result and feedback the widget shows is in a live region."""
    page, problems = open_offline(browser, path)
    widgets = page.locator(".cp-widget")
    faults, count = [], widgets.count()
    for i in range(count):
        widget = widgets.nth(i)
        name = widget.get_attribute("aria-label")
        assert f'group "{name}"' in widget.aria_snapshot().splitlines()[0], f"{path}: a widget with no name in the tree"
        before = drawings(widget)
        named = any(not d["hidden"] for d in before)
        told = text_equivalent(widget, named)
        faults += [f"{name}: an SVG drawing neither named nor hidden" for d in before if not d["hidden"] and not (d["role"] == "img" and d["name"])]
        responds(page, widget)
        after = drawings(widget)
        if [d["markup"] for d in after] != [d["markup"] for d in before] and text_equivalent(widget, named) == told:
            faults.append(f"{name}: its drawing changed and nothing in the accessibility tree did")
        silent = widget.evaluate("""w => [...w.querySelectorAll('.cp-feedback, .cp-result')]
          .filter((e) => e.textContent.trim() && !e.closest('[role=status], [aria-live]')).map((e) => e.textContent.trim().slice(0, 60))""")
        faults += [f"{name}: feedback outside a live region: {s}" for s in silent]
    page.close()
    assert count and not faults, f"{path}:\n" + "\n".join(faults)
    assert not problems, problems


# ---------------------------------------------------------------- motion

RUNNING = "() => document.getAnimations().filter((a) => a.playState === 'running').length"


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_nothing_moves_when_the_reader_asks_for_less_motion(browser, motion):
    """The theme's switch and a collapsed section's toggle animate for a reader who has not
    asked otherwise (so the probe sees motion), and nothing at all moves once they have."""
    context = browser.engine.new_context(reduced_motion=motion, service_workers="block")
    page, problems = open_offline(browser, ARMS_RACE, context)
    moving = 0
    for control in (".theme-switch-button", ".primary-toggle", ".cp-widget button"):
        shown = page.locator(f"{control} >> visible=true").first
        shown.hover()
        shown.click()
        moving += page.evaluate(RUNNING)
        page.keyboard.press("Escape")
    context.close()
    assert (moving > 0) == (motion == "no-preference"), f"{motion}: {moving} animations running"
    assert not problems, problems
