// Chapter 1: the mandate stress test. The reader ticks the tasks a Security Council
// mandate gives a mission; for each of the three peacekeeping principles (consent,
// impartiality, non-use of force) the widget adds up the strain the ticked tasks put on it,
// names the level in words and symbols, draws a bar, and lists the reasons.
// data: { principles: [{id, name}],
//         tasks: [{id, label, strain: {principleId: points}, why: {principleId: reason}}],
//         levels: [{min, word, symbol}] (ascending by min),
//         verdicts: [text per level index], presets: [{name, tasks: [taskId]}] }

// Fill colours per level; the level's word and symbol always travel with the colour.
const FILLS = ["var(--cp-good)", "var(--cp-warn)", "var(--cp-strain)", "var(--cp-bad)"];

// The level (an index into `levels`, ascending by `min`) that `points` of strain reach.
function levelOf(levels, points) {
  let index = 0;
  levels.forEach((level, i) => { if (points >= level.min) index = i; });
  return index;
}

// What a mandate made of the `ticked` tasks (their ids) does to each principle: its points,
// its level (an index into data.levels) and a reason per task that bears on it; then the
// worst level, and the status line and verdict the widget shows.
function mandateStrain(data, ticked) {
  const chosen = data.tasks.filter((t) => ticked.includes(t.id));
  const principles = data.principles.map((p) => {
    const points = chosen.reduce((sum, t) => sum + (t.strain[p.id] || 0), 0);
    const reasons = chosen.filter((t) => (t.strain[p.id] || 0) > 0 || t.why[p.id]).map((t) => {
      const pts = t.strain[p.id] || 0;
      return `${pts > 0 ? "+" + pts : "±0"} ${t.label}: ${t.why[p.id] || "no strain."}`;
    });
    return { id: p.id, name: p.name, points, level: levelOf(data.levels, points), reasons };
  });
  const worst = Math.max(0, ...principles.map((p) => p.level));
  if (!chosen.length) {
    return { principles, worst, status: "Tick some tasks, or choose an example mandate, to see the strain.", verdict: "" };
  }
  const summary = principles.map((p) => `${p.name} ${data.levels[p.level].word.toLowerCase()} (${p.points})`);
  const status = `${chosen.length} task${chosen.length === 1 ? "" : "s"}: ${summary.join("; ")}.`;
  return { principles, worst, status, verdict: data.verdicts[worst] };
}

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const prefix = uniqueId("stress");
    const box = widgetBox(model);
    const ticked = new Set();
    const maxPoints = Math.max(6, ...data.principles.map((p) =>
      data.tasks.reduce((sum, t) => sum + (t.strain[p.id] || 0), 0)));

    // Presets: a quick start that ticks a typical set of tasks.
    const presetId = `${prefix}-preset`;
    const preset = el("select", { id: presetId }, el("option", { value: "", text: "Choose an example mandate…" }));
    data.presets.forEach((p, i) => preset.append(el("option", { value: String(i), text: p.name })));
    const clear = el("button", { class: "cp-secondary", type: "button", text: "Clear all tasks" });

    // The task checkboxes.
    const set = el("fieldset", {}, el("legend", { text: "Tasks in the mandate (tick all that apply)" }));
    const boxes = {};
    data.tasks.forEach((task, i) => {
      const id = `${prefix}-task-${i}`;
      const input = el("input", { type: "checkbox", id, value: task.id });
      input.onchange = () => { input.checked ? ticked.add(task.id) : ticked.delete(task.id); preset.value = ""; update(); };
      boxes[task.id] = input;
      set.append(el("label", { for: id }, input, ` ${task.label}`));
    });

    // One row per principle: name, bar, level, reasons.
    const table = el("table", { "aria-label": "Strain on each principle" });
    table.append(el("tr", {}, el("th", { scope: "col", text: "Principle" }), el("th", { scope: "col", text: "Strain" }),
      el("th", { scope: "col", text: "Level" }), el("th", { scope: "col", text: "Why" })));
    const rows = {};
    for (const p of data.principles) {
      const bar = svg("svg", { width: "150", height: "18", viewBox: "0 0 150 18", "aria-hidden": "true" });
      const track = svg("rect", { x: "0", y: "3", width: "150", height: "12", fill: "var(--cp-surface)", stroke: "var(--cp-border)" });
      const fill = svg("rect", { x: "0", y: "3", width: "0", height: "12" });
      bar.append(track, fill);
      const points = el("span", { class: "cp-muted" });
      const level = el("td");
      const why = el("ul", { class: "cp-reasons" });
      table.append(el("tr", {}, el("th", { scope: "row", text: p.name }), el("td", {}, bar, el("br"), points), level, el("td", {}, why)));
      rows[p.id] = { fill, points, level, why };
    }

    const status = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const verdict = el("p", { class: "cp-muted" });

    const update = () => {
      const strain = mandateStrain(data, [...ticked]);
      for (const p of strain.principles) {
        const level = data.levels[p.level];
        const row = rows[p.id];
        row.fill.setAttribute("width", String(Math.min(150, (150 * p.points) / maxPoints)));
        row.fill.setAttribute("fill", FILLS[p.level % FILLS.length]);
        row.points.textContent = `${p.points} point${p.points === 1 ? "" : "s"}`;
        row.level.textContent = `${level.symbol} ${level.word}`;
        row.why.replaceChildren(...(p.reasons.length ? p.reasons.map((text) => el("li", { text }))
          : [el("li", { class: "cp-muted", text: "Nothing in the mandate strains it." })]));
      }
      status.textContent = strain.status;
      verdict.textContent = strain.verdict;
    };

    preset.onchange = () => {
      const p = data.presets[Number(preset.value)];
      if (!p) return;
      ticked.clear();
      p.tasks.forEach((id) => ticked.add(id));
      for (const [id, input] of Object.entries(boxes)) input.checked = ticked.has(id);
      update();
    };
    clear.onclick = () => {
      ticked.clear();
      Object.values(boxes).forEach((input) => { input.checked = false; });
      preset.value = "";
      update();
    };

    box.append(el("h4", { text: "Mandate stress test" }),
      el("div", { class: "cp-row" }, el("label", { for: presetId, text: "Example:" }), preset, clear),
      set, table, status, verdict);
    root.append(box);
    update();
  },
};

export { mandateStrain };
