"""The instructor guide's "Deadlines and late work" and "If you use Canvas or Moodle
without a hub" hold true: its configuration example is read as it says, and the commands
of the Canvas path run, verbatim, in a copy of the course with the files it names."""
import csv
import re
import shutil
import zipfile

import nbformat
import pytest
from helpers import ROOT, course_cmd, read_grades, require_command, student_notebook

from autograder.calendar import read_calendar

GUIDE = ROOT / "book" / "instructor-guide.md"


def section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    return text[start:text.index("\n## ", start + 3)]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_the_guides_calendar_example_is_read_as_it_says(tmp_path):
    deadlines = section("Deadlines and late work")
    (tmp_path / "_config.yml").write_text(blocks(deadlines, "yaml")[0])
    (tmp_path / "extensions.csv").write_text(blocks(deadlines, "text")[0])
    calendar = read_calendar(tmp_path)
    assert calendar.policy("ch1").percent and calendar.policy("ch2").kind == "zero"
    assert str(calendar.due_for("ch1", "ada")) == "2026-10-04 16:00:00"   # 17:00 in London, plus 48 hours
    assert str(calendar.due_for("ch2", "bo")) == "2026-10-23 11:00:00"


@pytest.mark.sandbox
@pytest.mark.slow   # the guide's commands verbatim, each a new `course` process
@pytest.mark.timeout(600)
def test_the_canvas_commands_of_the_guide_run_as_shown(tmp_path):
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    course = tmp_path / "course"
    for part in ("solutions/ch1", "exercises/ch1"):
        shutil.copytree(ROOT / part, course / part)
    shutil.copy(ROOT / "_config.yml", course / "_config.yml")
    grading = tmp_path / "grading"
    (course / "gradebook.csv").write_text("Student,ID,SIS User ID,SIS Login ID,Section,ch1\n"
                                          "    Points Possible,,,,,10\n\"Doe, Jane\",1001,S1,jdoe,A,\n")
    with zipfile.ZipFile(course / "submissions.zip", "w") as archive:
        archive.writestr("doejane_1001_77_ch1.ipynb", nbformat.writes(student_notebook("ch1", student="jdoe")))
    commands = [line.strip() for block in blocks(section("If you use Canvas or Moodle without a hub"), "bash")
                for line in block.splitlines() if line.strip()]
    assert [c.split()[1] for c in commands] == ["roster", "collect", "grade", "export"]
    for command in commands:
        argv = command.replace("~/grading", str(grading)).split()
        assert argv[0] == "course"
        course_cmd(*argv[1:], cwd=course)
    assert read_grades(grading)[("jdoe", "ch1")]["status"] == "ok"
    rows = {row[0]: row for row in csv.reader((grading / "grades-canvas.csv").open())}
    assert float(rows["jdoe"][-1]) == float(read_grades(grading)[("jdoe", "ch1")]["score"]) > 0
