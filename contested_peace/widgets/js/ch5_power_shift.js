// Chapter 5: the commitment problem. A deal x (A's share of the prize) is struck in year 0;
// A's chance of winning moves by `shift` each year, p_t = p0 + shift * t (kept within 0-1).
// The deal fails in year t if A expects more from war (x < p_t - cA - k) or B does
// (x > p_t + cB + k). k is an extra cost of breaking a principled deal: our illustration
// of "justice principles as anchors", not part of Fearon's model (k = 0 is the plain model).
// data: { defaults: {p0, shift, cA, cB, k}, years, names: {A, B} }

const f2 = (v) => v.toFixed(2);
const clamp = (v) => Math.min(1, Math.max(0, v));

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const { A, B } = data.names;
    const T = data.years;
    const uid = `cp5ps-${nextId()}`;
    const state = { ...data.defaults };
    const midpoint = () => clamp(state.p0 + (state.cB - state.cA) / 2);
    state.x = midpoint();
    const inputs = {}, outputs = {};
    const slider = (key, text, min, max) => {
      const id = `${uid}-${key}`;
      const input = el("input", { type: "range", id, min, max, step: "0.01", value: String(state[key]) });
      const shown = el("output", { for: id, text: f2(state[key]) });
      input.oninput = () => {
        state[key] = Number(input.value);
        if (key !== "x" && key !== "shift" && key !== "k") setDeal(midpoint());
        draw();
      };
      inputs[key] = input; outputs[key] = shown;
      return el("div", { class: "cp-row" }, el("label", { for: id, text }), input, shown);
    };
    const setDeal = (v) => { state.x = v; inputs.x.value = String(v); };
    const box = el("div", { class: "cp-widget", role: "group", "aria-label": model.get("label") });
    const controls = el("div", {},
      slider("p0", `Today's chance that ${A} wins a war (p in year 0)`, "0", "1"),
      slider("shift", `Shift in ${A}'s chance of winning per year (+ ${A} gains, − ${A} loses)`, "-0.1", "0.1"),
      slider("cA", `${A}'s cost of war (cA)`, "0", "0.3"),
      slider("cB", `${B}'s cost of war (cB)`, "0", "0.3"),
      slider("x", `The deal struck in year 0: ${A}'s share (x)`, "0", "1"),
      slider("k", "Extra cost of breaking a principled deal (k, our illustration)", "0", "0.2"));
    const reset = el("button", { class: "cp-secondary", text: "Put the deal back at the middle of today's range" });
    reset.onclick = () => { setDeal(midpoint()); draw(); };
    const W = 560, H = 250, L = 44, R = 540, TOP = 16, BOT = 200;
    const X = (t) => L + (R - L) * t / T, Y = (v) => BOT - (BOT - TOP) * v;
    const pic = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", style: "max-width:560px" });
    const title = svg("title");
    const result = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const detail = el("p", { class: "cp-muted" });

    function fails(t) {
      const p = clamp(state.p0 + state.shift * t);
      if (state.x < p - state.cA - state.k - 1e-9) return { who: A, p, gets: state.x, war: p - state.cA };
      if (state.x > p + state.cB + state.k + 1e-9) return { who: B, p, gets: 1 - state.x, war: 1 - p - state.cB };
      return null;
    }
    function draw() {
      for (const key in inputs) outputs[key].textContent = f2(state[key]);
      const years = [...Array(T + 1).keys()];
      const status = years.map(fails);
      pic.replaceChildren(title);
      // the years in which the deal fails, shaded (the ✘ marks below say the same in symbols)
      const half = (R - L) / T / 2;
      years.filter((t) => status[t]).forEach((t) => pic.append(svg("rect", {
        x: Math.max(L, X(t) - half), y: TOP, width: Math.min(R, X(t) + half) - Math.max(L, X(t) - half), height: BOT - TOP, fill: "#fbe3e1" })));
      // the bargaining range year by year, as a band
      const top = years.map((t) => `${X(t)},${Y(clamp(state.p0 + state.shift * t + state.cB))}`);
      const bottom = years.map((t) => `${X(t)},${Y(clamp(state.p0 + state.shift * t - state.cA))}`).reverse();
      pic.append(svg("polygon", { points: [...top, ...bottom].join(" "), fill: "#dfeee4", stroke: "#1b7f3b" }));
      pic.append(svg("polyline", { points: years.map((t) => `${X(t)},${Y(clamp(state.p0 + state.shift * t))}`).join(" "), fill: "none", stroke: "#2b4c7e", "stroke-width": "2", "stroke-dasharray": "4 3" }));
      pic.append(svg("line", { x1: X(0), y1: Y(state.x), x2: X(T), y2: Y(state.x), stroke: "#1d2330", "stroke-width": "2.5" }));
      pic.append(svg("text", { x: X(T) - 2, y: Y(state.x) - 5, "text-anchor": "end", "font-size": "11" }, `deal x = ${f2(state.x)}`));
      pic.append(svg("line", { x1: L, y1: TOP, x2: L, y2: BOT, stroke: "#1d2330" }));
      pic.append(svg("line", { x1: L, y1: BOT, x2: R, y2: BOT, stroke: "#1d2330" }));
      for (const v of [0, 0.5, 1]) pic.append(svg("text", { x: L - 6, y: Y(v) + 4, "text-anchor": "end", "font-size": "11" }, String(v)));
      years.forEach((t) => {
        pic.append(svg("text", { x: X(t), y: BOT + 14, "text-anchor": "middle", "font-size": "11" }, String(t)));
        pic.append(svg("text", { x: X(t), y: BOT + 30, "text-anchor": "middle", "font-size": "13", fill: status[t] ? "#b3261e" : "#1b7f3b" }, status[t] ? "✘" : "✔"));
      });
      pic.append(svg("text", { x: (L + R) / 2, y: H - 4, "text-anchor": "middle", "font-size": "11", fill: "#4a5263" }, "year (✔ deal holds, ✘ deal fails, shaded); green band = deals both prefer to war; dashed = p"));
      const first = status.findIndex(Boolean);
      const holding = status.filter((s) => !s).length;
      title.textContent = `Chart over ${T} years: the band of acceptable deals moves with p; the deal line is at ${f2(state.x)}; the deal holds in ${holding} of ${T + 1} years.`;
      let note = "";
      if (state.k > 0) {
        const k = state.k;
        state.k = 0;
        const plain = years.map(fails).findIndex(Boolean);
        state.k = k;
        if (plain !== first) note = ` Without the extra cost k the deal would fail from year ${plain}.`;
      }
      if (first === -1) {
        result.textContent = `✔ The deal (${A} gets ${f2(state.x)}) stays inside the range in every year from 0 to ${T}.`;
        detail.textContent = (state.shift === 0 ? "Power does not move, so a deal both accept today stays acceptable."
          : "Power moves, but not far enough within this horizon to push the deal out of the range.") + note;
        return;
      }
      const s = status[first];
      const when = first === 0 ? "already in year 0" : `from year ${first} (it held in years 0–${first - 1})`;
      result.textContent = `✘ The deal fails ${when}: ${s.who} can expect ${f2(s.war)} from war (p = ${f2(s.p)}) but the deal gives it ${f2(s.gets)}.`;
      detail.textContent = (first === 0 ? "A deal outside today's range is rejected at once; put it back inside the band."
        : `Seeing this coming in year 0, the side losing ground has a reason to fight now, while it is still strong, unless ${s.who} can credibly promise not to reopen the deal: that is the commitment problem.`) + note;
    }

    box.append(el("h4", { text: "When does today's deal stop being acceptable?" }),
      el("p", { class: "cp-muted", text: "Moving today's chance of winning or a cost re-strikes the deal at the middle of today's range; the yearly shift then moves the range while the deal stays put." }),
      controls, reset, pic, result, detail);
    root.append(box);
    draw();
  },
};
