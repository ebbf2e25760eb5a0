"""nbgrader's own folders in the course: `autograded/<student>/<assignment>/<notebook>.ipynb`,
the notebooks formgrader opens for hand marking."""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4.nbjson import writes as notebook_json

from .store import write_atomic


def write_autograded(folder: Path, notebooks: dict[str, nbformat.NotebookNode], expected: set[str]) -> None:
    """Write the graded notebooks into `folder`; a notebook of the assignment (`expected`)
    that was not graded this time (it could not be read) loses its old copy, so that
    formgrader never shows a stale one."""
    for name, nb in notebooks.items():
        # nbformat.writes's own text, without its schema check, which only logs and costs as much as the rest
        write_atomic(folder / name, notebook_json(nb))
    for name in expected - set(notebooks):
        (folder / name).unlink(missing_ok=True)
