"""Shared fixtures: the course, its assignments, and submissions made as a student would."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
os.environ["PATH"] = str(BIN) + os.pathsep + os.environ.get("PATH", "")

from autograder.course import Course  # noqa: E402


def assignment_ids() -> list[str]:
    course = Course.at(ROOT)
    return [a for a in course.assignment_ids() if course.has_questions(a)]


def course_cmd(*args: str, cwd: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BIN / "course"), *args], cwd=cwd, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"course {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def student_notebook(assignment_id: str, answers: str = "solution", root: Path = ROOT) -> nbformat.NotebookNode:
    """The released notebook, with the answer cells filled in from the solution (what a
    perfect student hands in) or left as released (a blank)."""
    release = nbformat.read(root / "exercises" / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    if answers == "blank":
        return release
    source = nbformat.read(root / "solutions" / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    solved = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
              if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            text = solved[meta["grade_id"]]
            cell.source = text.replace("### BEGIN SOLUTION\n", "").replace("\n### END SOLUTION", "")
    return release


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
    import csv
    with open(workspace / "grades.csv", newline="", encoding="utf-8") as handle:
        return {(row["student_id"], row["assignment"]): row for row in csv.DictReader(handle)}


def read_result(workspace: Path, assignment_id: str, student: str) -> dict:
    return json.loads((workspace / "results" / assignment_id / f"{student}.json").read_text())


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
