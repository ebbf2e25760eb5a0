"""The course's calendar: each assignment's due date, its late policy, and the
extensions given to single students.

Everything comes from the `course:` block of _config.yml and one file the instructor
edits, `extensions.csv`:

    course:
      timezone: Europe/London        # the zone of a due date that names none
      late: none                     # the policy of an assignment that names none
      extensions: extensions.csv     # (the default) relative to the course folder
      assignments:
        ps1:
          due: 2026-10-02 17:00
          late: {deduct: 10%, per: day, cap: 50%, grace_minutes: 15}
        ps2: {due: 2026-10-16 17:00 America/Chicago, late: zero}

Dates are read with nbgrader's own timestamp parser and kept in UTC without a zone, as
nbgrader's gradebook keeps them.  What lateness costs is a policy (late_policy.py).
Without a `late` key anywhere, a course keeps nbgrader's own late-submission settings.
"""
from __future__ import annotations

import csv
import datetime
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .course import CONFIG_FILE, _config_file
from .errors import UsageError
from .late_policy import LatePolicy, parse_policy

EXTENSIONS_FILE = "extensions.csv"
EXTENSION_COLUMNS = ("student", "assignment", "due", "extra_hours", "reason")


def parse_due(value, zone: str | None, where: str) -> datetime.datetime:
    """A due date as nbgrader keeps it (UTC, no zone), from `value` (text, or the
    datetime YAML makes of an ISO date) read with nbgrader's parser; a date that names no
    zone is in `zone`, and without either it is an error (a deadline must not shift with
    the machine that grades)."""
    from dateutil.tz import gettz
    from nbgrader.utils import parse_utc

    if isinstance(value, datetime.datetime):
        value = value.isoformat(sep=" ")
    elif isinstance(value, datetime.date) or not isinstance(value, str) or ":" not in value:   # a time, always
        raise UsageError(f"{where}: '{value}' is not a date and time (write e.g. 2026-10-02 17:00)")
    text = " ".join(re.sub(r"^(\d{4}-\d\d-\d\d)T", r"\1 ", value.strip()).split())   # ISO's T, as a space
    parts = text.split(" ")
    try:
        if len(parts) == 3 and (gettz(parts[2]) is not None or "/" in parts[2]):   # nbgrader's "date time zone"
            if gettz(parts[2]) is None:
                raise UsageError(f"{where}: unknown time zone '{parts[2]}' (write e.g. Europe/London or UTC)")
            parsed = parse_utc(text)
        else:   # any other form dateutil reads (Moodle's "Friday, 20 November 2026, 6:30 PM"), in its zone
            import dateutil.parser
            parsed = dateutil.parser.parse(text)
            if parsed.tzinfo is None:
                if not zone:
                    raise UsageError(f"{where}: '{value}' names no time zone; add one (e.g. '{text} UTC') "
                                     f"or set course.timezone")
                parsed = parsed.replace(tzinfo=gettz(zone))
            parsed = parse_utc(parsed)
    except (ValueError, OverflowError):
        raise UsageError(f"{where}: '{value}' is not a date and time (write e.g. 2026-10-02 17:00)") from None
    return parsed.replace(tzinfo=None)


@dataclass(frozen=True)
class Extension:
    student: str
    assignment: str
    due: datetime.datetime | None     # a new due date (UTC), or
    extra_hours: float | None         # hours past the assignment's due date
    reason: str = ""

    def applied_to(self, due: datetime.datetime | None) -> datetime.datetime | None:
        if self.due is not None:
            return self.due
        return None if due is None else due + datetime.timedelta(hours=self.extra_hours or 0)


@dataclass
class Calendar:
    """Due dates, policies and extensions of one course (see the module's docstring)."""
    due: dict[str, datetime.datetime] = field(default_factory=dict)
    policies: dict[str, LatePolicy] = field(default_factory=dict)
    default_policy: LatePolicy | None = None
    extensions: dict[tuple[str, str], Extension] = field(default_factory=dict)
    extensions_file: bool = False     # the course keeps an extensions file: it is the whole list
    zone: str | None = None

    def policy(self, assignment_id: str) -> LatePolicy | None:
        """The course's own policy for the assignment; None: nbgrader's settings apply."""
        return self.policies.get(assignment_id, self.default_policy)

    def due_for(self, assignment_id: str, student_id: str,
                due: datetime.datetime | None = None) -> datetime.datetime | None:
        """The student's due date: the assignment's (or `due`, the gradebook's, where the
        course sets none), moved by the student's extension."""
        due = self.due.get(assignment_id, due)
        extension = self.extensions.get((student_id, assignment_id))
        return extension.applied_to(due) if extension else due


