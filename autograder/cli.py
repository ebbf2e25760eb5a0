"""The `course` command's grading side: release, grade, return feedback and export.

`main` builds the command line from command groups: this module's, and any other a
toolkit package adds (the book's `build` and `fetch-assets`, coursebook/cli.py), so that
the grader knows nothing of the book.  Over 250 lines: it holds every grading command's
flags and help text, the part of the user's contract read most often, in one place.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .course import find_course
from .errors import UsageError
from .execution.limits import Limits  # a small module: the limits' defaults, in one place
from .execution.runner_kind import RunnerKind
from .outputs.export import FORMATS  # no pandas at import: the command line starts fast
from .tools import tools_on_path


def _release(args: argparse.Namespace) -> int:
    from .authoring.release import release

    course = find_course()
    for assignment_id in args.ids:
        if not course.has_questions(assignment_id):
            raise UsageError(f"{course.source_dir / assignment_id}: no questions.yml for assignment '{assignment_id}'")
    for assignment_id in release(course, args.ids or None):
        print(f"released {assignment_id} -> {course.release_dir / assignment_id}")
    return 0


def _solution(args: argparse.Namespace) -> int:
    from .authoring.solution import essays_with_a_model, write_solution

    course = find_course()
    if not course.has_questions(args.id):
        raise UsageError(f"{course.source_dir / args.id}: no questions.yml for assignment '{args.id}'")
    print(f"wrote {write_solution(course, args.id, args.student, Path(args.output))}")
    essays = essays_with_a_model(course, args.id)
    if essays:
        print(f"the essay{'s' if len(essays) > 1 else ''} ({', '.join(essays)}) hold{'' if len(essays) > 1 else 's'} "
              f"the model answer, headed as a model: graded by hand, so `course grade` leaves "
              f"{'them' if len(essays) > 1 else 'it'} pending")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from .pipeline import GradeOptions, grade

    if args.no_sandbox:
        print("course grade: WARNING: --no-sandbox: student code runs with your own rights and can read "
              "and change your files (solutions, gradebook, other submissions)", file=sys.stderr)
    options = GradeOptions(
        assignment_id=args.id,
        submissions=Path(args.submissions),
        workspace=Path(args.workspace),
        workers=args.workers,
        db_url=args.db,
        course_dir=Path(args.course_dir) if args.course_dir else None,
        limits=Limits(memory_mb=args.memory, disk_mb=args.disk),
        timeout=args.timeout,
        sandbox=not args.no_sandbox,
        progress=not args.no_progress,
        runner=RunnerKind(args.runner),
        timings=args.timings,
        cluster=args.cluster,
    )
    summary = grade(options)
    print(summary)
    return 0


def _export(args: argparse.Namespace) -> int:
    from .outputs.export import export, grades_from_gradebook, late_students, not_graded, pending_students

    workspace = Path(args.workspace)
    db_url = export_gradebook(args.db, Path(args.course_dir) if args.course_dir else None, workspace)
    try:
        grades = grades_from_gradebook(db_url, workspace)
    except Exception as exc:
        raise UsageError(f"{db_url}: cannot read the gradebook ({type(exc).__name__})") from None
    out = export(workspace, args.format, Path(args.output) if args.output else None, grades)
    print(f"wrote {out}")
    ungraded = not_graded(grades)
    if ungraded:
        print(f"not graded, so their score is left empty (the LMS shows no grade; fix and grade again): "
              f"{'; '.join(ungraded)}")
    for assignment, students in pending_students(grades).items():
        print(f"{assignment}: still to be marked by hand: {', '.join(students)}")
    for assignment, students in late_students(grades).items():   # their scores are after the penalty
        print(f"{assignment}: handed in late: {', '.join(students)}")
    return 0


def export_gradebook(db: str | None, course_dir: Path | None, workspace: Path) -> str:
    """The gradebook to export: `--db`; else the course's, where this is an nbgrader
    course whose gradebook exists; else the workspace's."""
    from .course import resolve_course

    if db:
        return db
    try:
        nbgrader = resolve_course(course_dir).nbgrader()
    except UsageError:
        if course_dir is not None:
            raise
        nbgrader = None   # not inside a course: the workspace's gradebook
    if nbgrader is not None and (not nbgrader.db_url.startswith("sqlite:///")
                                 or Path(nbgrader.db_url[len("sqlite:///"):]).is_file()):
        return nbgrader.db_url
    path = workspace / "gradebook.db"
    if not path.is_file():
        raise UsageError(f"{path}: no gradebook; run `course grade` first, or name one with --db")
    return f"sqlite:///{path.resolve()}"


def _feedback(args: argparse.Namespace) -> int:
    from .hand_back import FeedbackOptions, feedback

    print(feedback(FeedbackOptions(
        assignment_id=args.id, workspace=Path(args.workspace), db_url=args.db,
        course_dir=Path(args.course_dir) if args.course_dir else None,
        submissions=Path(args.submissions) if args.submissions else None, release=args.release)))
    return 0


def _similarity(args: argparse.Namespace) -> int:
    from .similarity.run import SimilarityOptions, similarity

    chosen = {"threshold": args.threshold} if args.threshold is not None else {}
    print(similarity(SimilarityOptions(
        assignment_id=args.id, workspace=Path(args.workspace), **chosen,
        submissions=Path(args.submissions) if args.submissions else None,
        sources=Path(args.sources) if args.sources else None,
        course_dir=Path(args.course_dir) if args.course_dir else None)))
    return 0


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a share between 0 and 1 (such as 0.25)")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return value


