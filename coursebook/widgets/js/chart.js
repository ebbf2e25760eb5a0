// Numbers and chart scaffolding several widgets share (put before a widget's module by
// front_end, after dom.js). Colours are the palette's CSS custom properties (widgets.css).

const f2 = (v) => v.toFixed(2);
const clamp = (v, low = 0, high = 1) => Math.min(high, Math.max(low, v));

// A round upper limit for a chart's axis: 1, 2, 2.5 or 5 times a power of ten.
function niceMax(v) {
  if (v <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((c) => c >= v);
}

// Text in a chart is never drawn smaller than this many CSS pixels, however narrow the column.
const CHART_TEXT_MIN_PX = 11;

// An SVG drawing that scales with its column (never wider than drawn), named for screen
// readers by its aria-label (set it again whenever the drawing changes). As it shrinks, its
// text grows in the drawing's own units so that it stays CHART_TEXT_MIN_PX on screen
// (chartText reads --cp-text-floor). A drawing too dense for bigger text (labels that would
// collide) gives `smallestText`, the size of its smallest label: it then keeps the width at
// which that label is still readable, and its caller puts it in a box that scrolls
// (scrollingChart), so that the controls around it stay on screen.
function chartBox(width, height, name = "", { smallestText } = {}) {
  const box = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", class: "cp-chart", "aria-label": name });
  box.style.maxWidth = `${width}px`;
  if (smallestText) box.style.minWidth = `${Math.ceil((width * CHART_TEXT_MIN_PX) / smallestText)}px`;
  if (typeof ResizeObserver !== "undefined") {
    new ResizeObserver(() => {
      const shown = box.getBoundingClientRect().width;
      if (shown > 0) box.style.setProperty("--cp-text-floor", `${((CHART_TEXT_MIN_PX * width) / shown).toFixed(2)}px`);
    }).observe(box);
  }
  return box;
}

// A dense chart (chartBox's `smallestText`) in a box that scrolls sideways on a narrow screen.
const scrollingChart = (chart) => scrollBox(chart.getAttribute("aria-label") || "Chart", chart);

// A text label in a chart; `tone` is a name from the palette (ink, muted, accent, good, ...).
// Its size is in the drawing's units, raised to the floor its chart sets (chartBox).
const chartText = (x, y, text, { anchor = "start", size = 11, tone = "ink", ...more } = {}) =>
  svg("text", { x, y, "text-anchor": anchor, "font-size": String(size), fill: `var(--cp-${tone})`,
    style: `font-size: max(${size}px, var(--cp-text-floor, 0px))`, ...more }, text);

// A straight line in a tone of the palette, solid or dashed (`dash`: an SVG dash pattern).
const chartLine = (x1, y1, x2, y2, { tone = "ink", width = 1, dash } = {}) =>
  svg("line", { x1, y1, x2, y2, stroke: `var(--cp-${tone})`, "stroke-width": String(width), ...(dash ? { "stroke-dasharray": dash } : {}) });
