// Chapter 5: the commitment problem. A deal x (A's share of the prize) is struck in year 0;
// A's chance of winning moves by `shift` each year, p_t = p0 + shift * t (kept within 0-1).
// The deal fails in year t if A expects more from war (x < p_t - cA - k) or B does
// (x > p_t + cB + k). k is an extra cost of breaking a principled deal: our illustration
// of "justice principles as anchors", not part of Fearon's model (k = 0 is the plain model).
// data: { defaults: {p0, shift, cA, cB, k}, years, names: {A, B} }

// A's chance of winning in year t: p0 moved by `shift` a year, kept within 0-1.
const chanceIn = ({ p0, shift }, t) => clamp(p0 + shift * t);

// Why the deal x breaks in year t: the side ("A" or "B") that expects more from war, its
// chance p, what the deal gives it and what war would; null while both prefer the deal.
function dealBreak(s, t) {
  const p = chanceIn(s, t);
  if (s.x < p - s.cA - s.k - 1e-9) return { who: "A", p, gets: s.x, war: p - s.cA };
  if (s.x > p + s.cB + s.k + 1e-9) return { who: "B", p, gets: 1 - s.x, war: 1 - p - s.cB };
  return null;
}

// The first year from 0 to `years` in which the deal breaks, or -1 if it always holds.
function firstBreak(s, years) {
  for (let t = 0; t <= years; t++) if (dealBreak(s, t)) return t;
  return -1;
}

