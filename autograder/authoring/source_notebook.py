"""Build an assignment's nbgrader source notebook from its questions.

Each question becomes a locked prompt cell, an answer cell (nbgrader solution region)
and a locked check cell (nbgrader test cell) whose hidden part lets stock
``nbgrader autograde`` score the question too.  nbgrader then makes the student version.
"""
from __future__ import annotations

import json
from typing import Any

import nbformat

from ..core.kinds.essay import Criterion, criteria
from ..core.model import Assignment, Question

SCHEMA_VERSION = 3
SETUP_ID = "setup"


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = True,
          points: float | None = None, task: bool = False) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution}
    if task:   # nbgrader's "manually graded task": a locked cell a person scores and comments on
        meta["task"] = True
    if grade or task:
        meta["points"] = points
    return {"nbgrader": meta}


STUDENT_ID_CELL = "student_id"


def prompt_markdown(q: Question, number: int) -> str:
    pts = f"{q.points:g} point" + ("" if q.points == 1 else "s")
    head = [f"### Question {number} ({pts}) `{q.id}`", ""]
    if q.varies:   # the text is the student's own version, shown by the cell below
        return "\n".join(head + ["Each student has a version of this question of their own: the cell below shows "
                                 "yours. Put your answer in the answer cell after it, then run the check cell."])
    return q.rules.prompt(q, head + [q.prompt.strip(), ""])


def hidden_spec(q: Question, key: Any) -> dict:
    """The part of a question stock nbgrader needs to score it (instructor side only)."""
    spec = {"id": q.id, "kind": q.kind, "prompt": "-", "points": q.points, "answer": key}
    for name in ("choices", "pairs", "options", "option_order", "categories", "items", "tolerance", "rel_tolerance",
                 "ordered"):
        value = getattr(q, name)
        if value not in (None, [], {}, False):
            spec[name] = value
    q.rules.stock_spec(q, key, spec)
    return spec


def answer_source(q: Question, key: Any, starter: str = "") -> str:
    value = q.rules.model_answer(q, key)
    solution = q.solution.strip() if q.solution else f"{q.variable} = {json.dumps(value, ensure_ascii=False)}"
    starter = starter or q.starter.strip() or q.rules.starter(q)
    return f"{starter}\n### BEGIN SOLUTION\n{solution}\n### END SOLUTION"


def check_source(q: Question, spec: dict) -> str:
    """The check cell: `check` for the student, and a hidden test for stock nbgrader; a
    question that varies is scored against the version the notebook ran as."""
    text = json.dumps(spec, ensure_ascii=False, sort_keys=True)
    version = ", check.variant" if "versions" in spec else ""
    return (
        f"check({q.id!r}, {q.variable})\n"
        "### BEGIN HIDDEN TESTS\n"
        "from autograder.student.hidden import points_for\n"
        f"points_for({text!r}, {q.variable}{version})\n"
        "### END HIDDEN TESTS"
    )


def setup_source(assignment: Assignment, repository: tuple[str, str] | None = None,
                 package: str | None = None, toolkit: str | None = None) -> str:
    """The first code cell.  Given the course's repository and the name of its
    distribution, a notebook opened on its own (Colab, a fresh Binder) installs the course's
    tools (the toolkit's requirement, `toolkit`, and the course's package) and fetches its
    checks.  Where questions vary, `check` finds the student's own version from the
    student's id."""
    head = ("# Run this cell first. It loads what the assignment needs and `check`,\n"
            "# which gives feedback on an answer without giving it away.\n")
    who = "student_id=STUDENT_ID" if assignment.has_variants else ""
    if repository is None or package is None:
        return head + f"from autograder.student import load_checker\ncheck = load_checker({who})\n" + assignment.setup.strip()
    url, branch = repository
    raw = url.replace("https://github.com/", "https://raw.githubusercontent.com/", 1)
    # the toolkit first: the course's package alone (installed without its dependencies) lacks `check`
    toolkit_arg = f"{json.dumps(toolkit)}, " if toolkit else ""
    return (head +
            "import importlib.util, subprocess, sys\n"
            "if importlib.util.find_spec(\"autograder\") is None:  # opened on Colab or Binder: install the course's tools\n"
            "    subprocess.run([sys.executable, \"-m\", \"pip\", \"install\", \"--quiet\", \"--no-deps\", \"pyyaml\",\n"
            f"                    {toolkit_arg}\"{package} @ git+{url}@{branch}\"], check=True)\n"
            "from autograder.student import load_checker\n"
            f"check = load_checker(url=\"{raw}/{branch}/exercises/{assignment.id}/checks.json\"{', ' + who if who else ''})\n"
            + assignment.setup.strip())


