"""Each rule of the submission checks, on tiny notebooks (as nbgrader tests its
preprocessors): what a student may not change, what patching the grader looks like, the
structural limits a notebook is held to before it is parsed, and what gives away the
instructor's own notebook."""
from __future__ import annotations

import codecs
import json
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import compute_checksum

from autograder.errors import SubmissionProblem
from autograder.grading import checks
from autograder.grading.checks import Opened, patching_lines, run_checks
from autograder.grading.instructor_copy import InstructorSecrets
from autograder.grading.submission import Submission, answer_sources

pytestmark = pytest.mark.timeout(60)   # a reader that blocks or recurses must fail, not hang


def cell(kind: str, gid: str, source: str, **meta) -> nbformat.NotebookNode:
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    c = make(source)
    c.metadata["nbgrader"] = {"grade_id": gid, "grade": False, "solution": False, "locked": True, **meta}
    c.metadata.nbgrader["checksum"] = compute_checksum(c)
    return c


def release() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell("markdown", "intro", "# Title"),
                cell("code", "q1_answer", "answer_q1 = None", solution=True, locked=False),
                cell("code", "q1", "check('q1', answer_q1)", grade=True, points=1)]
    return nb


def problems(change) -> list[str]:
    submitted = release()
    change(submitted)
    opened = Opened(Submission(path=Path("demo.ipynb"), notebook=submitted), release(), InstructorSecrets(), "demo")
    return [f.message for check in checks.CHECKS for f in check(opened)]


def test_an_answered_notebook_is_not_tampering():
    def answer(nb):
        nb.cells[1].source = "answer_q1 = 'b'"
        nb.cells.append(nbformat.v4.new_code_cell("print('my own cell')"))
    assert problems(answer) == []


@pytest.mark.parametrize("change, found", [
    (lambda nb: nb.cells.pop(2), "cell 'q1' was deleted"),
    (lambda nb: nb.cells.append(nb.cells[2]), "cell 'q1' appears 2 times"),
    (lambda nb: nb.cells[2].metadata.nbgrader.update(points=100), "cell 'q1': its 'points' setting was changed"),
    (lambda nb: nb.cells[2].metadata.nbgrader.update(grade=False), "cell 'q1': its 'grade' setting was changed"),
    (lambda nb: nb.cells[1].metadata.nbgrader.update(locked=True), "cell 'q1_answer': its 'locked' setting was changed"),
    (lambda nb: setattr(nb.cells[2], "source", "pass"), "locked cell 'q1' was edited"),
    (lambda nb: nb.cells.__setitem__(0, cell("code", "intro", "# Title")), "cell 'intro' was changed from markdown to code"),
    (lambda nb: nb.cells.insert(0, cell("code", "mine", "x = 1")), "cells with unknown ids: mine"),
    (lambda nb: nb.cells.insert(0, nb.cells.pop(2)), "cells were reordered"),
])
def test_each_change_to_what_is_locked_is_found(change, found):
    assert found in problems(change)


def test_an_edited_test_cell_is_found_even_where_the_instructor_left_it_unlocked():
    def unlocked(nb):
        nb.cells[2].metadata.nbgrader["locked"] = False
        nb.cells[2].metadata.nbgrader["checksum"] = compute_checksum(nb.cells[2])
    submitted, released = release(), release()
    unlocked(submitted)
    unlocked(released)
    submitted.cells[2].source = "pass"   # a test that cannot fail
    opened = Opened(Submission(path=Path("demo.ipynb"), notebook=submitted), released, InstructorSecrets(), "demo")
    assert [f.message for f in run_checks(opened)] == ["demo.ipynb changed what may not be changed: test cell 'q1' was edited"]
    submitted.cells[1].source = "answer_q1 = 'b'"   # the answer is the student's to change
    submitted.cells[2].source = released.cells[2].source
    assert run_checks(opened) == []


def test_answer_sources_take_the_first_copy_of_a_duplicated_cell():
    nb = release()
    nb.cells[1].source = "answer_q1 = 'first'"
    second = nbformat.from_dict(nb.cells[1])
    second.source = "answer_q1 = 'second'"
    nb.cells.append(second)
    assert answer_sources(Submission(path=None, notebook=nb)) == {"q1_answer": "answer_q1 = 'first'"}