// The deal struck at the middle of year 0's range.
const middleDeal = ({ p0, cA, cB }) => clamp(p0 + (cB - cA) / 2);

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const { A, B } = data.names;
    const T = data.years;
    const uid = uniqueId("power-shift");
    const state = { ...data.defaults };
    state.x = middleDeal(state);
    const sliders = {};
    const slider = (key, label, min, max) => {
      sliders[key] = sliderRow({ id: `${uid}-${key}`, label, min, max, value: state[key], format: f2, onInput: (v) => {
        state[key] = v;
        if (key !== "x" && key !== "shift" && key !== "k") setDeal(middleDeal(state));
        draw();
      } });
      return sliders[key].row;
    };
    const setDeal = (v) => { state.x = v; sliders.x.show(v); };
    const box = widgetBox(model);
    const controls = el("div", {},
      slider("p0", `Today's chance that ${A} wins a war (p in year 0)`, "0", "1"),
      slider("shift", `Shift in ${A}'s chance of winning per year (+ ${A} gains, − ${A} loses)`, "-0.1", "0.1"),
      slider("cA", `${A}'s cost of war (cA)`, "0", "0.3"),
      slider("cB", `${B}'s cost of war (cB)`, "0", "0.3"),
      slider("x", `The deal struck in year 0: ${A}'s share (x)`, "0", "1"),
      slider("k", "Extra cost of breaking a principled deal (k, our illustration)", "0", "0.2"));
    const reset = el("button", { class: "cp-secondary", text: "Put the deal back at the middle of today's range" });
    reset.onclick = () => { setDeal(middleDeal(state)); draw(); };
    const W = 560, H = 250, L = 44, R = 540, TOP = 16, BOT = 200;
    const X = (t) => L + (R - L) * t / T, Y = (v) => BOT - (BOT - TOP) * v;
    const pic = chartBox(W, H);
    const result = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const detail = el("p", { class: "cp-muted" });

    function draw() {
      const years = [...Array(T + 1).keys()];
      const status = years.map((t) => dealBreak(state, t));
      pic.replaceChildren();
      // the years in which the deal fails, shaded (the ✘ marks below say the same in symbols)
      const half = (R - L) / T / 2;
      years.filter((t) => status[t]).forEach((t) => pic.append(svg("rect", {
        x: Math.max(L, X(t) - half), y: TOP, width: Math.min(R, X(t) + half) - Math.max(L, X(t) - half), height: BOT - TOP, fill: "var(--cp-bad-fill)" })));
      // the bargaining range year by year, as a band
      const top = years.map((t) => `${X(t)},${Y(clamp(chanceIn(state, t) + state.cB))}`);
      const bottom = years.map((t) => `${X(t)},${Y(clamp(chanceIn(state, t) - state.cA))}`).reverse();
      pic.append(svg("polygon", { points: [...top, ...bottom].join(" "), fill: "var(--cp-good-fill)", stroke: "var(--cp-good)" }));
      pic.append(svg("polyline", { points: years.map((t) => `${X(t)},${Y(chanceIn(state, t))}`).join(" "), fill: "none", stroke: "var(--cp-accent)", "stroke-width": "2", "stroke-dasharray": "4 3" }));
      pic.append(chartLine(X(0), Y(state.x), X(T), Y(state.x), { width: 2.5 }),
        chartText(X(T) - 2, Y(state.x) - 5, `deal x = ${f2(state.x)}`, { anchor: "end" }),
        chartLine(L, TOP, L, BOT), chartLine(L, BOT, R, BOT));
      for (const v of [0, 0.5, 1]) pic.append(chartText(L - 6, Y(v) + 4, String(v), { anchor: "end" }));
      years.forEach((t) => {
        pic.append(chartText(X(t), BOT + 14, String(t), { anchor: "middle" }),
          chartText(X(t), BOT + 30, status[t] ? "✘" : "✔", { anchor: "middle", size: 13, tone: status[t] ? "bad" : "good" }));
      });
      pic.append(chartText((L + R) / 2, H - 4, "year", { anchor: "middle", tone: "muted" }));
      const first = status.findIndex(Boolean);
      const holding = status.filter((s) => !s).length;
      pic.setAttribute("aria-label", `Chart over ${T} years: the band of acceptable deals moves with p; the deal line is at ${f2(state.x)}; the deal holds in ${holding} of ${T + 1} years.`);
      const plain = firstBreak({ ...state, k: 0 }, T);
      const note = state.k > 0 && plain !== first ? ` Without the extra cost k the deal would fail from year ${plain}.` : "";
      if (first === -1) {
        result.textContent = `✔ The deal (${A} gets ${f2(state.x)}) stays inside the range in every year from 0 to ${T}.`;
        detail.textContent = (state.shift === 0 ? "Power does not move, so a deal both accept today stays acceptable."
          : "Power moves, but not far enough within this horizon to push the deal out of the range.") + note;
        return;
      }
      const s = status[first];
      const who = s.who === "A" ? A : B;
      const when = first === 0 ? "already in year 0" : `from year ${first} (it held in years 0–${first - 1})`;
      result.textContent = `✘ The deal fails ${when}: ${who} can expect ${f2(s.war)} from war (p = ${f2(s.p)}) but the deal gives it ${f2(s.gets)}.`;
      detail.textContent = (first === 0 ? "A deal outside today's range is rejected at once; put it back inside the band."
        : `Seeing this coming in year 0, the side losing ground has a reason to fight now, while it is still strong, unless ${who} can credibly promise not to reopen the deal: that is the commitment problem.`) + note;
    }

    box.append(el("h4", { text: "When does today's deal stop being acceptable?" }),
      el("p", { class: "cp-muted", text: "Moving today's chance of winning or a cost re-strikes the deal at the middle of today's range; the yearly shift then moves the range while the deal stays put." }),
      controls, reset, pic,
      // the key to the chart, as text beside it: too long to stay readable inside it on a phone
      el("p", { class: "cp-muted", text: "Under each year: ✔ the deal holds, ✘ it fails (the year is shaded). "
        + `Green band: the deals both sides prefer to war. Dashed line: p, the chance that ${A} wins a war, year by year.` }),
      result, detail);
    root.append(box);
    draw();
  },
};

export { dealBreak, firstBreak, middleDeal };
