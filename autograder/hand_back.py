"""`course feedback`: the step after hand marking.  Each student's page, with the marks
and comments people entered in formgrader, in nbgrader's feedback layout, and on request
handed to nbgrader's exchange (students press *Fetch Feedback*)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .course import Course, NbgraderCourse, resolve_course
from .errors import UsageError
from .grading.results import Status
from .outputs.feedback import with_hand_marks, with_lateness, write_feedback, write_nbgrader_feedback
from .outputs.late import load_lateness
from .outputs.store import load_results, safe_name
from .pipeline import gradebook_url, make_grader, open_course_gradebook


@dataclass
class FeedbackOptions:
    assignment_id: str
    workspace: Path
    db_url: str | None = None
    course_dir: Path | None = None
    submissions: Path | None = None   # default: the course's submitted/ (nbgrader collect's)
    release: bool = False


def feedback(options: FeedbackOptions) -> str:
    """Each graded student's page, with the gradebook's hand marks and comments, in
    nbgrader's feedback layout; with `release`, handed to nbgrader's exchange."""
    from .outputs.gradebook import hand_marks  # nbgrader's package: slow to import

    course = resolve_course(options.course_dir)
    nbgrader = course.nbgrader()
    if nbgrader is None:
        raise UsageError(f"{course.root}: not an nbgrader course (no nbgrader_config.py), so there is no "
                         f"feedback folder to write; the pages are in the workspace's feedback/")
    assignment, grader = make_grader(course, options.assignment_id)
    workspace = options.workspace.resolve()
    results = [r for r in load_results(workspace, assignment.id) if r.status != Status.MISSING]
    if not results:
        raise UsageError(f"{workspace}: no graded submissions of {assignment.id}; run `course grade {assignment.id}` first")
    with open_course_gradebook(gradebook_url(course, options.db_url, workspace)) as gradebook:
        marks = hand_marks(gradebook, assignment.id)
    cells = grader.gradebook_cells()
    lateness = load_lateness(workspace, assignment.id)
    write_feedback(workspace, assignment, results, marks, cells, lateness, course.config.contact)
    submitted = options.submissions.resolve() if options.submissions else nbgrader.root / nbgrader.submitted
    names = sorted(grader.notebooks())
    matched, unmatched = [], []
    for result in results:
        folder = safe_name(result.student_id)
        _, found = write_nbgrader_feedback(nbgrader.folder("feedback", folder, assignment.id),
                                           submitted / folder / assignment.id, names, assignment,
                                           with_lateness(with_hand_marks(result, marks.get(result.student_id), cells),
                                                         lateness),
                                           course.config.contact)
        (matched if found else unmatched).append(folder)
    summary = (f"feedback for {len(results)} students of {assignment.id}: "
               f"{nbgrader.root / nbgrader.feedback}/<student>/{assignment.id}/")
    pending = sorted(s for s, m in marks.items() if m.pending)
    if pending:
        summary += f"; still to be marked by hand: {', '.join(pending)}"
    if options.release:
        released = release_feedback(course, nbgrader, assignment.id, matched)
        summary += f"; released to the exchange for {released} students"
        if unmatched:
            summary += (f"; not released (no timestamp.txt and submission_secret.txt from nbgrader's exchange in "
                        f"{submitted}/<student>/{assignment.id}/): {', '.join(unmatched)}")
    return summary


def release_feedback(course: Course, nbgrader: NbgraderCourse, assignment_id: str, students: list[str]) -> int:
    """nbgrader's own release_feedback, one student at a time (it fails on a folder without
    the submission's secret), with the course's nbgrader configuration."""
    from nbgrader.apps import NbGraderAPI

    from .course import nbgrader_config
    from .tools import tools_on_path

    tools_on_path()
    config = nbgrader_config(course.root)
    config.CourseDirectory.root = str(course.root)
    api = NbGraderAPI(config=config)
    for student in students:
        outcome = api.release_feedback(assignment_id, student)
        if not outcome["success"]:
            log = (outcome.get("error") or outcome.get("log") or "").strip().splitlines()
            raise UsageError(f"{nbgrader.root / nbgrader.feedback / student / assignment_id}: nbgrader could not release "
                             f"the feedback: {log[-1] if log else 'unknown error'}")
    return len(students)
