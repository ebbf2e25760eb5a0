// A practice question with instant feedback, checked in the browser (no kernel needed) by
// the grader's own rules (RULES and score, put before this module from autograder/core/kinds).
// The question arrives as data in model.get("data"): its public part (`question`), its key
// and hints, and the texts to show.

// Each kind draws its controls and returns a function that reads the reader's answer.
const controls = {
  single(q, box, name) {
    const set = el("fieldset", {}, el("legend", { text: "Choose one" }));
    for (const [id, text] of Object.entries(q.choices)) {
      set.append(el("label", {}, el("input", { type: "radio", name, value: id }), ` ${id}) ${text}`));
    }
    box.append(set);
    return () => set.querySelector("input:checked")?.value ?? null;
  },
  multiple(q, box, name) {
    const set = el("fieldset", {}, el("legend", { text: "Choose every one that applies" }));
    for (const [id, text] of Object.entries(q.choices)) {
      set.append(el("label", {}, el("input", { type: "checkbox", name, value: id }), ` ${id}) ${text}`));
    }
    box.append(set);
    return () => [...set.querySelectorAll("input:checked")].map((i) => i.value);
  },
  // Each item gets a category or a match from the shared sorting control (controls.js),
  // laid out as a table; the grader's rule judges the whole answer on Check.
  matching(q, box) {
    const table = el("table", {}, el("tr", {}, el("th", { text: "Item" }),
      el("th", { text: q.kind === "classification" ? "Category" : "Matches" })));
    const rows = sortingRows({
      uid: uniqueId("match"), items: q.items.map((label) => ({ label })), categories: q.options, prompt: "choose",
      place: (label, select, verdict) => table.append(el("tr", {}, el("td", {}, label), el("td", {}, select, verdict))),
    });
    box.append(table);
    return () => Object.fromEntries(rows.map(({ item, select }) => [item.label, select.value || null]));
  },
  ordering(q, box) {
    const list = el("ol", { class: "cp-order" });
    const draw = (items) => {
      list.replaceChildren();
      items.forEach((item, i) => {
        const up = symbolButton("↑", `Move "${item}" up`, { class: "cp-secondary" });
        const down = symbolButton("↓", `Move "${item}" down`, { class: "cp-secondary" });
        up.disabled = i === 0;
        down.disabled = i === items.length - 1;
        up.onclick = () => { [items[i - 1], items[i]] = [items[i], items[i - 1]]; draw(items); list.querySelectorAll("button")[2 * (i - 1)]?.focus(); };
        down.onclick = () => { [items[i + 1], items[i]] = [items[i], items[i + 1]]; draw(items); list.querySelectorAll("button")[2 * (i + 1) + 1]?.focus(); };
        list.append(el("li", {}, el("span", { class: "cp-row" }, up, down, el("span", { class: "cp-order-item" }, item))));
      });
      list.current = items;
    };
    draw([...q.items]);
    box.append(el("p", { class: "cp-muted", text: "Use the arrows to put the items in order, first at the top." }), list);
    return () => list.current;
  },
  numeric(q, box) {
    const id = uniqueId("number");
    const input = el("input", { type: "number", step: "any", id });
    box.append(el("div", { class: "cp-row" }, el("label", { for: id, text: "Your answer:" }), input));
    return () => (input.value === "" ? null : Number(input.value));
  },
  text(q, box) {
    const id = uniqueId("text");
    const input = el("input", { type: "text", id, autocomplete: "off" });
    box.append(el("div", { class: "cp-row" }, el("label", { for: id, text: "Your answer:" }), input));
    return () => input.value;
  },
};
controls.classification = controls.matching;

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const q = data.question;
    const box = widgetBox(model, { kind: "cp-practice", label: "Practice question" });
    box.append(el("h4", { text: data.title || "Practice question" }), el("p", { text: data.prompt }));
    const read = controls[q.kind](q, box, uniqueId("choices"));
    const feedback = el("div", { class: "cp-feedback", role: "status", "aria-live": "polite" });
    const check = el("button", { text: "Check" });
    const show = el("button", { class: "cp-secondary", text: "Show the answer" });
    check.onclick = () => {
      const outcome = score(q, read(), keyOracle(data.oracle, data.key));
      const fraction = outcome.points / outcome.max_points;
      const message = outcome.message;
      const { tone, symbol } = feedbackTone(fraction);
      const mark = fraction >= 1 ? "Right." : fraction > 0 ? `Partly right (${Math.round(fraction * 100)}%).` : "Not yet.";
      feedback.className = `cp-feedback ${tone}`;
      feedback.textContent = `${symbol} ${mark} ${message}${fraction >= 1 && data.explanation ? " " + data.explanation : ""}`;
    };
    show.onclick = () => {
      feedback.className = "cp-feedback";
      feedback.textContent = `Answer: ${data.answer_text}${data.explanation ? " " + data.explanation : ""}`;
    };
    box.append(el("div", {}, check, show), feedback);
    root.append(box);
  },
};
