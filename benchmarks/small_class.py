"""Benchmark: the cost of one command for a small class, `course grade` against stock
`nbgrader autograde`, on 10 notebooks.

    python benchmarks/small_class.py

With a small class the fixed costs of a command (starting Python, the workers, the
gradebook, the report) weigh most, so this is where `course grade` could lose to stock.
Two classes of 10 notebooks: 10 students of this course's first assignment (a
questions.yml assignment, graded from its trusted key), and nbgrader's own quickstart
course (`nbgrader quickstart`: ps1, two notebooks of test cells) with 5 students, graded
as stock grades it.  Each command runs cold (a new process, an empty workspace).  The
figures replace the "A small class" section of benchmarks/results/grading.md (the rest of
that file is benchmarks/grading.py's).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from grading import BIN, COURSE_CONFIG, NBGRADER_CONFIG, make_class, our_scores, run, stock_scores  # noqa: E402

from autograder.course import Course  # noqa: E402
from tests.helpers import model_solutions  # noqa: E402

NOTEBOOKS = 10
HEADING = "## A small class"
OUTPUT = ROOT / "benchmarks" / "results" / "grading.md"


def compare(course: Path, aid: str, submitted: Path, workspace: Path) -> tuple[float, float, int]:
    """Stock autograde's seconds, course grade's, and how many students' scores differ."""
    t_stock = run([str(BIN / "nbgrader"), "autograde", aid, "--create"], course)
    t_ours = run([str(BIN / "course"), "grade", aid, "--course-dir", str(course), "--submissions", str(submitted),
                  "--workspace", str(workspace), "--db", f"sqlite:///{workspace / 'gradebook.db'}", "--no-progress"],
                 course)
    stock, ours = stock_scores(course, aid), our_scores(workspace, aid)
    differ = sum(1 for s in stock.keys() | ours.keys() if abs(stock.get(s, -1) - ours.get(s, -2)) > 1e-6)
    return t_stock, t_ours, differ


def questions_class(tmp: Path) -> tuple[str, tuple[float, float, int]]:
    here = Course.at(ROOT)
    aid = next(a for a in here.assignment_ids() if here.has_questions(a) and not here.assignment(a).has_variants)
    course = tmp / "questions"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(NBGRADER_CONFIG)
    (course / "_config.yml").write_text(COURSE_CONFIG)
    shutil.copytree(ROOT / "solutions" / aid, course / "source" / aid)
    shutil.copytree(ROOT / "exercises" / aid, course / "release" / aid)
    submitted = make_class(course, [aid], NOTEBOOKS, seed=2026)
    run([str(BIN / "nbgrader"), "generate_assignment", aid, "--force"], course)
    return f"{NOTEBOOKS} students x {aid} (questions.yml)", compare(course, aid, submitted, tmp / "ws-questions")


def quickstart_class(tmp: Path) -> tuple[str, tuple[float, float, int]]:
    run([str(BIN / "nbgrader"), "quickstart", "course101"], tmp)
    course = tmp / "course101"
    run([str(BIN / "nbgrader"), "generate_assignment", "ps1"], course)
    names = ("problem1", "problem2")
    for i in range(NOTEBOOKS // len(names)):
        folder = course / "submitted" / f"student{i}" / "ps1"
        folder.mkdir(parents=True)
        for name in names:
            release = nbformat.read(course / "release" / "ps1" / f"{name}.ipynb", as_version=4)
            solutions = model_solutions(nbformat.read(course / "source" / "ps1" / f"{name}.ipynb", as_version=4))
            for n, cell in enumerate(c for c in release.cells if c.metadata.get("nbgrader", {}).get("solution")):
                if (n + i) % 3:   # some answers left blank: the scores differ between students
                    cell.source = solutions[cell.metadata.nbgrader.grade_id]
            nbformat.write(release, folder / f"{name}.ipynb")
    return (f"{NOTEBOOKS // len(names)} students x nbgrader's quickstart ps1 (test cells)",
            compare(course, "ps1", course / "submitted", tmp / "ws-quickstart"))


def main() -> None:
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    with tempfile.TemporaryDirectory(prefix="small-class-") as name:
        rows = [questions_class(Path(name)), quickstart_class(Path(name))]
    lines = [HEADING, "", f"{NOTEBOOKS} notebooks, the whole command, cold ({time.strftime('%Y-%m-%d')}, "
             f"{os.cpu_count()} cores shared with other work: rough figures; `python benchmarks/small_class.py`): "
             "`course grade` (default runner and workers) against `nbgrader autograde`.", "",
             "| class | nbgrader autograde (s) | course grade (s) | speed-up | students whose scores differ |",
             "|---|---|---|---|---|"]
    for label, (t_stock, t_ours, differ) in rows:
        lines.append(f"| {label} | {t_stock:.1f} | {t_ours:.1f} | {t_stock / t_ours:.1f}x | {differ} |")
        print(f"{label}: stock {t_stock:.1f} s, course grade {t_ours:.1f} s, {differ} differ")
    text = OUTPUT.read_text() if OUTPUT.is_file() else ""
    before, _, after = text.partition(HEADING)
    rest = after[after.find("\n## "):] if "\n## " in after else ""
    OUTPUT.write_text(before.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n" + rest)
    print(f"wrote the small-class section of {OUTPUT}")


if __name__ == "__main__":
    main()
