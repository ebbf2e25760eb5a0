"""Read a submitted notebook and judge its shape before anything runs.

Every problem becomes a `SubmissionProblem` with a short status word and a one-line
message naming the file, so a batch can record it and go on.  Submitted files are only
ever read, and never through a link (submitted_files.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.validator import ValidationError

from ..errors import SubmissionProblem
from ..execution.structure import check_cells, check_depth
from ..nbmeta import cell_source, grade_id, is_answer
from .results import Status
from .submitted_files import SubmittedFolder

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


@dataclass
class Submission:
    path: Path
    notebook: nbformat.NotebookNode
    notes: list[str] = field(default_factory=list)      # things worth telling, grading goes on


def read_notebook(folder: SubmittedFolder, name: str) -> Submission:
    """Read the submitted notebook `name` from the student's folder (a plain file, never a
    link or a pipe), or raise a SubmissionProblem saying why it cannot be graded."""
    return parse_notebook(folder.path / name, folder.read(name, MAX_NOTEBOOK_BYTES))


def parse_notebook(path: Path, raw: bytes) -> Submission:
    """A notebook from its bytes, its structure checked before anything parses it (see
    execution/structure.py).  An old format is converted and noted; nothing is written."""
    name = path.name
    try:
        text = raw.decode("utf-8-sig")   # a byte-order mark (some Windows editors write one) is fine
    except UnicodeDecodeError:
        raise SubmissionProblem(Status.NOT_NOTEBOOK, f"{name}: not a notebook (the file is not UTF-8 text)") from None
    check_depth(name, text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SubmissionProblem(Status.INVALID_JSON, f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        raise SubmissionProblem(Status.NOT_NOTEBOOK, f"{name}: valid JSON but not a Jupyter notebook (no cells)")
    check_cells(name, data)
    notes = []
    major = data.get("nbformat")
    if not isinstance(major, int):
        raise SubmissionProblem(Status.NOT_NOTEBOOK, f"{name}: not a Jupyter notebook (no nbformat version)")
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises many kinds for malformed input
        raise SubmissionProblem(Status.NOT_NOTEBOOK, f"{name}: not a readable notebook ({type(exc).__name__})") from None
    if major < 4:
        notes.append(f"{name} was saved in the old notebook format {major}; it was converted to read it")
    try:
        nbformat.validate(notebook)
    except ValidationError as exc:
        raise SubmissionProblem(Status.NOT_NOTEBOOK, f"{name}: not a valid notebook ({str(exc).splitlines()[0][:120]})") from None
    return Submission(path=path, notebook=notebook, notes=notes)


def answer_sources(submission: Submission) -> dict[str, str]:
    """The student's text in each answer cell, by grade id (the first copy if duplicated)."""
    sources: dict[str, str] = {}
    for cell in submission.notebook.cells:
        gid = grade_id(cell)
        if gid and is_answer(cell) and gid not in sources:
            sources[gid] = cell_source(cell)
    return sources
