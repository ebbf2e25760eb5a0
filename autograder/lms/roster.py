"""The course's one roster: nbgrader's students table (id, names, email, `lms_user_id`),
filled from the LMS's own exports by `course roster import FILE`.

Canvas   the gradebook's CSV export (Grades > Export): Student ("Last, First"), ID (the
         Canvas user id, which Canvas's submission download puts in each file name: kept
         as `lms_user_id`), SIS User ID, SIS Login ID, Section, then one column per
         assignment and a "Points Possible" row.
Moodle   an assignment's grading worksheet (View all submissions > Download grading
         worksheet): Identifier ("Participant N"), Full name, Email address, then the
         grading columns.  The participant number is the assignment's own, so the worksheet
         is read again by `course collect`; the roster keeps the email that links them.

The student id is, by default, Canvas's SIS Login ID (what a hub login usually is) and
Moodle's ID number or Username, whichever the worksheet has, else the part of the email
before the @; `--id-column` names another column (taken whole)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

CANVAS_ID_COLUMNS = ("SIS Login ID", "SIS User ID", "ID")
MOODLE_ID_COLUMNS = ("ID number", "Username", "Email address")   # of an email, the part before @


@dataclass(frozen=True)
class Person:
    student_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""


def read_table(path: Path) -> list[dict[str, str]]:
    """A CSV export as rows by column name (a BOM, as Excel and Moodle write it, is skipped)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        return [{(k or "").strip(): (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(io.StringIO(text, newline=""))]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{path}: cannot be read ({type(exc).__name__})") from None


def kind_of(rows: list[dict[str, str]], path: Path) -> str:
    columns = set(rows[0]) if rows else set()
    if {"Student", "ID"} <= columns:
        return "canvas"
    if {"Identifier", "Full name"} <= columns:
        return "moodle"
    raise UsageError(f"{path}: neither Canvas's gradebook export (Student, ID, ...) nor Moodle's grading "
                     f"worksheet (Identifier, Full name, ...)")


def read_roster(path: Path, id_column: str | None = None) -> tuple[list[Person], list[str]]:
    """The people in an LMS export, and one line for each row that could not be used."""
    rows = read_table(path)
    kind = kind_of(rows, path)
    choice = _id_column(path, kind, set(rows[0]), id_column)
    people, problems = [], []
    for number, row in enumerate(rows, start=2):
        if kind == "canvas" and _not_a_student(row):
            continue
        student_id = row.get(choice, "")
        if choice == "Email address" and not id_column:
            student_id = student_id.partition("@")[0]
        if not student_id:
            problems.append(f"{path}:{number}: no {choice} for {row.get('Student') or row.get('Full name') or 'this row'}")
        elif kind == "canvas":
            last, _, first = row["Student"].partition(",")
            people.append(Person(student_id, first.strip(), last.strip(), "", row.get("ID", "")))
        else:
            first, _, last = row["Full name"].partition(" ")
            people.append(Person(student_id, first, last, row.get("Email address", "")))
    return people, problems


def _id_column(path: Path, kind: str, columns: set[str], asked: str | None) -> str:
    """The column the student id comes from: the one asked for, else the first of the LMS's
    usual ones the export has."""
    if asked and asked not in columns:
        raise UsageError(f"{path}: no column '{asked}' (it has: {', '.join(sorted(columns))})")
    choice = asked or next((c for c in (CANVAS_ID_COLUMNS if kind == "canvas" else MOODLE_ID_COLUMNS)
                            if c in columns), None)
    if choice is None:
        raise UsageError(f"{path}: no column to take the student id from; name one with --id-column")
    return choice


def _not_a_student(row: dict[str, str]) -> bool:
    """A row of Canvas's export that is no student: the points possible, a muted-assignment
    line, or Canvas's test student, which every course has."""
    name = row.get("Student")
    if name in ("Points Possible", "") or row["Student"].strip().endswith("Muted"):
        return True
    return name == "Student, Test" and not row.get("SIS User ID")


def import_roster(db_url: str, people: list[Person]) -> int:
    """Add or update each person in the gradebook's students table; returns how many."""
    from ..outputs.gradebook import open_gradebook

    with open_gradebook(db_url) as gb:
        for person in people:
            fields = {"first_name": person.first_name or None, "last_name": person.last_name or None}
            if person.email:
                fields["email"] = person.email
            if person.lms_user_id:
                fields["lms_user_id"] = person.lms_user_id
            gb.update_or_create_student(person.student_id, **fields)
    return len(people)


def roster_lookup(db_url: str) -> tuple[dict[str, str], dict[str, str]]:
    """Student ids by LMS user id and by email (lower case), from the gradebook."""
    from ..outputs.gradebook import open_gradebook

    by_lms, by_email = {}, {}
    with open_gradebook(db_url) as gb:
        for student in gb.students:
            if student.lms_user_id:
                by_lms[str(student.lms_user_id)] = student.id
            if student.email:
                by_email[student.email.lower()] = student.id
    return by_lms, by_email
