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

// An SVG drawing that scales with its column (never wider than drawn), named for screen
// readers by its aria-label (set it again whenever the drawing changes).
function chartBox(width, height, name = "") {
  const box = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", class: "cp-chart", "aria-label": name });
  box.style.maxWidth = `${width}px`;
  return box;
}

// A text label in a chart; `tone` is a name from the palette (ink, muted, accent, good, ...).
const chartText = (x, y, text, { anchor = "start", size = 11, tone = "ink", ...more } = {}) =>
  svg("text", { x, y, "text-anchor": anchor, "font-size": String(size), fill: `var(--cp-${tone})`, ...more }, text);

// A straight line in a tone of the palette, solid or dashed (`dash`: an SVG dash pattern).
const chartLine = (x1, y1, x2, y2, { tone = "ink", width = 1, dash } = {}) =>
  svg("line", { x1, y1, x2, y2, stroke: `var(--cp-${tone})`, "stroke-width": String(width), ...(dash ? { "stroke-dasharray": dash } : {}) });
