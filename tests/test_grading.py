"""The grading pipeline on a small course: bad submissions, tampering, resuming, the
gradebook, feedback, the report and exports.  Grading is called in-process (the pipeline's
`grade`; the notebooks still run in the sandbox); the `course` command itself runs for the
resumed run and the usage errors, which are about the command line."""
import hashlib
import html
import os
import re
import shutil
from pathlib import Path

import pytest
from helpers import (
    BIN,
    course_cmd,
    course_run,
    grade_in_process,
    read_grades,
    require_command,
    set_answer,
    student_notebook,
    write_submission,
)
from nbgrader.api import Gradebook

from autograder import cli
from autograder.authoring.release import release
from autograder.course import Course
from autograder.execution.limits import Limits

FIXTURE = Path(__file__).parent / "fixtures" / "course"
pytestmark = pytest.mark.sandbox


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    release(Course.at(root), ["demo"])
    return root


def test_a_course_without_a_course_block_carries_nothing_of_contested_peace(course):
    released = "".join(p.read_text(encoding="utf-8") for p in (course / "exercises" / "demo").iterdir()).lower()
    assert "contested" not in released and "from autograder.student import load_checker" in released


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path).encode() + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    subs = tmp_path_factory.mktemp("submitted")
    good = student_notebook("demo", "solution", root=course)
    write_submission(subs, "perfect", "demo", good)
    write_submission(subs, "blank", "demo", student_notebook("demo", "blank", root=course))
    write_submission(subs, "broken", "demo", '{"cells": [')
    write_submission(subs, "notanotebook", "demo", '{"hello": "world"}')
    (subs / "absent" / "demo").mkdir(parents=True)
    (subs / "absent" / "demo" / "homework.ipynb").write_text("{}")
    extra = write_submission(subs, "extra", "demo", good)
    (extra.parent / "notes.txt").write_text("my notes")
    collected = write_submission(subs, "collected", "demo", good)   # as `nbgrader collect` leaves it
    (collected.parent / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    shutil.copy(course / "exercises" / "demo" / "checks.json", collected.parent / "checks.json")
    # tampering: edit a locked check cell and give it more points
    tampered = student_notebook("demo", "solution", root=course)
    for cell in tampered.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1":
            cell.source = "pass"
            cell.metadata.nbgrader["points"] = 100
    write_submission(subs, "tamperer", "demo", tampered)
    # a kernel trick: answer wrong, then make every comparison say yes
    liar = student_notebook("demo", "blank", root=course)
    for cell in liar.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1_answer":
            cell.source = ("class Yes(str):\n    def __eq__(self, other): return True\n    __hash__ = str.__hash__\n"
                           "answer_q1 = Yes('a')\nimport builtins; builtins.isinstance = lambda *a: True")
    write_submission(subs, "liar", "demo", liar)
    before = digest(subs)
    workspace = tmp_path_factory.mktemp("workspace")
    summary = grade_in_process(course, "demo", subs, workspace, workers=2, limits=Limits(cell_seconds=5))
    return {"subs": subs, "workspace": workspace, "before": before, "summary": summary, "course": course}


def test_batch_grades_everyone(graded):
    grades = read_grades(graded["workspace"])
    assert "graded 9 of 9" in graded["summary"]
    assert {s for s, _ in grades} == {"perfect", "blank", "broken", "notanotebook", "absent", "extra", "tamperer", "liar",
                                      "collected"}


def test_perfect_and_blank(graded):
    grades = read_grades(graded["workspace"])
    assert grades[("perfect", "demo")]["status"] == "ok"
    assert grades[("perfect", "demo")]["auto_score"] == "4" and grades[("perfect", "demo")]["manual_pending"] == "1"
    assert grades[("blank", "demo")]["score"] == "0" and grades[("blank", "demo")]["status"] == "ok"


def test_broken_missing_and_extra_get_clear_statuses(graded):
    grades = read_grades(graded["workspace"])
    assert grades[("broken", "demo")]["status"] == "invalid-json"
    assert "demo/demo.ipynb: not valid JSON" in grades[("broken", "demo")]["message"]
    assert grades[("notanotebook", "demo")]["status"] == "not-notebook"
    assert grades[("absent", "demo")]["status"] == "missing"
    assert "homework.ipynb" in grades[("absent", "demo")]["message"]
    extra = grades[("extra", "demo")]
    assert extra["status"] == "extra-file" and "notes.txt" in extra["message"] and extra["auto_score"] == "4"
    assert grades[("collected", "demo")]["status"] == "ok" and grades[("collected", "demo")]["auto_score"] == "4"


def test_submitted_files_are_never_modified(graded):
    assert digest(graded["subs"]) == graded["before"]


def test_tampering_is_flagged_and_earns_nothing_extra(graded):
    grades = read_grades(graded["workspace"])
    row = grades[("tamperer", "demo")]
    assert row["status"] == "tampered" and "q1" in row["message"]
    # its answers are the solution's: it earns what they earn, and the 100 points it gave itself count for nothing
    assert float(row["max_score"]) == 6 and row["auto_score"] == "4"
    assert grades[("liar", "demo")]["score"] == "0"


def test_feedback_has_messages_but_no_key(graded, course):
    page = (graded["workspace"] / "feedback" / "blank" / "demo.html").read_text()
    assert "No answer yet" in page and "You have not reordered" in page
    for secret in ("Chapter VII", "hidden", "points_for", "Traceback", "BEGIN SOLUTION"):
        assert secret not in page
    perfect = (graded["workspace"] / "feedback" / "perfect" / "demo.html").read_text()
    assert "graded by hand" in perfect


def test_report_shows_distribution_and_question_statistics(graded):
    report = (graded["workspace"] / "report-demo.html").read_text()
    # the two notebooks that could not be read (broken, notanotebook) are no graded zeros
    assert "9 submissions; 6 graded; 2 could not be graded, left out of every figure" in report
    assert "data:image/png;base64" in report
    # q1 (single choice) right for perfect, extra, collected, tamperer; wrong or blank for blank and liar
    prompt = re.escape(html.escape(" ".join(Course.at(graded["course"]).assignment("demo").questions[0].prompt.split())))
    assert re.search(rf"<td>q1</td><td>{prompt}</td><td>single</td><td>1</td><td>0.67</td>", report), report
    assert "<td>essay</td><td>2</td>" in report and "graded by hand" in report


def test_grade_names_each_submission_that_could_not_be_graded(graded):
    out = graded["summary"]   # what the command prints at the end
    summary, _, named = out.partition("\nnot graded (no score: the exports leave it empty):\n")
    assert "with problems" in summary and named, out
    not_graded, _, problems = named.partition("graded, with a problem to look at:\n")
    assert re.search(r"^  broken: invalid-json: .*not valid JSON", not_graded, re.M), out
    assert re.search(r"^  notanotebook: not-notebook", not_graded, re.M), out
    assert re.search(r"^  tamperer: tampered", problems, re.M) and "broken" not in problems, out
    # the summary's count of problems is the number of students named
    count = int(re.search(r"(\d+) with problems", summary).group(1))
    assert count == len(re.findall(r"^  \S+: ", named, re.M)), out


def test_gradebook_holds_the_scores(graded):
    with Gradebook(f"sqlite:///{graded['workspace'] / 'gradebook.db'}") as gb:
        assert gb.find_submission("demo", "perfect").score == 4
        assert gb.find_grade("q5", "demo", "demo", "perfect").needs_manual_grade


def test_rerun_resumes_without_double_counting(graded):
    again = course_run("grade", "demo", "--submissions", str(graded["subs"]), "--workspace", str(graded["workspace"]),
                       "--no-progress", cwd=graded["course"])
    assert "graded 0 of 9" in again.stdout
    lines = (graded["workspace"] / "grades.csv").read_text().strip().splitlines()
    assert len(lines) == 1 + 9


def test_exports(graded):
    for fmt in ("csv", "canvas", "moodle"):
        assert cli.main(["export", "--format", fmt, "--workspace", str(graded["workspace"]),
                         "--course-dir", str(graded["course"])]) == 0
    canvas = (graded["workspace"] / "grades-canvas.csv").read_text().splitlines()
    assert canvas[0].startswith("Student,ID,SIS User ID,SIS Login ID,Section,demo")
    assert canvas[1].startswith("Points Possible") and canvas[1].endswith(",6")
    moodle = (graded["workspace"] / "grades-moodle.csv").read_text().splitlines()
    assert moodle[0] == "ID number,demo" and "perfect,4" in moodle


def test_exports_leave_a_submission_that_could_not_be_graded_without_a_score(graded):
    """Never a silent zero in the LMS: an empty cell, which Canvas and Moodle import as not
    graded, and the command names who."""
    for fmt in ("csv", "canvas", "moodle"):
        run = course_run("export", "--format", fmt, "--workspace", str(graded["workspace"]), cwd=graded["course"])
        said = next(line for line in run.stdout.splitlines() if line.startswith("not graded"))
        assert "broken (demo): invalid-json" in said and "notanotebook (demo): not-notebook" in said, run.stdout
        assert "perfect" not in said and "blank" not in said
    canvas = (graded["workspace"] / "grades-canvas.csv").read_text().splitlines()
    assert "broken,,broken,broken,," in canvas and "blank,,blank,blank,,0" in canvas, canvas
    assert "broken," in (graded["workspace"] / "grades-moodle.csv").read_text().splitlines()
    flat = (graded["workspace"] / "grades-csv.csv").read_text().splitlines()
    assert any(line.startswith("broken,demo,,6,invalid-json") for line in flat), flat


def test_usage_errors_exit_nonzero_with_one_line(course, tmp_path, capsys):
    assert cli.main(["grade", "nope", "--submissions", str(tmp_path), "--course-dir", str(course)]) == 2
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "nope" in said
    assert cli.main(["grade", "demo", "--submissions", str(tmp_path / "missing"), "--course-dir", str(course)]) == 2
    assert "no such submissions directory" in capsys.readouterr().err


@pytest.mark.slow
def test_parallel_and_sequential_runs_give_identical_results(graded, tmp_path):
    sequential = tmp_path / "sequential"
    course_cmd("grade", "demo", "--submissions", str(graded["subs"]), "--workspace", str(sequential),
               "--no-progress", "--workers", "1", "--timeout", "5", cwd=graded["course"])
    assert (sequential / "grades.csv").read_text() == (graded["workspace"] / "grades.csv").read_text()
    for page in (graded["workspace"] / "feedback").rglob("*.html"):
        assert page.read_text() == (sequential / page.relative_to(graded["workspace"])).read_text(), page


@pytest.mark.slow
def test_killed_run_resumes_with_no_grade_lost_or_counted_twice(course, tmp_path):
    class_size = 10   # results are saved a batch a second: enough students for several batches
    import signal
    import subprocess
    import time

    subs = tmp_path / "submitted"
    good = student_notebook("demo", "solution", root=course)
    for cell in good.cells:   # slow enough that results are saved in several batches
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1_answer":
            cell.source += "\nimport time\ntime.sleep(0.6)"
    for i in range(class_size):
        write_submission(subs, f"s{i}", "demo", good)
    workspace = tmp_path / "workspace"
    args = [str(BIN / "course"), "grade", "demo", "--submissions", str(subs), "--workspace", str(workspace),
            "--no-progress", "--workers", "1"]
    first = subprocess.Popen(args, cwd=course, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    results = workspace / "results" / "demo"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(results.glob("*.json"))) < 2:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)   # at an arbitrary moment, as a power cut would
    first.wait()
    done = len(list(results.glob("*.json")))
    assert 2 <= done < class_size, "the run must be killed part-way for this test to mean anything"
    again = course_cmd("grade", "demo", "--submissions", str(subs), "--workspace", str(workspace), "--no-progress",
                       cwd=course)
    assert f"graded {class_size - done} of {class_size}" in again.stdout
    rows = read_grades(workspace)
    assert sorted(s for s, _ in rows) == [f"s{i}" for i in range(class_size)]
    assert all(row["auto_score"] == "4" for row in rows.values())
    with Gradebook(f"sqlite:///{workspace / 'gradebook.db'}") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions("demo")}
    assert scores == {f"s{i}": 4 for i in range(class_size)}


