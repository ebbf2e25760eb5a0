"""`course grade --course-dir` against stock `nbgrader autograde`, cell by cell, on a course
written to hold each thing an nbgrader course may rely on: autotest directives (plain and
hashed), an error a cell magic catches and text on stderr, a task cell marked by hand,
files shipped with the assignment and files the student hands in, nbgrader's execution
contract (NBGRADER_EXECUTION, the course's Execute.timeout), 0-point test cells, an
assignment with nothing to grade, and students who did not hand in every assignment.
Both local runners; the course's gradebook copy of the instructor's cells and, without a
gradebook, the copy nbgrader's own preprocessors make."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from helpers import BIN, ENV, course_cmd, require_command
from helpers import nbgrader_code_cell as code

pytestmark = [pytest.mark.sandbox, pytest.mark.slow, pytest.mark.timeout(900)]

CONFIG = """c = get_config()
c.CourseDirectory.course_id = "diff"
c.Execute.timeout = 3
c.Autograde.exclude_overwriting = {"files": ["mine.py"]}
"""


def task(gid: str, text: str, points: float) -> nbformat.NotebookNode:
    """A task cell: a question in the notebook's text that a person marks in formgrader."""
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["nbgrader"] = {"grade_id": gid, "grade": False, "solution": False, "locked": True, "task": True,
                                 "points": points, "schema_version": 3}
    return cell


