"""`course grade`: the grading pipeline, from the submissions folder to every output.

The steps: resolve the course and make the assignment's grader; plan (which students
changed since their saved result); grade the rest in a thread pool, each student's code in
its own sandbox; for each result, record it in the gradebook, then save it; last, make
grades.csv, the feedback pages and the report from the saved results.  A bad submission
gets a status and the batch goes on; a run killed part-way resumes where it stopped.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .course import Course, resolve_course, student_dirs
from .errors import SandboxUnavailable, UsageError
from .execution.limits import Limits
from .execution.sandbox import require_sandbox
from .grading.graders import Grader, QuestionsGrader
from .grading.results import QUIET, Status, StudentResult
from .grading.test_cells import TestCellGrader, load_nbgrader_assignment
from .outputs.feedback import write_feedback
from .outputs.gradebook import open_gradebook, record, register_assignment
from .outputs.grades_csv import write_grades_csv
from .outputs.progress import Progress
from .outputs.report import write_report
from .outputs.store import load_results, save_result


@dataclass
class GradeOptions:
    assignment_id: str
    submissions: Path
    workspace: Path
    workers: int = 1
    db_url: str | None = None
    course_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    sandbox: bool = True       # False only when the instructor asks for it explicitly
    progress: bool = True


def make_grader(course: Course, assignment_id: str, limits: Limits, sandbox: bool):
    """The assignment (questions.yml, or nbgrader's own notebooks) and the grader for it."""
    if course.has_questions(assignment_id):
        assignment = course.assignment(assignment_id)
        versions = course.versions(assignment)
        return assignment, QuestionsGrader(course, assignment, versions, course.version_keys(versions), limits, sandbox)
    assignment = load_nbgrader_assignment(course, assignment_id)
    return assignment, TestCellGrader(course, assignment, limits, sandbox)


def grade_safely(grader: Grader, student_dir: Path) -> StudentResult:
    """A bug in grading one student must not stop the batch: it becomes that student's row."""
    try:
        return grader.grade_student(student_dir)
    except Exception as exc:
        return StudentResult(student_dir.name, grader.assignment_id, Status.ERROR,
                             f"grading failed: {type(exc).__name__}: {exc}",
                             grader.blank_questions(Status.ERROR, "not graded"), fingerprint="")


def grade(options: GradeOptions) -> str:
    """Grade every submission of one assignment; returns the summary line."""
    course = resolve_course(options.course_dir)
    if options.sandbox:
        try:
            require_sandbox()
        except SandboxUnavailable as exc:
            raise UsageError(str(exc)) from None
    assignment, grader = make_grader(course, options.assignment_id, options.limits, options.sandbox)
    workspace = options.workspace.resolve()
    workspace.mkdir(parents=True, exist_ok=True)
    previous = {r.student_id: r.fingerprint for r in load_results(workspace, assignment.id)}
    students = student_dirs(options.submissions)
    todo = [d for d in students if previous.get(d.name) != grader.fingerprint(d / assignment.id)]

    db_url = options.db_url or f"sqlite:///{workspace / 'gradebook.db'}"
    try:
        gradebook = open_gradebook(db_url)
    except Exception as exc:
        raise UsageError(f"{db_url}: cannot open the gradebook ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:120]})") from None
    with gradebook:
        cells = grader.gradebook_cells()
        register_assignment(gradebook, assignment.id, cells)
        with Progress(total=len(students), done=len(students) - len(todo), enabled=options.progress) as progress:
            with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
                futures = [pool.submit(grade_safely, grader, d) for d in todo]
                for future in as_completed(futures):
                    result = future.result()
                    # gradebook first: a saved result then always has its grade recorded, and a run
                    # killed between the two grades that student again (recording is idempotent)
                    record(gradebook, assignment.id, cells, result.student_id, {q.id: q.points for q in result.questions})
                    save_result(workspace, result)
                    progress.advance(failed=result.status not in QUIET)
    write_grades_csv(workspace)
    results = load_results(workspace, assignment.id)
    write_feedback(workspace, assignment, results)
    report = write_report(workspace, assignment, results)
    ok = sum(1 for r in results if r.status == Status.OK)
    return (f"graded {len(todo)} of {len(students)} submissions of {assignment.id} "
            f"({len(students) - len(todo)} unchanged since the last run); {ok} ok, {len(results) - ok} with problems; "
            f"grades: {workspace / 'grades.csv'}; report: {report}")
