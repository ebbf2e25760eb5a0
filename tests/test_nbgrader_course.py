"""Inside an nbgrader course, `course grade` hands over to nbgrader's tools: the autograded
notebooks formgrader opens, the course's gradebook, marks people enter that survive every
re-run, `course feedback` in nbgrader's feedback layout (and to the exchange), and an
export whose total holds the hand marks."""
import csv
import html
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from helpers import course_cmd, read_grades, require_command, set_answer, student_notebook, write_submission
from nbgrader.api import Gradebook
from nbgrader.utils import notebook_hash

from autograder.course import Course

FIXTURE = Path(__file__).parent / "fixtures" / "course"
pytestmark = [pytest.mark.sandbox, pytest.mark.slow]   # grades a course several times (about 100 s)
ESSAY = "My thesis: consent matters, with evidence from two missions."
COMMENT = "A clear thesis; the evidence needs dates."
SECRET = "0123456789abcdef"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    root = tmp_path_factory.mktemp("nbcourse")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    exchange = tmp_path_factory.mktemp("exchange")
    (root / "nbgrader_config.py").write_text(
        "from pathlib import Path\nfrom autograder.authoring.release import course_settings\n"
        "from autograder.course import Course\nc = get_config()\nc.CourseDirectory.course_id = 'demo-course'\n"
        f"c.Exchange.root = {str(exchange)!r}\ncourse_settings(c, Course.at(Path(__file__).resolve().parent))\n")
    course_cmd("release", "demo", cwd=root)
    return root


