"""Chapter 1's widget: what one more animal on a shared pasture brings its owner and the group."""
from __future__ import annotations

from . import BookWidget, front_end


class PastureWidget(BookWidget):
    _esm = front_end("ch1_pasture", "controls")


def pasture_widget() -> PastureWidget:
    return PastureWidget(label="One more animal on a shared pasture", data={
        "gain": 1, "damage": 2, "herders": {"min": 1, "max": 20, "value": 5},
    })
