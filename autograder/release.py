"""`course release`: regenerate the nbgrader source notebook, the student checks and,
through nbgrader's own generate_assignment, the student version in exercises/."""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import nbformat

from .course import Course, CourseError
from .keys import compute_keys, public_check
from .notebooks import source_notebook
from .questions import Assignment, QuestionError
from .student import CHECKS_FILE

# never copied to students: the questions file holds the keys
PRIVATE_FILES = ["questions.yml", "*.yml", "*.yaml", ".ipynb_checkpoints", "__pycache__", "*.pyc"]


def salt_for(assignment_id: str, question_id: str) -> str:
    return hashlib.sha256(f"contested-peace/{assignment_id}/{question_id}".encode()).hexdigest()[:16]


def checks_document(assignment: Assignment, keys: dict) -> dict:
    return {
        "assignment": assignment.id,
        "questions": {q.id: public_check(q, keys[q.id], salt_for(assignment.id, q.id))
                      for q in assignment.autograded},
    }


def write_source(course: Course, assignment: Assignment) -> None:
    """Write solutions/<id>/<id>.ipynb and checks.json from questions.yml."""
    try:
        keys = compute_keys(assignment)
    except QuestionError as exc:
        raise CourseError(str(exc)) from None
    folder = course.source_dir / assignment.id
    nbformat.write(source_notebook(assignment, keys, course.repository()), folder / assignment.notebook)
    checks = json.dumps(checks_document(assignment, keys), indent=1, ensure_ascii=False, sort_keys=True)
    (folder / CHECKS_FILE).write_text(checks + "\n", encoding="utf-8")


def course_settings(config, course: Course | None = None) -> None:
    """nbgrader's settings for a course in this layout; nbgrader_config.py at the course's
    root applies them too, so nbgrader's own commands agree with `course release`."""
    config.CourseDirectory.source_directory = course.source if course else "solutions"
    config.CourseDirectory.release_directory = course.release if course else "exercises"
    config.CourseDirectory.ignore = PRIVATE_FILES
    config.ClearSolutions.code_stub = {"python": ""}
    config.ClearSolutions.text_stub = "YOUR ANSWER HERE"


def generate_release(course: Course, assignment_id: str, release_dir: Path) -> None:
    """Run nbgrader's generate_assignment from the source folder into `release_dir`."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    with tempfile.TemporaryDirectory() as scratch:
        config = Config()
        course_settings(config, course)
        config.CourseDirectory.root = str(course.root)
        config.CourseDirectory.release_directory = str(Path(scratch) / "release")
        config.CourseDirectory.db_url = f"sqlite:///{scratch}/gradebook.db"
        config.GenerateAssignment.create_assignment = True
        config.Exchange.root = str(Path(scratch) / "exchange")
        api = NbGraderAPI(config=config)
        result = api.generate_assignment(assignment_id, force=True, create=True)
        if not result["success"]:
            log = (result.get("error") or result.get("log") or "").strip().splitlines()
            raise CourseError(f"{course.source_dir / assignment_id}: nbgrader could not generate the release: "
                              f"{log[-1] if log else 'unknown error'}")
        produced = Path(scratch) / "release" / assignment_id
        target = release_dir / assignment_id
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(produced, target)
        for notebook in target.glob("*.ipynb"):
            _strip_blank_stub_lines(notebook)


def _strip_blank_stub_lines(path: Path) -> None:
    """nbgrader leaves an empty line where the solution was; drop it so the answer cell
    shows only the starter."""
    from nbgrader.utils import compute_checksum

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = cell.source.rstrip("\n")
            cell.metadata.nbgrader["checksum"] = compute_checksum(cell)
    nbformat.write(nb, path)


def release(course: Course, assignment_ids: list[str] | None = None, release_dir: Path | None = None) -> list[str]:
    ids = assignment_ids or [a for a in course.assignment_ids() if course.has_questions(a)]
    for assignment_id in ids:
        write_source(course, course.assignment(assignment_id))
        generate_release(course, assignment_id, release_dir or course.release_dir)
    return ids
