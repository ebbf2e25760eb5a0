// Chapter 2: a stepper through the "spiral model" of norm socialisation (Risse, Ropp and
// Sikkink 1999), set beside the path Russia took on the norms of liberal peace (Lewis 2022).
// The reader steps through the five phases; a drawing marks each phase with Russia's
// status (reached, partly, not reached) and shows where Russia's path left the spiral.
// Russia's path can be hidden so that the reader predicts it first.
// data: { phases: [name, ...] (the five phases, in order),
//         steps: [{ title, years, phase (index into phases, or null for the turn),
//                   model, russia, verdict }],
//         status: [symbol per phase: "reached" | "partly" | "not"],
//         branch: text of the box for the path Russia took instead, turn_after: phase index }

const MARK = { reached: "✔ passed through", partly: "◐ on paper only", not: "✘ never reached" };

// What the widget shows at step `current` (an index into data.steps), with Russia's path
// shown or hidden (`reveal`): the phase to highlight (null at the turn), the mark under
// each phase, whether the branch Russia took is drawn, the status line and Russia's text.
function spiralView(data, current, reveal) {
  const step = data.steps[current];
  const turn = data.steps.findIndex((s) => s.phase === null);
  const where = step.phase === null ? "The turn (not a phase of the model)" : `Phase ${step.phase + 1} of ${data.phases.length}`;
  return {
    phase: step.phase,
    marks: data.phases.map((_, i) => (reveal ? MARK[data.status[i]] : "?")),
    branchShown: reveal && (step.phase === null || current >= turn),
    status: `Step ${current + 1} of ${data.steps.length}: ${step.title} (${step.years}). ${where}.` + (reveal ? ` Russia: ${step.verdict}.` : ""),
    russia: reveal ? step.russia : "Hidden. What would you expect Russia to have done at this step? Tick the box to compare.",
  };
}

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const uid = uniqueId("spiral");
    const box = widgetBox(model);
    let current = 0;

    // controls: previous / next, a jump list, and a switch that hides Russia's path
    const prev = el("button", { class: "cp-secondary", text: "← Previous step" });
    const next = el("button", { text: "Next step →" });
    const jump = el("select", { id: `${uid}-jump` });
    data.steps.forEach((s, i) => jump.append(el("option", { value: String(i), text: `${i + 1}. ${s.title}` })));
    const showRussia = el("input", { type: "checkbox", id: `${uid}-show`, checked: "" });
    const controls = el("div", { class: "cp-row" }, prev, next,
      el("label", { for: `${uid}-jump`, text: "Jump to:" }), jump);
    const toggle = el("label", { for: `${uid}-show` }, showRussia,
      " Show Russia's path (untick to predict it first)");

    // the drawing: five rising steps, Russia's mark under each, and the branch it took
    const width = 640, height = 250, stepW = 112, gap = 8;
    const drawing = chartBox(width, height, "The five phases of the spiral model as rising steps, with Russia's status under each",
      { smallestText: 11 });
    const rects = [], marks = [];
    data.phases.forEach((name, i) => {
      const x = 10 + i * (stepW + gap), y = 120 - i * 24;
      const rect = svg("rect", { x, y, width: stepW, height: 46, rx: 5, fill: "var(--cp-surface)", stroke: "var(--cp-border)", "stroke-width": 1.5 });
      const words = name.split(" ");
      const half = Math.ceil(words.length / 2);
      const lines = words.length > 1 ? [words.slice(0, half).join(" "), words.slice(half).join(" ")] : [name];
      const label = chartText(x + stepW / 2, y + 19, "", { anchor: "middle", size: 12 });
      lines.forEach((line, n) => label.append(svg("tspan", { x: x + stepW / 2, dy: n ? 14 : 0 }, line)));
      const num = chartText(x + 6, y - 5, `Phase ${i + 1}`, { tone: "muted" });
      const mark = chartText(x + stepW / 2, y + 62, "", { anchor: "middle" });
      rects.push(rect); marks.push(mark);
      drawing.append(rect, label, num, mark);
    });
    // the branch leaves from under the last phase Russia passed through and runs right
    const tx = 10 + data.turn_after * (stepW + gap) + stepW / 2;
    const ty = 120 - data.turn_after * 24 + 84;
    const bx = tx + 60, bw = width - bx - 8;
    const branch = svg("g");
    const arrow = svg("path", { d: `M ${tx} ${ty} L ${tx} 218 L ${bx - 14} 218`, fill: "none", stroke: "var(--cp-bad)",
      "stroke-width": 2.5, "stroke-dasharray": "6 4" });
    const head = svg("path", { d: `M ${bx - 14} 212 L ${bx - 2} 218 L ${bx - 14} 224 Z`, fill: "var(--cp-bad)" });
    const branchRect = svg("rect", { x: bx, y: 200, width: bw, height: 36, rx: 5, fill: "var(--cp-bad-bg)", stroke: "var(--cp-bad)", "stroke-width": 1.5 });
    const branchText = chartText(bx + bw / 2, 222, `↘ ${data.branch}`, { anchor: "middle", size: 12 });
    branch.append(arrow, head, branchRect, branchText);
    drawing.append(branch);

    const status = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const modelText = el("p");
    const russiaText = el("p");
    const detail = el("div", {}, el("h5", { text: "What the spiral model expects" }), modelText,
      el("h5", { text: "What Russia did" }), russiaText);

    const update = () => {
      const view = spiralView(data, current, showRussia.checked);
      prev.disabled = current === 0;
      next.disabled = current === data.steps.length - 1;
      jump.value = String(current);
      rects.forEach((r, i) => {
        const on = view.phase === i;
        r.setAttribute("stroke", on ? "var(--cp-accent)" : "var(--cp-border)");
        r.setAttribute("stroke-width", on ? 4 : 1.5);
        r.setAttribute("fill", on ? "var(--cp-highlight)" : "var(--cp-surface)");
        const cx = rects[i].getAttribute("x") * 1 + stepW / 2;
        marks[i].replaceChildren(svg("tspan", { x: cx }, "Russia:"), svg("tspan", { x: cx, dy: 14 }, view.marks[i]));
      });
      branch.style.display = view.branchShown ? "" : "none";
      branchRect.setAttribute("stroke-width", view.phase === null ? 4 : 1.5);
      modelText.textContent = data.steps[current].model;
      russiaText.textContent = view.russia;
      status.textContent = view.status;
    };
    prev.onclick = () => { current = Math.max(0, current - 1); update(); };
    next.onclick = () => { current = Math.min(data.steps.length - 1, current + 1); update(); };
    jump.onchange = () => { current = Number(jump.value); update(); };
    showRussia.onchange = update;

    // whose reading this is: the phase-by-phase placing of Russia is the course's, not the reading's
    box.append(el("h4", { text: "Step through the norm spiral" }), el("p", { class: "cp-muted", text: data.note }),
      controls, toggle, scrollingChart(drawing), status, detail);
    root.append(box);
    update();
  },
};

export { spiralView };
