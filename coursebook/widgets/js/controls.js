// Controls several widgets share (put before a widget's module by front_end, after dom.js).

// A labelled slider with its value shown beside it. `format` turns the value into text;
// `onInput(value)` runs on every move. Returns the row to place, the input and the output.
function sliderRow({ id, label, min, max, step = "0.01", value, format = String, onInput }) {
  const input = el("input", { type: "range", id, min: String(min), max: String(max), step: String(step), value: String(value) });
  const output = el("output", { for: id, class: "cp-value", text: format(Number(value)) });
  const show = (v) => { input.value = String(v); output.textContent = format(Number(v)); };
  input.oninput = () => { output.textContent = format(Number(input.value)); onInput(Number(input.value)); };
  return { row: el("div", { class: "cp-row cp-slider" }, el("label", { for: id, text: label }), input, output), input, show };
}

// How a sorting went: for each item, "blank", "right" or "wrong", and the counts.
function judgeSorting(choices, key) {
  const marks = key.map((k, i) => (!choices[i] ? "blank" : choices[i] === k ? "right" : "wrong"));
  const count = (m) => marks.filter((x) => x === m).length;
  return { marks, right: count("right"), blank: count("blank"), total: key.length };
}

// How feedback looks for a share right (0 to 1): all, some or none, in a colour (a class
// of the palette) and a symbol that says what the colour says.
function feedbackTone(fraction) {
  if (fraction >= 1) return { tone: "cp-correct", symbol: "✔" };
  return fraction > 0 ? { tone: "cp-partial", symbol: "◐" } : { tone: "cp-wrong", symbol: "✘" };
}

// Items to sort into categories, one row each: its label, a select of the categories
// (`prompt` first, meaning not sorted yet) and a verdict beside it (empty until someone
// fills it in). `items`: [{label, ...}]; `place(label, select, verdict, item)` puts one
// item's row in the page. Returns the rows: [{item, select, verdict}].
function sortingRows({ uid, items, categories, prompt = "choose…", place }) {
  return items.map((item, i) => {
    const id = `${uid}-${i}`;
    const select = el("select", { id, "aria-describedby": `${id}-verdict` }, el("option", { value: "", text: prompt }));
    categories.forEach((c) => select.append(el("option", { value: c, text: c })));
    const verdict = el("span", { id: `${id}-verdict`, class: "cp-verdict" });
    select.addEventListener("change", () => { verdict.textContent = ""; });
    place(el("label", { for: id, text: item.label }), select, verdict, item);
    return { item, select, verdict };
  });
}

// Sort items into categories (sortingRows), then Check, Show the answers, Start again.
// `items`: [{label, answer, right (text when right), wrong (text when wrong, given the choice),
// and whatever else `place` needs}]; `summary` (outcome) words the result. Returns the
// buttons' row and the status line to place.
function sorter({ uid, items, categories, prompt = "choose…", place, summary }) {
  const rows = sortingRows({ uid, items, categories, prompt, place });
  const status = el("div", { class: "cp-feedback", role: "status" });
  const button = (text, secondary, onclick) =>
    Object.assign(el("button", { type: "button", class: secondary ? "cp-secondary" : "", text }), { onclick });
  const check = button("Check my sorting", false, () => {
    const outcome = judgeSorting(rows.map((r) => r.select.value), items.map((it) => it.answer));
    rows.forEach(({ item, select, verdict }, i) => {
      const mark = outcome.marks[i];
      verdict.textContent = mark === "blank" ? "… not sorted yet" : mark === "right" ? `✔ Right. ${item.right}` : `✘ ${item.wrong(select.value)}`;
    });
    const { tone, symbol } = feedbackTone(outcome.right / outcome.total);
    status.className = `cp-feedback ${tone}`;
    status.textContent = `${symbol} ${summary(outcome)}`;
  });
  const show = button("Show the answers", true, () => {
    for (const { item, select, verdict } of rows) { select.value = item.answer; verdict.textContent = `Answer: ${item.answer}. ${item.right}`; }
    status.className = "cp-feedback";
    status.textContent = "The answers are filled in, each with the reason.";
  });
  const reset = button("Start again", true, () => {
    for (const { select, verdict } of rows) { select.value = ""; verdict.textContent = ""; }
    status.className = "cp-feedback";
    status.textContent = "Cleared. Sort them again.";
  });
  return { buttons: el("div", {}, check, show, reset), status };
}
