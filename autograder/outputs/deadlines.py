"""The calendar in nbgrader's gradebook, and each submission's lateness from it.

The course's due date becomes the assignment's `duedate` and each extension the
submission's `extension`, so that formgrader shows what grading used; a course that sets
no due date keeps the gradebook's own (set with `nbgrader db assignment add --duedate` or
in formgrader), and one without an extensions.csv keeps the gradebook's extensions.
Each submission's time goes in as `timestamp`, as `nbgrader autograde` records it.

Where the course sets no late policy of its own, nbgrader's late-submission plugin
(`AssignLatePenalties.plugin_class`, `LateSubmissionPlugin.penalty_method`, default
`none`) gives each notebook's penalty as stock nbgrader does: from the notebook's score
when it is autograded, so a penalty changes only when its student is graded again or
their lateness changes."""
from __future__ import annotations

import datetime
from pathlib import Path

from nbgrader.api import Gradebook, SubmittedAssignment

from ..calendar import Calendar
from ..course import Course, nbgrader_config
from ..grading.lateness import Lateness, assess, submission_time
from .late import AssignmentLateness, load_lateness, save_lateness


def apply_calendar(gb: Gradebook, course: Course, calendar: Calendar, assignment_id: str,
                   folders: dict[str, Path], regraded: set[str], previous: dict[str, Lateness]) -> dict[str, Lateness]:
    """Write the assignment's due date, extensions and submission times to the gradebook
    and return each student's lateness (`folders`: their submission folders by student id;
    `regraded`: the students graded in this run; `previous`: the lateness saved last run)."""
    assignment = gb.find_assignment(assignment_id)
    if assignment_id in calendar.due:
        assignment.duedate = calendar.due[assignment_id]
    moved = any(e.due for (_, a), e in calendar.extensions.items() if a == assignment_id)
    if assignment.duedate is None and not moved and not any(found.due for found in previous.values()):
        gb.db.commit()   # no due date, now or before: nothing to record, nothing to undo
        return {student_id: Lateness(student_id) for student_id in folders}
    submissions = {s.student_id: s for s in gb.db.query(SubmittedAssignment).filter(
        SubmittedAssignment.assignment_id == assignment.id)}
    stock = calendar.policy(assignment_id) is None
    found, changed = {}, set()
    for student_id, folder in folders.items():
        lateness = _student_lateness(calendar, assignment_id, assignment.duedate, student_id, folder / assignment_id,
                                     submissions.get(student_id))
        old = previous.get(student_id)
        if old is None or (old.due, old.late_by) != (lateness.due, lateness.late_by):
            changed.add(student_id)
        found[student_id] = lateness
    if stock:
        _stock_penalties(gb, course.root, assignment_id, submissions, (regraded | changed) & set(submissions), found)
    gb.db.commit()
    return found


def _student_lateness(calendar: Calendar, assignment_id: str, assignment_due: datetime.datetime | None,
                      student_id: str, folder: Path, submission) -> Lateness:
    """One student's lateness; their gradebook row (`submission`, if graded) gets their
    extension and their submission time."""
    extension = calendar.extensions.get((student_id, assignment_id))
    if submission is not None and (extension or calendar.extensions_file):
        submission.extension = _interval(extension.applied_to(assignment_due), assignment_due) if extension else None
    due = calendar.due_for(assignment_id, student_id, assignment_due)
    if extension is None and submission is not None and submission.extension is not None and due is not None:
        due += submission.extension   # granted in the gradebook, and no extensions.csv overrides it
    lateness = assess(student_id, folder, due, _describe(extension, submission))
    if submission is not None:
        submitted, _ = submission_time(folder)
        submission.timestamp = submitted if submitted is not None else submission.timestamp
    return lateness


def _interval(new_due: datetime.datetime | None, due: datetime.datetime | None) -> datetime.timedelta | None:
    """The extension as nbgrader keeps it: the time added to the assignment's due date."""
    return None if new_due is None or due is None else new_due - due


def _describe(extension, submission) -> str:
    if extension is not None:
        moved = f"{extension.extra_hours:g} more hours" if extension.extra_hours else "a new due date"
        return moved + (f" ({extension.reason})" if extension.reason else "")
    if submission is not None and submission.extension:
        return f"{submission.extension.total_seconds() / 3600:g} more hours"
    return ""


def _stock_penalties(gb: Gradebook, root: Path, assignment_id: str, submissions: dict, recompute: set[str],
                     found: dict[str, Lateness]) -> None:
    """nbgrader's own penalties: each notebook's, from its score as it stands now, for the
    students in `recompute`; the others keep what was set when they were graded."""
    from nbgrader.preprocessors import AssignLatePenalties

    late = AssignLatePenalties(config=nbgrader_config(root))
    late.init_plugin()
    gb.db.flush()   # the new timestamps and extensions are what total_seconds_late reads
    for student_id, submission in submissions.items():
        if student_id in recompute:
            seconds = submission.total_seconds_late
            for notebook in submission.notebooks:
                notebook.late_submission_penalty = None
                if seconds > 0:
                    penalty = late.plugin_inst.late_submission_penalty(student_id, notebook.score, seconds)
                    if penalty is not None:
                        notebook.late_submission_penalty = late._check_late_penalty(notebook, penalty)
        if student_id in found:
            found[student_id].penalty = round(sum(nb.late_submission_penalty or 0.0 for nb in submission.notebooks), 4)


def record_lateness(gb: Gradebook, course: Course, calendar: Calendar, assignment_id: str, students: list[Path],
                    regraded: set[str], workspace: Path) -> AssignmentLateness:
    """`apply_calendar` for the submission folders `students`, its lateness saved in the
    workspace for grades.csv, the feedback, the report and the exports."""
    previous = load_lateness(workspace, assignment_id).students
    found = apply_calendar(gb, course, calendar, assignment_id, {d.name: d for d in students}, regraded, previous)
    lateness = AssignmentLateness(found, calendar.policy(assignment_id))
    save_lateness(workspace, assignment_id, lateness)
    return lateness
