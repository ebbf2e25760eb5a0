"""`course export`: grades for a learning-management system, from the gradebook (the
automatic scores and the marks people entered in formgrader), or from grades.csv where
there is no gradebook.

csv     one row per student and assignment, as graded, with the hand marks still pending, and
        how late each submission was (`late_by`, hours) and what it cost (`late_penalty`)
canvas  Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section,
        one column per assignment, and a "Points Possible" row
moodle  Moodle's grade import: an "ID number" column to match users on, one column per
        assignment
Every score is after its late penalty (see outputs/late.py).

A submission that could not be graded (results.NOT_GRADED: unreadable, not a notebook,
grading failed...) has no score: its cell is left empty, which Canvas and Moodle import as
"not graded", never as a zero; `not_graded` names them for the command to say so.
"""
from __future__ import annotations

import math
from pathlib import Path

from ..errors import UsageError
from ..grading.results import NOT_GRADED
from .grades_csv import GRADES_COLUMNS, read_grades_csv
from .late import AssignmentLateness, load_lateness
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


def grades_from_gradebook(db_url: str, workspace: Path | None = None):
    """One row per student and assignment recorded in the gradebook: `score` is the
    automatic scores plus the hand marks (a person's mark replaces the automatic score of
    its cell), `pending_hand_marks` names the cells still waiting for a person, and `status`
    comes from grades.csv where the workspace has one."""
    import pandas as pd

    from .gradebook import assignment_ids, hand_marks, open_gradebook

    rows = []
    with open_gradebook(db_url) as gb:
        for assignment in assignment_ids(gb):
            # the late penalty is taken from the total with hand marks (the workspace's lateness)
            late = load_lateness(workspace, assignment) if workspace is not None else AssignmentLateness()
            for student, marks in sorted(hand_marks(gb, assignment).items()):
                late_by, penalty = late.columns(student, marks.total)
                rows.append({"student_id": student, "assignment": assignment,
                             "score": round(marks.total - float(penalty or 0), 4), "max_score": marks.possible,
                             "pending_hand_marks": " ".join(marks.pending), "late_by": late_by,
                             "late_penalty": penalty})
    grades = pd.DataFrame(rows, columns=["student_id", "assignment", "score", "max_score", "pending_hand_marks",
                                         "late_by", "late_penalty"])
    statuses = {}
    if workspace is not None and (workspace / "grades.csv").is_file():
        graded = read_grades(workspace)
        statuses = {(r.student_id, r.assignment): r.status for r in graded.itertuples()}
    grades["status"] = [statuses.get((s, a), "") for s, a in zip(grades.student_id, grades.assignment, strict=True)]
    return grades


def pending_students(grades) -> dict[str, list[str]]:
    """By assignment, the students with hand marks still to enter."""
    if "pending_hand_marks" not in grades:
        return {}
    waiting = grades[grades.pending_hand_marks.fillna("") != ""]
    return {a: sorted(group.student_id) for a, group in waiting.groupby("assignment")}


def late_students(grades) -> dict[str, list[str]]:
    """By assignment, the students handed in late ("student (hours late, -penalty)")."""
    import pandas as pd

    if "late_by" not in grades:
        return {}
    hours = pd.to_numeric(grades.late_by, errors="coerce")
    late = grades[hours.fillna(0) > 0]
    return {a: [f"{r.student_id} ({r.late_by} h late, -{r.late_penalty or 0})" for r in group.itertuples()]
            for a, group in late.groupby("assignment")}


def not_graded(grades) -> list[str]:
    """"student (assignment): status" for each row that could not be graded."""
    if "status" not in grades:
        return []
    rows = grades[grades.status.isin([str(s) for s in NOT_GRADED])]
    return [f"{r.student_id} ({r.assignment}): {r.status}" for r in rows.itertuples()]


def without_ungraded_scores(grades):
    """`grades` with the score of each submission that could not be graded left empty."""
    if "status" not in grades:
        return grades
    grades = grades.copy()
    grades.loc[grades.status.isin([str(s) for s in NOT_GRADED]), "score"] = math.nan
    return grades


def wide(grades):
    """One row per student, one column per assignment (empty where a student has no grade),
    and each assignment's points possible."""
    # dropna=False: a student whose only submission could not be graded keeps a row (empty)
    scores = grades.pivot_table(index="student_id", columns="assignment", values="score", aggfunc="max", dropna=False)
    possible = grades.groupby("assignment")["max_score"].max().to_dict()
    return scores, possible


def _cells(row, columns: list[str]) -> list[str]:
    return ["" if math.isnan(row[c]) else f"{row[c]:g}" for c in columns]   # NaN: no grade


def _text(value) -> str:
    """A cell of the flat export: numbers as %g, the rest as text."""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:g}"   # NaN: no score (not graded)
    return str(value)


def export(workspace: Path, fmt: str, output: Path | None = None, grades=None) -> Path:
    """Write the export in format `fmt` of `grades` (grades_from_gradebook's; default:
    the workspace's grades.csv) and return its path."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format '{fmt}' ({', '.join(FORMATS)})")
    grades = without_ungraded_scores(read_grades(workspace) if grades is None else grades)
    rows: list[list] = []
    if fmt == "csv":
        flat = ["student_id", "assignment", "score", "max_score", "status"]
        flat += ["pending_hand_marks"] if "pending_hand_marks" in grades else []
        # a course with due dates: how late, and what it cost (a course without any has no such columns)
        flat += ["late_by", "late_penalty"] if "late_by" in grades and grades.late_by.fillna("").ne("").any() else []
        rows = [flat, *([_text(v) for v in r] for r in grades[flat].itertuples(index=False))]
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
