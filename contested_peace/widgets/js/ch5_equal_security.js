// Chapter 5: "equal security" against collective defence (coalitions of the weaker), with illustrative capabilities.
// One large state faces several smaller ones; the reader ticks which of them pool their
// capabilities in a coalition. For every state the widget compares the strength of its side
// with the strongest side it could face, and asks whether every state can be balanced at once.
// data: { big: {name, power}, others: [{name, power}], note }

// Who is secure when the smaller states listed in `joined` (indices into data.others) pool
// their strength: for each state its side, the strongest side it could face, the ratio and
// whether it is outmatched; then the result line and the explanation the widget shows.
function equalSecurity(data, joined) {
  const inCoalition = (i) => joined.includes(i);
  const coalition = joined.reduce((sum, i) => sum + data.others[i].power, 0);
  const outsiders = data.others.filter((_, i) => !inCoalition(i));
  // the large state's strongest opponent: the coalition, or the strongest state outside it
  const bigThreat = Math.max(coalition, ...outsiders.map((s) => s.power), 0);
  const sides = [{ name: data.big.name, side: data.big.power, threat: bigThreat,
    against: bigThreat === coalition && coalition > 0 ? "the coalition" : "its strongest neighbour" }];
  data.others.forEach((s, i) => sides.push(inCoalition(i)
    ? { name: s.name, side: coalition, threat: data.big.power, against: data.big.name, member: true }
    : { name: s.name, side: s.power, threat: data.big.power, against: data.big.name }));
  const rows = sides.map((r) => ({ ...r, ratio: r.side / r.threat, outmatched: r.side / r.threat < 1 }));
  const losers = rows.filter((r) => r.outmatched).map((r) => r.name);
  const result = losers.length === 0
    ? "✔ Every state is at least balanced: equal security holds in this combination."
    : `✘ Equal security fails: ${losers.join(", ")} ${losers.length === 1 ? "is" : "are"} outmatched.`;
  const detail = joined.length === 0
    ? `With no coalition, each smaller state faces ${data.big.name} alone. Tick some boxes to pool their strength.`
    : coalition > data.big.power
      ? `The coalition (${coalition}) outweighs ${data.big.name} (${data.big.power}): its members are secure, and now ${data.big.name} feels insecure. A defensive coalition (collective defence) protects the small; it cannot make ${data.big.name} feel equally safe at the same time.`
      : `The coalition (${coalition}) is still weaker than ${data.big.name} (${data.big.power}). Add members or an outside ally.`;
  return { rows, result, detail };
}

export default {
  render({ model, el: root }) {
    const data = model.get("data");
    const uid = uniqueId("equal-security");
    const joined = new Set();
    const box = widgetBox(model);
    const set = el("fieldset", {}, el("legend", { text: "Which states pool their strength in a coalition?" }));
    data.others.forEach((s, i) => {
      const input = el("input", { type: "checkbox", id: `${uid}-${i}`, value: String(i) });
      input.onchange = () => { input.checked ? joined.add(i) : joined.delete(i); draw(); };
      set.append(el("label", { for: `${uid}-${i}` }, input, ` ${s.name} (strength ${s.power})`));
    });
    const table = el("table", { "aria-label": "Each state's side against the strongest side it could face" });
    const result = el("p", { class: "cp-result", role: "status", "aria-live": "polite" });
    const detail = el("p", { class: "cp-muted" });

    function draw() {
      const outcome = equalSecurity(data, [...joined]);
      table.replaceChildren(el("tr", {},
        ...["State", "Strength of its side", "Strongest side it could face", "Ratio", "Verdict"].map((h) => el("th", { scope: "col", text: h }))));
      for (const r of outcome.rows) {
        table.append(el("tr", {},
          el("th", { scope: "row", text: r.name + (r.member ? " (in coalition)" : "") }),
          el("td", { text: String(r.side) }),
          el("td", { text: `${r.threat} (${r.against})` }),
          el("td", { text: r.ratio.toFixed(2) }),
          el("td", { text: r.outmatched ? "✘ outmatched" : "✔ balanced or stronger" })));
      }
      result.textContent = outcome.result;
      detail.textContent = outcome.detail;
    }

    box.append(el("h4", { text: "Equal security or collective defence?" }),
      el("p", { class: "cp-muted", text: data.note }), set, scrollBox("Each state's side", table), result, detail);
    root.append(box);
    draw();
  },
};

export { equalSecurity };
