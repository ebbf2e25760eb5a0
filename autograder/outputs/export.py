"""`course export`: grades for a learning-management system, from grades.csv.

csv     one row per student and assignment, as graded
canvas  Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section,
        one column per assignment, and a "Points Possible" row
moodle  Moodle's grade import: an "ID number" column to match users on, one column per
        assignment
"""
from __future__ import annotations

import math
from pathlib import Path

from ..errors import UsageError
from .grades_csv import GRADES_COLUMNS, read_grades_csv
from .spreadsheet import csv_text

FORMATS = ("csv", "canvas", "moodle")


def read_grades(workspace: Path):
    """grades.csv as a DataFrame, its values as they were before they were made safe for a
    spreadsheet (a student id such as "NA" stays a string)."""
    import pandas as pd

    path = workspace / "grades.csv"
    if not path.is_file():
        raise UsageError(f"{path}: no grades yet; run `course grade` first")
    try:
        grades = pd.DataFrame(read_grades_csv(path), columns=GRADES_COLUMNS)
        for column in ("score", "max_score"):
            grades[column] = pd.to_numeric(grades[column], errors="coerce")
        return grades
    except Exception as exc:
        raise UsageError(f"{path}: cannot be read ({type(exc).__name__})") from None


def wide(grades):
    """One row per student, one column per assignment (empty where a student has no grade),
    and each assignment's points possible."""
    scores = grades.pivot_table(index="student_id", columns="assignment", values="score", aggfunc="max")
    possible = grades.groupby("assignment")["max_score"].max().to_dict()
    return scores, possible


def _cells(row, columns: list[str]) -> list[str]:
    return ["" if math.isnan(row[c]) else f"{row[c]:g}" for c in columns]   # NaN: no grade


def export(workspace: Path, fmt: str, output: Path | None = None) -> Path:
    """Write the export in format `fmt` and return its path."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format '{fmt}' ({', '.join(FORMATS)})")
    grades = read_grades(workspace)
    rows: list[list] = []
    if fmt == "csv":
        flat = ["student_id", "assignment", "score", "max_score", "status"]
        rows = [flat, *([r.student_id, r.assignment, f"{r.score:g}", f"{r.max_score:g}", r.status]
                        for r in grades[flat].itertuples(index=False))]
    else:
        scores, possible = wide(grades)
        columns = list(scores.columns)
        if fmt == "canvas":
            rows.append(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *columns])
            rows.append(["Points Possible", "", "", "", "", *[f"{possible[c]:g}" for c in columns]])
            rows += [[student, "", student, student, "", *_cells(row, columns)] for student, row in scores.iterrows()]
        else:
            rows.append(["ID number", *columns])
            rows += [[student, *_cells(row, columns)] for student, row in scores.iterrows()]
    out = output or workspace / f"grades-{fmt}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(csv_text(rows), encoding="utf-8")   # every cell safe to open in a spreadsheet
    return out
