"""The instructor's report: the class's score distribution and, per question, its
difficulty (share of points earned) and discrimination (how well it separates strong
from weak submissions), so that questions to fix stand out."""
from __future__ import annotations

import base64
import io
import math
from pathlib import Path

import pandas as pd

from ..core.kinds.essay import criteria
from ..grading.results import MANUAL_KINDS, NOT_GRADED, QUIET, Status
from .feedback import templates
from .store import write_atomic


def counted(result) -> bool:
    """Whether a submission's score counts in the class's figures: not when nothing was
    handed in, nor when it could not be graded (its zero is no score)."""
    return result.status != Status.MISSING and result.status not in NOT_GRADED


def prompt_of(question, limit: int = 160) -> str:
    """A question's prompt as the report shows it (a pool's first version; an nbgrader
    test cell has none), shortened to `limit` characters."""
    prompt = getattr(question, "prompt", "") or ""
    pool = getattr(question, "pool", None)
    if not prompt and isinstance(pool, list) and pool and isinstance(pool[0], dict):
        prompt = str(pool[0].get("prompt", ""))
    prompt = " ".join(prompt.split())
    return prompt if len(prompt) <= limit else prompt[:limit].rsplit(" ", 1)[0] + " …"   # at a word's end


def question_table(results) -> pd.DataFrame:
    """One row per question: difficulty and discrimination over the graded submissions."""
    graded = [r for r in results if counted(r)]
    # a 0-point question (nbgrader allows them) has no share to earn: it has no difficulty
    rows = {r.student_id: {q.id: (q.points / q.max_points if q.points is not None and q.max_points else None)
                           for q in r.questions}
            for r in graded}
    frame = pd.DataFrame.from_dict(rows, orient="index", dtype=float)
    if frame.empty:
        return pd.DataFrame(columns=["difficulty", "discrimination", "answered"])
    totals = frame.fillna(0).sum(axis=1)
    out = []
    for qid in frame.columns:
        item = frame[qid]
        rest = totals - item.fillna(0)   # corrected item-total correlation: leave the item out
        valid = item.notna()
        varied = valid.sum() > 2 and item[valid].std() > 0 and rest[valid].std() > 0
        disc = item[valid].corr(rest[valid]) if varied else float("nan")
        out.append({"question": qid, "difficulty": item.mean(), "discrimination": disc, "answered": int(valid.sum())})
    return pd.DataFrame(out).set_index("question")


def flag(difficulty: float, discrimination: float) -> str:
    """What the instructor should notice about a question, from its two figures."""
    notes = []
    if not math.isnan(difficulty) and difficulty < 0.3:
        notes.append("hard")
    if not math.isnan(difficulty) and difficulty > 0.95:
        notes.append("very easy")
    if not math.isnan(discrimination) and discrimination < 0.1:
        notes.append("does not separate strong from weak: review it")
    return ", ".join(notes)


def load_libraries() -> None:
    """Import matplotlib for the histogram, drawing off screen (pandas comes with this module)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401


def _histogram(scores: list[float], max_score: float) -> str:
    load_libraries()
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(scores, bins=min(20, max(5, int(max_score) + 1)), range=(0, max_score), color="#2b4c7e", edgecolor="white")
    ax.set_xlabel("score")
    ax.set_ylabel("submissions")
    ax.set_title("Distribution of scores")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _figure(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.2f}"


def lateness_summary(results, lateness) -> dict | None:
    """How many submissions were late, how many have no known time, and who lost points."""
    timed = [r for r in results if r.status != Status.MISSING and lateness and r.student_id in lateness.students
             and lateness.students[r.student_id].due is not None]
    if not timed:
        return None
    late = [(r.student_id, lateness.students[r.student_id].column, lateness.penalty(r.student_id, r.score))
            for r in timed if lateness.students[r.student_id].late_by]
    unknown = sorted(r.student_id for r in timed if lateness.students[r.student_id].timestamp)
    return {"submissions": len(timed), "late": sorted(late), "unknown": unknown}


def level_distribution(assignment, marks: dict) -> list[dict]:
    """Per criterion of each essay marked by criteria: how many submissions a person put at
    each level, between levels, and how many wait for a mark (`marks`: the gradebook's, by student)."""
    notebook = getattr(assignment, "notebook", "").removesuffix(".ipynb")
    rows = []
    for q in getattr(assignment, "questions", []):
        for criterion in criteria(q):
            given = [m.score((notebook, criterion.cell_id(q.id))) for m in marks.values()]   # a blank essay: 0
            levels = [criterion.level_for(g) for g in given if g is not None]
            rows.append({"question": q.id, "criterion": criterion.text, "max_points": criterion.points,
                         "levels": [(level.points, level.descriptor, sum(1 for x in levels if x == level))
                                    for level in criterion.levels],
                         "between": sum(1 for x in levels if x is None), "unmarked": given.count(None)})
    return rows


def write_report(workspace: Path, assignment, results, lateness=None, marks: dict | None = None) -> Path:
    """`<workspace>/report-<assignment>.html` for the saved results of one assignment (and,
    given the gradebook's hand marks, the levels reached on each rubric criterion)."""
    scores = [r.score for r in results if counted(r)]
    not_graded = sum(1 for r in results if r.status in NOT_GRADED)
    table = question_table(results)
    questions = []
    for q in assignment.questions:
        difficulty = float(table.loc[q.id, "difficulty"]) if q.id in table.index else float("nan")
        discrimination = float(table.loc[q.id, "discrimination"]) if q.id in table.index else float("nan")
        note = "graded by hand" if q.kind in MANUAL_KINDS else flag(difficulty, discrimination)
        questions.append({"id": q.id, "prompt": prompt_of(q), "kind": q.kind, "points": q.points, "difficulty": _figure(difficulty),
                          "discrimination": _figure(discrimination), "note": note})
    statuses = pd.Series([r.status for r in results], dtype=object).value_counts() if results else pd.Series(dtype=int)
    html = templates().get_template("report.html").render(
        assignment=assignment, submissions=len(results), graded=len(scores), not_graded=not_graded,
        summary=pd.Series(scores).agg(["mean", "median"]).to_dict() if scores else None,
        histogram=_histogram(scores, assignment.max_score) if scores and assignment.max_score > 0 else None,
        statuses=[(str(status), int(count)) for status, count in statuses.items()],
        flagged=sorted((r for r in results if r.status not in QUIET), key=lambda r: (r.status, r.student_id)),
        questions=questions, late=lateness_summary(results, lateness),
        criteria=level_distribution(assignment, marks or {}))
    path = workspace / f"report-{assignment.id}.html"
    write_atomic(path, html)
    return path
