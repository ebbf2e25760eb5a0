"""Record grades in nbgrader's own gradebook (SQLite by default, any SQLAlchemy URL),
so that nbgrader's formgrader can take over for the essays graded by hand."""
from __future__ import annotations

import random
import time
import warnings

from nbgrader.api import Gradebook, InvalidEntry, MissingEntry
from sqlalchemy.exc import DBAPIError

from ..grading.results import GradebookCell
from ..tools import tools_on_path


def _again(attempt: int, attempts: int, pause: float) -> None:
    """Wait a little, longer each time, before another attempt; after the last, re-raise
    what the caller caught (it is called inside an except block)."""
    if attempt == attempts - 1:
        raise
    time.sleep(random.uniform(pause, 3 * pause) * (attempt + 1))


def open_gradebook(db_url: str, attempts: int = 8) -> Gradebook:
    """Open (and on first use create) the gradebook.  Two graders starting at once on a new
    PostgreSQL database both create its tables; the one that loses tries again."""
    tools_on_path()   # a new gradebook is made by nbgrader's alembic
    for attempt in range(attempts):
        try:
            return Gradebook(db_url)
        except DBAPIError:
            _again(attempt, attempts, 0.1)


def retrying(gb: Gradebook, write, attempts: int = 8) -> None:
    """Run `write` again when another grader wrote the same rows at the same moment (two
    graders on one PostgreSQL gradebook both create the assignment, or the same student)."""
    for attempt in range(attempts):
        try:
            write()
            return
        except (InvalidEntry, DBAPIError):
            gb.db.rollback()
            _again(attempt, attempts, 0.05)


def register_assignment(gb: Gradebook, assignment_id: str, cells: list[GradebookCell]) -> None:
    retrying(gb, lambda: _register(gb, assignment_id, cells))


def _register(gb: Gradebook, assignment_id: str, cells: list[GradebookCell]) -> None:
    gb.update_or_create_assignment(assignment_id)
    for notebook in dict.fromkeys(c.notebook for c in cells):
        gb.update_or_create_notebook(notebook, assignment_id)
    for c in cells:
        gb.update_or_create_grade_cell(c.grade_id, c.notebook, assignment_id, max_score=c.points, cell_type=c.cell_type)
        if c.manual:
            gb.update_or_create_solution_cell(c.grade_id, c.notebook, assignment_id)


def record(gb: Gradebook, assignment_id: str, cells: list[GradebookCell], student_id: str,
           scores: dict[str, float | None]) -> None:
    """Write one student's autograded scores; hand-graded ones are left as they are."""
    retrying(gb, lambda: _record(gb, assignment_id, cells, student_id, scores))


def _record(gb: Gradebook, assignment_id: str, cells: list[GradebookCell], student_id: str,
            scores: dict[str, float | None]) -> None:
    gb.update_or_create_student(student_id)
    try:
        gb.find_submission(assignment_id, student_id)
    except MissingEntry:
        with warnings.catch_warnings():
            # nbgrader's own add_submission trips SQLAlchemy's autoflush warnings; harmless
            warnings.simplefilter("ignore")
            gb.add_submission(assignment_id, student_id)
    for c in cells:
        grade = gb.find_grade(c.grade_id, c.notebook, assignment_id, student_id)
        # a manual cell: 0 when left blank, else None (it needs a person)
        grade.auto_score = scores.get(c.question_id) if c.manual else scores.get(c.question_id, 0.0)
    gb.db.commit()
