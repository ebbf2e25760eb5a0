"""The whole book on one page (Sphinx's singlehtml builder), ready to be printed.

Two things the singlehtml builder gets wrong for a book like this one, put right here:

- Ids clash.  Every page numbers its own anonymous targets (id1, id2, ...) and many share
  section names ("Learning objectives"), and singlehtml writes a link to another page's
  target as a bare "#id4": in the one page, such a link (a citation, most often) lands on the
  first "id4" of the book, not the bibliography's.  So every id is qualified by the page it
  comes from ("book/references/id4"), and every link is written to the qualified id of the
  page it was resolved against, as a bare fragment: singlehtml writes the page's other
  addresses as if it stood at the top of the site (the printer serves it there), which a
  root document in a folder (book/intro) is not.  The printer also reads a target's page
  from its id.
- Widgets vanish.  myst-nb adds a page's saved widget state only to the page it was read
  from, and the one page is the root document: every other page's widgets would be empty.
  The one page gets the state (and the widget loader) of every page.
"""
from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

DOCUMENT = "#document-"   # how singlehtml writes a link to another page (before fix_refuris)


def _page_of_every_node(tree: nodes.Node, root_doc: str):
    """(node, the page it belongs to) for every element of the assembled tree."""
    stack = [(tree, root_doc)]
    while stack:
        node, doc = stack.pop()
        if isinstance(node, addnodes.start_of_file):
            doc = node["docname"]
        yield node, doc
        if isinstance(node, nodes.Element):
            stack.extend((child, doc) for child in reversed(node.children))


def qualified(doc: str, target: str) -> str:
    return f"{doc}/{target}"


def qualify_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In the assembled one-page tree, before singlehtml rewrites its links: every id
    qualified by its page, every link to the qualified id (a fragment of the one page)."""
    if app.builder.name != "singlehtml" or docname != app.config.root_doc:
        return
    owned: dict[str, set[str]] = {}
    elements = [(n, doc) for n, doc in _page_of_every_node(doctree, docname) if isinstance(n, nodes.Element)]
    for node, doc in elements:
        if node.get("ids"):
            owned.setdefault(doc, set()).update(node["ids"])
            node["ids"] = [qualified(doc, i) for i in node["ids"]]
    for node, doc in elements:
        mine = owned.get(doc, set())
        if node.get("refid") in mine:
            node["refid"] = qualified(doc, node["refid"])
        if node.get("backrefs"):
            node["backrefs"] = [qualified(doc, i) if i in mine else i for i in node["backrefs"]]
        refuri = node.get("refuri", "")
        if refuri.startswith(DOCUMENT) and refuri.count("#") == 2:   # "#document-<page>#<id>"
            page, target = refuri[len(DOCUMENT):].split("#")
            if target in owned.get(page, set()):
                node["refuri"] = "#" + qualified(page, target)
        elif refuri.startswith("#") and not refuri.startswith(DOCUMENT) and refuri[1:] in mine:
            node["refuri"] = "#" + qualified(doc, refuri[1:])


def every_page_widget_state(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The one page carries the saved widgets (and the loader) of every page of the book
    (myst-nb's own handler has added the root document's)."""
    if app.builder.name != "singlehtml":
        return
    from myst_nb.sphinx_ import NbMetadataCollector  # myst-nb is pinned (toolkit/pyproject.toml)

    for doc in sorted(app.env.found_docs - {pagename}):
        for path, kwargs in NbMetadataCollector.get_js_files(app.env, doc).values():
            app.add_js_file(path, **kwargs)


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", qualify_ids)
    app.connect("html-page-context", every_page_widget_state, priority=510)   # after myst-nb's, before fast_pages
