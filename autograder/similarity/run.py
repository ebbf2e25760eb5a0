"""`course similarity ID`: read every submission of an assignment, fingerprint its
answers, find the pairs that share passages (with each other, with the readings in
`--sources` and with the book's own pages) and write the report.  Everything happens
on this machine; nothing is uploaded."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..course import resolve_course
from ..errors import UsageError
from ..outputs.store import safe_name
from .answers import PROSE, read_answers, read_release
from .compare import DEFAULT_THRESHOLD, Text, fingerprinted, release_hashes, source_matches, student_pairs
from .report import pairs, write_report

SOURCE_SUFFIXES = (".txt", ".md", ".markdown")
MAX_SOURCE_BYTES = 5 * 1024 * 1024


@dataclass
class SimilarityOptions:
    assignment_id: str
    submissions: Path | None = None      # default: the course's submitted/
    workspace: Path = Path("workspace")
    sources: Path | None = None          # folder of readings
    course_dir: Path | None = None
    threshold: float = DEFAULT_THRESHOLD


def read_sources(folders: list[Path], ignored: set[int]) -> tuple[list[Text], list[str]]:
    """The texts to compare essays against: each plain text or Markdown file in `folders`
    (not in their subfolders), skipping what cannot be read, with one line for each."""
    texts, problems = [], []
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file() or path.name.lower() == "readme.md":
                continue
            try:
                if path.stat().st_size > MAX_SOURCE_BYTES:
                    problems.append(f"{path}: larger than {MAX_SOURCE_BYTES // 2**20} MB; not compared")
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                problems.append(f"{path}: cannot be read ({exc.strerror}); not compared")
                continue
            texts.append(fingerprinted(path.name, "", PROSE, text, ignored, source=True))
    return texts, problems


def similarity(options: SimilarityOptions) -> str:
    """Write the report; returns the summary line."""
    course = resolve_course(options.course_dir)
    if options.sources is not None and not options.sources.is_dir():
        raise UsageError(f"{options.sources}: no such folder of readings")
    submissions = options.submissions
    if submissions is None:
        nbgrader = course.nbgrader()
        submissions = (nbgrader.root / nbgrader.submitted) if nbgrader else course.root / "submitted"
    release = read_release(course, options.assignment_id)
    ignored = release_hashes(release.code, release.prose)
    students, problems = read_answers(submissions, options.assignment_id, release)

    answers = []
    for student in students:
        for cell in release.cells:
            text = student.answers.get((cell.notebook, cell.cell), "")
            if text.strip() and text.strip() != cell.starter.strip():
                answers.append(fingerprinted(student.student, cell.cell, cell.kind, text, ignored))
    folders = [f for f in (course.root / "book", options.sources) if f is not None and f.is_dir()]
    sources, unread = read_sources(folders, ignored)
    problems += unread

    matches = student_pairs(answers, len(students))
    candidates = len(matches)
    matches += source_matches([a for a in answers if a.kind == PROSE], sources)
    found = pairs(matches, {s.owner for s in sources})
    summary = {"students": len(students), "answers": len(answers), "sources": len(sources),
               "candidates": candidates, "problems": problems}
    path = options.workspace.resolve() / "similarity" / f"{safe_name(options.assignment_id)}.html"
    write_report(path, options.assignment_id, found, options.threshold, summary)
    flagged = sum(p.score >= options.threshold for p in found)
    line = (f"compared {len(students)} submissions of {options.assignment_id} with each other and with "
            f"{len(sources)} readings and book pages: {flagged} pairs at or above {options.threshold:.2f}; "
            f"report (instructor only): {path}")
    return "\n".join([*(f"not read: {p}" for p in problems), line])
