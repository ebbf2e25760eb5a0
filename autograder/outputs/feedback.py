"""Feedback pages for students: score per question and the same helpful message the
check gave.  Built only from saved results, which hold no key, hidden test or traceback."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from .store import safe_name, write_atomic

LABELS = {"correct": "✔ right", "partial": "◐ partly right", "wrong": "✘ not right", "blank": "… no answer",
          "invalid": "✘ wrong form", "manual": "graded by hand", "missing": "missing", "error": "not graded"}


def templates() -> Environment:
    return Environment(loader=PackageLoader("autograder.outputs", "templates"), autoescape=select_autoescape(["html"]))


def write_feedback(workspace: Path, assignment, results) -> list[Path]:
    """One page per student: `<workspace>/feedback/<student>/<assignment>.html`."""
    template = templates().get_template("feedback.html")
    written = []
    for result in results:
        html = template.render(assignment=assignment, result=result, labels=LABELS, max_score=result.max_score)
        path = workspace / "feedback" / safe_name(result.student_id) / f"{assignment.id}.html"
        write_atomic(path, html)
        written.append(path)
    return written
