"""Build an assignment's nbgrader source notebook from its questions.

Each question becomes a locked prompt cell, an answer cell (nbgrader solution region)
and a locked check cell (nbgrader test cell) whose hidden part lets stock
``nbgrader autograde`` score the question too.  nbgrader then makes the student version.
"""
from __future__ import annotations

import json
from typing import Any

import nbformat

from ..core.model import Assignment, Question

SCHEMA_VERSION = 3
SETUP_ID = "setup"


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = True,
          points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def prompt_markdown(q: Question, number: int) -> str:
    pts = f"{q.points:g} point" + ("" if q.points == 1 else "s")
    return q.rules.prompt(q, [f"### Question {number} ({pts}) `{q.id}`", "", q.prompt.strip(), ""])


def hidden_spec(q: Question, key: Any) -> dict:
    """The part of a question stock nbgrader needs to score it (instructor side only)."""
    spec = {"id": q.id, "kind": q.kind, "prompt": "-", "points": q.points, "answer": key}
    for name in ("choices", "pairs", "options", "categories", "items", "tolerance", "rel_tolerance", "ordered"):
        value = getattr(q, name)
        if value not in (None, [], {}, False):
            spec[name] = value
    q.rules.stock_spec(q, key, spec)
    return spec


def answer_source(q: Question, key: Any) -> str:
    value = q.rules.model_answer(key)
    solution = q.solution.strip() if q.solution else f"{q.variable} = {json.dumps(value, ensure_ascii=False)}"
    starter = q.starter.strip() or q.rules.starter(q)
    return f"{starter}\n### BEGIN SOLUTION\n{solution}\n### END SOLUTION"


def check_source(q: Question, key: Any) -> str:
    spec = json.dumps(hidden_spec(q, key), ensure_ascii=False, sort_keys=True)
    return (
        f"check({q.id!r}, {q.variable})\n"
        "### BEGIN HIDDEN TESTS\n"
        "from autograder.student.hidden import points_for\n"
        f"points_for({spec!r}, {q.variable})\n"
        "### END HIDDEN TESTS"
    )


def setup_source(assignment: Assignment, repository: tuple[str, str] | None = None,
                 package: str | None = None) -> str:
    """The first cell.  Given the course's repository and the name of its distribution, a
    notebook opened on its own (Colab, a fresh Binder) installs the course's tools from
    the repository and fetches its checks."""
    head = ("# Run this cell first. It loads what the assignment needs and `check`,\n"
            "# which gives feedback on an answer without giving it away.\n")
    if repository is None or package is None:
        return head + "from autograder.student import load_checker\ncheck = load_checker()\n" + assignment.setup.strip()
    url, branch = repository
    raw = url.replace("https://github.com/", "https://raw.githubusercontent.com/", 1)
    return (head +
            "import importlib.util, subprocess, sys\n"
            "if importlib.util.find_spec(\"autograder\") is None:  # opened on Colab or Binder: install the course's tools\n"
            "    subprocess.run([sys.executable, \"-m\", \"pip\", \"install\", \"--quiet\", \"--no-deps\", \"pyyaml\",\n"
            f"                    \"{package} @ git+{url}@{branch}\"], check=True)\n"
            "from autograder.student import load_checker\n"
            f"check = load_checker(url=\"{raw}/{branch}/exercises/{assignment.id}/checks.json\")\n"
            + assignment.setup.strip())


def source_notebook(assignment: Assignment, keys: dict[str, Any], repository: tuple[str, str] | None = None,
                    package: str | None = None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    intro = f"# {assignment.title}\n\n{assignment.intro.strip()}".strip()
    cells = [md(intro, metadata=_meta("intro")), code(setup_source(assignment, repository, package), metadata=_meta(SETUP_ID))]
    for number, q in enumerate(assignment.questions, 1):
        if q.id in assignment.sections:
            cells.append(md(f"## {assignment.sections[q.id]}", metadata=_meta(f"{q.id}_section")))
        cells.append(md(prompt_markdown(q, number), metadata=_meta(f"{q.id}_prompt")))
        if q.rules.manual:
            model = "### BEGIN SOLUTION\n" + (q.model_answer.strip() or "(no model answer given)") + "\n### END SOLUTION"
            cells.append(md(model, metadata=_meta(q.id, grade=True, solution=True, locked=False, points=q.points)))
            continue
        cells.append(code(answer_source(q, keys[q.id]), metadata=_meta(f"{q.id}_answer", solution=True, locked=False)))
        cells.append(code(check_source(q, keys[q.id]), metadata=_meta(q.id, grade=True, points=q.points)))
    cells.append(md("## Before you submit\n\nRestart the kernel and run all cells (*Kernel → Restart & Run All*), "
                    "check that every answer cell runs, save, and submit.", metadata=_meta("submit")))
    for n, cell in enumerate(cells):
        cell["id"] = f"cell-{n:03d}"
    nb.cells = cells
    return nb
