"""Pages with widgets show their text first.

myst-nb writes a page's saved widget state (tens of kilobytes of JSON: every widget's data
and front end) into the page's <head>, where the browser must read all of it before it can
draw a line of text.  This extension moves it to the end of the body, where the widget
loader (coursebook/widgets/js/loader.js, which runs once the page is parsed) still finds it.
"""
from __future__ import annotations

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _state_to_end_of_body(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files") or []
    states = [js for js in scripts if getattr(js, "attributes", {}).get("type") == WIDGET_STATE]
    for js in states:
        scripts.remove(js)
        context["body"] = context.get("body", "") + f'\n<script type="{WIDGET_STATE}">{js.attributes["body"]}</script>\n'


def setup(app):
    app.connect("html-page-context", _state_to_end_of_body, priority=900)   # after myst-nb adds it
    return {"parallel_read_safe": True, "parallel_write_safe": True}