@pytest.mark.parametrize("source, found", [
    ("import autograder\nanswer_q1 = 'b'", "cell 'a' imports autograder"),
    ("from nbgrader import utils", "cell 'a' imports nbgrader"),
    ("import builtins\nbuiltins.print = len", "cell 'a' imports builtins"),
    ("__builtins__.len = max", "cell 'a' uses __builtins__"),
    ("get_ipython().user_ns.clear()", "cell 'a' uses get_ipython"),
    ("import pandas as pd\npd.read_csv = None", "cell 'a' replaces pd.read_csv"),
    ("import json\nsetattr(json, 'loads', None)", "cell 'a' replaces an attribute of json"),
    ("x = 1\nx.__class__ = int", "cell 'a' replaces x.__class__"),
    # the classic way to hide a failing test from a Jupyter kernel, however the shell is reached
    ("import IPython\nIPython.get_ipython().showtraceback = lambda *a, **k: None",
     "cell 'a' replaces IPython.get_ipython().showtraceback"),
    ("from IPython import get_ipython as g\nshell = g()\nshell._showtraceback = print", "cell 'a' replaces shell._showtraceback"),
    ("import IPython\nsetattr(IPython.get_ipython(), 'showtraceback', len)", "cell 'a' replaces showtraceback"),
    ("import IPython\nIPython.get_ipython().set_custom_exc((Exception,), print)", "cell 'a' replaces how the shell reports errors (IPython.get_ipython().set_custom_exc)"),
])
def test_patching_the_grader_or_the_interpreter_is_reported(source, found):
    assert found in patching_lines({"a": source})


@pytest.mark.parametrize("source", [
    # a student's own class with a private attribute: name mangling, not a patch
    "class Counter:\n    def __init__(self):\n        self.__count = 0\n        self.total = 1\nanswer_q1 = Counter()",
    "import pandas as pd\nframe = pd.DataFrame({'a': [1]})\nframe.a = [2]",   # a column, not a module attribute
    "%time answer_q1 = sum(range(10))",     # magics are fine
    "answer_q1 = 'get_ipython is a name, not a call'",
    "def broken(:\n    pass",              # a syntax error is the student's own problem
])
def test_honest_code_is_not_reported(source):
    assert patching_lines({"a": source}) == []


# --- pathological notebooks: turned away before anything parses them --------------------------

NB_HEAD = '{"metadata": {}, "nbformat": 4, "nbformat_minor": 5, "cells": '


def parsed(raw: bytes):
    from autograder.grading.submission import parse_notebook
    return parse_notebook(Path("demo.ipynb"), raw)


def refused(raw: bytes) -> SubmissionProblem:
    with pytest.raises(SubmissionProblem) as caught:
        parsed(raw)
    return caught.value


@pytest.mark.timeout(30)
@pytest.mark.parametrize("raw, status, words", [
    ((NB_HEAD + "[" * 100_000 + "]" * 100_000 + "}").encode(), "too-deep", "nested 100001 levels"),
    (('{"cells": [], "metadata": {"x": ' + "[" * 5000).encode(), "too-deep", "nested"),   # unclosed, too
    ((NB_HEAD + json.dumps([nbformat.v4.new_code_cell("x = 1") for _ in range(20_000)]) + "}").encode(),
     "too-large", "20000 cells"),
    ((NB_HEAD + json.dumps([nbformat.v4.new_markdown_cell("x" * 3_000_000)]) + "}").encode(),
     "too-large", "cell 1 holds 3,000,000 characters"),
    (json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {},
                 "worksheets": [{"cells": [{"cell_type": "code", "input": ["y"] * 2_000_000}]}]}).encode(),
     "too-large", "cell 1 holds"),
    (nbformat.writes(nbformat.v4.new_notebook()).encode("utf-16"), "not-notebook", "not UTF-8"),
    (nbformat.writes(nbformat.v4.new_notebook()).encode("latin-1") + "é".encode("latin-1"), "not-notebook", "not UTF-8"),
])
def test_pathological_notebooks_get_a_status_and_no_recursion_error(raw, status, words):
    problem = refused(raw)
    assert problem.status == status and words in problem.message and problem.message.startswith("demo.ipynb: ")


def test_a_notebook_with_a_byte_order_mark_is_read():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = 1")])
    assert parsed(codecs.BOM_UTF8 + nbformat.writes(nb).encode()).notebook.cells[0].source == "answer = 1"


def test_the_worker_in_the_sandbox_applies_the_same_limits():
    from dataclasses import asdict

    from autograder.execution.limits import Limits
    from autograder.execution.worker import run_cells
    limits = asdict(Limits())   # both jobs stop before a cell runs
    deep = run_cells({"notebook": NB_HEAD + "[" * 50_000 + "]" * 50_000 + "}", "limits": limits})
    assert deep.status == "too-deep" and "nested" in deep.message
    many = run_cells({"notebook": NB_HEAD + json.dumps([{"cell_type": "raw", "source": ""}] * 6000) + "}",
                      "limits": limits})
    assert many.status == "too-large"


# --- the instructor's own notebook ---------------------------------------------------------------

