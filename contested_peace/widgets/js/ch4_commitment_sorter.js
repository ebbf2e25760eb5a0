// Chapter 4: sort security commitments by kind (guarantee, collective-defence clause,
// assurance, political declaration). The reader picks a kind for each document; "Check"
// marks each row right or wrong with a word and a symbol, explains the right ones and
// gives a hint for the wrong ones; "Show the answers" fills in the key.
// data: { kinds: [{name, gloss}],
//         documents: [{name, year, promised, kind, why, hint}] }

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const uid = `cp-sort-${nextId()}`;
    const box = el("div", { class: "cp-widget", role: "group", "aria-label": model.get("label") });
    const kinds = el("dl", {});
    for (const k of data.kinds) kinds.append(el("dt", { text: k.name, style: "font-weight:600" }), el("dd", { text: k.gloss, style: "margin:0 0 0.3rem 1rem" }));

    const table = el("table", { "aria-label": "Documents to sort" });
    table.append(el("tr", {}, el("th", { scope: "col", text: "Document" }), el("th", { scope: "col", text: "What it says, in brief" }),
      el("th", { scope: "col", text: "Kind of commitment" }), el("th", { scope: "col", text: "Feedback" })));
    const rows = data.documents.map((doc, i) => {
      const id = `${uid}-${i}`;
      const select = el("select", { id }, el("option", { value: "", text: "choose…" }));
      for (const k of data.kinds) select.append(el("option", { value: k.name, text: k.name }));
      const feedback = el("td", { class: "cp-muted" });
      select.onchange = () => { feedback.textContent = ""; };
      table.append(el("tr", {}, el("td", {}, el("label", { for: id, text: `${doc.name} (${doc.year})` })),
        el("td", { text: doc.promised }), el("td", {}, select), feedback));
      return { doc, select, feedback };
    });

    const status = el("div", { class: "cp-feedback", role: "status", "aria-live": "polite" });
    const check = el("button", { type: "button", text: "Check my sorting" });
    const show = el("button", { type: "button", class: "cp-secondary", text: "Show the answers" });
    const reset = el("button", { type: "button", class: "cp-secondary", text: "Start again" });

    check.onclick = () => {
      let right = 0, blank = 0;
      for (const { doc, select, feedback } of rows) {
        if (!select.value) { blank++; feedback.textContent = "… not sorted yet"; continue; }
        if (select.value === doc.kind) { right++; feedback.textContent = `✔ Right. ${doc.why}`; }
        else feedback.textContent = `✘ Not ${select.value === "assurance" ? "an" : "a"} ${select.value}. ${doc.hint}`;
      }
      const n = rows.length;
      status.className = `cp-feedback ${right === n ? "cp-correct" : right ? "cp-partial" : "cp-wrong"}`;
      status.textContent = right === n ? `✔ All ${n} documents are sorted correctly.`
        : `${right} of ${n} right${blank ? `, ${blank} not sorted yet` : ""}. Read the feedback beside each document and try again.`;
    };
    show.onclick = () => {
      for (const { doc, select, feedback } of rows) { select.value = doc.kind; feedback.textContent = `Answer: ${doc.kind}. ${doc.why}`; }
      status.className = "cp-feedback";
      status.textContent = "The answers are filled in, each with the reason.";
    };
    reset.onclick = () => {
      for (const { select, feedback } of rows) { select.value = ""; feedback.textContent = ""; }
      status.className = "cp-feedback";
      status.textContent = "Cleared. Sort the documents again.";
    };

    box.append(el("h4", { text: "Sort the commitments: what kind of promise is each?" }),
      el("p", { class: "cp-muted", text: "The four kinds:" }), kinds, table, el("div", {}, check, show, reset), status);
    root.append(box);
  },
};
