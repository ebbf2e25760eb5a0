// Chapter 3: who belonged to the Collective Security Treaty (1992) and its Organization
// (2002) in a chosen year. A slider picks the year; a table gives each state's status in
// words and a symbol; a line reports the count and that year's milestone.
// data: { first, last, states: [{name, periods: [[from, to|null, status]]}],
//         statuses: {status: {symbol, text}}, milestones: {"year": text} }

// A state's status in `year` (a key of data.statuses): "none" before its first period.
function statusIn(state, year) {
  const period = state.periods.find(([from, to]) => year >= from && (to === null || year <= to));
  return period ? period[2] : "none";
}

// What the widget says of `year`: each state's status, the line with the count of members
// (a frozen member still counts) and the states frozen or suspended, and the milestone line.
function membershipIn(data, year) {
  const statuses = data.states.map((state) => ({ name: state.name, status: statusIn(state, year) }));
  const count = (s) => statuses.filter((x) => x.status === s).length;
  const members = count("member") + count("frozen");
  const body = year < 2002 ? "parties to the Collective Security Treaty" : "members of the Collective Security Treaty Organization";
  const extra = ["frozen", "suspended"].filter(count)
    .map((s) => `${statuses.filter((x) => x.status === s).map((x) => x.name).join(", ")}: ${data.statuses[s].text}`);
  const milestone = data.milestones[String(year)];
  return {
    statuses,
    status: `${year}: ${members} ${body}.${extra.length ? " " + extra.join(". ") + "." : ""}`,
    milestone: milestone ? `Milestone: ${milestone}` : "No milestone recorded for this year.",
  };
}

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const id = uniqueId("csto");
    const box = widgetBox(model);
    const yearSlider = sliderRow({ id, label: "Year:", min: data.first, max: data.last, step: 1, value: 2002, onInput: () => update() });
    const back = symbolButton("◀", "One year earlier", { class: "cp-secondary" });
    const next = symbolButton("▶", "One year later", { class: "cp-secondary" });
    const table = el("table", { "aria-label": "Status of each state in the chosen year" });
    const status = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const milestone = el("p", { class: "cp-muted" });

    const update = () => {
      const chosen = Number(yearSlider.input.value);
      const facts = membershipIn(data, chosen);
      table.replaceChildren(el("tr", {}, el("th", { scope: "col", text: "State" }), el("th", { scope: "col", text: `Status in ${chosen}` })),
        ...facts.statuses.map(({ name, status: s }) => el("tr", {}, el("th", { scope: "row", text: name }),
          el("td", {}, el("span", { "aria-hidden": "true", text: `${data.statuses[s].symbol} ` }), data.statuses[s].text))));
      status.textContent = facts.status;
      milestone.textContent = facts.milestone;
    };
    back.onclick = () => { yearSlider.show(Math.max(data.first, Number(yearSlider.input.value) - 1)); update(); };
    next.onclick = () => { yearSlider.show(Math.min(data.last, Number(yearSlider.input.value) + 1)); update(); };
    yearSlider.input.before(back);   // the shared slider row, with a button for a year back and one for a year on
    yearSlider.input.after(next);

    box.append(el("h4", { text: "Membership of the Collective Security Treaty, year by year" }),
      yearSlider.row,
      status, milestone, table);
    root.append(box);
    update();
  },
};

export { membershipIn };
