// Chapter 4: sort security commitments by kind (guarantee, collective-defence clause,
// assurance, political declaration). The reader picks a kind for each document; "Check"
// marks each row right or wrong with a word and a symbol, explains the right ones and
// gives a hint for the wrong ones; "Show the answers" fills in the key.
// data: { kinds: [{name, gloss}],
//         documents: [{name, year, promised, kind, why, hint}] }

const article = (kind) => (/^[aeiou]/i.test(kind) ? "an" : "a");

// What "Check" says beside a document sorted into the wrong kind: what it is not, then the
// document's hint.
function wrongKind(chosen, hint) {
  return `Not ${article(chosen)} ${chosen}. ${hint}`;
}

// What "Check" says of the whole sorting (judgeSorting's counts).
function commitmentSummary({ right, blank, total }) {
  return right === total ? `All ${total} documents are sorted correctly.`
    : `${right} of ${total} right${blank ? `, ${blank} not sorted yet` : ""}. Read the feedback beside each document and try again.`;
}

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const box = widgetBox(model);
    const kinds = el("dl", { class: "cp-glossary" });
    for (const k of data.kinds) kinds.append(el("dt", { text: k.name }), el("dd", { text: k.gloss }));

    const table = el("table", { class: "cp-stack", "aria-label": "Documents to sort" });
    table.append(el("tr", {}, el("th", { scope: "col", text: "Document" }), el("th", { scope: "col", text: "What it says, in brief" }),
      el("th", { scope: "col", text: "Kind of commitment" }), el("th", { scope: "col", text: "Feedback" })));
    const { buttons, status } = sorter({
      uid: uniqueId("commitments"), categories: data.kinds.map((k) => k.name),
      items: data.documents.map((doc) => ({
        label: `${doc.name} (${doc.year})`, promised: doc.promised, answer: doc.kind, right: doc.why,
        wrong: (chosen) => wrongKind(chosen, doc.hint),
      })),
      place: (label, select, feedback, item) => table.append(el("tr", {}, el("td", {}, label),
        el("td", { text: item.promised }), el("td", {}, select), el("td", { class: "cp-muted" }, feedback))),
      summary: commitmentSummary,
    });
    box.append(el("h4", { text: "Sort the commitments: what kind of promise is each?" }),
      el("p", { class: "cp-muted", text: "The four kinds:" }), kinds, table, buttons, status);
    root.append(box);
  },
};

export { judgeSorting, feedbackTone, wrongKind, commitmentSummary };
