"""nbgrader's own folders in the course: `autograded/<student>/<assignment>/<notebook>.ipynb`,
the notebooks formgrader opens for hand marking."""
from __future__ import annotations

from pathlib import Path

import nbformat

from .store import write_atomic


def write_autograded(folder: Path, notebooks: dict[str, nbformat.NotebookNode], expected: set[str]) -> None:
    """Write the graded notebooks into `folder`; a notebook of the assignment (`expected`)
    that was not graded this time (it could not be read) loses its old copy, so that
    formgrader never shows a stale one."""
    for name, nb in notebooks.items():
        write_atomic(folder / name, nbformat.writes(nb))
    for name in expected - set(notebooks):
        (folder / name).unlink(missing_ok=True)
