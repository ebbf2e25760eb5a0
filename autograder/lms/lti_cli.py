"""The `course lti` commands: `roster` (nrps.py, lti_roster.py), `publish ID` (ags.py,
publish.py) and `public-key` (what to give the LMS when registering the tool)."""
from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

from ..course import resolve_course


def _setup(args: argparse.Namespace):
    from .cli import course_gradebook
    from .lti_config import read_lti_settings

    course = resolve_course(Path(args.course_dir) if args.course_dir else None)
    settings = read_lti_settings(course.root)
    return course, settings, course_gradebook(course, args.db, Path(args.workspace))


def _client(settings, scopes):
    from .lti_config import load_private_key
    from .lti_http import LtiClient

    return LtiClient(settings, load_private_key(settings), scopes)


def _roster(args: argparse.Namespace) -> int:
    from .lti_http import SCOPES, LmsError
    from .lti_roster import sync_roster
    from .nrps import read_members

    _, settings, db_url = _setup(args)
    url = settings.need("memberships_url")
    try:
        members, unreadable = read_members(_client(settings, SCOPES["roster"]), url)
    except LmsError as error:
        print(f"course lti roster: {url}: {error}", file=sys.stderr)
        return 1
    change = sync_roster(db_url, members, settings.student_id)
    for line in change.problems:
        print(f"course lti roster: {line}", file=sys.stderr)
    if change.gone:
        print(f"course lti roster: no longer members in the LMS (kept, with their grades): {', '.join(change.gone)}",
              file=sys.stderr)
    print(f"roster: {len(change.added) + len(change.kept)} students ({len(change.added)} new), "
          f"{len(change.staff)} instructors and assistants"
          + (f", {change.others} other members left out" if change.others else "")
          + (f"; {unreadable} entries without a user_id" if unreadable else ""))
    return 1 if unreadable or change.left_out else 0


def _publish(args: argparse.Namespace) -> int:
    from ..calendar import read_calendar
    from ..errors import UsageError
    from ..outputs.export import grades_from_gradebook
    from .lti_http import SCOPES, LmsError
    from .lti_store import LtiStore
    from .publish import Outcome, dry_run, publish, scores_to_post
    from .roster import roster_lookup

    course, settings, db_url = _setup(args)
    container = settings.need("lineitems_url")
    grades = grades_from_gradebook(db_url, Path(args.workspace))
    mine = grades[grades.assignment == args.id]
    if mine.empty:
        raise UsageError(f"{_shown(db_url)}: no grades for '{args.id}' in the gradebook; "
                         f"run `course grade {args.id}` first")
    maximum = float(mine.max_score.max())
    by_lms, _ = roster_lookup(db_url)
    lms_ids = {student: lms for lms, student in by_lms.items()}
    now = datetime.datetime.now(datetime.UTC)
    timestamp = now.isoformat(timespec="milliseconds")
    outcome = Outcome()
    scores = scores_to_post(grades, args.id, lms_ids, read_calendar(course.root), now, outcome)
    label = _title(course, args.id)
    store = LtiStore(db_url)
    try:
        if args.dry_run:
            dry_run(scores, store, args.id, label, maximum, timestamp, outcome, print)
        else:
            publish(_client(settings, SCOPES["grades"]), container, store, args.id, label, maximum,
                    scores, timestamp, outcome)
    except LmsError as error:   # the token or the line item: nothing can be posted
        outcome.problems.append(f"{args.id}: {error}")
    finally:
        store.close()
    for line in outcome.problems:
        print(f"course lti publish: {line}", file=sys.stderr)
    pending = sum(1 for s in outcome.posted if s.grading == "PendingManual")
    verb = "would post" if args.dry_run else "posted"
    print(f"{args.id}: {verb} {len(outcome.posted)} scores" + (f" ({pending} PendingManual)" if pending else "")
          + f", {outcome.unchanged} unchanged"
          + (f"; line item {outcome.line_item}" + (" (new)" if outcome.made_line_item else "") if outcome.line_item else "")
          + (f"; {len(outcome.problems)} problems (above)" if outcome.problems else ""))
    return 1 if outcome.problems else 0


def _shown(db_url: str) -> str:
    """The gradebook's URL as it may be printed: without its password."""
    from sqlalchemy.engine import make_url

    return make_url(db_url).render_as_string(hide_password=True)


def _title(course, assignment_id: str) -> str:
    """The column's name in the LMS: the assignment's title, else its id (a stock nbgrader
    assignment has no questions.yml; a broken one is `course release`'s to report)."""
    from ..errors import UsageError

    try:
        return course.assignment(assignment_id).title if course.has_questions(assignment_id) else assignment_id
    except UsageError:
        return assignment_id


def _public_key(args: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from .lti_config import load_private_key, public_jwk, read_lti_settings

    course = resolve_course(Path(args.course_dir) if args.course_dir else None)
    settings = read_lti_settings(course.root, complete=False)
    key = load_private_key(settings)
    if args.pem:
        print(key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode(), end="")
    else:
        print(json.dumps(public_jwk(key, settings.key_id), indent=2))
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    from .cli import gradebook_options

    gradebook_options(p, "grades.csv and lateness; its gradebook where the course is no nbgrader course")


def lti_commands(sub: argparse._SubParsersAction) -> None:
    """lti roster, lti publish ID, lti public-key."""
    lti = sub.add_parser("lti", help="the LMS's roster and gradebook over LTI 1.3 (Canvas, Moodle)")
    ls = lti.add_subparsers(dest="lti_command", required=True)
    r = ls.add_parser("roster", help="the course's members from the LMS (Names and Role Provisioning) into the roster")
    _common(r)
    r.set_defaults(run=_roster)
    p = ls.add_parser("publish", help="post each student's score for an assignment to the LMS's gradebook")
    p.add_argument("id", metavar="ID")
    p.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")
    _common(p)
    p.set_defaults(run=_publish)
    k = ls.add_parser("public-key", help="the tool's public key, to give the LMS (a JWK; --pem for Moodle's field)")
    k.add_argument("--pem", action="store_true", help="as PEM rather than a JWK")
    k.add_argument("--course-dir", metavar="DIR", help="the course directory (default: this course)")
    k.set_defaults(run=_public_key)
