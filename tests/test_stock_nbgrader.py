"""`course grade --course-dir` on nbgrader's own quickstart course gives the scores that
stock `nbgrader autograde` gives, student by student."""
import subprocess
from pathlib import Path

import nbformat
import pytest
from helpers import BIN, ENV, course_cmd, model_solutions, read_grades, require_command

from autograder.nbmeta import grade_id

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]


def nbgrader(*args: str, cwd: Path) -> None:
    result = subprocess.run([str(BIN / "nbgrader"), *args], cwd=cwd, capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, f"nbgrader {' '.join(args)}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"


def filled(release: nbformat.NotebookNode, source: nbformat.NotebookNode, keep: set[str] = frozenset(),
           replace: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The released notebook answered from the source's solutions, except the answer cells
    in `keep` (left blank) and those in `replace` (given this text instead)."""
    solutions = model_solutions(source)
    nb = nbformat.from_dict(release)
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in solutions and gid not in keep:
            cell.source = (replace or {}).get(gid, solutions[gid])
    return nb


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory):
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    base = tmp_path_factory.mktemp("quickstart")
    nbgrader("quickstart", "course101", cwd=base)
    course = base / "course101"
    nbgrader("generate_assignment", "ps1", cwd=course)
    source = {n: nbformat.read(course / "source" / "ps1" / f"{n}.ipynb", as_version=4) for n in ("problem1", "problem2")}
    release = {n: nbformat.read(course / "release" / "ps1" / f"{n}.ipynb", as_version=4) for n in source}
    wrong_squares = "def squares(n):\n    return [i * i for i in range(n)]"   # off by one
    students = {
        "perfect": {n: filled(release[n], source[n]) for n in source},
        "blank": dict(release),
        "half": {"problem1": filled(release["problem1"], source["problem1"]), "problem2": release["problem2"]},
        "offbyone": {n: filled(release[n], source[n], replace={"squares": wrong_squares}) for n in source},
        "nosum": {n: filled(release[n], source[n], keep={"sum_of_squares"}) for n in source},
    }
    for student, notebooks in students.items():
        folder = course / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        for name, nb in notebooks.items():
            nbformat.write(nb, folder / f"{name}.ipynb")
    submitted = course / "submitted"
    ours = base / "workspace"
    # stock nbgrader first: it skips a student whose autograded/ folder exists, which ours writes too
    nbgrader("autograde", "ps1", "--create", cwd=course)
    course_cmd("grade", "ps1", "--course-dir", str(course), "--submissions", str(submitted),   # its own gradebook:
               "--workspace", str(ours), "--no-progress", "--workers", "2", "--db", f"sqlite:///{ours}/gb.db", cwd=base)
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        stock = {s.student.id: s.score for s in gb.assignment_submissions("ps1")}
    return {"ours": read_grades(ours), "stock": stock, "students": set(students), "workspace": ours,
            "course": course, "perfect": students["perfect"]}


def test_same_scores_as_stock_nbgrader_autograde(quickstart):
    assert set(quickstart["stock"]) == quickstart["students"]
    ours = {student: float(row["auto_score"]) for (student, _), row in quickstart["ours"].items()}
    assert ours == pytest.approx(quickstart["stock"])
    # the cases differ, so the comparison means something
    assert len(set(quickstart["stock"].values())) >= 4


def test_stock_course_gets_feedback_and_report(quickstart):
    page = (quickstart["workspace"] / "feedback" / "offbyone" / "ps1.html").read_text()
    assert "problem1/correct_squares" in page and "did not pass" in page
    for secret in ("assert squares(1) == [1]", "Traceback"):
        assert secret not in page
    report = (quickstart["workspace"] / "report-ps1.html").read_text()
    assert f"{len(quickstart['students'])} submissions; {len(quickstart['students'])} graded" in report
    assert "problem1/correct_squares" in report and "graded by hand" in report   # the written answer


def test_the_autograded_notebook_shows_the_failing_test_as_nbgrader_would(quickstart):
    """`course grade` leaves nbgrader's autograded/ layout for formgrader, here written over
    stock nbgrader's own: the test cells restored, with the sandboxed run's outputs."""
    nb = nbformat.read(quickstart["course"] / "autograded" / "offbyone" / "ps1" / "problem1.ipynb", as_version=4)
    test = next(c for c in nb.cells if grade_id(c) == "correct_squares")
    assert "assert squares(1) == [1]" in test.source   # the instructor's test, as released
    assert [o.ename for o in test.outputs if o.output_type == "error"] == ["AssertionError"]
    nbformat.validate(nb)


def test_a_duplicated_or_edited_test_cell_is_flagged_and_counted_once(quickstart, tmp_path):
    problem1 = nbformat.from_dict(quickstart["perfect"]["problem1"])
    test = next(c for c in problem1.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "correct_squares")
    problem1.cells.append(nbformat.from_dict(test))               # a second copy, to be paid twice
    weakened = next(c for c in problem1.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "squares_invalid_input")
    weakened.source = "pass"                                       # a test that cannot fail
    folder = tmp_path / "submitted" / "cheat" / "ps1"
    folder.mkdir(parents=True)
    nbformat.write(problem1, folder / "problem1.ipynb")
    nbformat.write(quickstart["perfect"]["problem2"], folder / "problem2.ipynb")
    course_cmd("grade", "ps1", "--course-dir", str(quickstart["course"]), "--submissions", str(tmp_path / "submitted"),
               "--workspace", str(tmp_path / "ws"), "--no-progress", cwd=tmp_path)
    row = read_grades(tmp_path / "ws")[("cheat", "ps1")]
    assert row["status"] == "tampered" and "correct_squares" in row["message"]
    assert float(row["auto_score"]) == quickstart["stock"]["perfect"]   # the honest perfect score, no more


@pytest.mark.timeout(900)   # the shared quickstart batch may be set up first
def test_the_instructors_source_notebook_scores_nothing_on_the_whole_assignment(quickstart, tmp_path):
    """One notebook of two copied from source/ (markers, hidden tests, mark scheme): zero
    for both, with its own status; a perfect honest copy of the same answers is not flagged."""
    course = quickstart["course"]
    for student, problem1 in (("copier", (course / "source" / "ps1" / "problem1.ipynb").read_bytes()),
                              ("perfect", nbformat.writes(quickstart["perfect"]["problem1"]).encode())):
        folder = tmp_path / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        (folder / "problem1.ipynb").write_bytes(problem1)
        nbformat.write(quickstart["perfect"]["problem2"], folder / "problem2.ipynb")
    course_cmd("grade", "ps1", "--course-dir", str(course), "--submissions", str(tmp_path / "submitted"),
               "--workspace", str(tmp_path / "ws"), "--no-progress", cwd=tmp_path)
    grades = read_grades(tmp_path / "ws")
    copier = grades[("copier", "ps1")]
    assert copier["status"] == "instructor-copy" and float(copier["score"]) == 0 and copier["manual_pending"] == "0"
    assert "problem1.ipynb is the instructor's source notebook" in copier["message"]
    assert "BEGIN SOLUTION" in copier["message"] or "hidden tests" in copier["message"]
    assert grades[("perfect", "ps1")]["status"] == "ok"
    assert float(grades[("perfect", "ps1")]["auto_score"]) == quickstart["stock"]["perfect"]
