"""`<workspace>/grades.csv`: one row per student and assignment, from the saved results.

Safe to double-click: a cell a spreadsheet would take for a formula is neutralised
(spreadsheet.py), and `read_grades_csv` gives the raw values back.  The saved results
beside it keep the raw student ids."""
from __future__ import annotations

from pathlib import Path

from ..grading.results import Status
from .late import AssignmentLateness, load_lateness
from .spreadsheet import csv_text, read_csv_rows
from .store import load_results, write_atomic

GRADES_COLUMNS = ["student_id", "assignment", "score", "max_score", "auto_score", "auto_max",
                  "manual_pending", "status", "message", "late_by", "late_penalty"]


def write_grades_csv(workspace: Path) -> Path:
    """`score` is after the late penalty (`late_penalty` points; `late_by` in hours, see late.py)."""
    path = workspace / "grades.csv"
    # a row the machine failed to grade is pending: no score (not 0) until the next run grades it
    rows, lateness = [], {}
    for r in load_results(workspace):
        late = lateness.setdefault(r.assignment, load_lateness(workspace, r.assignment))
        if r.status == Status.MISSING:   # nothing handed in: no time to speak of
            late = AssignmentLateness()
        penalty = late.penalty(r.student_id, r.score)
        message = "; ".join(m for m in (r.message, late.note(r.student_id)) if m)
        score, auto = ("", "") if r.pending else (f"{round(r.score - penalty, 4):g}", f"{r.auto_score:g}")
        rows.append([r.student_id, r.assignment, score, f"{r.max_score:g}", auto, f"{r.auto_max:g}",
                     r.manual_pending, r.status, message, *late.columns(r.student_id, r.score)])
    rows.sort(key=lambda row: (row[1], row[0]))
    write_atomic(path, csv_text([GRADES_COLUMNS, *rows]))
    return path


def read_grades_csv(path: Path) -> list[dict[str, str]]:
    """grades.csv's rows as written by `write_grades_csv`, every value as it was before it
    was made safe for a spreadsheet."""
    with open(path, newline="", encoding="utf-8") as handle:   # a carriage return inside a cell stays one
        return read_csv_rows(handle.read())
