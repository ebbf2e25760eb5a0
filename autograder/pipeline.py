"""`course grade`: the grading pipeline, from the submissions folder to every output.

The steps: resolve the course and make the assignment's grader; plan (which students
changed since their saved result); grade the rest in a thread pool, each student's code in
its own sandbox; for each result, write the autograded notebooks (in an nbgrader course),
record it in the gradebook, then save it; last, make grades.csv, the feedback pages and the
report from the saved results.  A bad submission gets a status and the batch goes on; a
run killed part-way resumes where it stopped.

`course feedback` (`feedback` below) is the step after hand marking: the students' pages,
with the marks and comments people entered in formgrader, in nbgrader's feedback layout,
and on request handed to nbgrader's exchange.
"""
from __future__ import annotations

import contextlib
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from .calendar import read_calendar
from .course import Course, NbgraderCourse, resolve_course, student_dirs
from .errors import SandboxUnavailable, UsageError
from .execution.choice import make_runner, refuse_contradictions
from .execution.limits import Limits
from .execution.runner import Runner
from .execution.runner_kind import RunnerKind
from .execution.sandbox import require_sandbox
from .grading.graders import GradedSubmission, QuestionsGrader
from .grading.results import QUIET, Status
from .grading.stock_settings import StockSettings
from .grading.test_cells import TestCellGrader, load_nbgrader_assignment
from .outputs.feedback import with_hand_marks, with_lateness, write_feedback, write_nbgrader_feedback
from .outputs.grades_csv import write_grades_csv
from .outputs.late import load_lateness
from .outputs.nbgrader_layout import write_autograded
from .outputs.progress import Progress
from .outputs.resume import grade_safely, needs_grading
from .outputs.store import load_results, safe_name, save_result
from .outputs.summary import problems_named
from .outputs.timings import Stopwatch


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


class ResultWriter:
    """Saves graded submissions, a batch at a time (one gradebook transaction each): for
    each, the autograded notebooks (in an nbgrader course) and the gradebook first, the
    result last, so that a saved result always has both, and a run killed before the
    save grades that student again (both writes are idempotent)."""

    BATCH_SECONDS = 1.0

    def __init__(self, gradebook, assignment_id: str, cells, workspace: Path, nbgrader: NbgraderCourse | None,
                 notebooks: set[str]):
        self.gradebook, self.assignment_id, self.cells, self.workspace = gradebook, assignment_id, cells, workspace
        self.nbgrader, self.notebooks = nbgrader, notebooks
        self.batch: list[GradedSubmission] = []
        self.last = time.monotonic()

    def add(self, graded: GradedSubmission) -> None:
        self.batch.append(graded)
        if time.monotonic() - self.last >= self.BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            results = [graded.result for graded in self.batch]
            if self.nbgrader is not None:
                for graded in self.batch:
                    folder = self.nbgrader.folder("autograded", safe_name(graded.result.student_id), self.assignment_id)
                    write_autograded(folder, graded.notebooks, self.notebooks)
            from .outputs.gradebook import record

            # a row the machine failed to grade has no score yet: nothing to record
            record(self.gradebook, self.assignment_id, self.cells,
                   {g.result.student_id: {q.id: q.points for q in g.result.questions}
                    for g in self.batch if g.submitted and not g.result.pending})
            for result in results:
                save_result(self.workspace, result)
        self.batch, self.last = [], time.monotonic()


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
    from .outputs.gradebook import hand_marks

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
