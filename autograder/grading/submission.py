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
from ..nbmeta import cell_source, grade_id, is_answer, nbgrader_meta
from .results import Status
from .submitted_files import SubmittedFolder

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


@dataclass
class Submission:
    path: Path
    notebook: nbformat.NotebookNode
    notes: list[str] = field(default_factory=list)      # things worth telling, grading goes on
    tampering: list[str] = field(default_factory=list)  # changes to cells the student may not change


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


def check_integrity(submission: Submission, release: nbformat.NotebookNode) -> None:
    """Record every change to what the student was not meant to change: locked cells'
    text, nbgrader metadata, points, and cells removed, duplicated or reordered."""
    from nbgrader.utils import compute_checksum

    expected = [(grade_id(c), c) for c in release.cells if grade_id(c)]
    seen: dict[str, list] = {}
    order: list[str] = []
    for cell in submission.notebook.cells:
        gid = grade_id(cell)
        if gid:
            seen.setdefault(gid, []).append(cell)
            order.append(gid)
    problems = submission.tampering
    known = {gid for gid, _ in expected}
    for gid, original in expected:
        copies = seen.get(gid, [])
        if not copies:
            problems.append(f"cell '{gid}' was deleted")
            continue
        if len(copies) > 1:
            problems.append(f"cell '{gid}' appears {len(copies)} times")
        cell = copies[0]
        meta, want = nbgrader_meta(cell), original.metadata["nbgrader"]
        for key in ("grade", "solution", "locked", "points"):
            if meta.get(key) != want.get(key):
                problems.append(f"cell '{gid}': its '{key}' setting was changed")
                break
        if cell.cell_type != original.cell_type:
            problems.append(f"cell '{gid}' was changed from {original.cell_type} to {cell.cell_type}")
        elif want.get("locked") and not want.get("solution") and compute_checksum(cell) != want.get("checksum"):
            problems.append(f"locked cell '{gid}' was edited")
    unknown = [gid for gid in seen if gid not in known]
    if unknown:
        problems.append(f"cells with unknown ids: {', '.join(sorted(unknown)[:3])}")
    expected_order = [gid for gid, _ in expected if gid in seen]
    actual_order = list(dict.fromkeys(gid for gid in order if gid in known))
    if actual_order != expected_order:
        problems.append("cells were reordered")


def answer_sources(submission: Submission) -> dict[str, str]:
    """The student's text in each answer cell, by grade id (the first copy if duplicated)."""
    sources: dict[str, str] = {}
    for cell in submission.notebook.cells:
        gid = grade_id(cell)
        if gid and is_answer(cell) and gid not in sources:
            sources[gid] = cell_source(cell)
    return sources


# Modules a student's answer has no business touching: the grading machinery and the
# interpreter's own switchboard.  Importing them in an answer cell is reported as tampering.
GRADING_MODULES = {"autograder", "nbgrader", "nbclient", "ipykernel", "jupyter_client", "builtins"}
GRADING_NAMES = {"__builtins__", "get_ipython"}


def grader_patching(sources: dict[str, str]) -> list[str]:
    """What the answer cells do to patch the kernel or the grading code, one line each.

    Patching cannot raise a score (answers are judged outside the kernel from plain
    values), but it is not an honest answer either: the instructor should see it."""
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    to_python = TransformerManager().transform_cell
    modules: set[str] = set()
    found: list[str] = []
    for gid, source in sources.items():
        try:
            tree = ast.parse(to_python(source))
        except (SyntaxError, ValueError):
            continue   # a syntax error is the student's own problem, reported when it runs
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for alias in getattr(node, "names", []):
                    modules.add((alias.asname or alias.name).split(".")[0])
                hit = sorted({n.split(".")[0] for n in names} & GRADING_MODULES)
                if hit:
                    found.append(f"cell '{gid}' imports {hit[0]}")
            elif isinstance(node, ast.Name) and node.id in GRADING_NAMES and node.id in source:  # not a magic's
                found.append(f"cell '{gid}' uses {node.id}")
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
                # a dunder (`obj.__class__ = ...`) or a module's attribute; `self.__x` is a
                # student's own private attribute, not a patch
                dunder = node.attr.startswith("__") and node.attr.endswith("__")
                if dunder or (isinstance(node.value, ast.Name) and node.value.id in modules):
                    found.append(f"cell '{gid}' replaces {ast.unparse(node)}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr"
                  and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in modules):
                found.append(f"cell '{gid}' replaces an attribute of {node.args[0].id}")
    return list(dict.fromkeys(found))
