"""The course's widgets, one module per chapter; their logic is in js/ (it runs in the
reader's browser, so it works in the published book with no kernel)."""
from __future__ import annotations

from coursebook.widgets import BookWidget
from coursebook.widgets import front_end as _front_end


def front_end(name: str, *helpers: str) -> str:
    """The front end of one of this course's widgets (js/<name>.js beside this module), with
    the toolkit's shared `helpers` it uses ("controls", "chart")."""
    return _front_end(__name__, name, helpers=helpers)


__all__ = ["BookWidget", "front_end"]
