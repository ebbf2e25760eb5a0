"""`course solution ID --student S --output DIR`: the released notebook with every answer
cell filled in right for student S's version (no solution markers, no hidden tests): what S
would hand in with everything right, to show after the deadline, and for tests.  An essay
gets the question's model answer, headed as a model (it is graded by hand, so grading the
notebook leaves it pending)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat

from ..course import Course
from ..errors import UsageError
from ..nbmeta import grade_id, is_answer
from .source_notebook import STUDENT_ID_CELL

MODEL_HEADING = "*Model answer, written by the instructor (not a student's work): to be marked by hand.*"


def essays_with_a_model(course: Course, assignment_id: str) -> list[str]:
    """The essays `solution_notebook` fills with their model answer."""
    return [q.id for q in course.assignment(assignment_id).questions if q.rules.manual and q.model_answer.strip()]


def solution_notebook(course: Course, assignment_id: str, student_id: str) -> nbformat.NotebookNode:
    assignment = course.assignment(assignment_id)
    released = course.release_dir / assignment_id / assignment.notebook
    if not released.is_file():
        raise UsageError(f"{released}: the released notebook is missing; run `course release {assignment_id}`")
    versions = course.versions(assignment)
    variant = course.variant_of(assignment, student_id)
    version, keys = versions[variant], course.version_keys([versions[variant]])[0]
    answers = {f"{q.id}_answer": q.solution.strip() or
               f"{q.variable} = {json.dumps(q.rules.model_answer(q, keys[q.id]), ensure_ascii=False)}"
               for q in version.autograded}
    answers.update({q.id: f"{MODEL_HEADING}\n\n{q.model_answer.strip()}"
                    for q in version.questions if q.rules.manual and q.model_answer.strip()})
    answers[STUDENT_ID_CELL] = f"STUDENT_ID = {student_id!r}"
    notebook = nbformat.read(released, as_version=4)
    for cell in notebook.cells:
        if is_answer(cell) and grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return notebook


def write_solution(course: Course, assignment_id: str, student_id: str, output: Path) -> Path:
    """The solution notebook in `output`, beside the files released with it (checks, data)."""
    notebook = solution_notebook(course, assignment_id, student_id)
    output.mkdir(parents=True, exist_ok=True)
    for extra in (course.release_dir / assignment_id).iterdir():
        if extra.is_file() and extra.suffix != ".ipynb":
            shutil.copy(extra, output / extra.name)
    path = output / f"{assignment_id}.ipynb"
    nbformat.write(notebook, path)
    return path
