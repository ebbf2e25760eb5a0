"""The instructor's report: the class's score distribution and, per question, its
difficulty (share of points earned) and discrimination (how well it separates strong
from weak submissions), so that questions to fix stand out."""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import pandas as pd

from .grading import MANUAL_KINDS
from .questions import Assignment


def question_table(results) -> pd.DataFrame:
    """One row per question: difficulty and discrimination over the graded submissions."""
    graded = [r for r in results if r.status not in ("missing",)]
    rows = {r.student_id: {q.id: (q.points / q.max_points if q.points is not None else None) for q in r.questions}
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
        disc = item[valid].corr(rest[valid]) if valid.sum() > 2 and item[valid].std() > 0 and rest[valid].std() > 0 else float("nan")
        out.append({"question": qid, "difficulty": item.mean(), "discrimination": disc, "answered": int(valid.sum())})
    return pd.DataFrame(out).set_index("question")


def _histogram(scores: list[float], max_score: float) -> str:
    import matplotlib
    matplotlib.use("Agg")
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


def _flag(difficulty: float, discrimination: float) -> str:
    notes = []
    if difficulty == difficulty and difficulty < 0.3:
        notes.append("hard")
    if difficulty == difficulty and difficulty > 0.95:
        notes.append("very easy")
    if discrimination == discrimination and discrimination < 0.1:
        notes.append("does not separate strong from weak: review it")
    return ", ".join(notes)


QUIET_STATUSES = {"ok", "extra-file", "old-format"}   # graded normally; nothing for the instructor to do


def write_report(workspace: Path, assignment: Assignment, results) -> Path:
    from .grading import _write_atomic

    scores = [r.score for r in results if r.status != "missing"]
    table = question_table(results)
    statuses = pd.Series([r.status for r in results]).value_counts() if results else pd.Series(dtype=int)
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Report: {html.escape(assignment.title)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
             "table{border-collapse:collapse}td,th{border:1px solid #c9ced6;padding:.3rem .5rem;text-align:left}"
             "th{background:#eef1f5}</style></head><body>",
             f"<h1>Report: {html.escape(assignment.title)}</h1>",
             f"<p>{len(results)} submissions; {len(scores)} graded. "]
    if scores:
        series = pd.Series(scores)
        parts.append(f"Mean {series.mean():.2f}, median {series.median():.2f} of {assignment.max_score:g} points.</p>")
        parts.append(f"<img alt='Histogram of the class scores out of {assignment.max_score:g}' "
                     f"src='data:image/png;base64,{_histogram(scores, assignment.max_score)}'>")
    else:
        parts.append("</p>")
    parts.append("<h2>Statuses</h2><table><tr><th>status</th><th>submissions</th></tr>")
    parts += [f"<tr><td>{html.escape(str(k))}</td><td>{v}</td></tr>" for k, v in statuses.items()]
    flagged = [r for r in results if r.status not in QUIET_STATUSES]
    if flagged:
        parts.append("</table><h2>Submissions to look at</h2><p>Tampered with, broken, stopped by a limit or "
                     "missing: each with what the grader found.</p><table><tr><th>student</th><th>status</th>"
                     "<th>what happened</th></tr>")
        parts += [f"<tr><td>{html.escape(r.student_id)}</td><td>{html.escape(r.status)}</td>"
                  f"<td>{html.escape(r.message)}</td></tr>" for r in sorted(flagged, key=lambda r: (r.status, r.student_id))]
    parts.append("</table><h2>Questions</h2><p>Difficulty is the share of points the class earned (low = hard). "
                 "Discrimination is the correlation between a question and the rest of the score (below 0.1: "
                 "the question does not separate strong from weak submissions).</p>")
    parts.append("<table><tr><th>question</th><th>kind</th><th>points</th><th>difficulty</th><th>discrimination</th><th>note</th></tr>")
    for q in assignment.questions:
        row = table.loc[q.id] if q.id in table.index else None
        diff = row["difficulty"] if row is not None else float("nan")
        disc = row["discrimination"] if row is not None else float("nan")
        fmt = lambda v: "–" if v != v else f"{v:.2f}"  # noqa: E731
        parts.append(f"<tr><td>{q.id}</td><td>{q.kind}</td><td>{q.points:g}</td><td>{fmt(diff)}</td>"
                     f"<td>{fmt(disc)}</td><td>{_flag(diff, disc) if q.kind not in MANUAL_KINDS else 'graded by hand'}</td></tr>")
    parts.append("</table></body></html>")
    path = workspace / f"report-{assignment.id}.html"
    _write_atomic(path, "".join(parts))
    return path