def grade_demo(course: Path, subs: Path, workspace: Path) -> str:
    return grade_in_process(course, "demo", subs, workspace)


@pytest.mark.slow
def test_a_changed_key_regrades_everyone(course, tmp_path):
    own = tmp_path / "course"
    shutil.copytree(course, own)
    subs, workspace = tmp_path / "submitted", tmp_path / "workspace"
    write_submission(subs, "perfect", "demo", student_notebook("demo", "solution", root=own))
    write_submission(subs, "other", "demo", set_answer(student_notebook("demo", "solution", root=own), "q1_answer",
                                                       "answer_q1 = 'a'"))
    assert "graded 2 of 2" in grade_demo(own, subs, workspace)
    assert "graded 0 of 2" in grade_demo(own, subs, workspace)
    questions = own / "solutions" / "demo" / "questions.yml"
    questions.write_text(questions.read_text().replace("    prompt: Pick b.\n    choices: {a: A, b: B}\n    answer: b",
                                                       "    prompt: Pick b.\n    choices: {a: A, b: B}\n    answer: a"))
    course_cmd("release", "demo", cwd=own)
    assert "graded 2 of 2" in grade_demo(own, subs, workspace)
    grades = read_grades(workspace)
    assert grades[("perfect", "demo")]["auto_score"] == "3" and grades[("other", "demo")]["auto_score"] == "4"


def test_marks_and_comments_entered_by_hand_survive_a_rerun(course, tmp_path):
    subs, workspace = tmp_path / "submitted", tmp_path / "workspace"
    essay = set_answer(student_notebook("demo", "solution", root=course), "q5", "Consent matters because ...")
    path = write_submission(subs, "writer", "demo", essay)
    grade_demo(course, subs, workspace)
    db = f"sqlite:///{workspace / 'gradebook.db'}"
    with Gradebook(db) as gb:
        grade = gb.find_grade("q5", "demo", "demo", "writer")
        assert grade.auto_score is None and grade.needs_manual_grade
        grade.manual_score = 1.5
        gb.find_comment("q5", "demo", "demo", "writer").manual_comment = "A clear argument."
        gb.db.commit()
    path.write_text(path.read_text() + "\n")   # a late resubmission: graded again
    assert "graded 1 of 1" in grade_demo(course, subs, workspace)
    with Gradebook(db) as gb:
        assert gb.find_grade("q5", "demo", "demo", "writer").manual_score == 1.5
        assert gb.find_comment("q5", "demo", "demo", "writer").manual_comment == "A clear argument."
        assert gb.find_submission("demo", "writer").score == 5.5
