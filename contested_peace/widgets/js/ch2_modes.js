// Chapter 2: sort examples into the three modes of norm contestation that Lewis (2022)
// takes from Bettiza and Lewis (2020): liberal mimicry, civilisational (regional) claims,
// and counter-norm entrepreneurship. The reader picks a mode for each example and checks;
// each example is then marked right or wrong in words and symbols, with the reason.
// data: { modes: [{name, gloss}], examples: [{text, mode, why}] }

const WRONG = "Not this mode. Ask: is the state borrowing liberal words, claiming its region is different, or offering a model of its own?";

// What "Check" says of the whole sorting (judgeSorting's counts).
function modesSummary({ right, blank, total }) {
  return right === total ? `All ${total} sorted correctly.`
    : `${right} of ${total} sorted correctly${blank ? `; ${blank} not sorted yet` : ""}.`;
}

export default {
  render({ model, el: root }) {
    const { modes, examples } = model.get("data");
    const box = widgetBox(model);
    const legend = el("ul", { class: "cp-muted" });
    modes.forEach((m) => legend.append(el("li", {}, el("strong", { text: `${m.name}: ` }), m.gloss)));
    const list = el("ol", { class: "cp-sort-list" });
    const { buttons, status } = sorter({
      uid: uniqueId("modes"), categories: modes.map((m) => m.name), prompt: "choose a mode",
      items: examples.map((ex) => ({ label: ex.text, answer: ex.mode, right: ex.why, wrong: () => WRONG })),
      place: (label, select, feedback) => list.append(el("li", {}, label, select, feedback)),
      summary: modesSummary,
    });
    box.append(el("h4", { text: "Sort the examples by mode of contestation" }), legend, list, buttons, status);
    root.append(box);
  },
};

export { judgeSorting, feedbackTone, modesSummary };
