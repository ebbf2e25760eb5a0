"""The base of every widget in a course's book.

A widget is an anywidget: its behaviour is a small JavaScript module that runs in the
reader's browser, so it works in the static book with no kernel behind it and the same
way in a live Jupyter session.  Python only hands it data.
"""
from __future__ import annotations

from importlib import resources

import anywidget
import traitlets


def asset(package: str, name: str) -> str:
    """A text file shipped in `package`, e.g. asset("coursebook.widgets", "js/dom.js")."""
    return (resources.files(package) / name).read_text(encoding="utf-8")


HELPERS = ("controls", "chart")   # js/<helper>.js here: shared controls, chart scaffolding


def front_end(package: str, name: str, *preludes: str, helpers: tuple[str, ...] = ()) -> str:
    """A widget's JavaScript module (`js/<name>.js` in `package`), after the DOM helpers
    every widget shares, the toolkit's `helpers` it asks for (HELPERS) and any further
    `preludes` (text to put before it).  One text, since an anywidget module has no build
    step and cannot import its neighbours."""
    unknown = set(helpers) - set(HELPERS)
    if unknown:
        raise ValueError(f"{package}/js/{name}.js asks for unknown widget helpers {sorted(unknown)}; there are {HELPERS}")
    shared = [asset(__name__, f"js/{helper}.js") for helper in HELPERS if helper in helpers]
    return "".join([asset(__name__, "js/dom.js"), *shared, *preludes, asset(package, f"js/{name}.js")])


class BookWidget(anywidget.AnyWidget):
    """Subclasses name their front end: ``_esm = front_end("<package>", "<name>")``."""

    _css = asset(__name__, "css/widgets.css")
    data = traitlets.Dict().tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)  # accessible name of the widget region
