// Chapter 3: a timeline of post-Soviet uprisings (2003-2022), each marked with Moscow's
// main response. Readers filter by response (main only, or secondary too) and by country,
// and pick an event to read what Moscow did and what came of it.
// data: { categories: [{name, meaning, symbol, tone (a colour of the palette: --cp-<tone>)}],
//         events: [{year, month, country, event, main, other: [..], detail, outcome, fell, csto}] }

// Where the timeline puts an event (SVG units): 2002 at the left, 2023 at the right.
const FIRST = 2002, LAST = 2023, WIDTH = 720, LEFT = 30, RIGHT = 700;
const atYear = (year) => LEFT + ((year - FIRST) / (LAST - FIRST)) * (RIGHT - LEFT);
const eventX = (e) => atYear(e.year + (e.month - 1) / 12);
const MARKER = 95;   // the width a marker and its label take

// The lane (row) of each event's marker: the first lane whose last marker ends to its left,
// so that no two markers overlap however close their events are in time.
function timelineLanes(events) {
  const ends = [];
  return events.map((e) => {
    let lane = ends.findIndex((end) => eventX(e) - end > MARKER);
    if (lane < 0) { lane = ends.length; ends.push(0); }
    ends[lane] = eventX(e);
    return lane;
  });
}

// Whether event `e` passes the filters: `response` ("" for any; with `secondary`, its
// secondary responses count too) and `country` ("" for any).
function eventMatches(e, { response = "", country = "", secondary = false } = {}) {
  const responses = secondary ? [e.main, ...e.other] : [e.main];
  return (!response || responses.includes(response)) && (!country || e.country === country);
}

// The status line: how many events pass the filters, and which filters.
function timelineStatus({ categories, events }, filters = {}) {
  const { response = "", country = "", secondary = false } = filters;
  const shown = events.filter((e) => eventMatches(e, filters)).length;
  const what = response ? `${categories.find((c) => c.name === response).symbol} ${response}` : "any response";
  const where = country ? ` in ${country}` : "";
  return `${shown} of ${events.length} events match ${what}${where}` +
    (response ? (secondary ? " (main or secondary response)." : " (main response only).") : ".");
}

export default {
  render({ model, el: root }) {
    const { categories, events } = model.get("data");
    const id = uniqueId("timeline");
    const style = Object.fromEntries(categories.map((c) => [c.name, c]));
    const box = widgetBox(model);

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
    const lanes = timelineLanes(events);
    const height = 60 + (Math.max(-1, ...lanes) + 1) * 46;
    const picture = chartBox(WIDTH, height, "Timeline of the events; the list below gives the same information",
      { smallestText: 12 });
    const axisY = height - 30;
    picture.append(chartLine(LEFT, axisY, RIGHT, axisY, { tone: "muted" }));
    for (let year = FIRST + 1; year <= LAST; year += 2) {
      picture.append(chartLine(atYear(year), axisY, atYear(year), axisY + 5, { tone: "muted" }),
        chartText(atYear(year), axisY + 18, String(year), { anchor: "middle", size: 12 }));
    }
    const marks = events.map((e, i) => {
      const x = eventX(e), y = 30 + lanes[i] * 46;
      const g = svg("g", { class: "cp-clickable" });
      g.append(chartLine(x, y + 6, x, axisY, { tone: "line", dash: "2 3" }),
        chartText(x, y, style[e.main].symbol, { anchor: "middle", size: 22, tone: style[e.main].tone }),
        chartText(x, y + 17, `${e.country} ${e.year}`, { anchor: "middle", size: 12 }));
      g.onclick = () => select(i);
      picture.append(g);
      return g;
    });

    // Legend in words and symbols (colour is only a second signal).
    const legend = el("ul", { class: "cp-muted cp-legend", "aria-label": "Legend" });
    categories.forEach((c) => legend.append(el("li", {},
      el("span", { class: "cp-symbol", style: `color:var(--cp-${c.tone})`, "aria-hidden": "true", text: c.symbol }),
      ` ${c.name}: ${c.meaning}`)));

    const status = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const list = el("ol", { class: "cp-order", "aria-label": "Events that match the filters" });
    const details = el("div", { class: "cp-feedback", "aria-live": "polite" });
    let chosen = null;

    const filters = () => ({ response: responseSel.value, country: countrySel.value, secondary: secondary.checked });
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
      const shown = events.filter((e) => eventMatches(e, filters()));
      marks.forEach((g, i) => {
        g.classList.toggle("cp-faded", !eventMatches(events[i], filters()));
        g.classList.toggle("cp-chosen", i === chosen);
      });
      list.replaceChildren(...shown.map((e) => {
        const i = events.indexOf(e);
        const b = el("button", { class: "cp-secondary", "aria-pressed": String(i === chosen),
          text: `${style[e.main].symbol} ${e.year} ${e.country}: ${e.event} (${e.main})` });
        b.onclick = () => select(i);
        return el("li", {}, b);
      }));
      status.textContent = timelineStatus({ categories, events }, filters());
    };
    [responseSel, countrySel, secondary].forEach((c) => (c.onchange = update));

    box.append(el("h4", { text: "Uprisings and Moscow's responses, 2003-2022" }), controls, scrollingChart(picture), legend, status,
      el("p", { class: "cp-muted", text: "Choose an event to read the details:" }), list, details);
    root.append(box);
    update();
  },
};

export { timelineLanes, eventMatches, timelineStatus };
