"""`course collect ID --from FILE.zip`: an LMS's download of an assignment's hand-ins,
turned into nbgrader's `submitted/<student>/<ID>/` layout with its `timestamp.txt`.

Canvas ("Download Submissions")  one flat folder of files named
    <name>_<user id>_<submission id>_<file>, or <name>_LATE_<user id>_<submission id>_<file>
    where the user id is the roster's `lms_user_id`, and a file uploaded again is renamed by
    Canvas with a number (ps1-1.ipynb).  The time is the archive entry's (Canvas writes
    UTC); a file marked LATE whose time is not after the due date counts as just after it.
Moodle ("Download all submissions", with its grading worksheet, --worksheet)
    <full name>_<participant id>_assignsubmission_file_<file>, or the same in a folder per
    student (<full name>_<participant id>_assignsubmission_file/<file>); the worksheet maps
    each participant id to an email, which the roster maps to a student, and gives the time
    ("Last modified (submission)", in the course's time zone).

Of several notebooks from one student, the one named like the assignment's notebook wins
(the latest, where it was uploaded more than once); else the latest, renamed to it.  What
cannot be placed is one line each; nothing is written until everything is read, and each
student's folder is swapped in whole."""
from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..calendar import parse_due
from ..errors import UsageError
from ..outputs.store import safe_name
from .archive import Entry, open_archive, read_entry
from .roster import read_table

CANVAS = re.compile(r"^(?P<name>[^_/]*)_(?:(?P<late>LATE)_)?(?P<user>\d+)_(?P<submission>\d+)_(?P<file>[^/]+)$")
MOODLE = re.compile(r"^(?P<name>[^/]+?)_(?P<participant>\d+)_assignsubmission_file(?:/|_)(?P<file>[^/]+)$")
RESUBMITTED = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)\.ipynb$")


@dataclass
class Upload:
    student_id: str
    entry: Entry
    file: str                             # the name the student gave it
    time: datetime.datetime               # UTC
    late_mark: bool = False


def canonical(file: str) -> tuple[str, int]:
    """A Canvas resubmission's name without its number (ps1-2.ipynb: ps1.ipynb, 2)."""
    found = RESUBMITTED.match(file)
    return (f"{found['stem']}.ipynb", int(found["n"])) if found else (file, 0)


def moodle_times(worksheet: Path, zone: str | None, by_email: dict[str, str]) -> tuple[dict, list[str]]:
    """Participant id -> (student id, time handed in) from Moodle's grading worksheet."""
    found, problems = {}, []
    for number, row in enumerate(read_table(worksheet), start=2):
        participant = re.sub(r"\D", "", row.get("Identifier", ""))
        student = by_email.get(row.get("Email address", "").lower())
        if not participant:
            continue
        if student is None:
            problems.append(f"{worksheet}:{number}: {row.get('Full name', '')} <{row.get('Email address', '')}> "
                            f"is not in the roster (run `course roster import` with this worksheet)")
            continue
        text = row.get("Last modified (submission)", "")
        try:
            time = parse_due(text, zone, f"{worksheet}:{number}") if text and text != "-" else None
        except UsageError as exc:
            problems.append(str(exc))
            time = None
        found[participant] = (student, time)
    return found, problems


def uploads(entries: list[Entry], by_lms: dict[str, str], moodle: dict | None, due, source: Path):
    """Each notebook in the archive with its student and time; one line for each file
    that matches no student or is not a notebook."""
    found, problems = [], []
    for entry in entries:
        pattern = MOODLE if moodle is not None else CANVAS
        named = pattern.match(entry.path)
        if named is None and moodle is not None and "_assignsubmission_" in entry.path:
            problems.append(f"{source}: {entry.path}: not an uploaded file (online text, say): left out")
            continue
        if named is None:
            problems.append(f"{source}: {entry.path}: not named as {'Moodle' if moodle is not None else 'Canvas'} "
                            f"names a hand-in")
            continue
        if not named["file"].endswith(".ipynb"):
            problems.append(f"{source}: {entry.path}: not a notebook (.ipynb): left out")
            continue
        if moodle is not None:
            student, time = moodle.get(named["participant"], (None, None))
            who = f"Moodle participant {named['participant']} ({named['name']})"
        else:
            student, time = by_lms.get(named["user"]), None
            who = f"Canvas user {named['user']} ({named['name']})"
        if student is None:
            problems.append(f"{source}: {entry.path}: {who} matches no student in the roster")
            continue
        if safe_name(student) != student:
            problems.append(f"{source}: {entry.path}: student id {student!r} cannot be a folder name")
            continue
        time = time or entry.time
        late = moodle is None and named["late"] is not None
        if late and due is not None and time <= due:
            time = due + datetime.timedelta(seconds=1)   # Canvas says late: never counted on time
        found.append(Upload(student, entry, named["file"], time, late))
    return found, problems


def choose(mine: list[Upload], expected: list[str]) -> dict[str, Upload]:
    """The notebooks a student hands in, by the name they get: for each of the
    assignment's notebooks the latest upload of that name; else the latest of all."""
    def latest(candidates):
        return max(candidates, key=lambda u: (u.time, u.entry.time, canonical(u.file)[1], u.file))

    chosen = {}
    for name in expected:
        named = [u for u in mine if canonical(u.file)[0] == name]
        if named:
            chosen[name] = latest(named)
    if not chosen and mine:
        newest = latest(mine)
        chosen[expected[0] if len(expected) == 1 else canonical(newest.file)[0]] = newest
    return chosen


def collect(archive_path: Path, assignment_id: str, submitted: Path, expected: list[str], by_lms: dict[str, str],
            by_email: dict[str, str], due: datetime.datetime | None, worksheet: Path | None = None,
            zone: str | None = None) -> tuple[list[str], list[str]]:
    """Unpack the LMS download into `submitted`; returns the students collected and the
    problems (one line each)."""
    archive, entries, problems = open_archive(archive_path)
    with archive:
        moodle = None
        if worksheet is not None:
            moodle, found = moodle_times(worksheet, zone, by_email)
            problems += found
        elif any(MOODLE.match(e.path) for e in entries):
            raise UsageError(f"{archive_path}: a Moodle download: give its grading worksheet with --worksheet "
                             f"(it maps the participant ids in the file names to students)")
        found, bad = uploads(entries, by_lms, moodle, due, archive_path)
        problems += bad
        by_student: dict[str, list[Upload]] = {}
        for upload in found:
            by_student.setdefault(upload.student_id, []).append(upload)
        chosen = {s: choose(mine, expected) for s, mine in by_student.items()}
        contents = {s: {name: read_entry(archive, u.entry) for name, u in files.items()} for s, files in chosen.items()}
    write_submissions(submitted, assignment_id, chosen, contents)
    return sorted(chosen), problems


def write_submissions(submitted: Path, assignment_id: str, chosen: dict, contents: dict) -> None:
    """Each student's folder made whole beside the others, then swapped in for the old one."""
    submitted.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".collect-", dir=submitted))
    try:
        for student, files in chosen.items():
            folder = staging / "new" / student / assignment_id
            folder.mkdir(parents=True)
            for name, data in contents[student].items():
                (folder / name).write_bytes(data)
            newest = max(u.time for u in files.values())
            (folder / "timestamp.txt").write_text(f"{newest:%Y-%m-%d %H:%M:%S.%f} UTC\n", encoding="utf-8")
        for student in chosen:
            target = submitted / student / assignment_id
            target.parent.mkdir(exist_ok=True)
            if target.exists() or target.is_symlink():
                os.replace(target, staging / f"old-{student}")
            os.replace(staging / "new" / student / assignment_id, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
