"""What the tests share: the course, the `course` command, submissions made as a student
would make them, reading grades back, and one rule for a missing tool."""
from __future__ import annotations

import contextlib
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.course import Course
from autograder.nbmeta import grade_id, is_answer
from autograder.outputs.grades_csv import read_grades_csv

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# nbgrader runs `alembic` and kernels by name: the tools beside this Python come first
ENV = {**os.environ, "PATH": str(BIN) + os.pathsep + os.environ.get("PATH", "")}


def require_tool(found: bool, what: str) -> None:
    """A missing tool skips the test, with the reason, on a developer's machine; in CI
    (CI=true) it fails, so that a test that cannot run never passes unseen."""
    if found:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI is missing {what}")
    pytest.skip(f"needs {what}")


def require_command(command: str, what: str) -> str:
    path = shutil.which(command)
    require_tool(path is not None, what)
    return path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class SiteServer:
    """A built site served from http://127.0.0.1 (a secure context, as service workers
    need).  It can be stopped, which cuts the network off for the site, started again on
    the same port (the same origin, so the same service worker), and pointed at another
    folder (a new version of the site)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = 0
        self.start()

    def start(self) -> None:
        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", self.port), lambda *args: QuietHandler(*args, directory=str(self.folder)))
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:   # (again: no harm)
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def page_problems(page) -> list[str]:
    """What a reader's browser would complain about on `page` from now on: script errors,
    console errors, failed requests and HTTP errors (a list that fills as they happen)."""
    problems = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console error: {m.text} ({m.location.get('url')})")
            if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    return problems


def draw_widgets(page, html: str) -> None:
    """Draw every widget of a page of the book (whose HTML is `html`) and wait for them: the
    loader draws widgets as they come into view, so that none would escape a check."""
    views = html.count("application/vnd.jupyter.widget-view+json")
    if views:
        page.evaluate("window.cpWidgets.loadAll()")
        page.wait_for_function(f"document.querySelectorAll('.cp-widget').length >= {views}", timeout=20000)


def assignment_ids() -> list[str]:
    course = Course.at(ROOT)
    return [a for a in course.assignment_ids() if course.has_questions(a)]


def course_cmd(*args: str, cwd: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess:
    """`course ARGS` as a user starts it: a new process (for tests of the command itself:
    its start, its exit, what it prints to a terminal, the guide's commands verbatim)."""
    result = subprocess.run([str(BIN / "course"), *args], cwd=cwd, capture_output=True, text=True, env=ENV)
    return _checked(result, check)


def course_run(*args: str, cwd: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess:
    """`course ARGS` called in this process, for tests of what a command does rather than
    how it starts: the same argument parsing, code and exit status, without a second of
    Python start-up and imports per call.  Student code still runs in the sandbox."""
    from coursebook.cli import main

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        patch.chdir(cwd)
        patch.setenv("PATH", ENV["PATH"])
        try:
            code = main(list(args))
        except SystemExit as exc:   # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return _checked(subprocess.CompletedProcess(["course", *args], code, out.getvalue(), err.getvalue()), check)


def _checked(result: subprocess.CompletedProcess, check: bool) -> subprocess.CompletedProcess:
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, result.args))} failed:\n{result.stdout}\n{result.stderr}")
    return result


def grade_in_process(course: Path, assignment_id: str, submissions: Path, workspace: Path, **options) -> str:
    """`course grade` without starting the command: the pipeline called in this process
    (most tests check grading, not the command line; the notebooks still run in the
    sandbox).  Returns the summary line the command prints."""
    from autograder.pipeline import GradeOptions, grade

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", ENV["PATH"])
        return grade(GradeOptions(assignment_id=assignment_id, submissions=submissions, workspace=workspace,
                                  course_dir=course, progress=False, **options))


def course_copy(tmp_path: Path) -> Path:
    """The course's grading side in a temporary folder: grading an nbgrader course writes
    its autograded/ folder and its gradebook, which must not land in the checkout."""
    copy = tmp_path / "course"
    copy.mkdir()
    for name in ("_config.yml", "nbgrader_config.py"):
        shutil.copy(ROOT / name, copy / name)
    for name in ("solutions", "exercises"):
        shutil.copytree(ROOT / name, copy / name)
    return copy


def model_solutions(source: nbformat.NotebookNode) -> dict[str, str]:
    """Each answer cell of a source notebook with its solution filled in (marker lines removed)."""
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    return {grade_id(c): "\n".join(line for line in c.source.splitlines() if line.strip() not in markers)
            for c in source.cells if is_answer(c)}


def student_notebook(assignment_id: str, answers: str = "solution", root: Path = ROOT,
                     student: str = "perfect") -> nbformat.NotebookNode:
    """The released notebook, answered right for `student`'s version (what a perfect student
    hands in: `course solution`) or left as released (a blank)."""
    from autograder.authoring.solution import solution_notebook

    if answers == "blank":
        return nbformat.read(root / "exercises" / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    notebook = solution_notebook(Course.at(root), assignment_id, student)
    # and an essay: the source's model answer stands in for the student's own
    source = nbformat.read(root / "solutions" / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    essays = model_solutions(source)
    for cell in notebook.cells:
        if is_answer(cell) and cell.cell_type == "markdown" and grade_id(cell) in essays:
            cell.source = essays[grade_id(cell)]
    return notebook


def set_answer(nb: nbformat.NotebookNode, gid: str, source: str) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if grade_id(cell) == gid:
            cell.source = source
            return nb
    raise KeyError(gid)


def write_submission(submissions: Path, student: str, assignment_id: str, nb) -> Path:
    folder = submissions / student / assignment_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment_id}.ipynb"
    if isinstance(nb, (str, bytes)):
        path.write_bytes(nb if isinstance(nb, bytes) else nb.encode())
    else:
        nbformat.write(nb, path)
    return path


def read_grades(workspace: Path) -> dict[tuple[str, str], dict]:
    """grades.csv by (raw student id, assignment), read as the project reads it."""
    return {(row["student_id"], row["assignment"]): row for row in read_grades_csv(workspace / "grades.csv")}


def read_result(workspace: Path, assignment_id: str, student: str) -> dict:
    return json.loads((workspace / "results" / assignment_id / f"{student}.json").read_text())


def keys_in_plain(aid: str) -> list[str]:
    """Keys of every version that would be recognisable as text: numbers with four or more
    significant digits, and lists or tables of values."""
    course = Course.at(ROOT)
    assignment = course.assignment(aid)
    found = set()
    for keys in course.version_keys(course.versions(assignment)):
        for q in assignment.autograded:
            key = keys[q.id]
            if isinstance(key, float) and len(f"{abs(key):.10g}".replace(".", "").strip("0")) >= 4:
                found |= {f"{key:.4f}".rstrip("0"), repr(key)}
            elif isinstance(key, (list, dict)) and q.kind == "data":
                found.add(json.dumps(key, ensure_ascii=False))
    return sorted(found)


def nbgrader_code_cell(gid: str, source: str, points: float | None = None,
                       solution: bool = False) -> nbformat.NotebookNode:
    """A cell as nbgrader's Create Assignment toolbar marks it: an answer (`solution`), a
    test (`points`), both (a hand-graded answer) or a locked cell."""
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": gid, "grade": points is not None, "solution": solution,
                                 "locked": not solution, "schema_version": 3}
    if points is not None:
        cell.metadata.nbgrader["points"] = points
    return cell


@dataclass
class Browser:
    """The built book served on 127.0.0.1 (the `browser` fixture), and the Chromium to open it in."""
    engine: object      # playwright's Chromium
    base: str           # where the site is served
    site: Path
