"""Each rule of the submission checks, on tiny notebooks (as nbgrader tests its
preprocessors): what a student may not change, and what patching the grader looks like."""
from __future__ import annotations

import nbformat
import pytest
from nbgrader.utils import compute_checksum

from autograder.grading.submission import Submission, answer_sources, check_integrity, grader_patching


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
    submission = Submission(path=None, notebook=submitted)
    check_integrity(submission, release())
    return submission.tampering


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
])
def test_patching_the_grader_or_the_interpreter_is_reported(source, found):
    assert found in grader_patching({"a": source})


@pytest.mark.parametrize("source", [
    # a student's own class with a private attribute: name mangling, not a patch
    "class Counter:\n    def __init__(self):\n        self.__count = 0\n        self.total = 1\nanswer_q1 = Counter()",
    "import pandas as pd\nframe = pd.DataFrame({'a': [1]})\nframe.a = [2]",   # a column, not a module attribute
    "%time answer_q1 = sum(range(10))",     # magics are fine
    "answer_q1 = 'get_ipython is a name, not a call'",
    "def broken(:\n    pass",              # a syntax error is the student's own problem
])
def test_honest_code_is_not_reported(source):
    assert grader_patching({"a": source}) == []
