// Chapter 4: Richardson's arms-race model as a simulator of the security dilemma.
// Two states, A and B; sliders set each one's reaction to the other's arms (a, b), its
// restraint or cost of arming (m, n), its standing grievance (g, h) and its starting arms.
// The model is stepped forward in small time steps (x_{t+1} = x_t + dt*(a*y_t - m*x_t + g),
// and the same for y), drawn as an SVG line chart, and the stability test m*n > a*b is
// reported in words and numbers, with the equilibrium when one exists.
// data: { params: [{key, label, min, max, step, value}], presets: [{name, values: {key: v}}],
//         years, dt }

const fmt = (v) => (Math.abs(v) >= 1e5 ? v.toExponential(2) : v.toLocaleString("en", { maximumFractionDigits: 2 }));

// Both states update at once from last step's levels (as in the chapter's discrete version).
function simulate(p, years, dt) {
  let x = p.x0, y = p.y0;
  const out = [{ t: 0, x, y }];
  const steps = Math.round(years / dt);
  for (let s = 1; s <= steps; s++) {
    [x, y] = [x + dt * (p.a * y - p.m * x + p.g), y + dt * (p.b * x - p.n * y + p.h)];
    out.push({ t: s * dt, x, y });
  }
  return out;
}

// Where the race settles: restraint must outweigh reaction (m·n > a·b) for there to be a
// resting point. `kind` is "stable", "spiral" or "borderline"; `x`, `y` the levels when stable.
function equilibrium(p) {
  const D = p.m * p.n - p.a * p.b;
  if (D > 1e-9) return { kind: "stable", D, x: (p.a * p.h + p.n * p.g) / D, y: (p.b * p.g + p.m * p.h) / D };
  return { kind: D < -1e-9 ? "spiral" : "borderline", D };
}

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const uid = uniqueId("arms-race");
    const box = widgetBox(model);
    const p = {};
    const sliders = {};
    const grid = el("div", { class: "cp-slider-grid" });
    for (const spec of data.params) {
      p[spec.key] = spec.value;
      sliders[spec.key] = sliderRow({ id: `${uid}-${spec.key}`, label: spec.label, min: spec.min, max: spec.max, step: spec.step,
        value: spec.value, format: fmt, onInput: (v) => { p[spec.key] = v; update(); } });
      grid.append(sliders[spec.key].row);
    }
    const preset = el("select", { id: `${uid}-preset` }, el("option", { value: "", text: "choose a scenario…" }));
    data.presets.forEach((s, i) => preset.append(el("option", { value: String(i), text: s.name })));
    preset.onchange = () => {
      const s = data.presets[Number(preset.value)];
      if (!s) return;
      for (const [k, v] of Object.entries(s.values)) { p[k] = v; sliders[k].show(v); }
      update();
    };

    const W = 600, H = 300, L = 58, R = 14, T = 24, B = 40;   // T: room above for a label raised on a phone
    const chart = chartBox(W, H);
    const legend = el("p", { class: "cp-muted" }, el("strong", { text: "State A" }), ": solid line, ▲ at the end · ",
      el("strong", { text: "State B" }), ": dashed line, ● at the end · dotted lines: the equilibrium (A*, B*) when there is one");
    const status = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const detail = el("p", {});
    const steps = el("table", { "aria-label": "The first years of the race, step by step" });

    const line = (pts, attrs) => svg("polyline", { fill: "none", "stroke-width": 2.5, points: pts.join(" "), ...attrs });

    function draw(series, eq) {
      chart.replaceChildren();
      const top = niceMax(Math.max(...series.map((r) => Math.max(r.x, r.y)), eq ? Math.max(eq.x, eq.y) : 0));
      const sx = (t) => L + (t / data.years) * (W - L - R);
      const sy = (v) => T + (1 - Math.min(v, top) / top) * (H - T - B);
      for (let i = 0; i <= 4; i++) {
        const v = (top * i) / 4;
        chart.append(chartLine(L, sy(v), W - R, sy(v), { tone: "grid" }), chartText(L - 6, sy(v) + 4, fmt(v), { anchor: "end", size: 12 }));
      }
      for (let t = 0; t <= data.years; t += 10) chart.append(chartText(sx(t), H - B + 16, String(t), { anchor: "middle", size: 12 }));
      chart.append(chartText((L + W - R) / 2, H - 6, "years", { anchor: "middle", size: 12 }),
        chartText(14, (T + H - B) / 2, "arms level", { anchor: "middle", size: 12, transform: `rotate(-90 14 ${(T + H - B) / 2})` }),
        chartLine(L, T, L, H - B, { tone: "muted" }), chartLine(L, H - B, W - R, H - B, { tone: "muted" }));
      if (eq) {
        // one label when the two levels would overlap on screen
        const marks = Math.abs(sy(eq.x) - sy(eq.y)) < 14 ? [[eq.x, "A* and B*"]] : [[eq.x, "A*"], [eq.y, "B*"]];
        for (const [v, name] of marks) {
          chart.append(chartLine(L, sy(v), W - R, sy(v), { tone: "muted", dash: "2 4" }), chartText(L + 6, sy(v) - 5, name, { size: 12 }));
        }
      }
      const pts = (key) => series.filter((_, i) => i % 2 === 0 || i === series.length - 1).map((r) => `${sx(r.t).toFixed(1)},${sy(r[key]).toFixed(1)}`);
      chart.append(line(pts("x"), { stroke: "var(--cp-accent)" }), line(pts("y"), { stroke: "var(--cp-second)", "stroke-dasharray": "8 5" }));
      const end = series[series.length - 1];
      chart.append(chartText(sx(end.t) - 4, sy(end.x) + 4, "▲", { anchor: "end", size: 12, tone: "accent" }),
        chartText(sx(end.t) - 16, sy(end.y) + 4, "●", { anchor: "end", size: 12, tone: "second" }));
    }

    function update() {
      const series = simulate(p, data.years, data.dt);
      const mn = p.m * p.n, ab = p.a * p.b;
      const settled = equilibrium(p), D = settled.D;
      const end = series[series.length - 1];
      const numbers = `m·n = ${fmt(mn)} and a·b = ${fmt(ab)}, so m·n − a·b = ${fmt(D)}.`;
      const eq = settled.kind === "stable" ? settled : null;
      if (eq) {
        status.textContent = `✔ Stable: restraint outweighs reaction (m·n > a·b). Arms settle at A* = ${fmt(eq.x)}, B* = ${fmt(eq.y)}.`;
        detail.textContent = `${numbers} Equilibrium: A* = (a·h + n·g) / (m·n − a·b) = ${fmt(eq.x)}; B* = (b·g + m·h) / (m·n − a·b) = ${fmt(eq.y)}. After ${data.years} years A has ${fmt(end.x)} and B has ${fmt(end.y)}.`;
      } else if (settled.kind === "spiral") {
        status.textContent = `✘ Unstable: reaction outweighs restraint (m·n < a·b). The race spirals: after ${data.years} years A has ${fmt(end.x)} and B has ${fmt(end.y)}.`;
        detail.textContent = `${numbers} The formula for the equilibrium gives negative levels here, a point the two states move away from, not towards.`;
      } else {
        status.textContent = `◐ Borderline: m·n equals a·b. There is no equilibrium; with any grievance the race keeps growing. After ${data.years} years A has ${fmt(end.x)} and B has ${fmt(end.y)}.`;
        detail.textContent = `${numbers} Raise a restraint (m or n) a little to stabilise the race, or a reaction (a or b) to make it spiral.`;
      }
      chart.setAttribute("aria-label", `Arms levels of A and B over ${data.years} years. ${status.textContent}`);
      draw(series, eq);
      const per = Math.round(1 / data.dt);
      steps.replaceChildren(el("tr", {}, el("th", { scope: "row", text: "Year" }), ...[0, 1, 2, 3, 4, 5].map((y) => el("th", { scope: "col", text: String(y) }))),
        ...[["x", "A"], ["y", "B"]].map(([k, name]) => el("tr", {}, el("th", { scope: "row", text: `Arms of ${name}` }),
          ...[0, 1, 2, 3, 4, 5].map((y) => el("td", { text: fmt(series[y * per][k]) })))));
    }

    box.append(el("h4", { text: "Arms-race simulator: spiral or equilibrium?" }),
      el("div", { class: "cp-row" }, el("label", { for: preset.id, text: "Load a scenario:" }), preset),
      grid, chart, legend, status, detail,
      el("details", {}, el("summary", { text: "The first five years, step by step" }),
        el("p", { class: "cp-muted", text: `Computed in steps of ${data.dt} of a year, so the numbers differ a little from a hand calculation in whole-year steps.` }), steps));
    root.append(box);
    update();
  },
};

export { simulate, equilibrium, niceMax };
