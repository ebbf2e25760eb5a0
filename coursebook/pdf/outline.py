"""The PDF's bookmarks, with the headings' own words.

Chromium makes the outline from the headings, but it writes some titles wrongly: a heading
comes out with its first line (or all of it) twice ("TimelineTimeline"), and the lines of a
wrapped heading are joined without their space ("the principles ofpeacekeeping").  Each
bookmark is matched, in order, to the heading it was made from and gets that heading's
text; a bookmark that matches no heading is left as it is.
"""
from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject

# The page's headings as the printed page shows them (without the hidden "#" links).
HEADINGS_JS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')]
  .filter((h) => h.checkVisibility())
  .map((h) => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach((a) => a.remove());
                return c.textContent.replace(/\\s+/g, ' ').trim(); })"""


def _letters(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _made_from(title: str, heading: str) -> bool:
    """Whether a bookmark's title is this heading as Chromium writes it: its words, spaces
    aside, with perhaps its first lines (or all of it) written once more in front."""
    title, heading = _letters(title), _letters(heading)
    repeated = len(title) - len(heading)
    return bool(heading) and title.endswith(heading) and repeated >= 0 and heading.startswith(title[:repeated])


def _bookmarks(outline_root):
    """Every bookmark of the outline, in reading order."""
    stack = [outline_root.get("/First")]
    while stack:
        item = stack.pop()
        if item is None:
            continue
        item = item.get_object()
        yield item
        stack.extend([item.get("/Next"), item.get("/First")])   # its children first, then its next sibling


def tidy_outline(pdf: Path, headings: list[str]) -> None:
    writer = PdfWriter(pdf, incremental=True)   # the titles are appended as an update: Chromium's bytes stay
    root = writer.root_object.get("/Outlines")
    if root is None:
        return
    position = 0
    for item in _bookmarks(root.get_object()):
        title = str(item.get("/Title", ""))
        for i in range(position, len(headings)):
            if _made_from(title, headings[i]):
                item[NameObject("/Title")] = TextStringObject(headings[i])
                position = i + 1
                break
    writer.write(pdf)
