"""The instructor's cells as `nbgrader autograde` takes them.

Stock autograde never runs the source notebook's test cells as written: it puts back, in
each submitted notebook, the copy of every locked and graded cell that
`nbgrader generate_assignment` saved in the gradebook (OverwriteCells).  That copy is the
source after nbgrader's own generation steps: autotest directives (`### AUTOTEST`,
`### HASHED AUTOTEST`) expanded into asserts (InstantiateTests, whose salts are drawn from
each cell's text, so every generation gives the same hashes), cells locked, solutions
cleared, hidden tests kept.  So the same copy is used here: the gradebook's where it has
one, else the notebook those steps make from source/ with the course's configuration
(nbgrader's preprocessors themselves, never a re-implementation).
"""
from __future__ import annotations

import contextlib
import copy
import os
from pathlib import Path

import nbformat

from ..course import Course, nbgrader_config
from ..errors import UsageError
from ..nbmeta import grade_id, nbgrader_meta


def instructor_notebooks(course: Course, assignment_id: str,
                         sources: dict[str, nbformat.NotebookNode]) -> dict[str, nbformat.NotebookNode]:
    """For each source notebook (by file name), the notebook whose locked and graded cells
    are the ones stock autograde would run."""
    saved = gradebook_copies(course, assignment_id, [name[:-len(".ipynb")] for name in sources])
    notebooks = {}
    for name, source in sources.items():
        cells = saved.get(name[:-len(".ipynb")])
        notebooks[name] = with_saved_cells(source, cells) if cells else generated(course, assignment_id, name, source)
    return notebooks


def gradebook_copies(course: Course, assignment_id: str, notebook_ids: list[str]) -> dict[str, dict]:
    """The gradebook's saved cells, by notebook id then grade id (nothing where the course
    has no gradebook, or the gradebook does not know the assignment)."""
    nbgrader = course.nbgrader()
    if nbgrader is None:
        return {}
    url = nbgrader.db_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
        return {}   # opening it would make an empty gradebook
    from nbgrader.api import Gradebook, MissingEntry

    found: dict[str, dict] = {}
    try:
        with Gradebook(url) as gradebook:
            for notebook_id in notebook_ids:
                with contextlib.suppress(MissingEntry):
                    notebook = gradebook.find_notebook(notebook_id, assignment_id)
                    found[notebook_id] = {c.name: {"source": c.source, "cell_type": c.cell_type, "locked": c.locked,
                                                   "checksum": c.checksum} for c in notebook.source_cells}
    except Exception as exc:   # a gradebook nbgrader itself cannot open
        raise UsageError(f"{url}: cannot read the instructor's cells from the gradebook "
                         f"({type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''})") from None
    return found


def with_saved_cells(source: nbformat.NotebookNode, saved: dict[str, dict]) -> nbformat.NotebookNode:
    """`source` with each cell the gradebook saved replaced by that copy (its text, type,
    lock and checksum), as OverwriteCells puts it back."""
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        copied = saved.get(grade_id(cell))
        if copied is None:
            continue
        cell.source = copied["source"]
        meta = nbgrader_meta(cell)
        meta["locked"], meta["checksum"] = copied["locked"], copied["checksum"]
    return nb


# what generate_assignment does before SaveCells writes the gradebook's copy
def _generation_steps():
    from nbgrader.preprocessors import (
        CheckCellMetadata,
        ClearOutput,
        ClearSolutions,
        ComputeChecksums,
        IncludeHeaderFooter,
        InstantiateTests,
        LockCells,
    )
    return [IncludeHeaderFooter, InstantiateTests, LockCells, ClearSolutions, ClearOutput, CheckCellMetadata,
            ComputeChecksums]


def generated(course: Course, assignment_id: str, name: str, source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The gradebook's copy as `nbgrader generate_assignment` would save it, made by its own
    preprocessors with the course's configuration.  They read files (autotests.yml, the
    header) relative to the course folder, as nbgrader's commands run there; this happens
    once, before any student is graded."""
    config = nbgrader_config(course.root)
    folder = course.source_dir / assignment_id
    resources = {"metadata": {"path": str(folder), "name": name[:-len(".ipynb")]},
                 "nbgrader": {"notebook": name[:-len(".ipynb")], "assignment": assignment_id}}
    nb = copy.deepcopy(source)
    try:
        with _in_folder(course.root):
            for step in _generation_steps():
                nb, resources = step(config=config).preprocess(nb, resources)
    except Exception as exc:   # what `nbgrader generate_assignment` would also fail on
        raise UsageError(f"{folder / name}: nbgrader cannot generate the assignment from it ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:160] if str(exc) else 'see nbgrader generate_assignment'})") from None
    return nb


@contextlib.contextmanager
def _in_folder(folder: Path):
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)
