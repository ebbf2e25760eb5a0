"""Reading nbgrader's cell metadata, the same way everywhere (release, integrity checks,
the graders and the sandboxed worker)."""
from __future__ import annotations

from typing import Any


def nbgrader_meta(cell: Any) -> dict:
    """The cell's `nbgrader` metadata, or {} for an ordinary cell."""
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_id(cell: Any) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def cell_source(cell: Any) -> str:
    """A cell's text: nbformat keeps it as a string, or as a list of lines on disk."""
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def is_answer(cell: Any) -> bool:
    """A cell the student writes in (nbgrader's solution cell)."""
    return bool(nbgrader_meta(cell).get("solution"))


def is_test(cell: Any) -> bool:
    """A graded cell whose code decides points (nbgrader's autograder test)."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution")


def is_trusted(cell: Any) -> bool:
    """A cell whose text must come from the instructor: locked cells and test cells."""
    return bool(nbgrader_meta(cell).get("locked")) or is_test(cell)
