// Chapter 5: the bargaining range of Fearon's (1995) model of war, drawn on a 0-1 line.
// A prize worth 1 is split: A gets x, B gets 1 - x. Fighting gives A an expected p - cA
// and B an expected (1 - p) - cB, so A accepts x >= p - cA, B accepts x <= p + cB, and
// every x in [p - cA, p + cB] (clipped to 0-1) is a deal both prefer to war.
// data: { defaults: {p, cA, cB, x}, names: {A, B} }

const f2 = (v) => v.toFixed(2);

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const { A, B } = data.names;
    const uid = `cp5br-${nextId()}`;
    const box = el("div", { class: "cp-widget", role: "group", "aria-label": model.get("label") });
    const state = { ...data.defaults };
    const sliders = {};
    const slider = (key, text, min, max) => {
      const id = `${uid}-${key}`;
      const input = el("input", { type: "range", id, min, max, step: "0.01", value: String(state[key]) });
      const shown = el("output", { for: id, text: f2(state[key]) });
      input.oninput = () => { state[key] = Number(input.value); shown.textContent = f2(state[key]); draw(); };
      sliders[key] = input;
      return el("div", { class: "cp-row" }, el("label", { for: id, text }), input, shown);
    };
    const controls = el("div", {},
      slider("p", `Chance that ${A} wins a war (p)`, "0", "1"),
      slider("cA", `${A}'s cost of war (cA, as a share of the prize)`, "0", "0.5"),
      slider("cB", `${B}'s cost of war (cB, as a share of the prize)`, "0", "0.5"),
      slider("x", `A proposed deal: ${A}'s share of the prize (x)`, "0", "1"));
    const W = 560, H = 140, L = 30, R = 530, Y = 70;
    const X = (v) => L + (R - L) * v;
    const pic = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", style: "max-width:560px" });
    const title = svg("title");
    const result = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const detail = el("p", { class: "cp-muted" });

    function draw() {
      const { p, cA, cB, x } = state;
      const low = Math.max(0, p - cA), high = Math.min(1, p + cB);
      pic.replaceChildren(title);
      // hatch pattern so the range is marked by texture as well as colour
      const defs = svg("defs");
      const pat = svg("pattern", { id: `${uid}-hatch`, width: "8", height: "8", patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
      pat.append(svg("rect", { width: "8", height: "8", fill: "#dfeee4" }), svg("line", { x1: "0", y1: "0", x2: "0", y2: "8", stroke: "#1b7f3b", "stroke-width": "2" }));
      defs.append(pat);
      pic.append(defs);
      pic.append(svg("rect", { x: X(low), y: Y - 16, width: Math.max(2, X(high) - X(low)), height: 24, fill: `url(#${uid}-hatch)`, stroke: "#1b7f3b" }));
      pic.append(svg("text", { x: (X(low) + X(high)) / 2, y: Y - 24, "text-anchor": "middle", "font-size": "12", fill: "#1b5e20" }, "deals both prefer to war"));
      pic.append(svg("line", { x1: X(0), y1: Y, x2: X(1), y2: Y, stroke: "#1d2330", "stroke-width": "2" }));
      for (const t of [0, 0.25, 0.5, 0.75, 1]) {
        pic.append(svg("line", { x1: X(t), y1: Y - 5, x2: X(t), y2: Y + 5, stroke: "#1d2330" }));
        pic.append(svg("text", { x: X(t), y: Y + 24, "text-anchor": "middle", "font-size": "11" }, String(t)));
      }
      pic.append(svg("text", { x: X(0), y: H - 6, "font-size": "11", fill: "#4a5263" }, `x = 0: all to ${B}`));
      pic.append(svg("text", { x: X(1), y: H - 6, "font-size": "11", "text-anchor": "end", fill: "#4a5263" }, `x = 1: all to ${A}`));
      pic.append(svg("line", { x1: X(p), y1: Y - 12, x2: X(p), y2: Y + 12, stroke: "#2b4c7e", "stroke-width": "3", "stroke-dasharray": "3 2" }));
      pic.append(svg("text", { x: X(p), y: Y + 40, "text-anchor": "middle", "font-size": "12", fill: "#2b4c7e" }, `p = ${f2(p)}`));
      const inside = x >= low - 1e-9 && x <= high + 1e-9;
      pic.append(svg("path", { d: `M ${X(x)} ${Y - 9} l 7 9 l -7 9 l -7 -9 z`, fill: inside ? "#1b7f3b" : "#b3261e", stroke: "#1d2330" }));
      pic.append(svg("text", { x: X(x), y: 14, "text-anchor": "middle", "font-size": "12" }, `deal x = ${f2(x)} ${inside ? "✔" : "✘"}`));
      title.textContent = `Number line from 0 to 1. The range of deals both sides prefer to war runs from ${f2(low)} to ${f2(high)}; p is ${f2(p)}; the proposed deal is ${f2(x)}.`;

      let verdict;
      if (x < p - cA - 1e-9) verdict = `✘ ${A} would rather fight: the deal gives it ${f2(x)}, less than the ${f2(p - cA)} it expects from war.`;
      else if (x > p + cB + 1e-9) verdict = `✘ ${B} would rather fight: the deal leaves it ${f2(1 - x)}, less than the ${f2(1 - p - cB)} it expects from war.`;
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
