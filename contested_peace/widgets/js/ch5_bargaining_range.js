// Chapter 5: the bargaining range of Fearon's (1995) model of war, drawn on a 0-1 line.
// A prize worth 1 is split: A gets x, B gets 1 - x. Fighting gives A an expected p - cA
// and B an expected (1 - p) - cB, so A accepts x >= p - cA, B accepts x <= p + cB, and
// every x in [p - cA, p + cB] (clipped to 0-1) is a deal both prefer to war.
// data: { defaults: {p, cA, cB, x}, names: {A, B} }

// The deals both sides prefer to war, cut to the 0-1 line.
function bargainingRange({ p, cA, cB }) {
  return { low: Math.max(0, p - cA), high: Math.min(1, p + cB) };
}

// Which side would rather fight than take the deal x ("A", "B"), or null if both accept.
function rejectedBy({ p, cA, cB, x }) {
  if (x < p - cA - 1e-9) return "A";
  if (x > p + cB + 1e-9) return "B";
  return null;
}

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const { A, B } = data.names;
    const uid = uniqueId("bargaining");
    const box = widgetBox(model);
    const state = { ...data.defaults };
    const slider = (key, label, min, max) => sliderRow({
      id: `${uid}-${key}`, label, min, max, value: state[key], format: f2, onInput: (v) => { state[key] = v; draw(); } }).row;
    const controls = el("div", {},
      slider("p", `Chance that ${A} wins a war (p)`, "0", "1"),
      slider("cA", `${A}'s cost of war (cA, as a share of the prize)`, "0", "0.5"),
      slider("cB", `${B}'s cost of war (cB, as a share of the prize)`, "0", "0.5"),
      slider("x", `A proposed deal: ${A}'s share of the prize (x)`, "0", "1"));
    const W = 560, H = 140, L = 30, R = 530, Y = 70;
    const X = (v) => L + (R - L) * v;
    const pic = chartBox(W, H);
    const result = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const detail = el("p", { class: "cp-muted" });

    function draw() {
      const { p, cA, cB, x } = state;
      const { low, high } = bargainingRange(state);
      pic.replaceChildren();
      // hatch pattern so the range is marked by texture as well as colour
      const defs = svg("defs");
      const pat = svg("pattern", { id: `${uid}-hatch`, width: "8", height: "8", patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
      pat.append(svg("rect", { width: "8", height: "8", fill: "var(--cp-good-fill)" }), svg("line", { x1: "0", y1: "0", x2: "0", y2: "8", stroke: "var(--cp-good)", "stroke-width": "2" }));
      defs.append(pat);
      pic.append(defs);
      pic.append(svg("rect", { x: X(low), y: Y - 16, width: Math.max(2, X(high) - X(low)), height: 24, fill: `url(#${uid}-hatch)`, stroke: "var(--cp-good)" }));
      pic.append(chartText((X(low) + X(high)) / 2, Y - 24, "deals both prefer to war", { anchor: "middle", size: 12, tone: "good-ink" }));
      pic.append(chartLine(X(0), Y, X(1), Y, { width: 2 }));
      for (const t of [0, 0.25, 0.5, 0.75, 1]) {
        pic.append(chartLine(X(t), Y - 5, X(t), Y + 5), chartText(X(t), Y + 24, String(t), { anchor: "middle" }));
      }
      pic.append(chartText(X(0), H - 6, `x = 0: all to ${B}`, { tone: "muted" }),
        chartText(X(1), H - 6, `x = 1: all to ${A}`, { anchor: "end", tone: "muted" }),
        chartLine(X(p), Y - 12, X(p), Y + 12, { tone: "accent", width: 3, dash: "3 2" }),
        chartText(X(p), Y + 40, `p = ${f2(p)}`, { anchor: "middle", size: 12, tone: "accent" }));
      const rejecter = rejectedBy(state);
      const inside = rejecter === null;
      pic.append(svg("path", { d: `M ${X(x)} ${Y - 9} l 7 9 l -7 9 l -7 -9 z`, fill: inside ? "var(--cp-good)" : "var(--cp-bad)", stroke: "var(--cp-ink)" }));
      pic.append(chartText(X(x), 14, `deal x = ${f2(x)} ${inside ? "✔" : "✘"}`, { anchor: "middle", size: 12 }));
      pic.setAttribute("aria-label", `Number line from 0 to 1. The range of deals both sides prefer to war runs from ${f2(low)} to ${f2(high)}; p is ${f2(p)}; the proposed deal is ${f2(x)}.`);

      let verdict;
      if (rejecter === "A") verdict = `✘ ${A} would rather fight: the deal gives it ${f2(x)}, less than the ${f2(p - cA)} it expects from war.`;
      else if (rejecter === "B") verdict = `✘ ${B} would rather fight: the deal leaves it ${f2(1 - x)}, less than the ${f2(1 - p - cB)} it expects from war.`;
      else verdict = `✔ Both accept: ${A} gets ${f2(x)} (war would give it ${f2(p - cA)}), ${B} gets ${f2(1 - x)} (war would give it ${f2(1 - p - cB)}).`;
      result.textContent = `Bargaining range: from ${f2(low)} to ${f2(high)} (width ${f2(high - low)}). ${verdict}`;
      const clipped = (p - cA < 0 || p + cB > 1) ? " Part of the range falls off the line, so it is cut at 0 or 1." : "";
      detail.textContent = cA + cB === 0
        ? "With no costs of war the range shrinks to the single point p: only a deal that mirrors the odds exactly beats fighting."
        : `The width before any cut is cA + cB = ${f2(cA + cB)}: the costlier war is, the more deals beat it.${clipped}`;
    }

    box.append(el("h4", { text: "Explore the bargaining range" }),
      el("p", { class: "cp-muted", text: `A prize worth 1 (say, the territory in dispute) is divided: ${A} gets x and ${B} gets 1 − x.` }),
      controls, pic, result, detail);
    root.append(box);
    draw();
  },
};

export { bargainingRange, rejectedBy };