def student_id_source() -> str:
    return ("# Questions marked as your own differ from student to student. On the course's JupyterHub\n"
            "# your version is found from your login; elsewhere, put your student id here, once.\n"
            "STUDENT_ID = None\n### BEGIN SOLUTION\n### END SOLUTION")


def essay_cells(q: Question) -> list:
    """The essay's answer cell, then, where its rubric has levels, one task cell per criterion:
    the student reads the rubric there, the marker scores and comments on each in formgrader.
    The criteria carry the points; the answer cell is worth none (nbgrader wants a Markdown
    answer cell graded), and keeps the comment box for the essay as a whole."""
    md = nbformat.v4.new_markdown_cell
    rubric = criteria(q)
    model = "### BEGIN SOLUTION\n" + (q.model_answer.strip() or "(no model answer given)") + "\n### END SOLUTION"
    cells = [md(model, metadata=_meta(q.id, grade=True, solution=True, locked=False,
                                      points=0.0 if rubric else q.points))]
    for n, criterion in enumerate(rubric, 1):
        cells.append(md(criterion_markdown(criterion, n, len(rubric)),
                        metadata=_meta(criterion.cell_id(q.id), task=True, points=criterion.points)))
    return cells


def criterion_markdown(criterion: Criterion, n: int, count: int) -> str:
    """A criterion as the student reads it: what is marked, and each level with its points."""
    pts = f"{criterion.points:g} point" + ("" if criterion.points == 1 else "s")
    rows = [f"| {level.points:g} | {' '.join(level.descriptor.split()).replace('|', '&#124;')} |"
            for level in criterion.levels]
    return "\n".join([f"**Criterion {n} of {count} ({pts}): {criterion.text}**", "",
                      "*Marked by hand; the marker's score and comment reach you in your feedback.*", "",
                      "| Points | An answer at this level |", "|---:|---|", *rows])


def source_notebook(assignment: Assignment, versions: list[Assignment], keys: list[dict],
                    repository: tuple[str, str] | None = None, package: str | None = None,
                    toolkit: str | None = None) -> nbformat.NotebookNode:
    """The nbgrader source notebook: prompts, answer cells with the model solution (of the
    first version where questions vary), check cells with the hidden tests of every version."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    intro = f"# {assignment.title}\n\n{assignment.intro.strip()}".strip()
    cells = [md(intro, metadata=_meta("intro"))]
    if assignment.has_variants:
        cells.append(code(student_id_source(), metadata=_meta(STUDENT_ID_CELL, solution=True, locked=False)))
    cells.append(code(setup_source(assignment, repository, package, toolkit), metadata=_meta(SETUP_ID)))
    for n, (number, q) in enumerate(enumerate(assignment.questions, 1)):
        if q.id in assignment.sections:
            cells.append(md(f"## {assignment.sections[q.id]}", metadata=_meta(f"{q.id}_section")))
        cells.append(md(prompt_markdown(q, number), metadata=_meta(f"{q.id}_prompt")))
        if q.varies:
            cells.append(code(f"check.show({q.id!r})", metadata=_meta(f"{q.id}_show")))
        if q.rules.manual:
            cells += essay_cells(q)
            continue
        first = versions[0].questions[n]
        starter = f"{q.variable} = None  # see your version of the question above" if q.pool else ""
        cells.append(code(answer_source(first, keys[0][q.id], starter), metadata=_meta(f"{q.id}_answer", solution=True,
                                                                                       locked=False)))
        spec = ({"versions": [hidden_spec(v.questions[n], k[q.id]) for v, k in zip(versions, keys, strict=True)]}
                if q.varies else hidden_spec(q, keys[0][q.id]))
        cells.append(code(check_source(q, spec), metadata=_meta(q.id, grade=True, points=q.points)))
    cells.append(md("## Before you submit\n\nRestart the kernel and run all cells (*Kernel → Restart & Run All*), "
                    "check that every answer cell runs, save, and submit.", metadata=_meta("submit")))
    for n, cell in enumerate(cells):
        cell["id"] = f"cell-{n:03d}"
    nb.cells = cells
    return nb
