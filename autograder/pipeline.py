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

from .calendar import Calendar, read_calendar
from .course import Course, NbgraderCourse, resolve_course, student_dirs
from .errors import SandboxUnavailable, UsageError
from .execution.choice import make_runner, refuse_contradictions
from .execution.limits import Limits
from .execution.runner import Runner
from .execution.runner_kind import RunnerKind
from .execution.sandbox import require_sandbox
from .grading.graders import Grader, QuestionsGrader
from .grading.results import QUIET, StudentResult
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
    course, options, calendar = checked(options)
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
        batch = Batch.plan(grader, course, assignment.id, options.submissions, workspace)
        progress.plan(len(batch.students), len(batch.unchanged), sum(1 for r in batch.unchanged if r.status not in QUIET))
        clock.lap("plan")
        import_before_threads()   # while the workers start, in their own processes
        clock.lap("import nbgrader and IPython's input transformer")
        futures = [pool.submit(grade_safely, grader, d) for d in batch.todo]
        try:   # the gradebook opens while the first notebooks run
            gradebook = open_course_gradebook(gradebook_url(course, options.db_url, workspace))
        except UsageError:
            for future in futures:
                future.cancel()
            raise
        with gradebook:
            marks, lateness = record(gradebook, grader, course, calendar, batch, futures, workspace, progress, clock)
    clock.lap("stop the workers")
    write_grades_csv(workspace)
    results = load_results(workspace, assignment.id)
    clock.lap("grades.csv")
    write_feedback(workspace, assignment, results, marks, grader.gradebook_cells(), lateness, course.config.contact)
    clock.lap("feedback")
    from .outputs.report import write_report  # imported by record(), in this thread
    report = write_report(workspace, assignment, results, lateness, marks)
    clock.lap("report")
    if options.timings:
        clock.report()
    return summary_line(assignment.id, batch, results, workspace, report, runner.note)


def import_before_threads() -> None:
    """What the grading threads import (the integrity checks use nbgrader's checksum and
    IPython's input transformer), imported here first: a module imported by two threads at
    once (nbgrader here, IPython there, both importing asyncio) has been seen to fail with
    ModuleNotFoundError for a standard module, under load."""
    import IPython.core.inputtransformer2  # noqa: F401
    import nbgrader.utils  # noqa: F401


def checked(options: GradeOptions) -> tuple[Course, GradeOptions, Calendar]:
    """The course, the options with the cell time limit decided (--timeout, else the
    course's nbgrader setting, else the default) and the course's calendar; a bad calendar,
    contradictory flags or a missing sandbox stop the run before it starts."""
    course = resolve_course(options.course_dir)
    cell_seconds = options.timeout or StockSettings(course).cell_timeout() or options.limits.cell_seconds
    options = replace(options, limits=replace(options.limits, cell_seconds=cell_seconds))
    calendar = read_calendar(course.root)
    refuse_contradictions(RunnerKind(options.runner), options.sandbox, options.cluster)
    if options.sandbox and not options.cluster:   # on a cluster each worker checks its own
        try:
            require_sandbox()
        except SandboxUnavailable as exc:
            raise UsageError(str(exc)) from None
    return course, options, calendar


@dataclass
class Batch:
    """Who is in this run: every student folder, those graded now, and the saved results
    of those unchanged since the last run; and the course as nbgrader sees it (None if it
    is no nbgrader course), read once for the run."""
    students: list[Path]
    todo: list[Path]
    unchanged: list[StudentResult]
    nbgrader: NbgraderCourse | None

    @classmethod
    def plan(cls, grader: Grader, course: Course, assignment_id: str, submissions: Path, workspace: Path) -> Batch:
        previous = {r.student_id: r for r in load_results(workspace, assignment_id)}
        students = student_dirs(submissions)
        nbgrader = course.nbgrader()
        todo = [d for d in students if needs_grading(grader, d, previous.get(d.name), nbgrader)]
        return cls(students, todo, [previous[d.name] for d in students if d not in todo], nbgrader)


def record(gradebook, grader: Grader, course: Course, calendar: Calendar, batch: Batch, futures, workspace: Path,
           progress: Progress, clock: Stopwatch):
    """Each result as it comes: its autograded notebook, its gradebook rows, then its saved
    result; then the lateness of the batch.  Returns the hand marks and the lateness."""
    from .outputs.gradebook import hand_marks, register_assignment  # imported by now

    assignment_id = grader.assignment_id
    cells = grader.gradebook_cells()
    register_assignment(gradebook, assignment_id, cells, grader.solution_cells())
    clock.lap("open the gradebook (while grading)")
    # and the report's libraries (pandas, matplotlib: half a second), in this thread only:
    # matplotlib reads a half-imported module that another thread is importing
    from .outputs.report import load_libraries
    load_libraries()
    clock.lap("import the report's libraries (while grading)")
    writer = ResultWriter(gradebook, assignment_id, cells, workspace, batch.nbgrader, grader.notebooks())
    for future in as_completed(futures):
        graded = future.result()
        writer.add(graded)
        progress.advance(failed=graded.result.status not in QUIET)
    writer.flush()
    clock.lap("grade")
    from .outputs.deadlines import record_lateness  # after scoring, never in the kernel
    lateness = record_lateness(gradebook, course, calendar, assignment_id, batch.students,
                               {d.name for d in batch.todo}, workspace)
    return hand_marks(gradebook, assignment_id), lateness


def summary_line(assignment_id: str, batch: Batch, results: list[StudentResult], workspace: Path, report: Path,
                 note: str | None) -> str:
    # the progress bar's count of problems is the same; a row the machine failed is neither
    pending = sum(1 for r in results if r.pending)
    ok = sum(1 for r in results if r.status in QUIET)
    retry = f", {pending} not graded because the machine failed (run again to grade them)" if pending else ""
    graded, total = len(batch.todo), len(batch.students)
    return (f"graded {graded} of {total} submissions of {assignment_id} "
            f"({total - graded} unchanged since the last run); {ok} ok, "
            f"{len(results) - ok - pending} with problems{retry}; "
            f"grades: {workspace / 'grades.csv'}; report: {report}" + (f"; {note}" if note else "")
            + problems_named(results))
