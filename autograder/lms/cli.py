"""The `course` commands for a course run from Canvas or Moodle: `roster import` and
`collect` (see roster.py and collect.py); the LTI ones are in lti_cli.py."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..course import Course, resolve_course


def course_gradebook(course: Course, db: str | None, workspace: Path) -> str:
    """`--db`; else the nbgrader course's gradebook; else the workspace's (as `course grade`)."""
    if db:
        return db
    nbgrader = course.nbgrader()
    if nbgrader is not None:
        return nbgrader.db_url
    workspace.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{workspace.resolve() / 'gradebook.db'}"


def _course(args) -> Course:
    return resolve_course(Path(args.course_dir) if args.course_dir else None)


def _roster_import(args: argparse.Namespace) -> int:
    from .roster import import_roster, read_roster

    course = _course(args)
    people, problems = read_roster(Path(args.file), args.id_column)
    count = import_roster(course_gradebook(course, args.db, Path(args.workspace)), people)
    for line in problems:
        print(f"course roster: {line}", file=sys.stderr)
    print(f"roster: {count} students from {args.file}" + (f"; {len(problems)} rows left out" if problems else ""))
    return 1 if problems else 0


def _collect(args: argparse.Namespace) -> int:
    from ..calendar import read_calendar
    from .collect import collect
    from .roster import roster_lookup

    course = _course(args)
    calendar = read_calendar(course.root)
    nbgrader = course.nbgrader()
    submitted = Path(args.submissions) if args.submissions else (
        nbgrader.root / nbgrader.submitted if nbgrader else course.root / "submitted")
    expected = sorted(p.name for p in (course.release_dir / args.id).glob("*.ipynb")) or [f"{args.id}.ipynb"]
    by_lms, by_email = roster_lookup(course_gradebook(course, args.db, Path(args.workspace)))
    if not by_lms and not by_email:
        print("course collect: warning: the roster is empty; run `course roster import FILE` first", file=sys.stderr)
    students, problems = collect(Path(args.source), args.id, submitted, expected, by_lms, by_email,
                                 calendar.due.get(args.id), Path(args.worksheet) if args.worksheet else None,
                                 args.timezone or calendar.zone)
    for line in problems:
        print(f"course collect: {line}", file=sys.stderr)
    print(f"collected {len(students)} submissions of {args.id} into {submitted}/<student>/{args.id}/"
          + (f"; {len(problems)} files or rows left out (above)" if problems else ""))
    return 1 if problems else 0


def gradebook_options(p: argparse.ArgumentParser,
                      workspace_help: str = "its gradebook, where the course is no nbgrader course") -> None:
    """--db, --course-dir and --workspace: where an LMS command finds the course's gradebook."""
    p.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: the course's)")
    p.add_argument("--course-dir", metavar="DIR", help="the course directory (default: this course)")
    p.add_argument("--workspace", default="workspace", metavar="DIR", help=workspace_help)


def lms_commands(sub: argparse._SubParsersAction) -> None:
    """roster import, collect."""
    r = sub.add_parser("roster", help="the course's roster (nbgrader's students table)")
    rs = r.add_subparsers(dest="roster_command", required=True)
    i = rs.add_parser("import", help="add or update the students in Canvas's gradebook export or Moodle's grading worksheet")
    i.add_argument("file", metavar="FILE")
    i.add_argument("--id-column", metavar="NAME", help="the column that holds the student id (default: see the guide)")
    gradebook_options(i)
    i.set_defaults(run=_roster_import)

    c = sub.add_parser("collect", help="turn an LMS's download of hand-ins into nbgrader's submitted/ layout")
    c.add_argument("id", metavar="ID")
    c.add_argument("--from", dest="source", required=True, metavar="FILE.zip",
                   help="Canvas's Download Submissions archive, or Moodle's Download all submissions")
    c.add_argument("--worksheet", metavar="FILE.csv", help="Moodle's grading worksheet of the same assignment")
    c.add_argument("--timezone", metavar="ZONE", help="the zone of the worksheet's times (default: course.timezone)")
    c.add_argument("--submissions", metavar="DIR", help="where to put them (default: the course's submitted/)")
    gradebook_options(c)
    c.set_defaults(run=_collect)
