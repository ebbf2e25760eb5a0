// Chapter 1: an explorer of the UN operations data set (contested_peace/data/un_missions.csv).
// Filter by kind and by mandate flags, sort, and read a count summary that updates; the
// operations left after filtering are listed in a table and drawn as bars on a timeline.
// data: { rows: [{name, full_name, country, start_year, end_year|null, kind, note,
//                 chapter_vii, poc_mandate, stabilization_mandate, discussed_in_reading}],
//         kinds: [kind], flags: [{id, label, short}], first_year, last_year }

// The orders the reader can choose; `last` is the data set's last year, the end of an
// operation still deployed.
const span = (r, last) => (r.end_year ?? last) - r.start_year;
const SORTS = {
  start: ["Start year (earliest first)", (a, b) => a.start_year - b.start_year || a.name.localeCompare(b.name)],
  name: ["Name (A to Z)", (a, b) => a.name.localeCompare(b.name)],
  length: ["Years deployed (longest first)", (a, b, last) => span(b, last) - span(a, last) || a.start_year - b.start_year],
};

// The operations that pass the filters, in the chosen order: `kind` ("" for any), `flags`
// ({flag id: "yes", "no" or "" for either}) and `sort` (a key of SORTS).
function missionsShown(data, { kind = "", flags = {}, sort = "start" } = {}) {
  return data.rows.filter((r) => (!kind || r.kind === kind) &&
    data.flags.every((f) => !flags[f.id] || r[f.id] === (flags[f.id] === "yes")))
    .sort((a, b) => SORTS[sort][1](a, b, data.last_year));
}

// What the widget says about the operations shown: a status line and a line of counts.
function missionsSummary(data, rows) {
  const byKind = data.kinds.map((k) => [k, rows.filter((r) => r.kind === k).length]).filter(([, n]) => n);
  const byFlag = data.flags.map((f) => `${f.label} ${rows.filter((r) => r[f.id]).length}`);
  const ongoing = rows.filter((r) => r.end_year === null).length;
  return {
    status: `Showing ${rows.length} of ${data.rows.length} operations.`,
    counts: rows.length
      ? `By kind: ${byKind.map(([k, n]) => `${k} ${n}`).join(", ")}. Flags: ${byFlag.join(", ")}. Still deployed in ${data.last_year}: ${ongoing}.`
      : "No operation matches these filters.",
  };
}

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const prefix = uniqueId("missions");
    const box = widgetBox(model);
    const labelled = (text, control) => {
      control.id = `${prefix}-${nextId()}`;
      return el("span", { class: "cp-row" }, el("label", { for: control.id, text }), control);
    };

    const kind = el("select", {}, el("option", { value: "", text: "any kind" }));
    data.kinds.forEach((k) => kind.append(el("option", { value: k, text: k })));
    const flagSelects = data.flags.map((f) => {
      const s = el("select", {}, el("option", { value: "", text: "either" }),
        el("option", { value: "yes", text: "yes" }), el("option", { value: "no", text: "no" }));
      return [f, s];
    });
    const sort = el("select");
    for (const [id, [text]] of Object.entries(SORTS)) sort.append(el("option", { value: id, text }));
    const reset = el("button", { class: "cp-secondary", type: "button", text: "Reset filters" });
    const notes = el("input", { type: "checkbox", id: `${prefix}-notes` });

    const controls = el("div", {}, labelled("Kind:", kind),
      ...flagSelects.map(([f, s]) => labelled(`${f.label}:`, s)), labelled("Sort by:", sort),
      el("label", { for: notes.id }, notes, " Show a note under each operation"), reset);
    const status = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const counts = el("p", { class: "cp-muted" });
    const chart = el("div");
    const table = el("table", { "aria-label": "Operations that match the filters" });

    const yes = (v) => (v ? "✔ yes" : "— no");
    const update = () => {
      const rows = missionsShown(data, { kind: kind.value, sort: sort.value,
        flags: Object.fromEntries(flagSelects.map(([f, s]) => [f.id, s.value])) });
      const summary = missionsSummary(data, rows);
      status.textContent = summary.status;
      counts.textContent = summary.counts;

      const columns = ["Operation", "Years", "Kind", ...data.flags.map((f) => f.short)];
      table.replaceChildren(el("tr", {}, ...columns
        .map((h) => el("th", { scope: "col", text: h }))));
      const nowrap = { class: "cp-nowrap" };
      for (const r of rows) {
        table.append(el("tr", {},
          el("th", { scope: "row" }, el("abbr", { title: r.full_name, text: r.name }), el("br"),
            el("span", { class: "cp-muted", text: r.country })),
          el("td", { ...nowrap, text: `${r.start_year}–${r.end_year ?? "ongoing"}` }),
          el("td", { text: r.kind }),
          ...data.flags.map((f) => el("td", { ...nowrap, text: yes(r[f.id]) }))));
        if (notes.checked) table.append(el("tr", {}, el("td", { colspan: String(columns.length), class: "cp-muted", text: `${r.name}: ${r.note}.` })));
      }
      // a table of headings alone would tell a screen reader nothing: say that none match
      if (!rows.length) table.append(el("tr", {}, el("td", { colspan: String(columns.length), text: "No operation matches these filters." })));
      drawChart(rows);
    };

    // A timeline: one bar per operation from its start year to its end year.
    const drawChart = (rows) => {
      const width = 640, left = 120, rowH = 16, top = 22;
      const height = top + rows.length * rowH + 8;
      const x = (year) => left + ((year - data.first_year) / (data.last_year + 1 - data.first_year)) * (width - left - 22);
      const plot = chartBox(width, height, `Timeline of the ${rows.length} operations shown, from ${data.first_year} to ${data.last_year}`,
        { smallestText: 10 });
      for (let year = Math.ceil(data.first_year / 10) * 10; year <= data.last_year; year += 10) {
        plot.append(chartLine(x(year), 14, x(year), height, { tone: "line" }),
          chartText(x(year), 11, String(year), { anchor: "middle", size: 10, tone: "muted" }));
      }
      rows.forEach((r, i) => {
        const y = top + i * rowH;
        const end = r.end_year ?? data.last_year;
        plot.append(chartText(left - 6, y + 10, r.name, { anchor: "end", size: 10 }),
          svg("rect", { x: x(r.start_year), y: y + 2, height: 10, rx: 2, width: Math.max(3, x(end + 1) - x(r.start_year)),
            fill: r.poc_mandate ? "var(--cp-accent)" : "var(--cp-base)", stroke: "var(--cp-accent)" }));
        if (r.end_year === null) plot.append(chartText(x(end + 1) + 2, y + 10, "→", { size: 10 }));
      });
      chart.replaceChildren(scrollingChart(plot), el("p", { class: "cp-muted",
        text: "Filled bar: protection-of-civilians mandate; hollow bar: none. An arrow: still deployed." }));
    };

    for (const control of [kind, sort, notes, ...flagSelects.map(([, s]) => s)]) control.onchange = update;
    reset.onclick = () => {
      kind.value = "";
      flagSelects.forEach(([, s]) => { s.value = ""; });
      sort.value = "start";
      update();
    };
    // The table scrolls sideways on narrow screens instead of spilling out of the box.
    const scroller = scrollBox("Table of operations", table);
    box.append(el("h4", { text: "UN operations explorer" }), controls, status, counts, chart, scroller);
    root.append(box);
    update();
  },
};

export { missionsShown, missionsSummary };
