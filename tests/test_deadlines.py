"""Due dates, extensions and late work as an instructor meets them in an nbgrader course:
the course's own policy taken off after scoring (hand marks included), the due date and
extensions in formgrader's gradebook, grades.csv's `late_by` and `late_penalty`, the
feedback page, the report and the export; an extension changed without any notebook run
again."""
import csv
import datetime
import html
import shutil
from pathlib import Path

import pytest
from helpers import course_cmd, read_grades, require_command, student_notebook, write_submission
from nbgrader.api import Gradebook

from autograder.course import Course

FIXTURE = Path(__file__).parent / "fixtures" / "course"
pytestmark = [pytest.mark.sandbox, pytest.mark.slow]
CALENDAR = """
course:
  timezone: Europe/Paris
  late: {deduct: 10%, per: day, cap: 50%, grace_minutes: 15}
  assignments:
    demo: {due: 2026-11-20 18:00}
"""
DUE_UTC = datetime.datetime(2026, 11, 20, 17, 0)
EXTENSIONS = "student,assignment,due,extra_hours,reason\nexcused,demo,,48,illness\n"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    root = tmp_path_factory.mktemp("latecourse")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    (root / "_config.yml").write_text((root / "_config.yml").read_text() + CALENDAR)
    (root / "extensions.csv").write_text(EXTENSIONS)
    (root / "nbgrader_config.py").write_text(
        "from pathlib import Path\nfrom autograder.authoring.release import course_settings\n"
        "from autograder.course import Course\nc = get_config()\nc.CourseDirectory.course_id = 'demo-course'\n"
        "course_settings(c, Course.at(Path(__file__).resolve().parent))\n")
    course_cmd("release", "demo", cwd=root)
    return root


def submit(course: Path, student: str, timestamp: str | None) -> None:
    path = write_submission(course / "submitted", student, "demo", student_notebook("demo", "solution", root=course))
    if timestamp is not None:
        (path.parent / "timestamp.txt").write_text(timestamp)


def grade(course: Path, workspace: Path):
    return course_cmd("grade", "demo", "--submissions", "submitted", "--workspace", str(workspace), "--no-progress",
                      "--workers", "2", "--timeout", "10", cwd=course)


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    submit(course, "ontime", "2026-11-20 16:59:00.000000 UTC")
    submit(course, "grace", "2026-11-20 17:10:00.000000 UTC")          # within 15 minutes' grace
    submit(course, "late", "2026-11-21 18:30:00.000000 UTC")           # 25.5 hours: two days begun
    submit(course, "excused", "2026-11-21 18:30:00.000000 UTC")        # as late, with 48 more hours
    submit(course, "nostamp", None)
    (course / "submitted" / "gone" / "demo").mkdir(parents=True)      # nothing handed in
    workspace = tmp_path_factory.mktemp("workspace")
    return {"course": course, "workspace": workspace, "run": grade(course, workspace)}


def test_grades_say_how_late_and_what_it_cost(graded):
    grades = read_grades(graded["workspace"])
    raw = float(grades[("ontime", "demo")]["auto_score"])
    assert raw > 0
    assert {s: grades[(s, "demo")]["late_by"] for s in ("ontime", "grace", "late", "excused", "nostamp")} == {
        "ontime": "0", "grace": "0.17", "late": "25.5", "excused": "0", "nostamp": "no-timestamp"}
    late = grades[("late", "demo")]
    assert float(late["late_penalty"]) == pytest.approx(0.2 * float(late["auto_score"]))
    assert float(late["score"]) == pytest.approx(float(late["auto_score"]) - float(late["late_penalty"]))
    for student in ("ontime", "grace", "excused", "nostamp"):
        assert grades[(student, "demo")]["late_penalty"] == "0"
    assert (grades[("gone", "demo")]["status"], grades[("gone", "demo")]["late_by"]) == ("missing", "")
    # an unknown time is said, and is not a status: the notebook was graded as usual
    assert grades[("nostamp", "demo")]["status"] == "ok" and "no timestamp.txt" in grades[("nostamp", "demo")]["message"]


