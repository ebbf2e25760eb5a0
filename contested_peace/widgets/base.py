"""The base of every widget in the book.

A widget is an anywidget: its behaviour is a small JavaScript module (widgets/js/) that
runs in the reader's browser, so it works in the static book with no kernel behind it
and the same way in a live Jupyter session.  Python only hands it data.
"""
from __future__ import annotations

from importlib import resources

import anywidget
import traitlets


def asset(name: str) -> str:
    return (resources.files("contested_peace.widgets") / name).read_text(encoding="utf-8")


def front_end(name: str) -> str:
    """A widget's JavaScript module (js/<name>.js), after the DOM helpers all share."""
    return asset("js/dom.js") + asset(f"js/{name}.js")


class BookWidget(anywidget.AnyWidget):
    """Subclasses name their front end: ``_esm = front_end("<name>")``."""

    _css = asset("css/widgets.css")
    data = traitlets.Dict().tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)  # accessible name of the widget region
