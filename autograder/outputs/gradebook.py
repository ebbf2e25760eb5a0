"""Record grades in nbgrader's own gradebook (SQLite by default, any SQLAlchemy URL),
so that nbgrader's formgrader can take over for the essays graded by hand, and read back
what people entered there (hand marks and comments).

What a person enters lives in columns this module never writes: a grade's
`manual_score` and a comment's `manual_comment`.  Grading writes only `auto_score` (and
whether the cell still waits for a person), so a re-run never overwrites a hand mark."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbgrader
from nbgrader.api import (
    Assignment,
    BaseCell,
    Comment,
    Grade,
    Gradebook,
    InvalidEntry,
    Notebook,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
)
from sqlalchemy.exc import DBAPIError

from ..grading.results import GradebookCell
from .essay_structure import keep_essays_in_step


def _again(attempt: int, attempts: int, pause: float) -> None:
    """Wait a little, longer each time, before another attempt; after the last, re-raise
    what the caller caught (it is called inside an except block)."""
    if attempt == attempts - 1:
        raise
    time.sleep(random.uniform(pause, 3 * pause) * (attempt + 1))


def open_gradebook(db_url: str, attempts: int = 8) -> Gradebook:
    """Open (and on first use create) the gradebook.  Two graders starting at once on a new
    PostgreSQL database both create its tables; the one that loses tries again."""
    for attempt in range(attempts):
        try:
            create_schema(db_url)
            return Gradebook(db_url)
        except DBAPIError:
            _again(attempt, attempts, 0.1)


def create_schema(db_url: str) -> None:
    """A new gradebook's tables and alembic's version stamp, as nbgrader's Gradebook makes
    them, but with the version read in this process: nbgrader asks a new `alembic heads`
    process for it, which costs about 3 s.  An existing gradebook is left as it is."""
    from alembic.script import ScriptDirectory
    from nbgrader.api import Base
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            if inspect(connection).get_table_names():
                return
            Base.metadata.create_all(connection)
            head = ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic")).get_current_head()
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head})
    finally:
        engine.dispose()


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
    keep_essays_in_step(gb, assignment_id, cells)
    for c in cells:
        create = gb.update_or_create_task_cell if c.task else gb.update_or_create_grade_cell
        create(c.grade_id, c.notebook, assignment_id, max_score=c.points, cell_type=c.cell_type)
    answers = [(c.notebook, c.grade_id) for c in cells if c.manual and not c.task]
    for notebook, gid in dict.fromkeys([*solution_cells, *answers]):
        gb.update_or_create_solution_cell(gid, notebook, assignment_id)


def record(gb: Gradebook, assignment_id: str, cells: list[GradebookCell],
           scores: dict[str, dict[str, float | None]]) -> None:
    """Write the autograded scores of several students (by student id) in one transaction;
    hand-graded ones are left as they are.  nbgrader's own calls commit once per row,
    which costs more than grading a notebook."""
    retrying(gb, lambda: _record(gb, assignment_id, cells, scores))


def _record(gb: Gradebook, assignment_id: str, cells: list[GradebookCell],
            scores: dict[str, dict[str, float | None]]) -> None:
    db = gb.db
    assignment = gb.find_assignment(assignment_id)
    cell_ids = {(notebook.name, cell.name): cell.id for notebook in assignment.notebooks
                for cell in [*notebook.grade_cells, *notebook.task_cells]}
    ids = list(scores)
    students = {s.id: s for s in db.query(Student).filter(Student.id.in_(ids))}
    submissions = {s.student_id: s for s in db.query(SubmittedAssignment).filter(
        SubmittedAssignment.assignment_id == assignment.id, SubmittedAssignment.student_id.in_(ids))}
    with db.no_autoflush:   # rows are made whole before any is written
        for student_id, points in scores.items():
            student = students.get(student_id)
            if student is None:
                student = Student(id=student_id)
                db.add(student)
            submission = submissions.get(student_id) or _new_submission(db, assignment, student)
            notebooks = {notebook.notebook.name: notebook for notebook in submission.notebooks}
            grades = {grade.cell_id: grade for notebook in notebooks.values() for grade in notebook.grades}
            for c in cells:
                cell_id = cell_ids[(c.notebook, c.grade_id)]
                grade = grades.get(cell_id)
                if grade is None:   # the cell was added to the assignment after this submission was first recorded
                    grade = Grade(cell_id=cell_id, notebook=notebooks[c.notebook])
                    db.add(grade)
                # a manual cell: 0 when left blank, else None (it needs a person); an essay's
                # answer cell worth nothing (its rubric's criteria carry the points) waits for nobody
                grade.auto_score = (points.get(c.question_id) if c.manual and c.points else
                                    0.0 if c.manual else points.get(c.question_id, 0.0))
                # formgrader lists the cells that wait for a person; one a person marked stays marked
                grade.needs_manual_grade = grade.auto_score is None and grade.manual_score is None
            _add_missing_comments(db, notebooks.values())
    db.commit()


def _new_submission(db, assignment, student: Student) -> SubmittedAssignment:
    """A submission with a row for every graded cell and a comment for every cell a
    student writes in, as nbgrader's add_submission makes it (without its commit)."""
    submission = SubmittedAssignment(assignment=assignment, student=student)
    for notebook in assignment.notebooks:
        submitted = SubmittedNotebook(notebook=notebook, assignment=submission)
        for cell in notebook.grade_cells:
            Grade(cell_id=cell.id, notebook=submitted)
        for cell in notebook.solution_cells:
            Comment(cell_id=cell.id, notebook=submitted)
        for cell in notebook.task_cells:
            Comment(cell_id=cell.id, notebook=submitted)
            Grade(cell_id=cell.id, notebook=submitted)
    db.add(submission)   # last: adding it takes along what is attached to it by then
    return submission


