// A practice question with instant feedback, checked in the browser (no kernel needed).
// The question arrives as data in model.get("data"), in the schema of docs/authoring.md.

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
  matching(q, box) {
    const options = q.kind === "classification" ? q.categories
      : [...new Set([...(q.options || []), ...Object.values(q.pairs)])].sort();
    const selects = {};
    const table = el("table", {}, el("tr", {}, el("th", { text: "Item" }),
      el("th", { text: q.kind === "classification" ? "Category" : "Matches" })));
    for (const item of Object.keys(q.pairs)) {
      const id = `cp-sel-${nextId()}`;
      const select = el("select", { id, "aria-label": `${item}` }, el("option", { value: "", text: "choose" }));
      for (const option of options) select.append(el("option", { value: option, text: option }));
      selects[item] = select;
      table.append(el("tr", {}, el("td", {}, el("label", { for: id, text: item })), el("td", {}, select)));
    }
    box.append(table);
    return () => Object.fromEntries(Object.entries(selects).map(([k, s]) => [k, s.value || null]));
  },
  ordering(q, box) {
    const list = el("ol", { class: "cp-order" });
    const draw = (items) => {
      list.replaceChildren();
      items.forEach((item, i) => {
        const up = el("button", { class: "cp-secondary", "aria-label": `Move "${item}" up`, text: "↑" });
        const down = el("button", { class: "cp-secondary", "aria-label": `Move "${item}" down`, text: "↓" });
        up.disabled = i === 0;
        down.disabled = i === items.length - 1;
        up.onclick = () => { [items[i - 1], items[i]] = [items[i], items[i - 1]]; draw(items); list.querySelectorAll("button")[2 * (i - 1)]?.focus(); };
        down.onclick = () => { [items[i + 1], items[i]] = [items[i], items[i + 1]]; draw(items); list.querySelectorAll("button")[2 * (i + 1) + 1]?.focus(); };
        list.append(el("li", {}, el("span", { class: "cp-row" }, up, down, item)));
      });
      list.current = items;
    };
    draw([...q.shuffled]);
    box.append(el("p", { class: "cp-muted", text: "Use the arrows to put the items in order, first at the top." }), list);
    return () => list.current;
  },
  numeric(q, box) {
    const id = `cp-num-${nextId()}`;
    const input = el("input", { type: "number", step: "any", id });
    box.append(el("div", { class: "cp-row" }, el("label", { for: id, text: "Your answer:" }), input));
    return () => (input.value === "" ? null : Number(input.value));
  },
  text(q, box) {
    const id = `cp-text-${nextId()}`;
    const input = el("input", { type: "text", id, autocomplete: "off" });
    box.append(el("div", { class: "cp-row" }, el("label", { for: id, text: "Your answer:" }), input));
    return () => input.value;
  },
};
controls.classification = controls.matching;

const normalise = (s) => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
  .replace(/&/g, " and ").replace(/[^\p{L}\p{N}\s]/gu, " ").replace(/\b(the|a|an)\b/g, " ")
  .split(/\s+/).filter(Boolean).join(" ");

// The same rules as autograder/scoring.py, with the key at hand (practice answers may be shown).
function judge(q, answer) {
  const none = answer === null || answer === "" || (Array.isArray(answer) && answer.length === 0);
  if (none) return { fraction: 0, message: "Choose or type an answer first." };
  const hint = q.hint ? ` ${q.hint}` : "";
  switch (q.kind) {
    case "single":
      return answer === q.answer ? { fraction: 1, message: "Correct." }
        : { fraction: 0, message: `Not ${answer}).${q.hints?.[answer] ? " " + q.hints[answer] : hint}` };
    case "multiple": {
      const right = answer.filter((a) => q.answer.includes(a)).length;
      const wrong = answer.length - right;
      if (right === q.answer.length && !wrong) return { fraction: 1, message: "Correct: all the right choices and no others." };
      return { fraction: Math.max(0, right - wrong) / q.answer.length,
        message: `${right} of your choices are right and ${wrong} are not; there are ${q.answer.length} right choices.${hint}` };
    }
    case "matching": case "classification": {
      const items = Object.keys(q.pairs);
      const wrongItems = items.filter((i) => answer[i] !== q.pairs[i]);
      if (!wrongItems.length) return { fraction: 1, message: `Correct: all ${items.length} are right.` };
      const itemHint = wrongItems.map((i) => q.hints?.[i]).find(Boolean);
      return { fraction: (items.length - wrongItems.length) / items.length,
        message: `${items.length - wrongItems.length} of ${items.length} are right.${itemHint ? " " + itemHint : hint}` };
    }
    case "ordering": {
      const pos = answer.map((a) => q.items.indexOf(a));
      const best = pos.map(() => 1);
      pos.forEach((p, j) => { for (let i = 0; i < j; i++) if (pos[i] < p) best[j] = Math.max(best[j], best[i] + 1); });
      const longest = Math.max(...best);
      if (longest === q.items.length) return { fraction: 1, message: "Correct: every item is in its place." };
      return { fraction: (longest - 1) / (q.items.length - 1),
        message: `${longest} of ${q.items.length} items are in the right order relative to each other.${hint}` };
    }
    case "numeric": {
      const tol = Math.max(q.tolerance || 0, (q.rel_tolerance || 0) * Math.abs(q.answer), 1e-9);
      return Math.abs(answer - q.answer) <= tol ? { fraction: 1, message: "Correct." }
        : { fraction: 0, message: `${answer} is not within the tolerance.${hint}` };
    }
    case "text":
      return q.answer.map(normalise).includes(normalise(answer)) ? { fraction: 1, message: "Correct." }
        : { fraction: 0, message: `Not an answer we accept.${hint}` };
  }
  return { fraction: 0, message: "This kind of question cannot be practised here." };
}

export default {
  render({ model, el: root }) {
    const q = model.get("data");
    const box = el("div", { class: "cp-widget cp-practice", role: "group", "aria-label": model.get("label") || "Practice question" });
    box.append(el("h4", { text: q.title || "Practice question" }), el("p", { text: q.prompt }));
    const read = controls[q.kind](q, box, `cp-q-${nextId()}`);
    const feedback = el("div", { class: "cp-feedback", role: "status", "aria-live": "polite" });
    const check = el("button", { text: "Check" });
    const show = el("button", { class: "cp-secondary", text: "Show the answer" });
    check.onclick = () => {
      const { fraction, message } = judge(q, read());
      const mark = fraction >= 1 ? "✔ Right." : fraction > 0 ? `◐ Partly right (${Math.round(fraction * 100)}%).` : "✘ Not yet.";
      feedback.className = `cp-feedback ${fraction >= 1 ? "cp-correct" : fraction > 0 ? "cp-partial" : "cp-wrong"}`;
      feedback.textContent = `${mark} ${message}${fraction >= 1 && q.explanation ? " " + q.explanation : ""}`;
    };
    show.onclick = () => {
      feedback.className = "cp-feedback";
      feedback.textContent = `Answer: ${q.answer_text}${q.explanation ? " " + q.explanation : ""}`;
    };
    box.append(el("div", {}, check, show), feedback);
    root.append(box);
  },
};