def grading_commands(sub: argparse._SubParsersAction) -> None:
    """release, grade, feedback, similarity and export."""
    r = sub.add_parser("release", help="regenerate the student versions (exercises/) from the source (solutions/)")
    r.add_argument("ids", nargs="*", metavar="ID", help="assignment ids (default: all)")
    r.set_defaults(run=_release)

    s = sub.add_parser("solution", help="the released notebook answered right for one student's version")
    s.add_argument("id", metavar="ID")
    s.add_argument("--student", required=True, metavar="S", help="the student whose version to answer")
    s.add_argument("--output", required=True, metavar="DIR", help="where to write <ID>.ipynb and its files")
    s.set_defaults(run=_solution)

    g = sub.add_parser("grade", help="grade every submission of an assignment")
    g.add_argument("id", metavar="ID")
    g.add_argument("--submissions", required=True, metavar="DIR", help="<student_id>/<ID>/<notebook>.ipynb")
    g.add_argument("--workspace", default="workspace", metavar="DIR", help="where grades, feedback and the report go")
    g.add_argument("--workers", type=_positive, metavar="N",
                   help="parallel graders (default: the machine's cores; with --cluster, twice the cluster's threads)")
    g.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: SQLite in the workspace)")
    g.add_argument("--course-dir", metavar="DIR", help="an nbgrader course directory (default: this course)")
    g.add_argument("--timeout", type=_positive, metavar="S",
                   help="seconds allowed per cell (default: the course's Execute.timeout, else nbgrader's 30; "
                        "the whole notebook: five times this)")
    g.add_argument("--memory", type=_positive, default=2048, metavar="MB", help="memory allowed to the student's code")
    g.add_argument("--disk", type=_positive, default=Limits.disk_mb, metavar="MB",
                   help="all that one submission's code may write (files, /tmp, the scratch copy), held in memory")
    g.add_argument("--no-sandbox", action="store_true",
                   help="run student code without bubblewrap, with your own rights (only where no sandbox exists)")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    g.add_argument("--cluster", metavar="tcp://HOST:PORT",
                   help="run the notebooks on the workers of this Dask scheduler (tls://HOST:PORT with TLS); "
                        "scoring, keys and outputs stay here")
    g.add_argument("--runner", choices=[k.value for k in RunnerKind], default=RunnerKind.WARM.value,
                   help="warm: workers that fork a sandboxed child per notebook (default); "
                        "process: a new sandboxed Python per notebook (slower)")
    g.add_argument("--timings", action="store_true", help="print the time each stage took")
    g.set_defaults(run=_grade, quick_exit=True)

    f = sub.add_parser("feedback", help="each student's feedback, with hand marks, in nbgrader's feedback layout")
    f.add_argument("id", metavar="ID")
    f.add_argument("--release", action="store_true", help="hand it to nbgrader's exchange (students press Fetch Feedback)")
    f.add_argument("--workspace", default="workspace", metavar="DIR", help="where `course grade` put the results")
    f.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: the course's)")
    f.add_argument("--course-dir", metavar="DIR", help="an nbgrader course directory (default: this course)")
    f.add_argument("--submissions", metavar="DIR", help="the collected submissions (default: the course's submitted/)")
    f.set_defaults(run=_feedback)

    m = sub.add_parser("similarity", help="which submissions share passages with each other, the readings or the book "
                                          "(an HTML report in the workspace, for the instructor only)")
    m.add_argument("id", metavar="ID")
    m.add_argument("--submissions", metavar="DIR", help="<student_id>/<ID>/<notebook>.ipynb (default: the course's submitted/)")
    m.add_argument("--sources", metavar="DIR", help="a folder of readings (.txt, .md) to compare each essay against; "
                                                    "the book's own pages are compared always")
    m.add_argument("--workspace", default="workspace", metavar="DIR", help="where the report goes (similarity/<ID>.html)")
    m.add_argument("--threshold", type=_share, default=None, metavar="SHARE",
                   help="flag a pair when at least this share of the shorter answer is shared (default: 0.25, provisional)")
    m.add_argument("--course-dir", metavar="DIR", help="an nbgrader course directory (default: this course)")
    m.set_defaults(run=_similarity)

    e = sub.add_parser("export", help="export grades for a learning-management system")
    e.add_argument("--format", required=True, choices=FORMATS)
    e.add_argument("--workspace", default="workspace", metavar="DIR")
    e.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: the course's, else the workspace's)")
    e.add_argument("--course-dir", metavar="DIR", help="an nbgrader course directory (default: this course)")
    e.add_argument("--output", metavar="FILE")
    e.set_defaults(run=_export)


CommandGroup = Callable[[argparse._SubParsersAction], None]


def parser(groups: Sequence[CommandGroup] = (grading_commands,)) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="course", description="Build the book; release, grade and export assignments.")
    sub = p.add_subparsers(dest="command", required=True)
    for add in groups:
        add(sub)
    return p


def main(argv: list[str] | None = None, groups: Sequence[CommandGroup] = (grading_commands,)) -> int:
    args = parser(groups).parse_args(argv)
    tools_on_path()
    # jsonschema (which nbformat imports) imports rfc3987_syntax, where it is installed, only
    # to check "iri" strings, which no notebook schema asks for; building that package's
    # grammar costs more than a second at every start of the command
    sys.modules.setdefault("rfc3987_syntax", None)
    try:
        code = args.run(args)
        if argv is None and getattr(args, "quick_exit", False):
            # run as a program, with everything written and closed: skip the interpreter's
            # teardown of pandas, matplotlib and SQLAlchemy (half a second after grading)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        return code
    except UsageError as exc:
        print(f"course {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"course {args.command}: interrupted; run it again to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
