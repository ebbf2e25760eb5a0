"""A course that uses nbgrader's own late settings (the gradebook's due date and
extensions, `LateSubmissionPlugin.penalty_method`) gets from `course grade` what stock
`nbgrader autograde` gives: the same lateness and the same penalty, student by student."""
import shutil

import nbformat
import pytest
from helpers import course_cmd, read_grades, require_command
from test_stock_nbgrader import filled, nbgrader

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]
DUE = "2026-11-20 17:00:00 UTC"
TIMES = {   # submission times (None: no timestamp.txt)
    "perfect": "2026-11-20 16:00:00.000000 UTC",
    "late": "2026-11-20 19:30:00.000000 UTC",
    "extended": "2026-11-20 19:30:00.000000 UTC",     # with five more hours
    "nostamp": None,
    "latehalf": "2026-11-21 08:00:00.000000 Europe/Paris",
}


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    base = tmp_path_factory.mktemp("latestock")
    nbgrader("quickstart", "course101", cwd=base)
    course = base / "course101"
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\nc.LateSubmissionPlugin.penalty_method = 'zero'\n")
    nbgrader("generate_assignment", "ps1", cwd=course)
    nbgrader("db", "assignment", "add", "ps1", f"--duedate={DUE}", cwd=course)
    source = {n: nbformat.read(course / "source" / "ps1" / f"{n}.ipynb", as_version=4) for n in ("problem1", "problem2")}
    release = {n: nbformat.read(course / "release" / "ps1" / f"{n}.ipynb", as_version=4) for n in source}
    for student, time in TIMES.items():
        folder = course / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        for name in source:
            answered = filled(release[name], source[name]) if student != "latehalf" or name == "problem1" else release[name]
            nbformat.write(answered, folder / f"{name}.ipynb")
        if time:
            (folder / "timestamp.txt").write_text(time)
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:   # the extension, as formgrader's API grants it
        gb.update_or_create_student("extended")
        gb.update_or_create_submission("ps1", "extended")
        gb.grant_extension("ps1", "extended", hours=5)
    ours = base / "workspace"
    ours.mkdir()
    shutil.copy(course / "gradebook.db", ours / "gb.db")   # the same due date and extension, not yet graded
    nbgrader("autograde", "ps1", cwd=course)
    course_cmd("grade", "ps1", "--course-dir", str(course), "--submissions", str(course / "submitted"),
               "--workspace", str(ours), "--no-progress", "--workers", "2", "--db", f"sqlite:///{ours}/gb.db", cwd=base)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        stock = {s.student.id: (s.score, s.late_submission_penalty, s.total_seconds_late)
                 for s in gb.assignment_submissions("ps1")}
    return {"ours": read_grades(ours), "stock": stock}


def test_same_lateness_and_penalty_as_stock_nbgrader(both):
    stock, ours = both["stock"], both["ours"]
    assert set(stock) == set(TIMES)
    for student, (score, penalty, seconds_late) in stock.items():
        row = ours[(student, "ps1")]
        assert float(row["auto_score"]) == pytest.approx(score), student
        assert float(row["late_penalty"]) == pytest.approx(penalty), student
        assert float(row["score"]) == pytest.approx(score - penalty), student
        if student != "nostamp":
            assert float(row["late_by"]) == pytest.approx(seconds_late / 3600, abs=0.01), student
    # the cases differ, so the comparison means something: zeroed for lateness, and not
    assert stock["late"][1] == stock["late"][0] > 0 and stock["latehalf"][1] == stock["latehalf"][0] > 0
    assert stock["extended"][1] == 0 and stock["perfect"][1] == 0
    assert ours[("nostamp", "ps1")]["late_by"] == "no-timestamp"   # stock says nothing; we say it


def test_without_a_policy_of_its_own_a_course_gets_stocks_default_none(tmp_path):
    """nbgrader's `penalty_method` is `none` by default: lateness is recorded, nothing is taken."""
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    from helpers import student_notebook, write_submission
    from test_deadlines import FIXTURE

    course = tmp_path / "course"
    shutil.copytree(FIXTURE, course)
    with open(course / "_config.yml", "a") as config:
        config.write("\ncourse:\n  assignments:\n    demo: {due: 2026-11-20 17:00 UTC}\n")
    course_cmd("release", "demo", cwd=course)
    path = write_submission(course / "submitted", "late", "demo", student_notebook("demo", "solution", root=course))
    (path.parent / "timestamp.txt").write_text("2026-11-22 17:00:00.000000 UTC")
    course_cmd("grade", "demo", "--submissions", "submitted", "--workspace", str(tmp_path / "ws"), "--no-progress",
               "--workers", "1", cwd=course)
    row = read_grades(tmp_path / "ws")[("late", "demo")]
    assert (row["late_by"], row["late_penalty"]) == ("48", "0") and float(row["score"]) == float(row["auto_score"]) > 0
