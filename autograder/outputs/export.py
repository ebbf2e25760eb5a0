"""`course export`: grades for a learning-management system, from grades.csv.

csv     one row per student and assignment, as graded
canvas  Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section,
        one column per assignment, and a "Points Possible" row
moodle  Moodle's grade import: an "ID number" column to match users on, one column per
        assignment
"""
from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from ..errors import UsageError

FORMATS = ("csv", "canvas", "moodle")


def read_grades(workspace: Path):
    """grades.csv as a DataFrame."""
    import pandas as pd

    path = workspace / "grades.csv"
    if not path.is_file():
        raise UsageError(f"{path}: no grades yet; run `course grade` first")
    try:
        return pd.read_csv(path, dtype={"student_id": str})
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
    buffer = io.StringIO()
    if fmt == "csv":
        grades[["student_id", "assignment", "score", "max_score", "status"]].to_csv(buffer, index=False)
    else:
        scores, possible = wide(grades)
        columns = list(scores.columns)
        writer = csv.writer(buffer)
        if fmt == "canvas":
            writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *columns])
            writer.writerow(["Points Possible", "", "", "", "", *[f"{possible[c]:g}" for c in columns]])
            for student, row in scores.iterrows():
                writer.writerow([student, "", student, student, "", *_cells(row, columns)])
        else:
            writer.writerow(["ID number", *columns])
            for student, row in scores.iterrows():
                writer.writerow([student, *_cells(row, columns)])
    out = output or workspace / f"grades-{fmt}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(buffer.getvalue(), encoding="utf-8")
    return out
