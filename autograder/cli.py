"""The `course` command: build the book, release, grade and export assignments."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .course import CourseError, find_course


def _build(args: argparse.Namespace) -> int:
    from contested_peace.build import AssetsMissing, build_book

    course = find_course()
    try:
        return build_book(course.root, output=Path(args.output).resolve() if args.output else None, quiet=args.quiet)
    except AssetsMissing as exc:
        raise CourseError(str(exc)) from None


def _fetch_assets(args: argparse.Namespace) -> int:
    from contested_peace.build import AssetsMissing, fetch_assets

    try:
        folder = fetch_assets(find_course().root)
    except AssetsMissing as exc:
        raise CourseError(str(exc)) from None
    print(f"browser assets ready in {folder}")
    return 0


def _release(args: argparse.Namespace) -> int:
    from .release import release

    course = find_course()
    for assignment_id in args.ids:
        if not course.has_questions(assignment_id):
            raise CourseError(f"{course.source_dir / assignment_id}: no questions.yml for assignment '{assignment_id}'")
    for assignment_id in release(course, args.ids or None):
        print(f"released {assignment_id} -> {course.release_dir / assignment_id}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from .grading import GradeOptions, grade
    from .sandbox import Limits

    if args.no_sandbox:
        print("course grade: WARNING: --no-sandbox: student code runs with your own rights and can read "
              "and change your files (solutions, gradebook, other submissions)", file=sys.stderr)
    options = GradeOptions(
        assignment_id=args.id,
        submissions=Path(args.submissions),
        workspace=Path(args.workspace),
        workers=args.workers or os.cpu_count() or 1,
        db_url=args.db,
        course_dir=Path(args.course_dir) if args.course_dir else None,
        limits=Limits(cell_seconds=args.timeout, memory_mb=args.memory),
        sandbox=not args.no_sandbox,
        progress=not args.no_progress,
    )
    summary = grade(options)
    print(summary)
    return 0


def _export(args: argparse.Namespace) -> int:
    from .export import export

    out = export(Path(args.workspace), args.format, Path(args.output) if args.output else None)
    print(f"wrote {out}")
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="course", description="Contested Peace: build the book, release, grade and export.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the book into _build/html (no network needed)")
    b.add_argument("--output", help="build into this folder instead of the course root")
    b.add_argument("--quiet", action="store_true")
    b.set_defaults(run=_build)

    f = sub.add_parser("fetch-assets", help="fetch the browser assets the book serves itself (needs the npm registry once)")
    f.set_defaults(run=_fetch_assets)

    r = sub.add_parser("release", help="regenerate exercises/ from solutions/")
    r.add_argument("ids", nargs="*", metavar="ID", help="assignment ids (default: all)")
    r.set_defaults(run=_release)

    g = sub.add_parser("grade", help="grade every submission of an assignment")
    g.add_argument("id", metavar="ID")
    g.add_argument("--submissions", required=True, metavar="DIR", help="<student_id>/<ID>/<notebook>.ipynb")
    g.add_argument("--workspace", default="workspace", metavar="DIR", help="where grades, feedback and the report go")
    g.add_argument("--workers", type=_positive, default=0, metavar="N", help="parallel graders (default: the machine's cores)")
    g.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: SQLite in the workspace)")
    g.add_argument("--course-dir", metavar="DIR", help="an nbgrader course directory (default: this course)")
    g.add_argument("--timeout", type=_positive, default=60, metavar="S",
                   help="seconds allowed per cell (the whole notebook: five times this)")
    g.add_argument("--memory", type=_positive, default=2048, metavar="MB", help="memory allowed to the student's code")
    g.add_argument("--no-sandbox", action="store_true",
                   help="run student code without bubblewrap, with your own rights (only where no sandbox exists)")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    g.set_defaults(run=_grade)

    e = sub.add_parser("export", help="export grades for a learning-management system")
    e.add_argument("--format", required=True, choices=["csv", "canvas", "moodle"])
    e.add_argument("--workspace", default="workspace", metavar="DIR")
    e.add_argument("--output", metavar="FILE")
    e.set_defaults(run=_export)
    return p


def _tools_on_path() -> None:
    """nbgrader runs `alembic` and kernels by name: make the tools installed beside this
    Python findable even when its environment is not activated."""
    here = str(Path(sys.executable).parent)
    if here not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = here + os.pathsep + os.environ.get("PATH", "")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _tools_on_path()
    try:
        return args.run(args)
    except CourseError as exc:
        print(f"course {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"course {args.command}: interrupted; run it again to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