def due_text(due: datetime.datetime, zone: str | None) -> str:
    """A due date (UTC) as students read it: in the course's zone, and in UTC."""
    from nbgrader.utils import as_timezone

    utc = f"{due:%H:%M} UTC"
    if not zone or zone.upper() == "UTC":
        return f"{due:%A %-d %B %Y}, {utc}"
    local = as_timezone(due, zone)
    return f"{local:%A %-d %B %Y, %H:%M} ({zone} time; {utc}{'' if local.date() == due.date() else f' {due:%-d %B}'})"


def read_calendar(root: Path) -> Calendar:
    """The calendar of the course in `root` (empty where it sets none)."""
    block = _config_file(root).get("course") or {}
    where = f"{root / CONFIG_FILE}: course"
    zone = block.get("timezone")
    if zone is not None:
        from dateutil.tz import gettz
        if not isinstance(zone, str) or gettz(zone) is None:
            raise UsageError(f"{where}.timezone: unknown time zone '{zone}' (write e.g. Europe/London or UTC)")
    calendar = Calendar(zone=zone)
    if "late" in block:
        calendar.default_policy = parse_policy(block["late"], f"{where}.late")
    assignments = block.get("assignments") or {}
    if not isinstance(assignments, dict):
        raise UsageError(f"{where}.assignments must map each assignment id to its due date and late policy")
    for assignment_id, entry in assignments.items():
        here = f"{where}.assignments.{assignment_id}"
        if not isinstance(entry, dict) or set(entry) - {"due", "late"}:
            raise UsageError(f"{here}: give 'due' and, if you like, 'late' (nothing else)")
        if entry.get("due") is not None:
            calendar.due[str(assignment_id)] = parse_due(entry["due"], zone, f"{here}.due")
        if "late" in entry:
            calendar.policies[str(assignment_id)] = parse_policy(entry["late"], f"{here}.late")
    path = root / str(block.get("extensions") or EXTENSIONS_FILE)
    calendar.extensions_file = path.is_file()
    calendar.extensions = read_extensions(path, zone) if path.is_file() else {}
    return calendar


def read_extensions(path: Path, zone: str | None) -> dict[tuple[str, str], Extension]:
    """extensions.csv: student, assignment, due (a new due date) or extra_hours, reason.
    Every bad line is named, one line each, and none is applied: a half-read file would
    grade a student with an extension as late."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:   # Excel writes a BOM
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{path}: cannot be read ({type(exc).__name__})") from None
    if not rows or [c.strip().lower() for c in rows[0]][:len(EXTENSION_COLUMNS)] != list(EXTENSION_COLUMNS):
        raise UsageError(f"{path}: the first line must be the header {','.join(EXTENSION_COLUMNS)}")
    found, problems = {}, []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            extension = _extension(row, f"{path}:{number}", zone)
        except UsageError as exc:
            problems.append(str(exc))
            continue
        key = (extension.student, extension.assignment)
        if key in found:
            problems.append(f"{path}:{number}: a second extension for {key[0]} on {key[1]} (keep one line)")
        found[key] = extension
    if problems:
        raise UsageError("\n".join(problems))
    return found


def _extension(row: list[str], where: str, zone: str | None) -> Extension:
    cells = [c.strip() for c in row] + [""] * (len(EXTENSION_COLUMNS) - len(row))
    student, assignment, due, extra, reason = cells[:5]
    if not student or not assignment:
        raise UsageError(f"{where}: needs a student and an assignment")
    if bool(due) == bool(extra):
        raise UsageError(f"{where}: give either a new due date or extra hours, not {'both' if due else 'neither'}")
    if due:
        return Extension(student, assignment, parse_due(due, zone, where), None, reason)
    try:
        hours = float(extra)
    except ValueError:
        hours = -1.0
    if not math.isfinite(hours) or hours <= 0:
        raise UsageError(f"{where}: extra_hours must be a number of hours above 0, not '{extra}'")
    return Extension(student, assignment, None, hours, reason)
