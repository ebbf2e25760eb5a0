"""When each submission was handed in, and how late that was against the student's due
date (the assignment's, moved by an extension).

The time is nbgrader's `timestamp.txt` beside the notebook (written by `nbgrader
collect`, `course collect`, or the exchange), read with nbgrader's own parser.  A
missing or unreadable one is said, never taken for "on time": it has its own value in
grades.csv's `late_by` column and its own message, apart from the submission's status
(the notebook itself may have been graded perfectly well)."""
from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from pathlib import Path

TIMESTAMP_FILE = "timestamp.txt"
NO_TIMESTAMP = "no-timestamp"
BAD_TIMESTAMP = "bad-timestamp"
TIMESTAMP_MESSAGES = {
    NO_TIMESTAMP: f"no {TIMESTAMP_FILE} beside the notebook: when it was handed in is unknown, so no late penalty",
    BAD_TIMESTAMP: f"{TIMESTAMP_FILE} cannot be read as a time: when it was handed in is unknown, so no late penalty",
}


@dataclass
class Lateness:
    """One submission against its due date (times in UTC, ISO format; None: not known)."""
    student_id: str
    due: str | None = None
    submitted: str | None = None
    late_by: float | None = None        # hours after the due date, 0 when on time
    timestamp: str = ""                 # "", or NO_TIMESTAMP / BAD_TIMESTAMP
    extension: str = ""                 # the student's extension, as the feedback page says it
    penalty: float | None = None        # fixed by nbgrader's late-submission plugin; None: the course's policy

    @property
    def column(self) -> str:
        """grades.csv's `late_by`: hours (decimal), a timestamp problem, or empty (no due date)."""
        if self.timestamp:
            return self.timestamp
        return "" if self.late_by is None else f"{self.late_by:.2f}".rstrip("0").rstrip(".")

    def to_json(self) -> dict:
        return asdict(self)


def submission_time(folder: Path) -> tuple[datetime.datetime | None, str]:
    """The time in `folder/timestamp.txt` (UTC, no zone), or None and why not."""
    from nbgrader.utils import parse_utc

    path = folder / TIMESTAMP_FILE
    if path.is_symlink() or not path.is_file():
        return None, NO_TIMESTAMP
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(200).strip()
        return (parse_utc(text).replace(tzinfo=None), "") if text else (None, BAD_TIMESTAMP)
    except (OSError, UnicodeDecodeError, ValueError, OverflowError):
        return None, BAD_TIMESTAMP


def assess(student_id: str, folder: Path, due: datetime.datetime | None, extension: str = "") -> Lateness:
    """How late the submission in `folder` was against `due` (the student's own)."""
    if due is None:
        return Lateness(student_id, extension=extension)
    submitted, problem = submission_time(folder)
    found = Lateness(student_id, due=due.isoformat(sep=" "), timestamp=problem, extension=extension)
    if submitted is not None:
        found.submitted = submitted.isoformat(sep=" ")
        found.late_by = round(max(0.0, (submitted - due).total_seconds() / 3600), 4)
    return found
