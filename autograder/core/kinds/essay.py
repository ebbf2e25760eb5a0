"""Essay: written in a Markdown cell and graded by a person against the mark scheme."""
from __future__ import annotations

from typing import Any

from ..plain import is_number
from .base import Kind


class Essay(Kind):
    name = "essay"
    manual = True

    def validate(self, q: Any, need) -> None:
        need(bool(q.rubric) and isinstance(q.rubric, list)
             and all(isinstance(r, dict) and r.get("criterion") and is_number(r.get("points")) and r["points"] > 0
                     for r in q.rubric),
             "an essay needs a rubric (the mark scheme): a list of {criterion: ..., points: <more than 0>}")
        total = sum(float(r["points"]) for r in q.rubric)
        need(abs(total - q.points) < 1e-9, f"rubric points add up to {total:g}, not {q.points:g}")

    def prompt(self, q: Any, head: list[str]) -> str:
        criteria = [f"- {r['criterion']} ({float(r['points']):g})" for r in q.rubric]
        lines = head + ["Mark scheme:", "", *criteria, ""]
        return "\n".join(lines).rstrip() + "\n\nWrite your answer in the cell below."

    def rule(self, q: dict, answer: Any, oracle) -> tuple[float, str]:
        raise TypeError("an essay is graded by a person, not by a rule")

    def answer_text(self, q: Any) -> str:
        return q.model_answer
