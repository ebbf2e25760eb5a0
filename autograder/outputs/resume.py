"""Which submissions a run grades: those never graded, those whose submission or key
changed, those the machine failed to grade last time (machine-error: never final), and in
an nbgrader course those whose autograded notebook is missing.  A saved result is the
record of a finished grading (outputs/store.py); a run killed part-way resumes from them."""
from __future__ import annotations

import errno
from pathlib import Path

from ..course import NbgraderCourse
from ..errors import RunnerUnavailable
from ..grading.graders import GradedSubmission, Grader
from ..grading.results import Status, StudentResult
from .store import safe_name


def grade_safely(grader: Grader, student_dir: Path) -> GradedSubmission:
    """A bug in grading one student must not stop the batch: it becomes that student's row."""
    try:
        return grader.grade_submission(student_dir)
    except RunnerUnavailable:   # not this student's doing: the batch stops, to resume later
        raise
    except Exception as exc:
        if isinstance(exc, OSError) and exc.errno in MACHINE_ERRNOS:
            return _not_graded(grader, student_dir, Status.MACHINE_ERROR, f"not graded: the grading machine "
                                                                          f"failed ({exc}); it is graded again on the next run")
        return _not_graded(grader, student_dir, Status.ERROR, f"grading failed: {type(exc).__name__}: {exc}")


# the machine's own failures (its disk full, out of descriptors or memory, a disk error),
# which no submission causes: the student's files are read and checked before
MACHINE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.ENOMEM, errno.EMFILE, errno.ENFILE}


def _not_graded(grader: Grader, student_dir: Path, status: Status, message: str) -> GradedSubmission:
    # no fingerprint: the next run grades it again
    return GradedSubmission(StudentResult(student_dir.name, grader.assignment_id, status, message,
                                          grader.blank_questions(status, "not graded"), fingerprint=""))


# nothing of these was read or run: they have no autograded notebook to miss
UNREAD = {Status.MISSING, Status.LINK, Status.SPECIAL_FILE, Status.UNREADABLE, Status.TOO_LARGE, Status.TOO_DEEP,
          Status.NOT_NOTEBOOK, Status.INVALID_JSON, Status.INSTRUCTOR_COPY}


def needs_grading(grader: Grader, student_dir: Path, previous: StudentResult | None,
                  nbgrader: NbgraderCourse | None) -> bool:
    """A student is graded (again) when the machine failed to grade it last time
    (machine-error), when the submission or the key changed since the saved result, or
    when, in an nbgrader course, an autograded notebook is missing (graded before the
    course had nbgrader's layout, or deleted): formgrader would say "Submission missing"."""
    folder = student_dir / grader.assignment_id
    if previous is None or previous.pending or previous.fingerprint != grader.fingerprint(folder):
        return True
    if nbgrader is None or previous.status in UNREAD:
        return False
    autograded = nbgrader.folder("autograded", safe_name(student_dir.name), grader.assignment_id)
    return any((folder / name).is_file() and not (autograded / name).is_file() for name in grader.notebooks())
