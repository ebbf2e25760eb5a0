// Chapter 3: who belonged to the Collective Security Treaty (1992) and its Organization
// (2002) in a chosen year. A slider picks the year; a table gives each state's status in
// words and a symbol; a line reports the count and that year's milestone.
// data: { first, last, states: [{name, periods: [[from, to|null, status]]}],
//         statuses: {status: {symbol, text}}, milestones: {"year": text} }

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const id = `cp3m-${nextId()}`;
    const box = el("div", { class: "cp-widget", role: "group", "aria-label": model.get("label") });
    const slider = el("input", { type: "range", id, min: data.first, max: data.last, step: 1, value: 2002 });
    const shown = el("output", { for: id });
    const back = el("button", { class: "cp-secondary", "aria-label": "One year earlier", text: "◀" });
    const next = el("button", { class: "cp-secondary", "aria-label": "One year later", text: "▶" });
    const table = el("table", { "aria-label": "Status of each state in the chosen year" });
    const status = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const milestone = el("p", { class: "cp-muted" });

    const statusIn = (state, year) => {
      const period = state.periods.find(([from, to]) => year >= from && (to === null || year <= to));
      return period ? period[2] : "none";
    };
    const update = () => {
      const year = Number(slider.value);
      shown.textContent = ` ${year}`;
      const body = [el("tr", {}, el("th", { scope: "col", text: "State" }), el("th", { scope: "col", text: `Status in ${year}` }))];
      const counts = {};
      for (const state of data.states) {
        const s = statusIn(state, year);
        counts[s] = (counts[s] || 0) + 1;
        const look = data.statuses[s];
        body.push(el("tr", {}, el("th", { scope: "row", text: state.name }),
          el("td", {}, el("span", { "aria-hidden": "true", text: `${look.symbol} ` }), look.text)));
      }
      table.replaceChildren(...body);
      const members = (counts.member || 0) + (counts.frozen || 0);
      const body2 = year < 2002 ? "parties to the Collective Security Treaty" : "members of the Collective Security Treaty Organization";
      const extra = ["frozen", "suspended"].filter((s) => counts[s])
        .map((s) => `${data.states.filter((st) => statusIn(st, year) === s).map((st) => st.name).join(", ")}: ${data.statuses[s].text}`);
      status.textContent = `${year}: ${members} ${body2}.${extra.length ? " " + extra.join(". ") + "." : ""}`;
      milestone.textContent = data.milestones[String(year)] ? `Milestone: ${data.milestones[String(year)]}` : "No milestone recorded for this year.";
    };
    slider.oninput = update;
    back.onclick = () => { slider.value = Math.max(data.first, Number(slider.value) - 1); update(); };
    next.onclick = () => { slider.value = Math.min(data.last, Number(slider.value) + 1); update(); };

    box.append(el("h4", { text: "Membership of the Collective Security Treaty, year by year" }),
      el("div", { class: "cp-row" }, el("label", { for: id, text: "Year:" }), back, slider, next, shown),
      status, milestone, table);
    root.append(box);
    update();
  },
};
