"""Feedback pages for students: score per question, the same helpful message the check
gave, and the marks and comments people entered in formgrader.  Built only from saved
results (which hold no key, hidden test or traceback) and the gradebook's marks and
comments: never from the autograded notebook, which holds the hidden tests."""
from __future__ import annotations

import copy
import functools
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, select_autoescape

from ..core.kinds.essay import criteria
from ..grading.results import NOT_GRADED, GradebookCell, StudentResult
from .store import safe_name, write_atomic

if TYPE_CHECKING:   # the gradebook module imports nbgrader's package, which is slow to import
    from .gradebook import HandMarks
    from .late import AssignmentLateness

LABELS = {"correct": "✔ right", "partial": "◐ partly right", "wrong": "✘ not right", "blank": "… no answer",
          "invalid": "✘ wrong form", "manual": "graded by hand", "marked": "marked by hand", "missing": "missing",
          "error": "not graded"}

# What a student reads when their notebook could not be graded: what went wrong, in plain
# words (the page then says what to do and whom to write to, not a status per question).
NOT_GRADED_WHY = {
    "link": "where your notebook should be, there is a link (a shortcut) to another file, not the notebook itself",
    "special-file": "where your notebook should be, there is something that is not a file",
    "unreadable": "the file could not be opened, or it changed while it was being read",
    "too-large": "the notebook is too large to grade (usually very large outputs saved in it)",
    "too-deep": "the file is not laid out as a notebook is (it may have been edited outside Jupyter)",
    "not-notebook": "the file you handed in is not a Jupyter notebook",
    "invalid-json": "the file you handed in is damaged or cut short, so it is no longer a notebook "
                    "(this happens when a notebook is saved while a disk is full, or edited outside Jupyter)",
    "error": "the grader failed on it, for a reason that is not yours",
    "machine-error": "the grading machine failed while it ran your notebook (not your code's doing); "
                     "it will be graded again, with nothing for you to do",
}

# what `nbgrader release_feedback` needs beside each page to find the student's submission
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


@functools.cache   # one environment: it compiles each template once, not once per student
def templates() -> Environment:
    return Environment(loader=PackageLoader("autograder.outputs", "templates"), autoescape=select_autoescape(["html"]))


@dataclass
class Feedback:
    """One student's result with the gradebook's hand marks applied, and the comments
    people wrote: by question id, and those on cells that belong to no question; an
    essay marked criterion by criterion has its criteria's marks (by question id, then
    criterion cell's grade id: the mark, None while unmarked, and the comment)."""
    result: StudentResult
    comments: dict[str, list[str]] = field(default_factory=dict)
    other_comments: list[str] = field(default_factory=list)
    late: str = ""          # when it was handed in against the due date, and what that cost
    penalty: float = 0.0    # the late penalty, in points
    criteria: dict[str, dict[str, tuple[float | None, str]]] = field(default_factory=dict)


def with_lateness(feedback: Feedback, lateness: AssignmentLateness | None) -> Feedback:
    """`feedback` with what its submission's time cost, from the score with hand marks."""
    if lateness is not None and feedback.result.status != "missing":
        student, score = feedback.result.student_id, feedback.result.score
        feedback.late, feedback.penalty = lateness.sentence(student, score), lateness.penalty(student, score)
    return feedback


def with_hand_marks(result: StudentResult, marks: HandMarks | None, cells: list[GradebookCell]) -> Feedback:
    """`result` as the student should see it once people have marked it: a person's mark
    replaces the automatic score of its question, and their comments go with it.  An essay
    marked by criteria scores the sum of its criteria once each is marked."""
    feedback = Feedback(copy.deepcopy(result))
    if marks is None:
        return feedback
    by_question = {c.question_id: (c.notebook, c.grade_id) for c in cells if not c.task}
    parts: dict[str, list[tuple[str, str]]] = {}
    for c in cells:
        if c.task:
            parts.setdefault(c.question_id, []).append((c.notebook, c.grade_id))
    for q in feedback.result.questions:
        if q.id in parts:
            feedback.criteria[q.id] = _mark_by_criteria(q, parts[q.id], marks)
        elif marks.manual.get(by_question.get(q.id)) is not None:
            q.points, q.status = marks.manual[by_question[q.id]], "marked"
            q.message = "Marked by hand." if q.message.startswith("To be graded by hand") else q.message
    _place_comments(feedback, marks, {(c.notebook, c.grade_id): c.question_id for c in cells}, parts)
    return feedback


