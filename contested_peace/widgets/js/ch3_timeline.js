// Chapter 3: a timeline of post-Soviet uprisings (2003-2022), each marked with Moscow's
// main response. Readers filter by response (main only, or secondary too) and by country,
// and pick an event to read what Moscow did and what came of it.
// data: { categories: [{name, meaning, symbol, colour}],
//         events: [{year, month, country, event, main, other: [..], detail, outcome, fell, csto}] }

export default {
  render({ model, el: root }) {
    const { categories, events } = model.get("data");
    const id = `cp3t-${nextId()}`;
    const style = Object.fromEntries(categories.map((c) => [c.name, c]));
    const box = el("div", { class: "cp-widget", role: "group", "aria-label": model.get("label") });

    // Controls: which response to show, whether secondary responses count, which country.
    const responseSel = el("select", { id: `${id}-resp` }, el("option", { value: "", text: "All responses" }));
    categories.forEach((c) => responseSel.append(el("option", { value: c.name, text: `${c.symbol} ${c.name}` })));
    const countrySel = el("select", { id: `${id}-country` }, el("option", { value: "", text: "All countries" }));
    [...new Set(events.map((e) => e.country))].sort().forEach((c) => countrySel.append(el("option", { value: c, text: c })));
    const secondary = el("input", { type: "checkbox", id: `${id}-sec` });
    const controls = el("div", { class: "cp-row" },
      el("label", { for: `${id}-resp`, text: "Moscow's response:" }), responseSel,
      el("label", { for: `${id}-country`, text: "Country:" }), countrySel,
      el("label", { for: `${id}-sec` }, secondary, " also count secondary responses"));

    // The picture: one lane per event close in time to another, so markers never overlap.
    const first = 2002, last = 2023, width = 720, left = 30, right = 700;
    const x = (e) => left + ((e.year + (e.month - 1) / 12 - first) / (last - first)) * (right - left);
    const lanes = [];
    const placed = events.map((e) => {
      let lane = lanes.findIndex((end) => x(e) - end > 95);
      if (lane < 0) { lane = lanes.length; lanes.push(0); }
      lanes[lane] = x(e);
      return { e, lane };
    });
    const height = 60 + lanes.length * 46;
    const picture = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img",
      "aria-label": "Timeline of the events; the list below gives the same information" });
    const axisY = height - 30;
    picture.append(svg("line", { x1: left, x2: right, y1: axisY, y2: axisY, stroke: "var(--cp-muted)" }));
    for (let year = first + 1; year <= last; year += 2) {
      const tx = left + ((year - first) / (last - first)) * (right - left);
      picture.append(svg("line", { x1: tx, x2: tx, y1: axisY, y2: axisY + 5, stroke: "var(--cp-muted)" }),
        svg("text", { x: tx, y: axisY + 18, "text-anchor": "middle", "font-size": 12, fill: "var(--cp-ink)" }, String(year)));
    }
    const marks = placed.map(({ e, lane }) => {
      const y = 30 + lane * 46;
      const g = svg("g", { style: "cursor:pointer" });
      g.append(svg("line", { x1: x(e), x2: x(e), y1: y + 6, y2: axisY, stroke: "var(--cp-line)", "stroke-dasharray": "2 3" }),
        svg("text", { x: x(e), y: y, "text-anchor": "middle", "font-size": 22, fill: style[e.main].colour }, style[e.main].symbol),
        svg("text", { x: x(e), y: y + 17, "text-anchor": "middle", "font-size": 12, fill: "var(--cp-ink)" }, `${e.country} ${e.year}`));
      g.onclick = () => select(events.indexOf(e));
      picture.append(g);
      return g;
    });

    // Legend in words and symbols (colour is only a second signal).
    const legend = el("ul", { class: "cp-muted", "aria-label": "Legend", style: "list-style:none;padding:0;columns:2" });
    categories.forEach((c) => legend.append(el("li", {},
      el("span", { style: `color:${c.colour};font-size:1.1em`, "aria-hidden": "true", text: c.symbol }),
      ` ${c.name}: ${c.meaning}`)));

    const status = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const list = el("ol", { class: "cp-order", "aria-label": "Events that match the filters" });
    const details = el("div", { class: "cp-feedback", "aria-live": "polite" });
    let chosen = null;

    const matches = (e) => {
      const wanted = responseSel.value;
      const responses = secondary.checked ? [e.main, ...e.other] : [e.main];
      return (!wanted || responses.includes(wanted)) && (!countrySel.value || e.country === countrySel.value);
    };
    const select = (i) => {
      chosen = i;
      const e = events[i];
      const others = e.other.length ? ` Also: ${e.other.map((o) => `${style[o].symbol} ${o}`).join("; ")}.` : "";
      details.replaceChildren(
        el("strong", { text: `${e.event} (${e.country}, ${e.year})` }),
        el("p", { text: `Main response: ${style[e.main].symbol} ${e.main}.${others}` }),
        el("p", { text: `What Moscow did: ${e.detail}.` }),
        el("p", { text: `Outcome: ${e.outcome}. ${e.fell ? "The incumbent side lost power." : "The incumbent stayed."} ${e.csto ? "A CSTO member at the time." : "Not a CSTO member at the time."}` }));
      update();
    };
    const update = () => {
      const shown = events.filter(matches);
      marks.forEach((g, i) => { g.style.opacity = matches(events[i]) ? "1" : "0.18"; g.style.fontWeight = i === chosen ? "700" : "400"; });
      list.replaceChildren(...shown.map((e) => {
        const i = events.indexOf(e);
        const b = el("button", { class: "cp-secondary", style: "text-align:left", "aria-pressed": String(i === chosen),
          text: `${style[e.main].symbol} ${e.year} ${e.country}: ${e.event} (${e.main})` });
        b.onclick = () => select(i);
        return el("li", {}, b);
      }));
      const what = responseSel.value ? `${style[responseSel.value].symbol} ${responseSel.value}` : "any response";
      const where = countrySel.value ? ` in ${countrySel.value}` : "";
      status.textContent = `${shown.length} of ${events.length} events match ${what}${where}` +
        (responseSel.value ? (secondary.checked ? " (main or secondary response)." : " (main response only).") : ".");
    };
    [responseSel, countrySel, secondary].forEach((c) => (c.onchange = update));

    box.append(el("h4", { text: "Uprisings and Moscow's responses, 2003-2022" }), controls, picture, legend, status,
      el("p", { class: "cp-muted", text: "Choose an event to read the details:" }), list, details);
    root.append(box);
    update();
  },
};
