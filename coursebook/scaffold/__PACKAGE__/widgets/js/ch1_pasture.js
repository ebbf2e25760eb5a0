// Chapter 1: one more animal on a pasture shared by several herders. The reader sets how
// many herders share it; the widget says what the animal brings its owner and the group.
// data: { gain, damage, herders: {min, max, value} }

// What one more animal is worth to its owner (who keeps the gain and bears a share of the
// damage) and to all the herders together (who bear all of it).
function extraAnimal(gain, damage, herders) {
  const owner = gain - damage / herders;
  const group = gain - damage;
  return { owner, group, tragedy: owner > 0 && group < 0 };
}

const signed = (x) => (x > 0 ? "+" : "") + x.toFixed(2);

export default {
  render({ model, el: root }) {
    const { gain, damage, herders } = model.get("data");
    const status = el("p", { class: "cp-feedback", role: "status", "aria-live": "polite" });
    const show = (n) => {
      const { owner, group, tragedy } = extraAnimal(gain, damage, n);
      status.textContent = `For its owner: ${signed(owner)}. For the group: ${signed(group)}. ` +
        (tragedy ? "Each herder gains by adding it, and together they lose: a tragedy of the commons."
          : owner > 0 ? "Adding it pays, for its owner and the group."
          : "Adding it does not pay, even for its owner.");
    };
    const { row } = sliderRow({ id: uniqueId("pasture"), label: "Herders sharing the pasture",
      min: herders.min, max: herders.max, step: 1, value: herders.value, onInput: show });
    const box = widgetBox(model);
    box.append(row, status);
    root.append(box);
    show(herders.value);
  },
};

export { extraAnimal };
