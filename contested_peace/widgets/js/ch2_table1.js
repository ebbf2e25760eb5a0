// Chapter 2: an explorer of Lewis (2022) Table 1, restated as data: six conflicts against
// the four principles of Russian conflict management. The reader filters the conflicts
// (by how force was used, by how much regional diplomacy there was, by region) and picks
// one principle to compare across them, or all four; or puts two conflicts side by side.
// data: { rows: [{conflict, period, region, official_troops, private_contractors,
//                  regional_diplomacy, <principle keys>...}],
//         principles: [{key, label, gloss}] }

const FORCE = {
  any: ["Any", () => true],
  official: ["Official Russian troops", (r) => r.official_troops],
  contractors: ["Private contractors, no official troops", (r) => r.private_contractors && !r.official_troops],
  none: ["No Russian forces of either kind", (r) => !r.private_contractors && !r.official_troops],
};

// The conflicts that pass the filters: `force` (a key of FORCE), `diplo` (regional
// diplomacy: "any", "extensive" or "limited") and `region` ("any" or a region).
function conflictsShown(rows, { force = "any", diplo = "any", region = "any" } = {}) {
  return rows.filter((r) => FORCE[force][1](r) && (diplo === "any" || r.regional_diplomacy === diplo)
    && (region === "any" || r.region === region));
}

// The Russian forces a conflict saw, in words.
function forcesIn(r) {
  const bits = [];
  if (r.official_troops) bits.push("official troops");
  if (r.private_contractors) bits.push("private contractors");
  return bits.length ? bits.join(" + ") : "no Russian forces";
}

// The status line: how many conflicts are shown, which ones, and the two compared (when
// `a` and `b` name two different conflicts).
function table1Status(rows, shown, a = "", b = "") {
  const listed = `Showing ${shown.length} of ${rows.length} conflicts` + (shown.length ? `: ${shown.map((r) => r.conflict).join(", ")}.` : ".");
  return a && b && a !== b ? `${listed} Comparing ${a} with ${b} below.` : listed;
}

export default {
  render({ model, el: root }) {
    const { rows, principles } = model.get("data");
    const uid = uniqueId("table1");
    const box = widgetBox(model);

    const select = (key, text, options) => {
      const s = el("select", { id: `${uid}-${key}` });
      for (const [value, label] of options) s.append(el("option", { value, text: label }));
      s.onchange = update;
      return [el("label", { for: `${uid}-${key}`, text }), s];
    };
    const [principleLabel, principle] = select("principle", "Compare by principle:",
      [["all", "All four principles"], ...principles.map((p) => [p.key, p.label])]);
    const [forceLabel, force] = select("force", "Russian forces:", Object.entries(FORCE).map(([k, [t]]) => [k, t]));
    const [diploLabel, diplo] = select("diplo", "Regional diplomacy:",
      [["any", "Any"], ["extensive", "Extensive"], ["limited", "Limited"]]);
    const regions = [...new Set(rows.map((r) => r.region))].sort();
    const [regionLabel, region] = select("region", "Region:", [["any", "Any"], ...regions.map((r) => [r, r])]);
    const names = rows.map((r) => [r.conflict, r.conflict]);
    const [aLabel, a] = select("a", "Compare", [["", "choose a conflict"], ...names]);
    const [bLabel, b] = select("b", "with", [["", "choose a conflict"], ...names]);

    const gloss = el("p", { class: "cp-muted" });
    const status = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const tableBox = el("div");
    const compareBox = el("div");

    function update() {
      const chosen = principle.value === "all" ? principles : principles.filter((p) => p.key === principle.value);
      gloss.textContent = principle.value === "all" ? "Pick one principle to read it across the conflicts."
        : chosen[0].gloss;
      const shown = conflictsShown(rows, { force: force.value, diplo: diplo.value, region: region.value });
      const table = el("table", { "aria-label": "Conflicts in Table 1 that match the filters" });
      const head = el("tr", {}, el("th", { scope: "col", text: "Conflict" }));
      chosen.forEach((p) => head.append(el("th", { scope: "col", text: p.label })));
      table.append(el("caption", { class: "cp-muted", text: "Adapted from Lewis (2022), Table 1" }), head);
      for (const r of shown) {
        const row = el("tr", {}, el("th", { scope: "row" }, `${r.conflict} (${r.period})`,
          el("br"), el("span", { class: "cp-muted", text: forcesIn(r) })));
        chosen.forEach((p) => row.append(el("td", { text: r[p.key] })));
        table.append(row);
      }
      tableBox.replaceChildren(shown.length ? table : el("p", { text: "No conflict in the table matches all of these filters." }));
      status.textContent = table1Status(rows, shown, a.value, b.value);

      compareBox.replaceChildren();
      const ra = rows.find((r) => r.conflict === a.value), rb = rows.find((r) => r.conflict === b.value);
      if (ra && rb && ra !== rb) {
        const t = el("table", { "aria-label": `${ra.conflict} and ${rb.conflict} side by side` },
          el("tr", {}, el("th", { scope: "col", text: "Principle" }),
            el("th", { scope: "col", text: ra.conflict }), el("th", { scope: "col", text: rb.conflict })));
        for (const p of principles) {
          t.append(el("tr", {}, el("th", { scope: "row", text: p.label }),
            el("td", { text: ra[p.key] }), el("td", { text: rb[p.key] })));
        }
        compareBox.append(t);
      } else {   // never an empty box: it is a stop for Tab (scrollBox)
        compareBox.append(el("p", { class: "cp-muted", text: "Choose two different conflicts to compare." }));
      }
    }

    box.append(el("h4", { text: "Explore Table 1: Russian conflict management since 2015" }),
      el("div", { class: "cp-row" }, principleLabel, principle),
      el("div", { class: "cp-row" }, forceLabel, force, diploLabel, diplo, regionLabel, region),
      gloss, status, scrollBox("The conflicts that match", tableBox),
      el("h5", { text: "Two conflicts side by side" }),
      el("div", { class: "cp-row" }, aLabel, a, bLabel, b), scrollBox("The two conflicts side by side", compareBox));
    root.append(box);
    update();
  },
};

export { conflictsShown, forcesIn, table1Status };
