"""Pages show their text first: nothing the text does not need is read before it.

- myst-nb writes a page's saved widget state (tens of kilobytes of JSON: every widget's data
  and front end) into the page's <head>, where the browser must read all of it before it
  can draw a line of text.  It moves to the end of the body, where the widget loader
  (coursebook/widgets/js/loader.js, which runs once the page is parsed) still finds it.
- In that state, each widget front end (its module and its style sheet, 10-30 KB) is written
  once: a widget whose module or style sheet an earlier widget of the page already has
  names that widget instead (`{"cp-same-as": "<model id>"}`), and the toolkit's loader
  looks it up there.  gzip alone finds a repeat only within 32 KB of it, so every practice
  question (one 23 KB module, their data between them) was sent nearly whole again.
- The theme's and extensions' scripts that only act once the page is parsed (copy buttons,
  toggles, tabs, and the search tools and index pydata-sphinx-theme writes into every
  page's head) are deferred: fetched alongside the text, run after it, in the same order.
  The few that inline scripts in the page use at once (documentation_options.js,
  doctools.js) stay as they are.
"""
from __future__ import annotations

import json
from pathlib import Path

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
DEFERRED = ("sphinx_highlight.js", "clipboard.min.js", "copybutton.js", "sphinx-book-theme.js", "togglebutton.js",
            "design-tabs.js")


SHARED = ("_esm", "_css")   # the fields that widgets of one kind have in common
SAME_AS = "cp-same-as"     # coursebook/widgets/js/loader.js reads it


def front_ends_once(state_json: str) -> str:
    """A page's widget state (JSON, as myst-nb writes it) with each module and style sheet
    written once: a later widget that has the same text names the first widget that had it.
    Only the toolkit's loader reads this state (the page has no other widget manager)."""
    state = json.loads(state_json)
    first: dict[tuple[str, str], str] = {}
    for key, model in (state.get("state") or {}).items():
        fields = model.get("state") or {}
        for name in SHARED:
            text = fields.get(name)
            if isinstance(text, str) and text:
                owner = first.setdefault((name, text), key)
                if owner != key:
                    fields[name] = {SAME_AS: owner}
    return json.dumps(state).replace("</", "<\\/")   # as myst-nb does: no "</script>" inside the script


def _text_first(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files") or []
    for js in list(scripts):
        attributes = getattr(js, "attributes", {})
        if attributes.get("type") == WIDGET_STATE:
            scripts.remove(js)
            context["body"] = context.get("body", "") + f'\n<script type="{WIDGET_STATE}">{front_ends_once(attributes["body"])}</script>\n'
        elif (getattr(js, "filename", None) or "").split("?")[0].rsplit("/", 1)[-1] in DEFERRED and "async" not in attributes:
            attributes.setdefault("defer", "defer")


# The theme's layout, with the script tags of its `extrahead` block (the search tools and
# index, written there as plain tags) deferred.
LAYOUT = """{% extends "!layout.html" %}
{% block extrahead %}{{ super() | replace('<script src=', '<script defer src=') }}{% endblock %}
"""


def _templates_first(app, config) -> None:
    folder = Path(app.doctreedir).parent / "coursebook-fast-templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layout.html").write_text(LAYOUT, encoding="utf-8")
    config.templates_path = [str(folder), *config.templates_path]


def setup(app):
    app.connect("config-inited", _templates_first)
    app.connect("html-page-context", _text_first, priority=900)   # after myst-nb adds the widget state
    return {"parallel_read_safe": True, "parallel_write_safe": True}
