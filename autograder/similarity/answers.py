"""The answers to compare: what each student wrote in each answer cell of the released
notebooks, read as `course grade` reads a submission (never through a link, size
capped, see grading/submitted_files.py), and the release's own text, which is not counted.

An essay is a Markdown answer cell (what `course release` makes of an essay question,
and what nbgrader calls a "manually graded answer" in Markdown); a code answer is a code
answer cell.  Cells a student added are not compared: only the cells the release asks for.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..course import Course, student_dirs
from ..errors import SubmissionProblem, UsageError
from ..grading.results import Status
from ..grading.submission import read_notebook
from ..grading.submitted_files import SubmittedFolder
from ..nbmeta import cell_source, grade_id, is_answer

PROSE, CODE = "essay", "code"


@dataclass(frozen=True)
class AnswerCell:
    notebook: str     # file name of the notebook
    cell: str         # nbgrader grade id
    kind: str         # PROSE or CODE
    starter: str      # what the release put in it


@dataclass
class Release:
    cells: list[AnswerCell]
    code: list[str]   # every cell of the released notebooks, code and prose: prompts,
    prose: list[str]  # setup and starters are in every student's notebook, nobody's copy


@dataclass
class StudentAnswers:
    student: str
    answers: dict[tuple[str, str], str]   # (notebook, grade id) -> the student's text


def read_release(course: Course, assignment_id: str) -> Release:
    folder = course.release_dir / assignment_id
    notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not notebooks:
        raise UsageError(f"{folder}: no released notebook; run `course release {assignment_id}` first")
    cells, code, prose = [], [], []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            (code if cell.cell_type == "code" else prose).append(cell_source(cell))
            if is_answer(cell) and grade_id(cell):
                kind = CODE if cell.cell_type == "code" else PROSE
                cells.append(AnswerCell(path.name, grade_id(cell), kind, cell_source(cell)))
    return Release(cells, code, prose)


def read_answers(submissions: Path, assignment_id: str, release: Release) -> tuple[list[StudentAnswers], list[str]]:
    """Every student's answers, and one line for each submission that could not be read
    (the others are compared all the same)."""
    wanted = sorted({c.notebook for c in release.cells})
    students, problems = [], []
    for student_dir in student_dirs(submissions):
        answers: dict[tuple[str, str], str] = {}
        try:
            with SubmittedFolder(submissions, Path(student_dir.name) / assignment_id) as folder:
                for name in wanted:
                    try:
                        notebook = read_notebook(folder, name).notebook
                    except SubmissionProblem as exc:
                        problems.append(f"{student_dir.name}/{assignment_id}/{exc.message}")
                        continue
                    for cell in notebook.cells:
                        key = (name, grade_id(cell))
                        if key[1] and is_answer(cell) and key not in answers:
                            answers[key] = cell_source(cell)
        except SubmissionProblem as exc:
            if not (exc.status == Status.MISSING and exc.message.endswith("no such folder in the submission")):
                problems.append(exc.message)   # a student who did not hand this one in is no problem
        if answers:
            students.append(StudentAnswers(student_dir.name, answers))
    return students, problems
