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
from pathlib import Path

import pandas as pd

from .course import CourseError


def _grades(workspace: Path) -> pd.DataFrame:
    path = workspace / "grades.csv"
    if not path.is_file():
        raise CourseError(f"{path}: no grades yet; run `course grade` first")
    try:
        return pd.read_csv(path, dtype={"student_id": str})
    except Exception as exc:
        raise CourseError(f"{path}: cannot be read ({type(exc).__name__})") from None


def _wide(grades: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float]]:
    scores = grades.pivot_table(index="student_id", columns="assignment", values="score", aggfunc="max")
    possible = grades.groupby("assignment")["max_score"].max().to_dict()
    return scores, possible


def export(workspace: Path, fmt: str, output: Path | None = None) -> Path:
    grades = _grades(workspace)
    out = output or workspace / f"grades-{fmt}.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if fmt == "csv":
        grades[["student_id", "assignment", "score", "max_score", "status"]].to_csv(buffer, index=False)
    elif fmt == "canvas":
        scores, possible = _wide(grades)
        columns = list(scores.columns)
        writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *columns])
        writer.writerow(["Points Possible", "", "", "", "", *[f"{possible[c]:g}" for c in columns]])
        for student, row in scores.iterrows():
            writer.writerow([student, "", student, student, "", *["" if pd.isna(row[c]) else f"{row[c]:g}" for c in columns]])
    elif fmt == "moodle":
        scores, _ = _wide(grades)
        columns = list(scores.columns)
        writer.writerow(["ID number", *columns])
        for student, row in scores.iterrows():
            writer.writerow([student, *["" if pd.isna(row[c]) else f"{row[c]:g}" for c in columns]])
    else:
        raise CourseError(f"unknown export format '{fmt}' (csv, canvas or moodle)")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(buffer.getvalue(), encoding="utf-8")
    return out
