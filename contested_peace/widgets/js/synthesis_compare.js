// Synthesis page: the five readings side by side. Two views of one grid (reading x theme):
// pick a theme to see every reading's position on it, or pick two readings to set their
// positions against each other theme by theme.
// data: { readings: [{key, label, chapter}], themes: [{id, name, question, positions: {key: text}}] }

export default {
  render({ model, el: root }) {
    const { readings, themes } = model.get("data");
    const uid = uniqueId("synthesis");
    const label = (key) => readings.find((r) => r.key === key).label;
    const box = el("div", { class: "cp-widget", role: "group", "aria-label": model.get("label") });
    const result = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const table = el("table");

    // view 1: one theme, every reading
    const themeId = `${uid}-theme`;
    const themePick = el("select", { id: themeId });
    themes.forEach((t) => themePick.append(el("option", { value: t.id, text: t.name })));
    const showTheme = () => {
      const t = themes.find((x) => x.id === themePick.value);
      table.setAttribute("aria-label", `Each reading on: ${t.name}`);
      table.replaceChildren(el("caption", { text: t.question }),
        el("tr", {}, el("th", { scope: "col", text: "Reading" }), el("th", { scope: "col", text: "Its position" })));
      readings.forEach((r) => table.append(el("tr", {},
        el("th", { scope: "row", text: `${r.label} (${r.chapter})` }), el("td", { text: t.positions[r.key] }))));
      result.textContent = `Theme: ${t.name}. Five readings shown.`;
    };
    themePick.onchange = showTheme;

    // view 2: two readings, every theme
    const pickReading = (n, initial) => {
      const s = el("select", { id: `${uid}-r${n}` });
      readings.forEach((r) => s.append(el("option", { value: r.key, text: `${r.label} (${r.chapter})` })));
      s.value = initial;
      return s;
    };
    const first = pickReading(1, readings[0].key), second = pickReading(2, readings[readings.length - 1].key);
    const showPair = () => {
      const a = first.value, b = second.value;
      table.setAttribute("aria-label", `${label(a)} compared with ${label(b)}`);
      table.replaceChildren(el("tr", {}, el("th", { scope: "col", text: "Theme" }),
        el("th", { scope: "col", text: label(a) }), el("th", { scope: "col", text: label(b) })));
      themes.forEach((t) => table.append(el("tr", {}, el("th", { scope: "row", text: t.name }),
        el("td", { text: t.positions[a] }), el("td", { text: t.positions[b] }))));
      result.textContent = a === b
        ? `You picked ${label(a)} twice; choose two different readings to compare.`
        : `Comparing ${label(a)} with ${label(b)} on ${themes.length} themes.`;
    };
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
