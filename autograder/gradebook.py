"""Record grades in nbgrader's own gradebook (SQLite by default, any SQLAlchemy URL),
so that nbgrader's formgrader can take over for the essays graded by hand."""
from __future__ import annotations

import random
import time
import warnings

from nbgrader.api import Gradebook, InvalidEntry, MissingEntry
from sqlalchemy.exc import DBAPIError

from .questions import Assignment


def open_gradebook(db_url: str) -> Gradebook:
    return Gradebook(db_url)


def retrying(gb: Gradebook, write, attempts: int = 8) -> None:
    """Run `write` again when another grader wrote the same rows at the same moment (two
    graders on one PostgreSQL gradebook both create the assignment, or the same student)."""
    for attempt in range(attempts):
        try:
            write()
            return
        except (InvalidEntry, DBAPIError):
            gb.db.rollback()
            if attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))


def register_assignment(gb: Gradebook, assignment: Assignment) -> None:
    retrying(gb, lambda: _register(gb, assignment))


def _register(gb: Gradebook, assignment: Assignment) -> None:
    gb.update_or_create_assignment(assignment.id)
    notebook = assignment.notebook[:-len(".ipynb")]
    gb.update_or_create_notebook(notebook, assignment.id)
    for q in assignment.questions:
        gb.update_or_create_grade_cell(q.id, notebook, assignment.id, max_score=q.points,
                                       cell_type="markdown" if q.kind == "essay" else "code")
        if q.kind == "essay":
            gb.update_or_create_solution_cell(q.id, notebook, assignment.id)


def record(gb: Gradebook, assignment: Assignment, student_id: str, scores: dict[str, float | None]) -> None:
    """Write one student's autograded scores; hand-graded ones are left as they are."""
    retrying(gb, lambda: _record(gb, assignment, student_id, scores))


def _record(gb: Gradebook, assignment: Assignment, student_id: str, scores: dict[str, float | None]) -> None:
    gb.update_or_create_student(student_id)
    try:
        gb.find_submission(assignment.id, student_id)
    except MissingEntry:
        with warnings.catch_warnings():
            # nbgrader's own add_submission trips SQLAlchemy's autoflush warnings; harmless
            warnings.simplefilter("ignore")
            gb.add_submission(assignment.id, student_id)
    notebook = assignment.notebook[:-len(".ipynb")]
    for q in assignment.questions:
        grade = gb.find_grade(q.id, notebook, assignment.id, student_id)
        if q.kind == "essay":
            grade.auto_score = scores.get(q.id)   # 0 for a blank essay, else None: needs a person
        else:
            grade.auto_score = scores.get(q.id, 0.0)
    gb.db.commit()