def source() -> nbformat.NotebookNode:
    """A tiny instructor's source notebook: a solution, a hidden test, a task with a mark scheme."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell("markdown", "intro", "# Title\nSolutions go between `### BEGIN SOLUTION` lines."),
                cell("code", "q1_answer", "answer_q1 = None\n### BEGIN SOLUTION\nanswer_q1 = 'b'\n### END SOLUTION",
                     solution=True, locked=False),
                cell("code", "q1", "check('q1', answer_q1)\n### BEGIN HIDDEN TESTS\n"
                     "assert answer_q1 == 'b', 'the hidden test of q1'\n### END HIDDEN TESTS", grade=True, points=1),
                cell("markdown", "task1", "Describe the graph.\n=== BEGIN MARK SCHEME ===\n"
                     "Full marks for naming both axes and the trend.\n=== END MARK SCHEME ===", task=True)]
    for c in nb.cells:
        c.metadata.nbgrader.pop("checksum")
    return nb


def released() -> nbformat.NotebookNode:
    nb = source()
    nb.cells[1].source = "answer_q1 = None"
    nb.cells[2].source = "check('q1', answer_q1)"
    nb.cells[3].source = "Describe the graph."
    for c in nb.cells:
        c.metadata.nbgrader["checksum"] = compute_checksum(c)
    return nb


def evidence(nb) -> list[str]:
    from autograder.grading.instructor_copy import InstructorSecrets
    return InstructorSecrets.of([source()], [released()]).evidence(nb)


def test_the_source_notebook_is_recognised_by_everything_only_it_holds():
    found = evidence(source())
    assert {"the marker 'BEGIN SOLUTION'", "the marker 'BEGIN HIDDEN TESTS'", "the hidden tests of 'q1'",
            "the marker 'BEGIN MARK SCHEME'", "the mark scheme of 'task1'"} <= set(found)


@pytest.mark.parametrize("doctor, found", [
    # the markers stripped, the hidden test kept
    (lambda nb: setattr(nb.cells[2], "source", "check('q1', answer_q1)\nassert answer_q1 == 'b', 'the hidden test of q1'"),
     "the hidden tests of 'q1'"),
    # the hidden test moved into an answer cell, reformatted
    (lambda nb: setattr(nb.cells[1], "source", "answer_q1 = 'b'\n   assert answer_q1  ==  'b', 'the hidden test of q1'"),
     "the hidden tests of 'q1'"),
    (lambda nb: setattr(nb.cells[3], "source", "Full marks for naming both axes and the trend."), "the mark scheme of 'task1'"),
    (lambda nb: setattr(nb.cells[1], "source", "answer_q1 = 'b'  # END SOLUTION"), "the marker 'END SOLUTION'"),
    (lambda nb: nb.metadata.update(celltoolbar="Create Assignment"), "the metadata of nbgrader's Create Assignment toolbar"),
])
def test_a_doctored_copy_is_still_recognised(doctor, found):
    nb = released()
    nb.cells[1].source = "answer_q1 = 'b'"
    doctor(nb)
    assert found in evidence(nb)


@pytest.mark.parametrize("answer", ["answer_q1 = 'b'", "answer_q1 = 'b'\nassert answer_q1 == 'b'",
                                    "# I tried BEGIN and END\nanswer_q1 = 'a'"])
def test_the_model_answer_or_an_honest_check_is_no_evidence(answer):
    nb = released()
    nb.cells[1].source = answer   # what a perfect (or careful) student hands in
    assert evidence(nb) == []


def test_what_the_release_itself_shows_is_no_evidence():
    nb = released()
    nb.cells.append(nbformat.v4.new_markdown_cell("Solutions go between `### BEGIN SOLUTION` lines."))
    assert evidence(nb) == []


def test_a_courses_own_delimiters_count_as_markers_too(tmp_path):
    from autograder.grading.instructor_copy import MARKERS, InstructorSecrets, course_markers
    (tmp_path / "nbgrader_config.py").write_text(
        'c = get_config()\nc.ClearSolutions.begin_solution_delimeter = "<<< SOLUTION"\n'
        'c.ClearHiddenTests.end_test_delimeter = "--- hidden ends"\n')
    markers = course_markers(tmp_path)
    assert markers[:len(MARKERS)] == MARKERS and {"<<< SOLUTION", "--- hidden ends"} <= set(markers)
    nb = released()
    nb.cells[1].source = "# <<< SOLUTION\nanswer_q1 = 'b'"
    assert InstructorSecrets.of([source()], [released()], markers).evidence(nb) == ["the marker '<<< SOLUTION'"]
    (tmp_path / "nbgrader_config.py").write_text("this is not python")
    assert course_markers(tmp_path) == MARKERS
