"""What the tests share: the course, the `course` command, submissions made as a student
would make them, reading grades back, and one rule for a missing tool."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.course import Course
from autograder.nbmeta import grade_id, is_answer
from autograder.outputs.grades_csv import read_grades_csv

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# nbgrader runs `alembic` and kernels by name: the tools beside this Python come first
ENV = {**os.environ, "PATH": str(BIN) + os.pathsep + os.environ.get("PATH", "")}


def require_tool(found: bool, what: str) -> None:
    """A missing tool skips the test, with the reason, on a developer's machine; in CI
    (CI=true) it fails, so that a test that cannot run never passes unseen."""
    if found:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI is missing {what}")
    pytest.skip(f"needs {what}")


def require_command(command: str, what: str) -> str:
    path = shutil.which(command)
    require_tool(path is not None, what)
    return path


def assignment_ids() -> list[str]:
    course = Course.at(ROOT)
    return [a for a in course.assignment_ids() if course.has_questions(a)]


def course_cmd(*args: str, cwd: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BIN / "course"), *args], cwd=cwd, capture_output=True, text=True, env=ENV)
    if check and result.returncode != 0:
        raise AssertionError(f"course {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def model_solutions(source: nbformat.NotebookNode) -> dict[str, str]:
    """Each answer cell of a source notebook with its solution filled in (marker lines removed)."""
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    return {grade_id(c): "\n".join(line for line in c.source.splitlines() if line.strip() not in markers)
            for c in source.cells if is_answer(c)}


def student_notebook(assignment_id: str, answers: str = "solution", root: Path = ROOT) -> nbformat.NotebookNode:
    """The released notebook, with the answer cells filled in from the solution (what a
    perfect student hands in) or left as released (a blank)."""
    release = nbformat.read(root / "exercises" / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    if answers == "blank":
        return release
    solved = model_solutions(nbformat.read(root / "solutions" / assignment_id / f"{assignment_id}.ipynb", as_version=4))
    for cell in release.cells:
        if is_answer(cell):
            cell.source = solved[grade_id(cell)]
    return release


def set_answer(nb: nbformat.NotebookNode, gid: str, source: str) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if grade_id(cell) == gid:
            cell.source = source
            return nb
    raise KeyError(gid)


def write_submission(submissions: Path, student: str, assignment_id: str, nb) -> Path:
    folder = submissions / student / assignment_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment_id}.ipynb"
    if isinstance(nb, (str, bytes)):
        path.write_bytes(nb if isinstance(nb, bytes) else nb.encode())
    else:
        nbformat.write(nb, path)
    return path


def read_grades(workspace: Path) -> dict[tuple[str, str], dict]:
    """grades.csv by (raw student id, assignment), read as the project reads it."""
    return {(row["student_id"], row["assignment"]): row for row in read_grades_csv(workspace / "grades.csv")}


def read_result(workspace: Path, assignment_id: str, student: str) -> dict:
    return json.loads((workspace / "results" / assignment_id / f"{student}.json").read_text())
