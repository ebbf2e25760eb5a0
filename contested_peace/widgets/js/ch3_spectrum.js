// Chapter 3: a spectrum from Westphalian sovereignty (0) to limited sovereignty (10).
// The reader picks a state in a given year, places it with a slider, and compares the
// placement with the course's (a reasoned judgement, not a measurement) and its reasons.
// A table keeps every comparison made so far, with the average distance.
// data: { low, high, cases: [{name, course, why}] }

const verdict = (gap) => gap <= 1 ? { mark: "✔", text: "close to the course's placement" }
  : gap <= 2.5 ? { mark: "◐", text: "somewhat different from the course's placement" }
  : { mark: "✘", text: "far from the course's placement" };

// The feedback on placing case `c` at `v` (0-10): its tone (a feedback class: the symbol
// in the text says the same) and its text.
function placementFeedback(c, v) {
  const gap = Math.abs(v - c.course);
  const { mark, text } = verdict(gap);
  const side = v === c.course ? "" : v < c.course ? " You placed it nearer the Westphalian end." : " You placed it nearer the limited end.";
  return { tone: gap <= 1 ? "cp-correct" : gap <= 2.5 ? "cp-partial" : "cp-wrong",
    text: `${mark} ${c.name}: you chose ${v}, the course chose ${c.course}: ${text}.${side} The course's reasons: ${c.why}` };
}

// The line under the table of placements (`placed`: {case index: value}): how many cases
// are placed and their average distance from the course's placements.
function placementSummary(cases, placed) {
  const gaps = Object.entries(placed).map(([i, v]) => Math.abs(v - cases[Number(i)].course));
  return gaps.length ? `You have placed ${gaps.length} of ${cases.length} cases; average distance from the course: ${(gaps.reduce((a, b) => a + b, 0) / gaps.length).toFixed(1)} points.` : "";
}

export default {
  render({ model, el: root }) {
    const { low, high, cases } = model.get("data");
    const id = uniqueId("spectrum");
    const box = widgetBox(model);
    const pick = el("select", { id: `${id}-case` });
    cases.forEach((c, i) => pick.append(el("option", { value: String(i), text: c.name })));
    const place = sliderRow({ id: `${id}-place`, label: "Your placement:", min: 0, max: 10, step: 0.5, value: 5,
      format: (v) => `${v} of 10`, onInput: () => draw() });
    const slider = place.input;
    slider.setAttribute("aria-describedby", `${id}-ends`);
    const compare = el("button", { text: "Compare with the course" });
    place.row.append(compare);
    const status = el("div", { class: "cp-feedback", role: "status", "aria-live": "polite" });
    const history = el("table", { "aria-label": "Your placements so far" });
    const summary = el("p", { class: "cp-muted" });
    const placed = {};

    // The scale: ▲ marks the reader's placement, ● the course's once compared. The slider
    // and the texts say the same, so screen readers skip the drawing.
    const W = 640, L = 30, R = 610, Y = 50;
    const sx = (v) => L + (v / 10) * (R - L);
    const picture = chartBox(W, 90);
    picture.removeAttribute("role");
    picture.setAttribute("aria-hidden", "true");
    picture.append(chartLine(L, Y, R, Y, { tone: "muted", width: 3 }));
    for (let v = 0; v <= 10; v++) {
      picture.append(chartLine(sx(v), Y - 5, sx(v), Y + 5, { tone: "muted" }), chartText(sx(v), Y + 20, String(v), { anchor: "middle" }));
    }
    picture.append(chartText(L, Y + 36, "Westphalian"), chartText(R, Y + 36, "Limited", { anchor: "end" }));
    const you = chartText(0, Y - 10, "", { anchor: "middle", size: 13, tone: "warn-ink" });
    const course = chartText(0, Y - 26, "", { anchor: "middle", size: 13, tone: "accent" });
    picture.append(you, course);

    const draw = () => {
      const c = cases[Number(pick.value)];
      const v = Number(slider.value);
      you.setAttribute("x", sx(v));
      you.textContent = "▲ you";
      const done = placed[pick.value] !== undefined;
      course.setAttribute("x", sx(c.course));
      course.textContent = done ? "● course" : "";
    };
    const table = () => {
      const rows = Object.entries(placed).map(([i, v]) => {
        const c = cases[Number(i)];
        const gap = Math.abs(v - c.course);
        const { mark, text } = verdict(gap);
        return el("tr", {}, el("td", { text: c.name }), el("td", { text: String(v) }), el("td", { text: String(c.course) }),
          el("td", { text: `${mark} ${gap} (${text.split(" ")[0]})` }));
      });
      history.replaceChildren(el("tr", {}, ...["Case", "You", "Course", "Distance"].map((h) => el("th", { scope: "col", text: h }))), ...rows);
      summary.textContent = placementSummary(cases, placed);
    };
    compare.onclick = () => {
      const c = cases[Number(pick.value)];
      const v = Number(slider.value);
      placed[pick.value] = v;
      const feedback = placementFeedback(c, v);
      status.className = `cp-feedback ${feedback.tone}`;
      status.textContent = feedback.text;
      draw();
      table();
    };
    pick.onchange = () => { status.textContent = ""; status.className = "cp-feedback"; draw(); };

    box.append(el("h4", { text: "Where does each state sit?" }),
      el("p", { class: "cp-muted", id: `${id}-ends`, text: `0 = ${low}; 10 = ${high}.` }),
      el("div", { class: "cp-row" }, el("label", { for: `${id}-case`, text: "State and year:" }), pick),
      place.row,
      picture, status, history, summary,
      el("p", { class: "cp-muted", text: "The course's placements are a reasoned judgement from facts cited in the chapter, not a measurement. Disagreeing with good reasons is the point." }));
    root.append(box);
    draw();
  },
};

export { placementFeedback, placementSummary };
