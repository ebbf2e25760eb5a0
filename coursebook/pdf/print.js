// Makes the book's one page (singlehtml, see single_page.py) ready to print: the whole book,
// or one of its pages (a "chapter") alone.  coursebook/pdf/printer.py puts this script in
// the page and calls window.cpPrint.prepare(options), then prints.
//
// - Every widget is drawn (the toolkit's loader), then made a still: its caption (the
//   widget's name) above it, each chart's text equivalent (its aria-label) printed under it,
//   the controls' current values written into the page, scrolling boxes opened out.
// - Practice questions are printed without their buttons; their answers (with the
//   explanation) follow in a section at the end of the chapter, linked both ways.
// - A chapter printed alone keeps every link working: the bibliography entries and the
//   glossary terms it links to are printed at its end, and a link to any other page goes to
//   that page in the online book (options.site), or becomes plain text where the book has no
//   known address.
// Ids are qualified by their page ("book/ch1/intro"), so a target's page is its id's prefix.
(() => {
  const STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  const VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  const DOC = "document-";
  const PRINT_CONTENTS = "#jb-print-docs-body";   // the theme's printed title and contents

  const make = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) k === "text" ? (node.textContent = v) : node.setAttribute(k, v);
    node.append(...children);
    return node;
  };
  const article = () => document.querySelector("article.bd-article");

  // Each page of the book: the span singlehtml writes where it starts, and its section.
  function pages() {
    return [...document.querySelectorAll(`span[id^="${DOC}"]`)].map((span) => ({
      doc: span.id.slice(DOC.length), span, block: span.nextElementSibling,
      title: span.nextElementSibling?.querySelector("h1, h2, h3")?.firstChild?.textContent.trim() || "",
    }));
  }
  // The chapters: pages that are not inside another page (a chapter's sections print with it).
  function chapters() {
    const all = pages();
    return all.filter((p) => !all.some((q) => q !== p && q.block?.contains(p.span)));
  }
  const pageOfId = (id) => id.slice(0, id.lastIndexOf("/"));

  function widgetModels() {
    const models = {};
    for (const script of document.querySelectorAll(STATE)) Object.assign(models, JSON.parse(script.textContent).state);
    return models;
  }

  // A control shows in print what it holds now, also in a copy of the page (cloneNode).
  function freezeControls(root) {
    root.querySelectorAll("input").forEach((input) => {
      input.setAttribute("value", input.value);
      input.checked ? input.setAttribute("checked", "") : input.removeAttribute("checked");
    });
    root.querySelectorAll("option").forEach((o) => (o.selected ? o.setAttribute("selected", "") : o.removeAttribute("selected")));
    root.querySelectorAll("details").forEach((d) => d.setAttribute("open", ""));
  }

  // Caption and text equivalents of one drawn widget; a practice question gets its number.
  function still(view, model, practice) {
    const drawn = view.parentElement.querySelector(".cp-widget-view");
    const box = drawn?.querySelector(".cp-widget");
    if (!box) throw new Error(`widget ${view.textContent} was not drawn`);
    const caption = make("p", { class: "cp-print-caption" });
    if (practice) {
      caption.append(`Practice question ${practice.number}. `,
        make("a", { href: `#${practice.answerId}`, text: "Answer at the end of the chapter" }), ".");
      box.querySelector(".cp-feedback")?.remove();
      // its title ("Check your understanding") stays out of the bookmarks: the caption numbers it
      box.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach((h) => h.replaceWith(make("p", { class: "cp-print-title", text: h.textContent })));
    } else {
      const name = box.getAttribute("aria-label") || "an interactive figure";
      caption.append(`Widget: ${name}${/[.?!]$/.test(name) ? "" : "."} `,
        make("span", { class: "cp-print-muted", text: "A still of its first view; use it in the online book." }));
    }
    drawn.before(caption);
    for (const chart of box.querySelectorAll('[role="img"][aria-label]')) {
      chart.after(make("p", { class: "cp-print-alt", text: `Chart: ${chart.getAttribute("aria-label")}` }));
    }
    freezeControls(box);
  }

  // The practice questions of a chapter, numbered, and the section with their answers.
  function practiceAnswers(chapter, models, headingLevel) {
    const questions = [];
    for (const view of chapter.block.querySelectorAll(VIEW)) {
      const model = models[JSON.parse(view.textContent).model_id];
      const data = model?.state?.data;
      const practice = data && "answer_text" in data
        ? { number: questions.length + 1, answerId: `cp-answer/${chapter.doc}/${questions.length + 1}`, data } : null;
      if (practice) questions.push(practice);
      still(view, model, practice);
    }
    if (!questions.length) return;
    const heading = make(`h${Math.min(headingLevel + 1, 6)}`, { text: "Answers to the practice questions" });
    const list = make("ol", { class: "cp-print-answers" });
    for (const q of questions) {
      list.append(make("li", { id: q.answerId },
        make("p", { text: q.data.prompt }),
        make("p", {}, make("strong", { text: "Answer: " }), q.data.answer_text),
        ...(q.data.explanation ? [make("p", { text: q.data.explanation })] : [])));
    }
    chapter.block.append(make("section", { class: "cp-print-section" }, heading, list));
  }

  const headingLevel = (block) => Number(block.querySelector("h1, h2, h3, h4")?.tagName.slice(1) || 1);

  // What a link of the printed page points to: an id of this page, or null (not a fragment here).
  function targetId(a) {
    const url = new URL(a.href, location.href);
    if (url.origin + url.pathname !== location.origin + location.pathname || !url.hash) return null;
    return decodeURIComponent(url.hash.slice(1));
  }

  function unlink(a) {
    a.replaceWith(...a.childNodes);
  }

  // A link that leaves the printed chapter: to the same place in the online book, or text.
  function outward(a, id, site) {
    if (!site) return unlink(a);
    const doc = id.startsWith(DOC) ? id.slice(DOC.length) : pageOfId(id);
    const fragment = id.startsWith(DOC) ? "" : `#${encodeURIComponent(id.slice(doc.length + 1))}`;
    a.href = `${site}${doc}.html${fragment}`;
  }

  // The bibliography entries and glossary terms a chapter links to, printed at its end.
  function appendices(chapter, everything, level) {
    const cited = new Map(), terms = new Map();
    for (const a of chapter.block.querySelectorAll("a[href]")) {
      const id = targetId(a);
      const target = id && !chapter.block.querySelector(`[id="${CSS.escape(id)}"]`) ? everything.get(id) : null;
      if (target?.matches(".citation")) cited.set(id, target);
      else if (target?.matches("dt")) terms.set(id, target);
    }
    const section = (title, ...content) => make("section", { class: "cp-print-section" }, make(`h${Math.min(level + 1, 6)}`, { text: title }), ...content);
    const copy = (node) => {
      const clone = node.cloneNode(true);
      clone.querySelectorAll(".headerlink").forEach((h) => h.remove());
      return clone;
    };
    if (cited.size) {
      const inBookOrder = [...cited.values()].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
      chapter.block.append(section("References", make("div", { class: "citation-list", role: "list" }, ...inBookOrder.map(copy))));
    }
    if (terms.size) {
      const list = make("dl", { class: "glossary" });
      for (const dt of terms.values()) list.append(copy(dt), ...(dt.nextElementSibling?.matches("dd") ? [copy(dt.nextElementSibling)] : []));
      chapter.block.append(section("Glossary", list));
    }
  }

  // Links to other pages of the book (and to its files) from a printed chapter.
  function linksOut(root, site) {
    for (const a of root.querySelectorAll("a[href]")) {
      const id = targetId(a);
      if (id !== null) {
        if (!document.getElementById(id)) outward(a, id, site);
      } else if (new URL(a.href, location.href).origin === location.origin && !site) {
        unlink(a);   // a file of the book (a notebook, a download) with no online address to give
      }
    }
  }

  async function prepare({ doc = null, site = "", bookTitle = "" } = {}) {
    if (window.cpWidgets) await window.cpWidgets.loadAll();
    const failed = document.querySelectorAll('[data-cp-widget="failed"]').length;
    if (failed) throw new Error(`${failed} widget(s) could not be drawn`);
    const models = widgetModels();
    const everything = new Map([...document.querySelectorAll("[id]")].map((e) => [e.id, e]));
    let printed = chapters();
    if (doc !== null) {
      const chapter = printed.find((c) => c.doc === doc);
      if (!chapter) throw new Error(`the book has no page ${doc}`);
      article().replaceChildren(chapter.span, chapter.block);
      document.querySelector(PRINT_CONTENTS)?.remove();   // the whole book's contents
      printed = [chapter];
      document.title = bookTitle ? `${chapter.title} (${bookTitle})` : chapter.title;
    }
    for (const chapter of printed) {
      const level = headingLevel(chapter.block);
      practiceAnswers(chapter, models, level);
      if (doc !== null) appendices(chapter, everything, level);
    }
    linksOut(article(), site);
    freezeControls(article());
  }

  window.cpPrint = { prepare, chapters: () => chapters().map(({ doc, title }) => ({ doc, title })) };
})();
