"""`course release`: regenerate the nbgrader source notebook, the student checks and,
through nbgrader's own generate_assignment, the student version in the release folder."""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import nbformat

from ..core.checks import checks_document
from ..core.model import Assignment
from ..course import Course, find_course
from ..errors import UsageError
from ..nbmeta import is_answer
from ..student import CHECKS_FILE
from ..tools import tools_on_path
from .source_notebook import source_notebook

# never copied to students: the questions file holds the keys
PRIVATE_FILES = ["*.yml", "*.yaml", ".ipynb_checkpoints", "__pycache__", "*.pyc"]


def write_source(course: Course, assignment: Assignment) -> None:
    """Write <source>/<id>/<id>.ipynb and checks.json from questions.yml."""
    versions = course.versions(assignment)
    keys = course.version_keys(versions)
    folder = course.source_dir / assignment.id
    notebook = source_notebook(assignment, versions, keys, course.repository(), course.config.package,
                               course.config.toolkit)
    nbformat.write(notebook, folder / assignment.notebook)
    checks = checks_document(assignment, versions, keys, course.config.name, course.variant_salt(assignment.id))
    (folder / CHECKS_FILE).write_text(json.dumps(checks, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                                      encoding="utf-8")


def course_settings(config, course: Course | None = None) -> None:
    """nbgrader's settings for this course; nbgrader_config.py at the course's root
    applies them too, so nbgrader's own commands agree with `course release`."""
    course = course or find_course()
    config.CourseDirectory.source_directory = course.config.source
    config.CourseDirectory.release_directory = course.config.release
    config.CourseDirectory.ignore = PRIVATE_FILES
    config.ClearSolutions.code_stub = {"python": ""}
    config.ClearSolutions.text_stub = "YOUR ANSWER HERE"


def generate_release(course: Course, assignment_id: str, release_dir: Path) -> None:
    """Run nbgrader's generate_assignment from the source folder into `release_dir`."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    tools_on_path()
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
            raise UsageError(f"{course.source_dir / assignment_id}: nbgrader could not generate the release: "
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
        if cell.cell_type == "code" and is_answer(cell):
            cell.source = cell.source.rstrip("\n")
            cell.metadata.nbgrader["checksum"] = compute_checksum(cell)
    nbformat.write(nb, path)


def release(course: Course, assignment_ids: list[str] | None = None, release_dir: Path | None = None) -> list[str]:
    ids = assignment_ids or [a for a in course.assignment_ids() if course.has_questions(a)]
    for assignment_id in ids:
        write_source(course, course.assignment(assignment_id))
        generate_release(course, assignment_id, release_dir or course.release_dir)
    return ids
