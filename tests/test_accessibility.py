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
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from test_book import WIDGET_PAGES, open_offline, site_pages
from widget_actions import responds, responds_to_keys

pytestmark = [pytest.mark.slow, pytest.mark.browser]

MODES = ("light", "dark")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TARGET_PX = 24          # WCAG 2.5.8, target size (minimum)
FOCUS_CONTRAST = 3.0    # WCAG 1.4.11: the focus ring against the paper beside it

# axe run in the page, its undecided colour contrasts measured with axe's own colour
# functions: the text's colour (an SVG text's fill) with the opacity of it and its
# ancestors, over the shape of its chart under it or else its ancestors' backgrounds;
# 3:1 for large text (24 px, or 18.66 px bold), 4.5:1 for the rest.
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations', 'incomplete'], elementRef: true });
  const { Color, getContrast, flattenColors } = axe.commons.color;
  const colour = (css) => { const c = new Color(); c.parseString(css); return c; };
  const opacity = (e) => { let o = 1; for (; e && e.nodeType === 1; e = e.parentNode) o *= parseFloat(getComputedStyle(e).opacity); return o; };
  const faded = (css, e) => { const c = colour(css); c.alpha *= opacity(e); return c; };
  function paper(e) {
    let layers = [];
    for (; e && e.nodeType === 1; e = e.parentElement) {
      const c = colour(getComputedStyle(e).backgroundColor);
      if (c.alpha > 0) layers.push(c);
      if (c.alpha === 1) break;
    }
    return layers.reverse().reduce((under, c) => flattenColors(c, under), new Color(255, 255, 255, 1));
  }
  function background(node) {
    let under = paper(node);
    if (node instanceof SVGTextElement) {
      const box = node.getBBox(), svg = node.ownerSVGElement;
      const centre = svg.createSVGPoint(); centre.x = box.x + box.width / 2; centre.y = box.y + box.height / 2;
      const shapes = [...svg.querySelectorAll('rect, circle, ellipse, path, polygon')].filter((s) =>
        s.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING && getComputedStyle(s).fill !== 'none' && s.isPointInFill(centre));
      if (shapes.length) under = flattenColors(faded(getComputedStyle(shapes.at(-1)).fill, shapes.at(-1)), under);
    }
    return under;
  }
  function measured(node) {
    const style = getComputedStyle(node);
    const scale = node instanceof SVGElement ? Math.hypot(node.getScreenCTM().a, node.getScreenCTM().b) : 1;
    const px = parseFloat(style.fontSize) * scale;
    const large = px >= 24 || (px >= 18.66 && parseInt(style.fontWeight) >= 700);
    const ink = faded(node instanceof SVGTextElement ? style.fill : style.color, node);
    const ratio = getContrast(background(node), ink);
    return { ratio, needed: large ? 3 : 4.5 };
  }
  const html = (n) => n.html.replace(/\\s+/g, ' ').slice(0, 140);
  const undecided = [];
  for (const rule of result.incomplete) {
    for (const node of rule.nodes) {
      if (rule.id !== 'color-contrast') { undecided.push(`${rule.id} (${rule.help}): ${html(node)}`); continue; }
      const { ratio, needed } = measured(node.element);
      if (ratio < needed) undecided.push(`contrast ${ratio.toFixed(2)}:1, under ${needed}:1: ${html(node)}`);
    }
  }
  return { violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(html) })), undecided };
}"""

# Who listens for a drag: every listener for a drag, a pointer or a touch move that a page's
# script adds to an element is noted on it, before any script of the page runs.
DRAG_WATCH = """(() => {
  const kinds = new Set(['dragstart', 'drag', 'drop', 'dragover', 'pointermove', 'mousemove', 'touchmove']);
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, ...rest) {
    if (kinds.has(type) && this instanceof Element) this.dataset.cpDrag = type;
    return add.call(this, type, ...rest);
  };
})()"""

# What a pointer user can hit in the widgets: every enabled control whose target (the
# control, or the label that holds or names it) is smaller than TARGET_PX either way, and
# every element that is dragged or listens for a drag.
POINTER_PROBE = """(target) => {
  const small = [], drags = [];
  const name = (e) => `${e.tagName.toLowerCase()} ${(e.textContent || e.getAttribute('aria-label') || e.value || '').trim().slice(0, 40)}`;
  document.querySelectorAll('.cp-widget').forEach((widget) => {
    widget.querySelectorAll('button:not([disabled]), input:not([disabled]), select, summary, a[href]').forEach((c) => {
      const boxes = [c, c.closest('label'), c.id && widget.querySelector(`label[for="${c.id}"]`)].filter(Boolean)
        .map((e) => e.getBoundingClientRect());
      if (!boxes.some((r) => r.width >= target - 0.5 && r.height >= target - 0.5)) {
        const r = boxes[0];
        small.push(`${name(c)} (${Math.round(r.width)} by ${Math.round(r.height)} px)`);
      }
    });
    widget.querySelectorAll('[draggable=true], [data-cp-drag]').forEach((e) => drags.push(`${name(e)} (${e.dataset.cpDrag || 'draggable'})`));
    [widget, ...widget.querySelectorAll('*')].forEach((e) => {
      if (e.ondragstart || e.onpointermove || e.onmousemove || e.ontouchmove) drags.push(`${name(e)} (a move handler)`);
    });
  });
  return { small, drags };
}"""


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
        context = browser.engine.new_context(color_scheme=mode)
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

# How a widget looks: its colour scheme, its paper, and the colour of a chart's first text.
LOOK = """() => {
  const widget = document.querySelector('.cp-widget:has(svg text)');
  const style = getComputedStyle(widget);
  return { scheme: style.colorScheme, paper: style.backgroundColor, ink: style.color,
           chart: getComputedStyle(widget.querySelector('svg text')).fill };
}"""
DARK_PAPER = "(look) => { const [r, g, b] = look.paper.match(/[0-9.]+/g).map(Number); return r + g + b < 3 * 96; }"

ARMS_RACE = "book/ch4-security-guarantees.html"


def look(page) -> dict:
    found = page.evaluate(LOOK)
    found["dark"] = page.evaluate(DARK_PAPER, found)
    return found


def test_the_switch_and_the_system_setting_recolour_widgets_and_charts(browser):
    """The theme's switch cycles auto, dark and light; in auto the book follows the system
    setting as it changes; the widgets and their charts are re-coloured each time."""
    context = browser.engine.new_context(color_scheme="light")
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
    context = browser.engine.new_context(color_scheme="light")
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


# Where Tab stops: the control's key (numbered below), whether its focus shows (an outline
# or a shadow) with a ring of at least FOCUS_CONTRAST:1 against the widget's paper, and
# whether something else (a sticky header, a neighbour) covers its middle.
FOCUS_PROBE = """(needed) => {
  const el = document.activeElement;
  if (el === document.body) return { end: true };   // Tab has left the last control of the page
  const widget = el.closest('.cp-widget');
  if (!widget) return {};
  const { Color, getContrast } = axe.commons.color;
  const colour = (css) => { const c = new Color(); c.parseString(css); return c; };
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const ring = outline ? getContrast(colour(getComputedStyle(widget).backgroundColor), colour(style.outlineColor)) : 0;
  const r = el.getBoundingClientRect();   // the middle of its part on screen (a tall box may not fit)
  const low = Math.max(r.top, 0), high = Math.min(r.bottom, innerHeight);
  const top = high > low ? document.elementFromPoint(r.left + r.width / 2, (low + high) / 2) : null;
  const what = `${el.tagName.toLowerCase()} ${(el.getAttribute('aria-label') || el.textContent).trim().slice(0, 40)}`;
  return { key: el.dataset.cpControl, what, visible: (outline && ring >= needed) || style.boxShadow !== 'none',
           covered: !top || !(el.contains(top) || top.contains(el) || top === el.closest('label')) ? (top ? top.className || top.tagName : 'the edge of the screen') : '' };
}"""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", [f"book/{p}.html" for p in WIDGET_PAGES])
def test_tab_reaches_every_control_with_a_focus_that_shows_and_is_never_covered(browser, axe_script, path, mode):
    context = browser.engine.new_context(color_scheme=mode)
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
    context = browser.engine.new_context(reduced_motion=motion)
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
