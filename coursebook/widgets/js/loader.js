// Draws the book's anywidgets in the published (static) pages, in place of require.js and
// the 3.6 MB ipywidgets HTML manager. Each page carries its widgets' saved state (myst-nb
// writes it into a widget-state script, and a widget-view script where each widget goes);
// every one of our widgets is an anywidget, whose front end is an ES module in its state,
// so all a page needs is to run that module with a model that answers what the module
// asks of it. A widget is drawn when it comes near the screen, so that a long chapter
// does not run every module before the reader sees the first one.
// `window.cpWidgets.loadAll()` draws every widget at once (the tests use it, and so can
// printing); each placeholder says how far it got in `data-cp-widget` (waiting, ready).
(() => {
  const STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  const VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  const NEAR = "600px 0px";   // start a little before a widget scrolls into view

  // The model a module sees: anywidget's front-end API (get, set, on, off, save_changes,
  // send). There is no kernel behind a static page, so changes stay in the page.
  function pageModel(state) {
    const listeners = new Map();
    const fire = (name, ...args) => (listeners.get(name) || []).forEach((f) => f(...args));
    return {
      get: (key) => state[key],
      set(key, value) {
        state[key] = value;
        fire(`change:${key}`, value);
        fire("change");
      },
      on(name, callback) { listeners.set(name, [...(listeners.get(name) || []), callback]); },
      off(name, callback) {
        if (!name) return listeners.clear();
        listeners.set(name, callback ? (listeners.get(name) || []).filter((f) => f !== callback) : []);
      },
      save_changes() {},
      send() {},
    };
  }

  const styles = new Set();
  function addStyle(css) {
    if (!css || styles.has(css)) return;
    styles.add(css);
    document.head.append(Object.assign(document.createElement("style"), { textContent: css }));
  }

  let saved = null;
  function savedState() {
    if (saved) return saved;
    saved = {};
    for (const script of document.querySelectorAll(STATE)) Object.assign(saved, JSON.parse(script.textContent).state);
    return saved;
  }

  // A widget's module and style sheet are in the page once (coursebook/fast_pages.py): a
  // widget that shares them names the widget that has them, {"cp-same-as": <model id>}.
  function field(state, name) {
    const value = state[name];
    const owner = value && value["cp-same-as"];
    return owner ? savedState()[owner].state[name] : value;
  }

  // Every widget imports its own copy of its module, as it would in Jupyter.
  async function draw(view) {
    const id = JSON.parse(view.textContent).model_id;
    const entry = savedState()[id];
    if (!entry || entry.model_module !== "anywidget") {
      throw new Error(`widget ${id} is ${entry ? entry.model_module + " " + entry.model_name : "missing from the page's state"}: only anywidgets can be drawn here`);
    }
    const state = { ...entry.state, _esm: field(entry.state, "_esm"), _css: field(entry.state, "_css") };
    addStyle(state._css);
    const url = URL.createObjectURL(new Blob([state._esm], { type: "text/javascript" }));
    const module = await import(url);
    URL.revokeObjectURL(url);
    const widget = typeof module.default === "function" ? await module.default() : module.default;
    const model = pageModel(state);
    await widget.initialize?.({ model });
    const box = document.createElement("div");
    box.className = "cp-widget-view";
    view.after(box);
    await widget.render?.({ model, el: box });
  }

  const pending = new Map();   // placeholder -> its drawing (a promise)
  function load(view) {
    if (!pending.has(view)) {
      view.parentElement.dataset.cpWidget = "loading";
      pending.set(view, draw(view).then(
        () => { view.parentElement.dataset.cpWidget = "ready"; },
        (error) => { view.parentElement.dataset.cpWidget = "failed"; console.error(`widget not drawn: ${error.message}`); }));
    }
    return pending.get(view);
  }

  function start() {
    const views = [...document.querySelectorAll(VIEW)];
    views.forEach((v) => { v.parentElement.dataset.cpWidget = "waiting"; });
    window.cpWidgets = { loadAll: () => Promise.all(views.map(load)) };
    if (!("IntersectionObserver" in window)) return window.cpWidgets.loadAll();
    const watcher = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        watcher.unobserve(entry.target);
        entry.target.querySelectorAll(VIEW).forEach(load);
      }
    }, { rootMargin: NEAR });
    new Set(views.map((v) => v.parentElement)).forEach((box) => watcher.observe(box));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
