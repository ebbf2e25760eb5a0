"""A notebook's structural limits, checked before any parser or validator sees it.

Python's json module recurses once per nesting level, and nbformat's schema validation
takes time in proportion to the cells: a hostile file of 100,000 nested brackets, tens
of thousands of cells or one enormous cell would crash or stall the grader instead of
getting a status.  So the nesting depth is measured on the raw text (a linear scan, no
recursion), and the cells are counted and measured on the plain JSON before nbformat
reads and validates it.  The host (grading/submission.py) and the worker inside the
sandbox (worker.py) apply the same limits.
"""
from __future__ import annotations

import re
from itertools import accumulate

from ..errors import SubmissionProblem

MAX_DEPTH = 100              # a notebook needs about 10; widget or plot outputs a few dozen
MAX_CELLS = 5_000            # a long lecture notebook has a few hundred
MAX_CELL_CHARS = 1_000_000   # of one cell's text (outputs such as images do not count)

# a JSON string (its brackets do not nest anything), then any bracket
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = str.maketrans({"[": "(", "{": "(", "]": ")", "}": ")"})
_STEP = {"(": 1, ")": -1}


def nesting_depth(text: str) -> int:
    """How deep the brackets of a JSON text nest, brackets inside strings not counted."""
    brackets = "".join(re.findall(r"[\[\]{}]", _STRING.sub("", text))).translate(_BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def check_depth(name: str, text: str) -> None:
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise SubmissionProblem("too-deep", f"{name}: nested {depth} levels deep (a notebook may nest {MAX_DEPTH})")


def check_cells(name: str, data: dict) -> None:
    """The number of cells and the size of each, on the notebook's plain JSON."""
    cells = data.get("cells")
    if cells is None:   # nbformat 3 keeps its cells in worksheets
        cells = [c for w in data.get("worksheets") or [] if isinstance(w, dict) for c in w.get("cells") or []]
    if not isinstance(cells, list):
        return   # not a notebook's shape: the validator says so
    if len(cells) > MAX_CELLS:
        raise SubmissionProblem("too-large", f"{name}: {len(cells)} cells (a notebook may have {MAX_CELLS})")
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            continue
        size = _text_size(cell.get("source", cell.get("input", "")))
        if size > MAX_CELL_CHARS:
            raise SubmissionProblem("too-large", f"{name}: cell {number} holds {size:,} characters "
                                                 f"(a cell may hold {MAX_CELL_CHARS:,})")


def _text_size(source) -> int:
    if isinstance(source, str):
        return len(source)
    if isinstance(source, list):   # on disk a cell's text may be a list of lines
        return sum(len(line) for line in source if isinstance(line, str))
    return 0
