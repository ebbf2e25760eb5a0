"""`course grade`: the grading pipeline, from the submissions folder to every output.

The steps: resolve the course and make the assignment's grader; plan (which students
changed since their saved result); grade the rest in a thread pool, each student's code in
its own sandbox; for each result, write the autograded notebooks (in an nbgrader course),
record it in the gradebook, then save it; last, make grades.csv, the feedback pages and the
report from the saved results.  A bad submission gets a status and the batch goes on; a
run killed part-way resumes where it stopped.

`course feedback`, the step after hand marking, is hand_back.py.
"""
from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from .calendar import read_calendar
from .course import Course, resolve_course, student_dirs
from .errors import SandboxUnavailable, UsageError
from .execution.choice import make_runner, refuse_contradictions
from .execution.limits import Limits
from .execution.runner import Runner
from .execution.runner_kind import RunnerKind
from .execution.sandbox import require_sandbox
from .grading.graders import QuestionsGrader
from .grading.results import QUIET
from .grading.stock_settings import StockSettings
from .grading.test_cells import TestCellGrader, load_nbgrader_assignment
from .outputs.feedback import write_feedback
from .outputs.grades_csv import write_grades_csv
from .outputs.progress import Progress
from .outputs.resume import grade_safely, needs_grading
from .outputs.store import load_results
from .outputs.summary import problems_named
from .outputs.timings import Stopwatch
from .outputs.writer import ResultWriter


@dataclass
class GradeOptions:
    assignment_id: str
    submissions: Path
    workspace: Path
    workers: int | None = None  # warm workers and grading threads; None: as many as the runner can feed
    db_url: str | None = None
    course_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    sandbox: bool = True       # False only when the instructor asks for it explicitly
    runner: RunnerKind = RunnerKind.WARM
    timings: bool = False      # print the time each stage took
    progress: bool = True
    cluster: str | None = None  # a Dask scheduler's address: the notebooks run on its workers
    timeout: int | None = None  # --timeout; else the course's Execute.timeout, else Limits' (nbgrader's) default


def make_grader(course: Course, assignment_id: str, runner: Runner | None = None):
    """The assignment (questions.yml, or nbgrader's own notebooks) and the grader for it;
    without a runner the grader only describes the assignment (it cannot grade)."""
    if course.has_questions(assignment_id):
        assignment = course.assignment(assignment_id)
        versions = course.versions(assignment)
        return assignment, QuestionsGrader(course, assignment, versions, course.version_keys(versions), runner)
    assignment = load_nbgrader_assignment(course, assignment_id)
    return assignment, TestCellGrader(course, assignment, runner)


@contextlib.contextmanager
def grading_pool(workers: int):
    """A thread pool that, when the batch stops (no runner left, Ctrl-C), starts none of
    the students still waiting."""
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def gradebook_url(course: Course, db_url: str | None, workspace: Path) -> str:
    """`--db`, else the gradebook nbgrader's configuration names (an nbgrader course), else
    one in the workspace."""
    if db_url:
        return db_url
    nbgrader = course.nbgrader()
    return nbgrader.db_url if nbgrader else f"sqlite:///{workspace / 'gradebook.db'}"


def open_course_gradebook(db_url: str):
    from .outputs.gradebook import open_gradebook  # nbgrader's package: slow to import

    try:
        return open_gradebook(db_url)
    except Exception as exc:
        raise UsageError(f"{db_url}: cannot open the gradebook ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:120]})") from None


def grade(options: GradeOptions) -> str:
    """Grade every submission of one assignment; returns the summary line."""
    clock = Stopwatch()
    course = resolve_course(options.course_dir)
    cell_seconds = options.timeout or StockSettings(course).cell_timeout() or options.limits.cell_seconds
    options = replace(options, limits=replace(options.limits, cell_seconds=cell_seconds))
    calendar = read_calendar(course.root)   # a bad due date or extension stops the run before it starts
    refuse_contradictions(RunnerKind(options.runner), options.sandbox, options.cluster)
    if options.sandbox and not options.cluster:   # on a cluster each worker checks its own
        try:
            require_sandbox()
        except SandboxUnavailable as exc:
            raise UsageError(str(exc)) from None
    runner = make_runner(course.release_dir / options.assignment_id, course.config.packages, options.limits,
                         options.sandbox, options.runner, options.workers, options.cluster)
    # the bar shows from the start: the workers take seconds to start, and a silent wait looks stuck
    with Progress(enabled=options.progress) as progress, runner, \
            grading_pool(options.workers or runner.parallel()) as pool:
        clock.lap("start the workers")   # they import what the setup needs while this process goes on
        assignment, grader = make_grader(course, options.assignment_id, runner)
        clock.lap("keys and released notebooks")
        workspace = options.workspace.resolve()
        workspace.mkdir(parents=True, exist_ok=True)
        previous = {r.student_id: r for r in load_results(workspace, assignment.id)}
        students = student_dirs(options.submissions)
        nbgrader = course.nbgrader()
        todo = [d for d in students if needs_grading(grader, d, previous.get(d.name), nbgrader)]
        unchanged = [previous[d.name] for d in students if d not in todo]
        progress.plan(len(students), len(unchanged), sum(1 for r in unchanged if r.status not in QUIET))
        clock.lap("plan")
        futures = [pool.submit(grade_safely, grader, d) for d in todo]
        try:   # the gradebook opens while the first notebooks run (importing nbgrader takes about a second)
            gradebook = open_course_gradebook(gradebook_url(course, options.db_url, workspace))
        except UsageError:
            for future in futures:
                future.cancel()
            raise
        from .outputs.gradebook import hand_marks, register_assignment  # imported by now

        with gradebook:
            cells = grader.gradebook_cells()
            register_assignment(gradebook, assignment.id, cells, grader.solution_cells())
            clock.lap("open the gradebook (while grading)")
            # and the report's libraries (pandas, matplotlib: half a second), in this thread only:
            # matplotlib reads a half-imported module that another thread is importing
            from .outputs.report import load_libraries, write_report
            load_libraries()
            clock.lap("import the report's libraries (while grading)")
            writer = ResultWriter(gradebook, assignment.id, cells, workspace, nbgrader, grader.notebooks())
            for future in as_completed(futures):
                graded = future.result()
                writer.add(graded)
                progress.advance(failed=graded.result.status not in QUIET)
            writer.flush()
            clock.lap("grade")
            from .outputs.deadlines import record_lateness  # after scoring, never in the kernel
            lateness = record_lateness(gradebook, course, calendar, assignment.id, students,
                                       {d.name for d in todo}, workspace)
            marks = hand_marks(gradebook, assignment.id)
    clock.lap("stop the workers")
    write_grades_csv(workspace)
    results = load_results(workspace, assignment.id)
    clock.lap("grades.csv")
    write_feedback(workspace, assignment, results, marks, cells, lateness, course.config.contact)
    clock.lap("feedback")
    report = write_report(workspace, assignment, results, lateness, marks)
    clock.lap("report")
    if options.timings:
        clock.report()
    # the progress bar's count of problems is the same; a row the machine failed is neither
    pending = sum(1 for r in results if r.pending)
    ok = sum(1 for r in results if r.status in QUIET)
    retry = f", {pending} not graded because the machine failed (run again to grade them)" if pending else ""
    return (f"graded {len(todo)} of {len(students)} submissions of {assignment.id} "
            f"({len(students) - len(todo)} unchanged since the last run); {ok} ok, "
            f"{len(results) - ok - pending} with problems{retry}; "
            f"grades: {workspace / 'grades.csv'}; report: {report}" + (f"; {runner.note}" if runner.note else "")
            + problems_named(results))
