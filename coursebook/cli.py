"""The `course` command: the grader's commands (release, grade, export), the book's
(new, build, fetch-assets), and those of a course run from an LMS (roster, collect, lti)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder import cli as grading_cli
from autograder.course import find_course
from autograder.errors import UsageError
from autograder.lms.cli import lms_commands
from autograder.lms.lti_cli import lti_commands


def _build(args: argparse.Namespace) -> int:
    from .build import AssetsMissing, build_book
    from .pdf.printer import PdfError

    if args.paper and not args.pdf:
        raise UsageError(f"--paper {args.paper}: the paper size is for the PDFs; add --pdf")
    course = find_course()
    try:
        return build_book(course.root, output=Path(args.output).resolve() if args.output else None, quiet=args.quiet,
                          pdf_paper=(args.paper or "a4") if args.pdf else None)
    except (AssetsMissing, PdfError) as exc:
        raise UsageError(str(exc)) from None


def _fetch_assets(args: argparse.Namespace) -> int:
    from .build import AssetsMissing, fetch_assets

    try:
        folder = fetch_assets(find_course().root)
    except AssetsMissing as exc:
        raise UsageError(str(exc)) from None
    print(f"browser assets ready in {folder}")
    return 0


def _new(args: argparse.Namespace) -> int:
    from autograder.course import course_config

    from .new_course import new_course, students_cannot_install

    root = new_course(Path(args.dir), args.title, args.toolkit)
    print(f"a new course in {root}; next: cd {args.dir} && bash dev.sh book   (then bash dev.sh test)")
    problem = students_cannot_install(course_config(root).toolkit or "")
    if problem:
        print(f"course new: warning: {problem}", file=sys.stderr)
    return 0


def book_commands(sub: argparse._SubParsersAction) -> None:
    """new, build and fetch-assets."""
    n = sub.add_parser("new", help="start a new course of your own in DIR: a book, an assignment, tests, ready to build")
    n.add_argument("dir", metavar="DIR", help="a new (or empty) folder")
    n.add_argument("--title", required=True, help="the course's title; its name and package are made from it")
    n.add_argument("--toolkit", metavar="REQUIREMENT",
                   help="how the new course requires the toolkit: a requirement (default: coursekit of this "
                        "version's series), a git URL or the toolkit's folder")
    n.set_defaults(run=_new)

    b = sub.add_parser("build", help="build the book into _build/html (no network needed)")
    b.add_argument("--output", help="build into this folder instead of the course root")
    b.add_argument("--quiet", action="store_true")
    b.add_argument("--pdf", action="store_true",
                   help="also print the whole book and each chapter to PDF (Debian's chromium), linked from the pages")
    b.add_argument("--paper", metavar="SIZE", help="the PDFs' paper: a4 (default) or letter")
    b.set_defaults(run=_build)

    f = sub.add_parser("fetch-assets", help="fetch the browser assets the book serves itself (needs the npm registry once)")
    f.set_defaults(run=_fetch_assets)


def main(argv: list[str] | None = None) -> int:
    return grading_cli.main(argv, groups=(book_commands, grading_cli.grading_commands, lms_commands,
                                  lti_commands))


if __name__ == "__main__":
    sys.exit(main())
