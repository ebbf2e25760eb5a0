"""Feedback pages for students: score per question and the same helpful message the
check gave.  Built only from saved results, which hold no key, hidden test or traceback."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from .questions import Assignment

LABELS = {"correct": "✔ right", "partial": "◐ partly right", "wrong": "✘ not right", "blank": "… no answer",
          "invalid": "✘ wrong form", "manual": "graded by hand", "missing": "missing", "error": "not graded"}


def _environment() -> Environment:
    return Environment(loader=PackageLoader("autograder", "templates"), autoescape=select_autoescape(["html"]))


def write_feedback(workspace: Path, assignment: Assignment, results) -> list[Path]:
    from .grading import _safe_name, _write_atomic

    template = _environment().get_template("feedback.html")
    written = []
    for result in results:
        html = template.render(assignment=assignment, result=result, labels=LABELS,
                               max_score=sum(q.max_points for q in result.questions))
        path = workspace / "feedback" / _safe_name(result.student_id) / f"{assignment.id}.html"
        _write_atomic(path, html)
        written.append(path)
    return written
