// Chapter 1: the UN's four instruments as a 2x2 of two questions about a scenario:
// does the mission have a military component, and do the main parties consent?
// data: { instruments: {"military,consent": {name, gloss}, ...}, scenarios: [{text, military, consent}] }

// Where a scenario falls given the answers so far (`military`, `consent`: true, false, or
// null while unanswered): the cell to mark (its key in data.instruments, or null), and the
// result line and gloss the widget shows.
function placeScenario(data, military, consent) {
  if (military === null || consent === null) {
    return { key: null, result: "Answer both questions to place the scenario.", gloss: "" };
  }
  const key = `${military},${consent}`;
  return { key, result: `Instrument: ${data.instruments[key].name}`, gloss: data.instruments[key].gloss };
}

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const uid = uniqueId("instruments");
    const box = widgetBox(model);
    const state = { military: null, consent: null };
    const radios = (name, legend, yes, no) => {
      const set = el("fieldset", {}, el("legend", { text: legend }));
      for (const [value, text] of [["yes", yes], ["no", no]]) {
        const input = el("input", { type: "radio", name: `${uid}-${name}`, value });
        input.onchange = () => { state[name] = value === "yes"; update(); };
        set.append(el("label", {}, input, ` ${text}`));
      }
      return set;
    };
    const picker = el("select", { "aria-label": "Load an example scenario" },
      el("option", { value: "", text: "Try an example scenario…" }));
    data.scenarios.forEach((s, i) => picker.append(el("option", { value: String(i), text: s.text })));
    const table = el("table", { "aria-label": "The four instruments" });
    const cells = {};
    table.append(el("tr", {}, el("th", { text: "" }), el("th", { scope: "col", text: "Main parties consent" }),
      el("th", { scope: "col", text: "No consent of a main party" })));
    for (const military of [true, false]) {
      const row = el("tr", {}, el("th", { scope: "row", text: military ? "Military component" : "No military component" }));
      for (const consent of [true, false]) {
        const cell = el("td", { text: data.instruments[`${military},${consent}`].name });
        cells[`${military},${consent}`] = cell;
        row.append(cell);
      }
      table.append(row);
    }
    const result = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const gloss = el("p", { class: "cp-muted" });
    const form = el("div", {}, radios("military", "Does the mission deploy troops or armed police?", "Yes", "No"),
      radios("consent", "Have the main parties consented to it?", "Yes", "No"));
    const update = () => {
      const placed = placeScenario(data, state.military, state.consent);
      for (const [key, cell] of Object.entries(cells)) {
        const on = key === placed.key;
        cell.classList.toggle("cp-chosen", on);
        cell.textContent = (on ? "▶ " : "") + data.instruments[key].name;
      }
      result.textContent = placed.result;
      gloss.textContent = placed.gloss;
    };
    picker.onchange = () => {
      const s = data.scenarios[Number(picker.value)];
      if (!s) return;
      state.military = s.military;
      state.consent = s.consent;
      form.querySelectorAll("input").forEach((i) => {
        const want = i.name.endsWith("-military") ? s.military : s.consent;
        i.checked = (i.value === "yes") === want;
      });
      update();
    };
    box.append(el("h4", { text: "Which instrument fits?" }), picker, form, table, result, gloss);
    root.append(box);
    update();
  },
};

export { placeScenario };
