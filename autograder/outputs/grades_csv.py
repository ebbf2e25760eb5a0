"""`<workspace>/grades.csv`: one row per student and assignment, from the saved results.

Safe to double-click: a cell a spreadsheet would take for a formula is neutralised
(spreadsheet.py), and `read_grades_csv` gives the raw values back.  The saved results
beside it keep the raw student ids."""
from __future__ import annotations

from pathlib import Path

from .spreadsheet import csv_text, read_csv_rows
from .store import load_results, write_atomic

GRADES_COLUMNS = ["student_id", "assignment", "score", "max_score", "auto_score", "auto_max",
                  "manual_pending", "status", "message"]


def write_grades_csv(workspace: Path) -> Path:
    path = workspace / "grades.csv"
    # a row the machine failed to grade is pending: no score (not 0) until the next run grades it
    rows = [[r.student_id, r.assignment, "" if r.pending else f"{r.score:g}", f"{r.max_score:g}",
             "" if r.pending else f"{r.auto_score:g}", f"{r.auto_max:g}", r.manual_pending, r.status, r.message]
            for r in load_results(workspace)]
    rows.sort(key=lambda row: (row[1], row[0]))
    write_atomic(path, csv_text([GRADES_COLUMNS, *rows]))
    return path


def read_grades_csv(path: Path) -> list[dict[str, str]]:
    """grades.csv's rows as written by `write_grades_csv`, every value as it was before it
    was made safe for a spreadsheet."""
    with open(path, newline="", encoding="utf-8") as handle:   # a carriage return inside a cell stays one
        return read_csv_rows(handle.read())
