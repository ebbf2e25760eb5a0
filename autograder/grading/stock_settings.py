"""The settings of a course's nbgrader configuration that change how `nbgrader autograde`
runs a notebook, read as nbgrader reads them (course.nbgrader_config), and the steps of
stock autograde that shape the autograded notebook after it ran.

- `Execute.timeout`: each cell's time limit (nbgrader's default, 30 s, is `Limits`'s);
  an explicit `--timeout` wins over it.  A course without a limit (None or -1) gets
  `UNLIMITED_SECONDS`: no cell of student code runs unbounded here.
- `Execute.execute_retries`: declared by nbgrader 0.9 but never read by it, so stock runs
  a notebook once whatever it says, and so does this.
- `CourseDirectory.ignore` and `Autograde.exclude_overwriting`: the files around the
  notebook (work_folder.py).  `CourseDirectory.include` acts when files are submitted
  and collected, which `nbgrader collect` did before `course grade` sees them.
- `LimitOutput` and `IgnorePattern`: applied to the autograded notebook, as stock does
  after running it (they never change a score).
"""
from __future__ import annotations

import nbformat

from ..course import Course, nbgrader_config
from .work_folder import NBGRADER_IGNORE, FileRules

UNLIMITED_SECONDS = 3600


class StockSettings:
    """A course's nbgrader configuration (empty outside an nbgrader course), read once."""

    def __init__(self, course: Course):
        from traitlets.config import Config

        self.config = nbgrader_config(course.root) if course.nbgrader() is not None else Config()

    def cell_timeout(self) -> int | None:
        """The course's `Execute.timeout` in seconds, or None when it sets none."""
        if "timeout" not in self.config.get("Execute", {}):
            return None
        timeout = self.config.Execute.timeout
        return UNLIMITED_SECONDS if timeout is None or int(timeout) <= 0 else int(timeout)

    def file_rules(self, assignment_id: str) -> FileRules:
        ignore = self.config.get("CourseDirectory", {}).get("ignore", NBGRADER_IGNORE)
        excluded = self.config.get("Autograde", {}).get("exclude_overwriting", {}).get(assignment_id, [])
        return FileRules(tuple(ignore), tuple(str(name) for name in excluded))

    def finish_autograded(self, nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
        """What stock autograde does to the notebook once it ran (and before it saves it)."""
        from nbgrader.preprocessors import IgnorePattern, LimitOutput

        for step in (IgnorePattern, LimitOutput):
            nb, _ = step(config=self.config)(nb, {})
        return nb
