// Synthesis page: the five readings side by side. Two views of one grid (reading x theme):
// pick a theme to see every reading's position on it, or pick two readings to set their
// positions against each other theme by theme.
// data: { readings: [{key, label, chapter}], themes: [{id, name, question, positions: {key: text}}] }

// The grid for one theme: every reading's position on it (rows of [reading, position]),
// the table's name and caption, and the status line.
function themeView({ readings, themes }, themeId) {
  const t = themes.find((x) => x.id === themeId);
  return { name: `Each reading on: ${t.name}`, caption: t.question, head: ["Reading", "Its position"],
    rows: readings.map((r) => [`${r.label} (${r.chapter})`, t.positions[r.key]]),
    status: `Theme: ${t.name}. All ${readings.length} readings shown.` };
}

// The grid for two readings (`a`, `b`: their keys): their positions theme by theme, the
// table's name and the status line (which asks for two different readings if a = b).
function pairView({ readings, themes }, a, b) {
  const label = (key) => readings.find((r) => r.key === key).label;
  return { name: `${label(a)} compared with ${label(b)}`, caption: null, head: ["Theme", label(a), label(b)],
    rows: themes.map((t) => [t.name, t.positions[a], t.positions[b]]),
    status: a === b ? `You picked ${label(a)} twice; choose two different readings to compare.`
      : `Comparing ${label(a)} with ${label(b)} on ${themes.length} themes.` };
}

export default {
  render({ model, el: root }) {
    const { readings, themes } = model.get("data");
    const uid = uniqueId("synthesis");
    const box = widgetBox(model);
    const result = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const table = el("table");

    // view 1: one theme, every reading
    const themeId = `${uid}-theme`;
    const themePick = el("select", { id: themeId });
    themes.forEach((t) => themePick.append(el("option", { value: t.id, text: t.name })));
    // show a view: a table with a header row and a row per reading or theme, its first cell a row header
    const show = (view) => {
      table.setAttribute("aria-label", view.name);
      table.replaceChildren(...(view.caption ? [el("caption", { text: view.caption })] : []),
        el("tr", {}, ...view.head.map((h) => el("th", { scope: "col", text: h }))),
        ...view.rows.map(([first, ...rest]) => el("tr", {}, el("th", { scope: "row", text: first }), ...rest.map((c) => el("td", { text: c })))));
      result.textContent = view.status;
    };
    const showTheme = () => show(themeView({ readings, themes }, themePick.value));
    themePick.onchange = showTheme;

    // view 2: two readings, every theme
    const pickReading = (n, initial) => {
      const s = el("select", { id: `${uid}-r${n}` });
      readings.forEach((r) => s.append(el("option", { value: r.key, text: `${r.label} (${r.chapter})` })));
      s.value = initial;
      return s;
    };
    const first = pickReading(1, readings[0].key), second = pickReading(2, readings[readings.length - 1].key);
    const showPair = () => show(pairView({ readings, themes }, first.value, second.value));
    first.onchange = showPair;
    second.onchange = showPair;
    const themeButton = el("button", { text: "Show this theme" });
    themeButton.onclick = showTheme;
    const pairButton = el("button", { text: "Compare these two" });
    pairButton.onclick = showPair;

    box.append(el("h4", { text: "Compare the five readings" }),
      el("div", { class: "cp-row" }, el("label", { for: themeId, text: "One theme, all readings:" }), themePick, themeButton),
      el("div", { class: "cp-row" }, el("label", { for: first.id, text: "Two readings, all themes:" }), first,
        el("label", { for: second.id, text: "with" }), second, pairButton),
      result, table);
    root.append(box);
    showTheme();
  },
};

export { themeView, pairView };
