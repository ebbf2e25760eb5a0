// Shared by every widget's module: widgets.base.front_end puts this in front of each one,
// since an anywidget module is a single self-contained text with no build step.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  if (tag === "button") node.type = "button";   // never a form's submit button, whatever surrounds it
  for (const [k, v] of Object.entries(attrs)) k === "text" ? (node.textContent = v) : node.setAttribute(k, v);
  node.append(...children);
  return node;
}
const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}
// Ids and radio-group names must be unique in the whole page, and each widget runs its own
// copy of its module, so the counter lives on the page.
const nextId = () => (window.cpWidgetIds = (window.cpWidgetIds || 0) + 1);
// A page-wide unique id for one of a widget's elements: cp-<name>-<n>, the same form in every widget.
const uniqueId = (name) => `cp-${name}-${nextId()}`;
// The box a widget draws in: a group named by the widget's label, styled by the shared CSS
// (`kind` adds a class of its own). In JupyterLab, keys pressed on its controls stay with
// the widget. The notebook's command-mode shortcuts apply to whatever has focus: an arrow
// key on a slider would move to the next cell, and "d d" on a select delete this one. The
// notebook skips an element marked data-lm-suppress-shortcuts, so each control is marked
// when it gets focus (the static book ignores the mark).
function widgetBox(model, { kind = "", label = "" } = {}) {
  const box = el("div", { class: kind ? `cp-widget ${kind}` : "cp-widget", role: "group",
    "aria-label": model.get("label") || label });
  box.addEventListener("focusin", (event) => event.target.setAttribute("data-lm-suppress-shortcuts", "true"));
  return box;
}
// A button that shows only a symbol (an arrow): its name in words is a text only screen
// readers and speech input get (cp-sr-only), not an aria-label, so that the name is what the
// button holds and axe can tell that it matches (WCAG 2.5.3, label in name).
function symbolButton(symbol, name, attrs = {}) {
  return el("button", attrs, el("span", { "aria-hidden": "true", text: symbol }), el("span", { class: "cp-sr-only", text: name }));
}
// A box that scrolls sideways when what it holds (a wide table, a dense chart) is wider than
// the column, so that the widget's controls and feedback around it stay on screen; the
// keyboard reaches it (tabindex) to scroll it with the arrow keys. `label` names it.
function scrollBox(label, ...children) {
  return el("div", { class: "cp-scroll", tabindex: "0", role: "region", "aria-label": `${label} (scrolls sideways)` }, ...children);
}