def submit(course: Path, student: str, nb, secret: bool = True) -> None:
    """A submission as `nbgrader collect` leaves it in the course's submitted/."""
    path = write_submission(course / "submitted", student, "demo", nb)
    if secret:
        (path.parent / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
        (path.parent / "submission_secret.txt").write_text(SECRET + student)


def grade(course: Path, workspace: Path):
    return course_cmd("grade", "demo", "--submissions", "submitted", "--workspace", str(workspace), "--no-progress",
                      "--workers", "2", "--timeout", "10", cwd=course)


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    full = set_answer(student_notebook("demo", "solution", root=course), "q5", ESSAY)
    set_answer(full, "q1_answer", "print('thinking ' * 3)\nanswer_q1 = 'b'")
    submit(course, "full", full)
    submit(course, "partial", set_answer(student_notebook("demo", "blank", root=course), "q1_answer", "answer_q1 = 'b'"))
    submit(course, "noessay", student_notebook("demo", "solution", root=course), secret=False)
    submit(course, "broken", '{"cells": [')
    workspace = tmp_path_factory.mktemp("workspace")
    run = grade(course, workspace)
    return {"course": course, "workspace": workspace, "run": run}


def autograded(course: Path, student: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "autograded" / student / "demo" / "demo.ipynb", as_version=4)


def cell(nb, gid: str):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def test_grade_writes_nbgrader_autograded_layout(graded):
    course = graded["course"]
    for student in ("full", "partial", "noessay"):
        assert (course / "autograded" / student / "demo" / "demo.ipynb").is_file(), student
    assert not (course / "autograded" / "broken").exists()   # could not be read: nothing to open
    assert read_grades(graded["workspace"])[("broken", "demo")]["status"] == "invalid-json"
    nb = autograded(course, "full")
    source = nbformat.read(course / "solutions" / "demo" / "demo.ipynb", as_version=4)
    assert cell(nb, "q1").source == cell(source, "q1").source and "BEGIN HIDDEN TESTS" in cell(nb, "q1").source
    # the outputs of the sandboxed run: what the answer printed
    printed = "".join(o.get("text", "") for o in cell(nb, "q1_answer").outputs if o.output_type == "stream")
    assert printed == "thinking thinking thinking \n"
    assert cell(nb, "q5").source == ESSAY
    nbformat.validate(nb)


def test_grade_records_into_the_course_gradebook(graded):
    course = graded["course"]
    assert not (graded["workspace"] / "gradebook.db").exists()
    with Gradebook(Course.at(course).nbgrader().db_url) as gb:
        essay = gb.find_grade("q5", "demo", "demo", "full")
        assert essay.auto_score is None and essay.needs_manual_grade
        assert gb.find_grade("q1", "demo", "demo", "full").auto_score == 1 and not gb.find_grade(
            "q1", "demo", "demo", "full").needs_manual_grade
        # every cell a student writes in has a comment row, as formgrader needs
        assert gb.find_comment("q1_answer", "demo", "demo", "partial") is not None
        assert {s.student.id for s in gb.assignment_submissions("demo")} == {"full", "partial", "noessay", "broken"}


def mark(course: Path, student: str, score: float, comment: str) -> None:
    """What formgrader saves when a person marks the essay and writes a comment."""
    with Gradebook(Course.at(course).nbgrader().db_url) as gb:
        grade = gb.find_grade("q5", "demo", "demo", student)
        grade.manual_score, grade.needs_manual_grade = score, False
        gb.find_comment("q5", "demo", "demo", student).manual_comment = comment
        gb.db.commit()


@pytest.fixture(scope="module")
def marked(graded):
    course, workspace = graded["course"], graded["workspace"]
    mark(course, "full", 1.5, COMMENT)
    # a late resubmission and a changed key: the student is graded again
    late = set_answer(student_notebook("demo", "solution", root=course), "q5", ESSAY + " (revised)")
    submit(course, "full", late)
    questions = course / "solutions" / "demo" / "questions.yml"
    questions.write_text(questions.read_text().replace("Pick b.", "Pick b, please."))
    course_cmd("release", "demo", cwd=course)
    rerun = grade(course, workspace)
    return {**graded, "rerun": rerun}


def test_a_rerun_never_overwrites_a_mark_or_comment(marked):
    assert "graded 5 of 4" not in marked["rerun"].stdout and "graded 4 of 4" in marked["rerun"].stdout
    with Gradebook(Course.at(marked["course"]).nbgrader().db_url) as gb:
        essay = gb.find_grade("q5", "demo", "demo", "full")
        assert essay.manual_score == 1.5 and not essay.needs_manual_grade
        assert gb.find_comment("q5", "demo", "demo", "full").manual_comment == COMMENT
    assert cell(autograded(marked["course"], "full"), "q5").source.endswith("(revised)")


@pytest.fixture(scope="module")
def fed_back(marked):
    run = course_cmd("feedback", "demo", "--release", "--workspace", str(marked["workspace"]), cwd=marked["course"])
    return {**marked, "feedback": run}


def page(course: Path, student: str) -> str:
    return html.unescape((course / "feedback" / student / "demo" / "demo.html").read_text(encoding="utf-8"))


def test_feedback_in_nbgrader_layout_holds_hand_marks_and_comments(fed_back):
    course = fed_back["course"]
    full = page(course, "full")
    # automatic 4 of 4, and the essay's 1.5 of 2 entered by hand
    assert "Score: <strong>5.5 / 6</strong>" in full and COMMENT in full and "marked by hand" in full
    assert (course / "feedback" / "full" / "demo" / "submission_secret.txt").read_text() == SECRET + "full"
    partial = page(course, "partial")
    assert "still to be graded by hand" not in partial   # a blank essay scores 0 at once
    assert "still to be marked by hand: noessay" in fed_back["feedback"].stdout


def test_feedback_is_released_to_the_exchange(fed_back):
    config = (fed_back["course"] / "nbgrader_config.py").read_text()
    exchange = Path(config.split("c.Exchange.root = ")[1].split("\n")[0].strip("'\""))
    released = exchange / "demo-course" / "feedback" / f"{notebook_hash(secret=SECRET + 'full', notebook_id='demo')}.html"
    assert released.is_file() and COMMENT in html.unescape(released.read_text(encoding="utf-8"))
    # a submission without nbgrader's secret cannot be matched: said, not released
    assert "not released" in fed_back["feedback"].stdout and "noessay" in fed_back["feedback"].stdout.split("not released")[1]


def test_no_feedback_page_holds_a_key_or_a_hidden_test(fed_back):
    course = Course.at(fed_back["course"])
    assignment = course.assignment("demo")
    keys = {k: v for version in course.version_keys(course.versions(assignment)) for k, v in version.items()}
    pages = [p.read_text(encoding="utf-8") for p in (fed_back["course"] / "feedback").rglob("*.html")]
    pages += [p.read_text(encoding="utf-8") for p in (fed_back["workspace"] / "feedback").rglob("*.html")]
    config = (fed_back["course"] / "nbgrader_config.py").read_text()
    exchange = Path(config.split("c.Exchange.root = ")[1].split("\n")[0].strip("'\""))
    pages += [p.read_text(encoding="utf-8") for p in exchange.rglob("*.html")]
    assert len(pages) >= 7
    secrets = ["BEGIN HIDDEN TESTS", "autograder.student.hidden", "points_for", "A thesis with evidence"]
    secrets += [json.dumps(key) for key in keys.values()] + ["Chapter VII", '"first", "second"']
    for text in pages:
        for secret in secrets:
            assert secret not in html.unescape(text), secret


def export_rows(course: Path, workspace: Path, fmt: str):
    run = course_cmd("export", "--format", fmt, "--workspace", str(workspace), cwd=course)
    with open(workspace / f"grades-{fmt}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle)), run


def test_export_totals_automatic_and_hand_marks(fed_back):
    course, workspace = fed_back["course"], fed_back["workspace"]
    table, _ = export_rows(course, workspace, "csv")
    rows = {r[0]: dict(zip(table[0], r, strict=True)) for r in table[1:]}
    assert float(rows["full"]["score"]) == 5.5 and rows["full"]["pending_hand_marks"] == ""
    assert rows["noessay"]["pending_hand_marks"] == "q5" and float(rows["noessay"]["score"]) == 4
    assert rows["broken"]["status"] == "invalid-json"
    canvas, run = export_rows(course, workspace, "canvas")
    assert {r[0]: r[5] for r in canvas[2:]}["full"] == "5.5"
    assert "demo: still to be marked by hand: noessay" in run.stdout


def test_a_missing_autograded_notebook_is_made_again(fed_back):
    """Graded before the course had nbgrader's layout, or deleted: formgrader must not say
    "Submission missing", so that student alone is graded again."""
    course = fed_back["course"]
    (course / "autograded" / "partial" / "demo" / "demo.ipynb").unlink()
    run = grade(course, fed_back["workspace"])
    assert "graded 1 of 4" in run.stdout and (course / "autograded" / "partial" / "demo" / "demo.ipynb").is_file()
    with Gradebook(Course.at(course).nbgrader().db_url) as gb:   # and still nothing a person entered is lost
        assert gb.find_grade("q5", "demo", "demo", "full").manual_score == 1.5


def test_the_output_kept_for_the_autograded_notebook_is_capped():
    from autograder.execution.recorder import Recorder

    recorder = Recorder(output_limit=10)
    recorder.start_cell()
    recorder.printed("stdout", "abcdefgh")
    recorder.printed("stdout", "ijklmnop")
    recorder.result({"text/plain": "x" * 500, "text/html": "<b>" + "x" * 50})
    recorder.display({"text/plain": "y" * 50})
    assert recorder.cell_outputs[0] == {"output_type": "stream", "name": "stdout", "text": "abcdefghij"}
    assert recorder.flooded and recorder.kept == 10
    # past the limit: the start of the cell's result (nbgrader's partial credit reads it), no more displays
    assert recorder.cell_outputs[1]["data"] == {"text/plain": "x" * 100} and len(recorder.cell_outputs) == 2


def test_a_cell_that_shows_tracebacks_in_a_loop_keeps_one_error_output():
    """A kernel sends an error output for each traceback IPython shows (nbgrader then scores
    the cell 0); one is kept here, however many a cell shows."""
    from autograder.execution.recorder import Recorder

    recorder = Recorder(output_limit=10)
    recorder.start_cell()
    for _ in range(10_000):
        recorder.shown((ValueError, ValueError("again")))
    assert recorder.cell_outputs == [{"output_type": "error", "ename": "ValueError", "evalue": "again", "traceback": []}]
    recorder.start_cell()
    assert recorder.cell_outputs == [] and not recorder.failed