def _mark_by_criteria(q, criterion_cells: list[tuple[str, str]], marks: HandMarks) -> dict[str, tuple[float | None, str]]:
    """An essay marked criterion by criterion: its score is their sum once every one is
    marked; returns each criterion's mark and comment."""
    given = {cell[1]: (marks.score(cell), marks.comments.get(cell, "")) for cell in criterion_cells}
    q.hand_parts = max(1, sum(1 for cell in criterion_cells if marks.manual.get(cell) is None))
    if all(marks.manual.get(cell) is not None for cell in criterion_cells):
        q.points, q.status, q.message = sum(mark for mark, _ in given.values()), "marked", "Marked by hand."
    return given


def _place_comments(feedback: Feedback, marks: HandMarks, by_cell: dict[tuple[str, str], str],
                    parts: dict[str, list[tuple[str, str]]]) -> None:
    """A comment on an answer cell (`<question>_answer`) goes with its question; one on a
    criterion stays with the criterion; any other is shown apart."""
    for (notebook, gid), text in sorted(marks.comments.items()):
        qid = by_cell.get((notebook, gid)) or by_cell.get((notebook, gid.removesuffix("_answer")))
        if qid in parts and (notebook, gid) in parts[qid]:
            continue
        if qid is not None:
            feedback.comments.setdefault(qid, []).append(text)
        else:
            feedback.other_comments.append(text)


def criterion_rows(assignment, feedback: Feedback) -> dict[str, list[dict]]:
    """By essay: each criterion as the student reads it, with the level reached (the one
    whose points the marker gave; "between levels" otherwise), the points and the comment."""
    rows: dict[str, list[dict]] = {}
    for q in getattr(assignment, "questions", []):
        given = feedback.criteria.get(q.id)
        if given is None:
            continue
        rows[q.id] = []
        for criterion in criteria(q):
            mark, comment = given.get(criterion.cell_id(q.id), (None, ""))
            level = criterion.level_for(mark)
            reached = ("not marked yet" if mark is None else level.descriptor if level else "between levels")
            rows[q.id].append({"criterion": criterion.text, "level": reached, "points": mark,
                               "max_points": criterion.points, "comment": comment})
    return rows


def render(assignment, feedback: Feedback, contact: str = "") -> str:
    """The page; `contact` is how the student reaches the instructor (course.contact)."""
    status = feedback.result.status
    return templates().get_template("feedback.html").render(
        assignment=assignment, result=feedback.result, labels=LABELS, max_score=feedback.result.max_score,
        comments=feedback.comments, other_comments=feedback.other_comments, late=feedback.late,
        penalty=feedback.penalty, not_graded=NOT_GRADED_WHY.get(status, status) if status in NOT_GRADED else None,
        contact=contact or "your instructor", criteria=criterion_rows(assignment, feedback))


def write_feedback(workspace: Path, assignment, results, marks: dict[str, HandMarks] | None = None,
                   cells: list[GradebookCell] = (), lateness: AssignmentLateness | None = None,
                   contact: str = "") -> list[Path]:
    """One page per student: `<workspace>/feedback/<student>/<assignment>.html`."""
    written = []
    for result in results:
        feedback = with_lateness(with_hand_marks(result, (marks or {}).get(result.student_id), list(cells)), lateness)
        path = workspace / "feedback" / safe_name(result.student_id) / f"{assignment.id}.html"
        write_atomic(path, render(assignment, feedback, contact))
        written.append(path)
    return written


def write_nbgrader_feedback(feedback_dir: Path, submitted_dir: Path, notebook_names: list[str], assignment,
                            feedback: Feedback, contact: str = "") -> tuple[list[Path], bool]:
    """The page in nbgrader's feedback layout, `<feedback_dir>/<notebook>.html` for each
    notebook of the assignment, with the submission's timestamp and secret beside it (what
    `nbgrader release_feedback` matches it with).  Returns the pages and whether the
    submission's files were there, so that the feedback can be released."""
    html = render(assignment, feedback, contact)
    pages = []
    for name in notebook_names:
        path = feedback_dir / f"{name[:-len('.ipynb')]}.html"
        # readable by all: nbgrader's release_feedback copies it, mode and all, for the student to fetch
        write_atomic(path, html, mode=0o644)
        pages.append(path)
    matched = all((submitted_dir / f).is_file() for f in SUBMISSION_FILES)
    if matched:
        for name in SUBMISSION_FILES:
            shutil.copyfile(submitted_dir / name, feedback_dir / name)
    return pages, matched
