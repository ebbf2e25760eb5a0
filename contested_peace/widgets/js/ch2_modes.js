// Chapter 2: sort examples into the three modes of norm contestation that Lewis (2022)
// takes from Bettiza and Lewis (2020): liberal mimicry, civilisational (regional) claims,
// and counter-norm entrepreneurship. The reader picks a mode for each example and checks;
// each example is then marked right or wrong in words and symbols, with the reason.
// data: { modes: [{name, gloss}], examples: [{text, mode, why}] }

export default {
  render({ model, el: root }) {
    const { modes, examples } = model.get("data");
    const uid = `ch2md-${nextId()}`;
    const box = el("div", { class: "cp-widget", role: "group", "aria-label": model.get("label") });

    const legend = el("ul", { class: "cp-muted" });
    modes.forEach((m) => legend.append(el("li", {}, el("strong", { text: `${m.name}: ` }), m.gloss)));

    const list = el("ol");
    const rows = examples.map((ex, i) => {
      const id = `${uid}-${i}`;
      const pick = el("select", { id }, el("option", { value: "", text: "choose a mode" }));
      modes.forEach((m) => pick.append(el("option", { value: m.name, text: m.name })));
      const verdict = el("p", { class: "cp-feedback" });
      list.append(el("li", {}, el("label", { for: id, text: ex.text }), pick, verdict));
      pick.onchange = () => { verdict.textContent = ""; verdict.className = "cp-feedback"; };
      return { ex, pick, verdict };
    });

    const status = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const check = el("button", { text: "Check my sorting" });
    const reveal = el("button", { class: "cp-secondary", text: "Show the answers" });
    const reset = el("button", { class: "cp-secondary", text: "Start again" });

    check.onclick = () => {
      let right = 0, blank = 0;
      for (const { ex, pick, verdict } of rows) {
        if (!pick.value) { blank += 1; verdict.textContent = "Not sorted yet."; verdict.className = "cp-feedback"; continue; }
        const ok = pick.value === ex.mode;
        right += ok ? 1 : 0;
        verdict.className = `cp-feedback ${ok ? "cp-correct" : "cp-wrong"}`;
        verdict.textContent = ok ? `✔ Right. ${ex.why}`
          : "✘ Not this mode. Ask: is the state borrowing liberal words, claiming its region is different, or offering a model of its own?";
      }
      status.textContent = `${right} of ${rows.length} sorted correctly` + (blank ? `; ${blank} not sorted yet.` : ".");
    };
    reveal.onclick = () => {
      for (const { ex, pick, verdict } of rows) {
        pick.value = ex.mode;
        verdict.className = "cp-feedback";
        verdict.textContent = `Answer: ${ex.mode}. ${ex.why}`;
      }
      status.textContent = `All ${rows.length} answers shown.`;
    };
    reset.onclick = () => {
      for (const { pick, verdict } of rows) { pick.value = ""; verdict.textContent = ""; verdict.className = "cp-feedback"; }
      status.textContent = "Cleared. Sort the examples again.";
    };

    box.append(el("h4", { text: "Sort the examples by mode of contestation" }), legend, list,
      el("div", {}, check, reveal, reset), status);
    root.append(box);
  },
};