def test_formgrader_shows_the_due_date_extension_and_times(graded):
    with Gradebook(Course.at(graded["course"]).nbgrader().db_url) as gb:
        assert gb.find_assignment("demo").duedate == DUE_UTC
        excused = gb.find_submission("demo", "excused")
        assert excused.extension == datetime.timedelta(hours=48) and excused.total_seconds_late == 0
        late = gb.find_submission("demo", "late")
        assert late.extension is None and late.total_seconds_late == 25.5 * 3600
        # our own policy is ours to apply: nbgrader's per-notebook penalty is not set as well
        assert all(nb.late_submission_penalty is None for nb in late.notebooks)


def test_feedback_and_report_say_it(graded):
    workspace = graded["workspace"]
    page = html.unescape((workspace / "feedback" / "late" / "demo.html").read_text())
    assert "25.5 hours late" in page and "10% of the score per day late, at most 50%" in page
    assert "Score after the penalty" in page
    excused = html.unescape((workspace / "feedback" / "excused" / "demo.html").read_text())
    assert "with your extension: 48 more hours (illness)" in excused and "on time" in excused
    report = html.unescape((workspace / "report-demo.html").read_text())
    # one within the grace period: after the due date, at no cost
    assert "2 of 5 submissions were handed in after their due date" in report
    assert "<tr><td>grace</td><td>0.17</td><td>0</td></tr>" in report
    assert "Without a readable timestamp.txt, so handed in at a time unknown (no penalty): nostamp." in report


def test_a_changed_extension_regrades_nothing_and_moves_the_penalty(graded):
    course, workspace = graded["course"], graded["workspace"]
    (course / "extensions.csv").write_text(EXTENSIONS + "late,demo,2026-11-22 12:00,,committee\n")
    run = grade(course, workspace)
    assert "graded 0 of 6 submissions" in run.stdout
    grades = read_grades(workspace)
    assert grades[("late", "demo")]["late_by"] == "0" and grades[("late", "demo")]["late_penalty"] == "0"
    with Gradebook(Course.at(course).nbgrader().db_url) as gb:
        assert gb.find_submission("demo", "late").extension == datetime.timedelta(hours=42)   # to 11:00 UTC two days on
    (course / "extensions.csv").write_text(EXTENSIONS)   # withdrawn again: the penalty is back
    grade(course, workspace)
    assert read_grades(workspace)[("late", "demo")]["late_by"] == "25.5"
    with Gradebook(Course.at(course).nbgrader().db_url) as gb:
        assert gb.find_submission("demo", "late").extension is None


def test_the_export_takes_the_penalty_from_the_total_with_hand_marks(graded):
    course, workspace = graded["course"], graded["workspace"]
    with Gradebook(Course.at(course).nbgrader().db_url) as gb:
        essay = gb.find_grade("q5", "demo", "demo", "late")
        essay.manual_score, essay.needs_manual_grade = 2.0, False
        gb.db.commit()
        total = gb.find_submission("demo", "late").score
    out = workspace / "export.csv"
    run = course_cmd("export", "--format", "csv", "--workspace", str(workspace), "--output", str(out), cwd=course)
    assert f"late (25.5 h late, -{round(0.2 * total, 4):g})" in run.stdout.split("handed in late: ")[1]
    rows = {r["student_id"]: r for r in csv.DictReader(out.open())}
    assert float(rows["late"]["late_penalty"]) == pytest.approx(0.2 * total)
    assert float(rows["late"]["score"]) == pytest.approx(0.8 * total)
    assert rows["ontime"]["late_by"] == "0"


def test_a_bad_extension_line_stops_grading_before_it_starts(graded, tmp_path):
    course = graded["course"]
    (course / "extensions.csv").write_text(EXTENSIONS + "late,demo,,soon,\n")
    try:
        run = grade_unchecked(course, tmp_path)
    finally:
        (course / "extensions.csv").write_text(EXTENSIONS)
    assert run.returncode != 0 and f"{course / 'extensions.csv'}:3: extra_hours must be a number" in run.stderr
    assert not (tmp_path / "grades.csv").exists()


def grade_unchecked(course: Path, workspace: Path):
    return course_cmd("grade", "demo", "--submissions", "submitted", "--workspace", str(workspace), "--no-progress",
                      "--workers", "1", cwd=course, check=False)
