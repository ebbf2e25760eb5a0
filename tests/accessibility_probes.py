"""The scripts tests/test_accessibility.py runs inside the book's pages: axe-core with its
undecided contrasts measured, and probes of what the pointer, the keyboard and the eye get."""

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


# How a widget looks: its colour scheme, its paper, and the colour of a chart's first text.
LOOK = """() => {
  const widget = document.querySelector('.cp-widget:has(svg text)');
  const style = getComputedStyle(widget);
  return { scheme: style.colorScheme, paper: style.backgroundColor, ink: style.color,
           chart: getComputedStyle(widget.querySelector('svg text')).fill };
}"""
DARK_PAPER = "(look) => { const [r, g, b] = look.paper.match(/[0-9.]+/g).map(Number); return r + g + b < 3 * 96; }"


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