def notebook(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# An exercise"), *cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


SOURCES = {
    # directives nbgrader expands into asserts when it generates the assignment
    ("autotest", "auto.ipynb"): notebook(
        code("double", "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION", solution=True),
        code("plain", "### AUTOTEST double(1); double(5)", points=1),
        code("hashed", "### HASHED AUTOTEST double(3)", points=2),
        code("free", "assert double(0) == 0", points=0),                      # a 0-point test cell
        # an error a cell magic catches is still an error output (0), and so is text on stderr
        code("captured", "%%capture shown\nassert double(2) == 4", points=1),
        code("noisy", "import sys\nprint('checked', file=sys.stderr)\nassert double(2) == 4", points=1),
        task("explain", "Say, in a sentence, why `double` needs no loop.", points=2)),   # in the gradebook too
    # the assignment's own module, one the student edits (exclude_overwriting), one of their own
    ("files", "use.ipynb"): notebook(
        code("setup", "from helper import tripled"),
        code("answer", "### BEGIN SOLUTION\nanswer = tripled(2)\n### END SOLUTION", solution=True),
        code("uses_helper", "assert answer == 6", points=1),
        code("edited_module", "from mine import mine\nassert mine() == 42", points=1),
        code("own", "### BEGIN SOLUTION\nfrom extra import bonus\nvalue = bonus()\n### END SOLUTION", solution=True),
        code("own_module", "assert value == 7", points=1),
        code("contract", "import os\nassert os.environ.get('NBGRADER_EXECUTION') == 'autograde'", points=1)),
    # the course's Execute.timeout (3 s), not ours
    ("timing", "slow.ipynb"): notebook(
        code("work", "import time\ndef work(s):\n    ### BEGIN SOLUTION\n    time.sleep(s)\n    return s\n"
                     "    ### END SOLUTION", solution=True),
        code("quick", "assert work(0.1) == 0.1", points=1),
        code("too_slow", "assert work(8) == 8", points=1)),
    # nothing to grade at all
    ("empty", "nothing.ipynb"): notebook(code("note", "x = 1")),
}
SHIPPED = {"files": {"helper.py": "def tripled(x):\n    return 3 * x\n",
                     "mine.py": "def mine():\n    raise NotImplementedError\n"}}
PARTIAL = {"double": "def double(x):\n    return 7 if x == 3 else 2 * x"}   # the hashed test fails
# what each student hands in: answers (solution, blank or given text) and files beside the notebook
STUDENTS = {
    "perfect": {"autotest": "solution", "files": "solution", "timing": "solution", "empty": "solution"},
    "blank": {"autotest": "blank", "files": "blank"},   # nothing for timing or empty: no folder at all
    "partial": {"autotest": PARTIAL, "files": "solution"},
}
STUDENT_FILES = {("perfect", "files"): {"mine.py": "def mine():\n    return 42\n",
                                        "extra.py": "def bonus():\n    return 7\n"}}


def nbgrader(*args: str, cwd: Path) -> None:
    result = subprocess.run([str(BIN / "nbgrader"), *args], cwd=cwd, capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, f"nbgrader {' '.join(args)}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"


def answered(release: nbformat.NotebookNode, source: nbformat.NotebookNode, answers) -> nbformat.NotebookNode:
    from helpers import model_solutions

    nb = nbformat.from_dict(release)
    if answers == "blank":
        return nb
    text = model_solutions(source) if answers == "solution" else answers
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in text:
            cell.source = text[gid]
    return nb


def make_course(root: Path) -> Path:
    import nbgrader as package

    course = root / "course"
    for (assignment, name), nb in SOURCES.items():
        folder = course / "source" / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / name)
        for file, text in SHIPPED.get(assignment, {}).items():
            (folder / file).write_text(text)
    (course / "nbgrader_config.py").write_text(CONFIG)
    # nbgrader's own autotest templates, from its documentation
    shutil.copy(Path(package.__file__).parent / "docs" / "source" / "user_guide" / "autotests.yml", course)
    for assignment, _ in SOURCES:
        nbgrader("generate_assignment", assignment, cwd=course)
    # an instructor-only file, after the release: stock would copy it into every run, this never does
    (course / "source" / "files" / "answers_key.py").write_text("KEY = 6\n")
    for student, work in STUDENTS.items():
        for (assignment, name), source in SOURCES.items():
            if assignment not in work:
                continue
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            release = nbformat.read(course / "release" / assignment / name, as_version=4)
            nbformat.write(answered(release, source, work[assignment]), folder / name)
            for file, text in STUDENT_FILES.get((student, assignment), {}).items():
                (folder / file).write_text(text)
    return course


def scores(db_url: str, assignment: str) -> dict[tuple[str, str, str], float]:
    """Every cell's automatic score, by (student, notebook, cell)."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        return {(s.student.id, nb.name, g.name): g.auto_score
                for s in gb.assignment_submissions(assignment) for nb in s.notebooks for g in nb.grades}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    root = tmp_path_factory.mktemp("stockdiff")
    course = make_course(root)
    for assignment, _ in SOURCES:
        nbgrader("autograde", assignment, "--create", cwd=course)
    return course


def ours(course: Path, assignment: str, workspace: Path, *flags: str):
    workspace.mkdir(parents=True, exist_ok=True)
    run = course_cmd("grade", assignment, "--course-dir", str(course), "--submissions", str(course / "submitted"),
                     "--workspace", str(workspace), "--no-progress", "--workers", "2",
                     "--db", f"sqlite:///{workspace / 'ours.db'}", *flags, cwd=workspace)
    return scores(f"sqlite:///{workspace / 'ours.db'}", assignment), run


@pytest.mark.parametrize("runner", [["--runner", "process"], []], ids=["process", "warm"])
@pytest.mark.parametrize("assignment", [a for a, _ in SOURCES])
def test_every_cell_scores_as_stock_nbgrader_scores_it(course, assignment, runner, tmp_path):
    stock = scores(f"sqlite:///{course / 'gradebook.db'}", assignment)
    graded, run = ours(course, assignment, tmp_path, *runner)
    assert run.returncode == 0
    assert graded == stock
    # the cases differ, so the comparison means something
    if assignment != "empty":
        assert len({(student, score) for (student, _, _), score in stock.items()}) > len({s for s, _, _ in stock})


def test_a_student_without_the_assignment_gets_no_submission(course, tmp_path):
    graded, _ = ours(course, "timing", tmp_path)
    assert {student for student, _, _ in graded} == {"perfect"}
    rows = (tmp_path / "grades.csv").read_text()
    assert "blank,timing" in rows and "missing" in rows   # still a row in grades.csv, saying so


def test_without_a_gradebook_the_autotests_are_expanded_by_nbgrader(course, tmp_path):
    """The course's gradebook is gone: nbgrader's own preprocessors make the copy again,
    with the same hashes (its salts come from each cell's text)."""
    copy = tmp_path / "copy"
    shutil.copytree(course, copy, ignore=shutil.ignore_patterns("gradebook.db", "autograded"))
    graded, _ = ours(copy, "autotest", tmp_path / "ws")
    assert graded == scores(f"sqlite:///{course / 'gradebook.db'}", "autotest")


@pytest.mark.cluster
def test_on_a_cluster_every_cell_scores_as_stock(course, tmp_path):
    """`--cluster`: the assignment's files and the student's own travel with the notebook."""
    import importlib.util

    from dask_processes import DaskProcesses
    from helpers import require_tool

    require_tool(importlib.util.find_spec("distributed") is not None, "Dask's distributed (pip install -e '.[cluster]')")
    with DaskProcesses(tmp_path / "dask") as processes:
        processes.add_worker("alpha", ENV)
        for assignment in ("autotest", "files"):
            graded, _ = ours(course, assignment, tmp_path / assignment, "--cluster", processes.address)
            assert graded == scores(f"sqlite:///{course / 'gradebook.db'}", assignment), assignment


def test_a_file_only_the_instructor_has_never_reaches_a_run(course, tmp_path):
    """The deliberate difference: stock copies every file of source/ into the run (here
    answers_key.py, added after the release); the run here has the release's files only."""
    release = nbformat.read(course / "release" / "files" / "use.ipynb", as_version=4)
    for cell in release.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer":
            cell.source = "from answers_key import KEY\nanswer = KEY"
    folder = tmp_path / "submitted" / "peeker" / "files"
    folder.mkdir(parents=True)
    nbformat.write(release, folder / "use.ipynb")
    course_cmd("grade", "files", "--course-dir", str(course), "--submissions", str(tmp_path / "submitted"),
               "--workspace", str(tmp_path / "ws"), "--no-progress", "--db", f"sqlite:///{tmp_path / 'ours.db'}",
               cwd=tmp_path)
    graded = nbformat.read(course / "autograded" / "peeker" / "files" / "use.ipynb", as_version=4)
    answer = next(c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "answer")
    assert [o.ename for o in answer.outputs if o.output_type == "error"] == ["ModuleNotFoundError"]


def test_a_renamed_notebook_scores_nothing_and_is_named(course, tmp_path):
    """Stock autograde fails on a submission whose notebook was renamed; here it is graded
    as missing (0, as stock records it), and the message names the notebook handed in."""
    folder = tmp_path / "submitted" / "renamer" / "timing"
    folder.mkdir(parents=True)
    shutil.copy(course / "submitted" / "perfect" / "timing" / "slow.ipynb", folder / "slow (final).ipynb")
    run = course_cmd("grade", "timing", "--course-dir", str(course), "--submissions", str(tmp_path / "submitted"),
                     "--workspace", str(tmp_path / "ws"), "--no-progress", "--db", f"sqlite:///{tmp_path / 'ours.db'}",
                     cwd=tmp_path)
    assert run.returncode == 0
    rows = (tmp_path / "ws" / "grades.csv").read_text()
    assert "renamer,timing,0," in rows and "missing" in rows and "slow (final).ipynb" in rows