def _add_missing_comments(db, notebooks) -> None:
    """A comment row for every solution and task cell (formgrader fails on a missing one)."""
    for notebook in notebooks:
        have = {comment.cell_id for comment in notebook.comments}
        for cell in [*notebook.notebook.solution_cells, *notebook.notebook.task_cells]:
            if cell.id not in have:
                db.add(Comment(cell_id=cell.id, notebook=notebook))


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
    """Every recorded submission of the assignment, by student id ({} if none yet).  Two
    queries, not the few hundred that walking nbgrader's objects takes for a class."""
    db = gb.db
    students = db.query(SubmittedAssignment.student_id).join(
        Assignment, SubmittedAssignment.assignment_id == Assignment.id).filter(Assignment.name == assignment_id)
    marks = {student_id: HandMarks(student_id) for (student_id,) in students}
    grades = _cells_of_submissions(db.query(SubmittedAssignment.student_id, Notebook.name, BaseCell.name, Grade.auto_score,
                                            Grade.manual_score, Grade.max_score), Grade, assignment_id)
    for student_id, notebook, cell, auto, manual, max_score in grades:
        found = marks[student_id]
        found.auto[(notebook, cell)], found.manual[(notebook, cell)] = auto, manual
        found.max_score[(notebook, cell)] = max_score
    comments = _cells_of_submissions(db.query(SubmittedAssignment.student_id, Notebook.name, BaseCell.name,
                                              Comment.manual_comment), Comment, assignment_id)
    for student_id, notebook, cell, text in comments:
        if text and text.strip():
            marks[student_id].comments[(notebook, cell)] = text.strip()
    return marks


def _cells_of_submissions(query, row, assignment_id: str):
    """`query` over the rows of `row` (Grade or Comment) of the assignment's submissions,
    joined to their student, notebook and cell."""
    return (query.select_from(row)
            .join(SubmittedNotebook, row.notebook_id == SubmittedNotebook.id)
            .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
            .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
            .join(Notebook, SubmittedNotebook.notebook_id == Notebook.id)
            .join(BaseCell, row.cell_id == BaseCell.id)
            .filter(Assignment.name == assignment_id))


def assignment_ids(gb: Gradebook) -> list[str]:
    return sorted(a.name for a in gb.assignments)
