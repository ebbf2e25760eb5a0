"""Essay: written in a Markdown cell and graded by a person against the rubric.

A rubric is a list of criteria.  A criterion is either a line and its points (the old
mark scheme, marked as one number for the whole essay), or, with `levels`, a scale of
descriptors each worth distinct points: then each criterion becomes its own hand-graded
part of the notebook (an nbgrader task cell, `<question>_<criterion id>`), marked on its
own in formgrader, and the essay's score is the sum of its criteria.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..plain import is_number
from .base import Kind

CRITERION_FIELDS = {"id", "criterion", "points", "levels"}
LEVEL_FIELDS = {"points", "descriptor"}
# the grade ids the notebook already gives a question's other cells (source_notebook.py)
TAKEN_IDS = {"prompt", "answer", "section", "show"}


@dataclass(frozen=True)
class Level:
    points: float
    descriptor: str


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str
    levels: tuple[Level, ...]     # highest points first

    @property
    def points(self) -> float:
        return self.levels[0].points

    def cell_id(self, question_id: str) -> str:
        """The grade id of the criterion's cell in the notebook and the gradebook."""
        return f"{question_id}_{self.id}"

    def level_for(self, points: float | None) -> Level | None:
        """The level whose points a marker gave; None between levels (or unmarked)."""
        if points is None:
            return None
        return next((level for level in self.levels if abs(level.points - points) < 1e-9), None)


def criteria(q: Any) -> list[Criterion]:
    """The criteria marked one by one ([] for an essay marked as a whole, or another kind);
    the rubric is assumed valid (Essay.validate ran when the questions were read)."""
    rubric = getattr(q, "rubric", None) or []
    if getattr(q, "kind", "") != "essay" or not all(isinstance(r, dict) and r.get("levels") for r in rubric):
        return []
    return [Criterion(str(r["id"]), str(r["criterion"]).strip(),
                      tuple(sorted((Level(float(level["points"]), str(level["descriptor"]).strip())
                                    for level in r["levels"]), key=lambda level: -level.points)))
            for r in rubric]


def _criterion_points(entry: dict) -> float:
    if entry.get("levels"):
        return max(float(level["points"]) for level in entry["levels"])
    return float(entry["points"])      # validate refused an entry without levels or points


def _check_levels(entry: dict, n: int, need, seen: set[str]) -> None:
    where = f"rubric criterion {n}"
    cid = entry.get("id")
    need(isinstance(cid, str) and cid.isidentifier() and cid == cid.lower() and cid not in TAKEN_IDS,
         f"{where} needs an 'id': a short lower-case word such as 'evidence' (not {', '.join(sorted(TAKEN_IDS))})")
    need(cid not in seen, f"{where}: id '{cid}' is used by another criterion")
    seen.add(cid)
    levels = entry["levels"]
    need(isinstance(levels, list) and len(levels) >= 2 and all(isinstance(level, dict) for level in levels),
         f"{where} ('{cid}'): levels must list at least two levels, each with 'points' and 'descriptor'")
    for level in levels:
        extra = set(level) - LEVEL_FIELDS
        need(not extra, f"{where} ('{cid}'): a level has unknown field(s) {', '.join(sorted(extra))}")
        need(isinstance(level.get("points"), (int, float)) and not isinstance(level.get("points"), bool)
             and level["points"] >= 0, f"{where} ('{cid}'): each level needs 'points', a number of 0 or more")
        need(isinstance(level.get("descriptor"), str) and level["descriptor"].strip(),
             f"{where} ('{cid}'): each level needs a 'descriptor' (what an answer at that level does)")
    points = [float(level["points"]) for level in levels]
    need(len(set(points)) == len(points), f"{where} ('{cid}'): two levels are worth the same points; "
                                          f"give each level its own points")
    if "points" in entry:
        need(isinstance(entry["points"], (int, float)) and float(entry["points"]) == max(points), f"{where} ('{cid}'): its points ({entry['points']}) are not "
                                                    f"its highest level's ({max(points):g}); drop them")


class Essay(Kind):
    name = "essay"
    manual = True

    def validate(self, q: Any, need) -> None:
        need(isinstance(q.rubric, list) and bool(q.rubric), "an essay needs a rubric (the mark scheme)")
        need(all(isinstance(r, dict) and str(r.get("criterion", "")).strip() for r in q.rubric),
             "each rubric entry needs a 'criterion' (what is marked)")
        for n, entry in enumerate(q.rubric, 1):
            extra = set(entry) - CRITERION_FIELDS
            need(not extra, f"rubric criterion {n} has unknown field(s) {', '.join(sorted(extra))}")
        leveled = [bool(r.get("levels")) for r in q.rubric]
        need(all(leveled) or not any(leveled), "give every rubric criterion 'levels', or none (a rubric is marked "
                                               "criterion by criterion, or as a whole)")
        seen: set[str] = set()
        for n, entry in enumerate(q.rubric, 1):
            if entry.get("levels"):
                _check_levels(entry, n, need, seen)
            else:
                need(is_number(entry.get("points")) and entry["points"] > 0,
                     f"rubric criterion {n} needs 'points' (more than 0) or 'levels'")
        total = sum(_criterion_points(r) for r in q.rubric)
        need(abs(total - q.points) < 1e-9, f"rubric points add up to {total:g}, not {q.points:g}")

    def prompt(self, q: Any, head: list[str]) -> str:
        if criteria(q):
            lines = head + ["You are marked on the criteria listed under your answer; each shows what an answer "
                            "at each level does.", ""]
            return "\n".join(lines).rstrip() + "\n\nWrite your answer in the cell below."
        marks = [f"- {r['criterion']} ({float(r['points']):g})" for r in q.rubric]
        lines = head + ["Mark scheme:", "", *marks, ""]
        return "\n".join(lines).rstrip() + "\n\nWrite your answer in the cell below."

    def rule(self, q: dict, answer: Any, oracle) -> tuple[float, str]:
        raise TypeError("an essay is graded by a person, not by a rule")

    def answer_text(self, q: Any) -> str:
        return q.model_answer
