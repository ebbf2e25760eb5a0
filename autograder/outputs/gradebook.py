"""Record grades in nbgrader's own gradebook (SQLite by default, any SQLAlchemy URL),
so that nbgrader's formgrader can take over for the essays graded by hand, and read back
what people entered there (hand marks and comments).

What a person enters lives in columns this module never writes: a grade's
`manual_score` and a comment's `manual_comment`.  Grading writes only `auto_score` (and
whether the cell still waits for a person), so a re-run never overwrites a hand mark."""
from __future__ import annotations

import random
import time
import warnings
from dataclasses import dataclass, field

from nbgrader.api import Comment, Grade, Gradebook, InvalidEntry, MissingEntry
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


def register_assignment(gb: Gradebook, assignment_id: str, cells: list[GradebookCell],
                        solution_cells: list[tuple[str, str]] = ()) -> None:
    """The assignment's graded cells, and the cells students write in (`solution_cells`,
    (notebook, grade id) pairs), which formgrader gives a comment box each."""
    retrying(gb, lambda: _register(gb, assignment_id, cells, solution_cells))


def _register(gb: Gradebook, assignment_id: str, cells: list[GradebookCell], solution_cells) -> None:
    gb.update_or_create_assignment(assignment_id)
    for notebook in dict.fromkeys([*(c.notebook for c in cells), *(nb for nb, _ in solution_cells)]):
        gb.update_or_create_notebook(notebook, assignment_id)
    for c in cells:
        gb.update_or_create_grade_cell(c.grade_id, c.notebook, assignment_id, max_score=c.points, cell_type=c.cell_type)
    for notebook, gid in dict.fromkeys([*solution_cells, *((c.notebook, c.grade_id) for c in cells if c.manual)]):
        gb.update_or_create_solution_cell(gid, notebook, assignment_id)


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
        grade = _grade_row(gb, c, assignment_id, student_id)
        # a manual cell: 0 when left blank, else None (it needs a person)
        grade.auto_score = scores.get(c.question_id) if c.manual else scores.get(c.question_id, 0.0)
        # formgrader lists the cells that wait for a person; one a person marked stays marked
        grade.needs_manual_grade = grade.auto_score is None and grade.manual_score is None
    _add_missing_comments(gb, assignment_id, student_id)
    gb.db.commit()


def _grade_row(gb: Gradebook, cell: GradebookCell, assignment_id: str, student_id: str) -> Grade:
    """The student's grade for `cell`; one is made when the cell was added to the
    assignment after the student's submission was first recorded."""
    try:
        return gb.find_grade(cell.grade_id, cell.notebook, assignment_id, student_id)
    except MissingEntry:
        grade_cell = gb.find_grade_cell(cell.grade_id, cell.notebook, assignment_id)
        notebook = gb.find_submission_notebook(cell.notebook, assignment_id, student_id)
        grade = Grade(cell_id=grade_cell.id, notebook=notebook)
        gb.db.add(grade)
        return grade


def _add_missing_comments(gb: Gradebook, assignment_id: str, student_id: str) -> None:
    """A comment row for every solution cell (formgrader fails on a missing one)."""
    submission = gb.find_submission(assignment_id, student_id)
    for notebook in submission.notebooks:
        have = {comment.cell_id for comment in notebook.comments}
        for cell in notebook.notebook.solution_cells:
            if cell.id not in have:
                gb.db.add(Comment(cell_id=cell.id, notebook=notebook))


@dataclass
class HandMarks:
    """What the gradebook holds for one student's submission, by (notebook, grade id):
    every graded cell's automatic score and a person's mark (None: none entered), and
    the comments people wrote."""
    student_id: str
    auto: dict[tuple[str, str], float | None] = field(default_factory=dict)
    manual: dict[tuple[str, str], float | None] = field(default_factory=dict)
    max_score: dict[tuple[str, str], float] = field(default_factory=dict)
    comments: dict[tuple[str, str], str] = field(default_factory=dict)

    def score(self, cell: tuple[str, str]) -> float | None:
        """A person's mark where there is one, else the automatic score (nbgrader's rule)."""
        manual = self.manual.get(cell)
        return manual if manual is not None else self.auto.get(cell)

    @property
    def total(self) -> float:
        return round(sum(self.score(c) or 0.0 for c in self.max_score), 4)

    @property
    def possible(self) -> float:
        return sum(self.max_score.values())

    @property
    def pending(self) -> list[str]:
        """The graded cells that wait for a person (no automatic score, no mark)."""
        return [gid for (nb, gid) in self.max_score if self.score((nb, gid)) is None]


def hand_marks(gb: Gradebook, assignment_id: str) -> dict[str, HandMarks]:
    """Every recorded submission of the assignment, by student id ({} if none yet)."""
    try:
        submissions = gb.assignment_submissions(assignment_id)
    except MissingEntry:
        return {}
    marks = {}
    for submission in submissions:
        found = marks[submission.student.id] = HandMarks(submission.student.id)
        for notebook in submission.notebooks:
            name = notebook.notebook.name
            for grade in notebook.grades:
                key = (name, grade.cell.name)
                found.auto[key], found.manual[key] = grade.auto_score, grade.manual_score
                found.max_score[key] = grade.max_score
            for comment in notebook.comments:
                if comment.manual_comment and comment.manual_comment.strip():
                    found.comments[(name, comment.cell.name)] = comment.manual_comment.strip()
    return marks


def assignment_ids(gb: Gradebook) -> list[str]:
    return sorted(a.name for a in gb.assignments)
