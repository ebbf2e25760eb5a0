"""The folder a submitted nbgrader notebook runs in (grading/work_folder.py), laid out as
stock autograde lays it out, and the settings of a course's nbgrader configuration that
shape a run; on small folders, no sandbox needed."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from autograder.course import Course
from autograder.errors import UsageError
from autograder.grading.stock_settings import UNLIMITED_SECONDS, StockSettings
from autograder.grading.submitted_files import SubmittedFolder
from autograder.grading.test_cells import load_nbgrader_assignment
from autograder.grading.work_folder import FileRules, work_folder

pytestmark = pytest.mark.timeout(60)


def layout(tmp_path: Path, rules: FileRules | None = None) -> tuple[dict[str, str], list[str]]:
    rules = rules or FileRules()
    release = tmp_path / "release" / "hw"
    release.mkdir(parents=True)
    (release / "hw.ipynb").write_text("{}")
    (release / "helper.py").write_text("shipped")
    (release / "mine.py").write_text("stub")
    student = tmp_path / "submitted" / "ann" / "hw"
    (student / "data").mkdir(parents=True)
    (student / "hw.ipynb").write_text("{}")
    (student / "helper.py").write_text("the student's own helper")   # overwritten by the release's
    (student / "mine.py").write_text("the student's version")
    (student / "data" / "points.csv").write_text("1,2")
    (student / "timestamp.txt").write_text("2026-12-01")
    (student / "cache.pyc").write_bytes(b"\0")
    (tmp_path / "solutions.py").write_text("the instructor's")
    (student / "peek.py").symlink_to(tmp_path / "solutions.py")
    notes: list[str] = []
    with SubmittedFolder(tmp_path / "submitted", Path("ann", "hw")) as folder, \
            work_folder(release, folder, rules, notes) as work:
        files = {str(p.relative_to(work)): p.read_text() for p in sorted(work.rglob("*")) if p.is_file()}
    return files, notes


def test_the_students_files_with_the_assignments_copied_over_them(tmp_path):
    files, notes = layout(tmp_path)
    assert files == {"helper.py": "shipped", "mine.py": "stub", "data/points.csv": "1,2"}
    assert notes == []   # the link is never followed: the grader reports it with its own status


def test_a_file_the_course_excludes_from_overwriting_stays_the_students(tmp_path):
    files, _ = layout(tmp_path, FileRules(exclude_overwriting=("mine.py",)))
    assert files["mine.py"] == "the student's version" and files["helper.py"] == "shipped"


def test_only_notebooks_handed_in_run_in_the_release_folder_itself(tmp_path):
    release = tmp_path / "release"
    release.mkdir()
    student = tmp_path / "ann" / "hw"
    student.mkdir(parents=True)
    (student / "hw.ipynb").write_text("{}")
    (student / "submission_secret.txt").write_text("x")
    with SubmittedFolder(tmp_path, Path("ann", "hw")) as folder, work_folder(release, folder, FileRules(), []) as work:
        assert work == release


def course_with(tmp_path: Path, config: str, kernel: dict | None = None) -> Course:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n" + config)
    (tmp_path / "source" / "hw").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    if kernel:
        nb.metadata["kernelspec"] = kernel
    nbformat.write(nb, tmp_path / "source" / "hw" / "hw.ipynb")
    return Course.at(tmp_path)


@pytest.mark.parametrize("config, seconds", [("", None), ("c.Execute.timeout = 7", 7),
                                             ("c.Execute.timeout = None", UNLIMITED_SECONDS),
                                             ("c.Execute.timeout = -1", UNLIMITED_SECONDS)])
def test_the_courses_cell_time_limit(tmp_path, config, seconds, monkeypatch):
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "nothing"))   # no user's nbgrader_config.py
    assert StockSettings(course_with(tmp_path, config)).cell_timeout() == seconds


def test_a_notebook_for_another_kernel_is_refused_in_one_line(tmp_path):
    course = course_with(tmp_path, "", {"name": "ir", "display_name": "R", "language": "R"})
    with pytest.raises(UsageError) as refused:
        load_nbgrader_assignment(course, "hw")
    assert str(refused.value) == (f"{tmp_path / 'source' / 'hw' / 'hw.ipynb'}: a notebook for the R kernel; "
                                  "course grade runs Python notebooks only")
    assert os.linesep not in str(refused.value)


def test_the_autograded_notebook_is_trimmed_as_the_course_says(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "nothing"))
    settings = StockSettings(course_with(tmp_path, "c.LimitOutput.max_lines = 2\nc.IgnorePattern.pattern = 'Warning'"))
    cell = nbformat.v4.new_code_cell("print(...)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n2\n3\n4\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="DeprecationWarning: old\n")]
    nb = settings.finish_autograded(nbformat.v4.new_notebook(cells=[cell]))
    # nbgrader's own trimming: two lines, the second its notice; the warning's stream removed
    assert [o.text for o in nb.cells[0].outputs] == ["1\n... Output truncated ..."]
