"""Saving graded submissions as they come: the autograded notebooks (in an nbgrader
course), the gradebook, then the saved result, a batch at a time."""
from __future__ import annotations

import time
from pathlib import Path

from ..course import NbgraderCourse
from ..grading.graders import GradedSubmission
from .nbgrader_layout import write_autograded
from .store import safe_name, save_result


class ResultWriter:
    """Saves graded submissions, a batch at a time (one gradebook transaction each): for
    each, the autograded notebooks (in an nbgrader course) and the gradebook first, the
    result last, so that a saved result always has both, and a run killed before the
    save grades that student again (both writes are idempotent)."""

    BATCH_SECONDS = 1.0

    def __init__(self, gradebook, assignment_id: str, cells, workspace: Path, nbgrader: NbgraderCourse | None,
                 notebooks: set[str]):
        self.gradebook, self.assignment_id, self.cells, self.workspace = gradebook, assignment_id, cells, workspace
        self.nbgrader, self.notebooks = nbgrader, notebooks
        self.batch: list[GradedSubmission] = []
        self.last = time.monotonic()

    def add(self, graded: GradedSubmission) -> None:
        self.batch.append(graded)
        if time.monotonic() - self.last >= self.BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            results = [graded.result for graded in self.batch]
            if self.nbgrader is not None:
                for graded in self.batch:
                    folder = self.nbgrader.folder("autograded", safe_name(graded.result.student_id), self.assignment_id)
                    write_autograded(folder, graded.notebooks, self.notebooks)
            from .gradebook import record  # nbgrader's package: slow to import

            # a row the machine failed to grade has no score yet: nothing to record
            record(self.gradebook, self.assignment_id, self.cells,
                   {g.result.student_id: {q.id: q.points for q in g.result.questions}
                    for g in self.batch if g.submitted and not g.result.pending})
            for result in results:
                save_result(self.workspace, result)
        self.batch, self.last = [], time.monotonic()
