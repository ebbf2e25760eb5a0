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

import nbformat

from .course import Course, NbgraderCourse, resolve_course, student_dirs
from .errors import RunnerUnavailable, SandboxUnavailable, UsageError
from .execution.limits import Limits
from .execution.runner import ProcessRunner, Runner
from .execution.sandbox import require_sandbox
from .execution.warm import WarmRunner, setup_imports
from .grading.graders import GradedSubmission, Grader, QuestionsGrader
from .grading.results import QUIET, Status, StudentResult
from .grading.stock_settings import StockSettings
from .grading.test_cells import TestCellGrader, load_nbgrader_assignment
from .outputs.feedback import with_hand_marks, write_feedback, write_nbgrader_feedback
from .outputs.grades_csv import write_grades_csv
from .outputs.nbgrader_layout import write_autograded
from .outputs.progress import Progress
from .outputs.store import load_results, safe_name, save_result
from .outputs.timings import Stopwatch


@dataclass
class GradeOptions:
    assignment_id: str
    submissions: Path
    workspace: Path
    workers: int = 1           # grading threads; 0: as many as the runner can feed (the cluster's threads)
    db_url: str | None = None
    course_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    sandbox: bool = True       # False only when the instructor asks for it explicitly
    runner: str = "warm"       # warm workers that fork a sandboxed child per notebook, or "process"
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


def make_runner(course: Course, options: GradeOptions) -> Runner:
    """Where the student code runs: by default warm workers, one per grading thread, which
    import what the released notebooks' setup imports while the rest of the run starts;
    with `cluster`, a task on a Dask cluster's worker that runs it in that machine's sandbox."""
    if options.runner == "process" and not options.cluster:
        return ProcessRunner(options.limits, options.sandbox, course.config.packages)
    released = []
    for path in sorted((course.release_dir / options.assignment_id).glob("*.ipynb")):
        with contextlib.suppress(Exception):   # an unreadable release is reported by the grader
            released.append(nbformat.read(path, as_version=4))
    if options.cluster:
        from .execution.cluster import ClusterRunner  # distributed is imported only here
        return ClusterRunner(options.cluster, options.limits, options.sandbox, course.config.packages,
                             setup_imports(released))
    return WarmRunner(options.limits, options.sandbox, course.config.packages, setup_imports(released),
                      workers=max(1, options.workers))


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


def grade_safely(grader: Grader, student_dir: Path) -> GradedSubmission:
    """A bug in grading one student must not stop the batch: it becomes that student's row."""
    try:
        return grader.grade_submission(student_dir)
    except RunnerUnavailable:   # not this student's doing: the batch stops, to resume later
        raise
    except Exception as exc:
        return GradedSubmission(StudentResult(student_dir.name, grader.assignment_id, Status.ERROR,
                                              f"grading failed: {type(exc).__name__}: {exc}",
                                              grader.blank_questions(Status.ERROR, "not graded"), fingerprint=""))


# nothing of these was read or run: they have no autograded notebook to miss
UNREAD = {Status.MISSING, Status.LINK, Status.SPECIAL_FILE, Status.UNREADABLE, Status.TOO_LARGE, Status.TOO_DEEP,
          Status.NOT_NOTEBOOK, Status.INVALID_JSON, Status.INSTRUCTOR_COPY}


def needs_grading(grader: Grader, student_dir: Path, previous: StudentResult | None,
                  nbgrader: NbgraderCourse | None) -> bool:
    """A student is graded (again) when the submission or the key changed since the saved
    result, or when, in an nbgrader course, an autograded notebook is missing (graded
    before the course had nbgrader's layout, or deleted): formgrader would say
    "Submission missing"."""
    folder = student_dir / grader.assignment_id
    if previous is None or previous.fingerprint != grader.fingerprint(folder):
        return True
    if nbgrader is None or previous.status in UNREAD:
        return False
    autograded = nbgrader.folder("autograded", safe_name(student_dir.name), grader.assignment_id)
    return any((folder / name).is_file() and not (autograded / name).is_file() for name in grader.notebooks())


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

            record(self.gradebook, self.assignment_id, self.cells,
                   {g.result.student_id: {q.id: q.points for q in g.result.questions}
                    for g in self.batch if g.submitted})
            for result in results:
                save_result(self.workspace, result)
        self.batch, self.last = [], time.monotonic()


def grade(options: GradeOptions) -> str:
    """Grade every submission of one assignment; returns the summary line."""
    clock = Stopwatch()
    course = resolve_course(options.course_dir)
    cell_seconds = options.timeout or StockSettings(course).cell_timeout() or options.limits.cell_seconds
    options = replace(options, limits=replace(options.limits, cell_seconds=cell_seconds))
    if options.cluster and not options.sandbox:
        raise UsageError("--no-sandbox with --cluster: the workers always run student code in their sandbox")
    if options.sandbox and not options.cluster:   # on a cluster each worker checks its own
        try:
            require_sandbox()
        except SandboxUnavailable as exc:
            raise UsageError(str(exc)) from None
    with make_runner(course, options) as runner, grading_pool(options.workers or runner.parallel()) as pool:
        clock.lap("start the workers")   # they import what the setup needs while this process goes on
        assignment, grader = make_grader(course, options.assignment_id, runner)
        clock.lap("keys and released notebooks")
        workspace = options.workspace.resolve()
        workspace.mkdir(parents=True, exist_ok=True)
        previous = {r.student_id: r for r in load_results(workspace, assignment.id)}
        students = student_dirs(options.submissions)
        nbgrader = course.nbgrader()
        todo = [d for d in students if needs_grading(grader, d, previous.get(d.name), nbgrader)]
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
            with Progress(total=len(students), done=len(students) - len(todo), enabled=options.progress) as progress:
                for future in as_completed(futures):
                    graded = future.result()
                    writer.add(graded)
                    progress.advance(failed=graded.result.status not in QUIET)
                writer.flush()
            clock.lap("grade")
            marks = hand_marks(gradebook, assignment.id)
    clock.lap("stop the workers")
    write_grades_csv(workspace)
    results = load_results(workspace, assignment.id)
    clock.lap("grades.csv")
    write_feedback(workspace, assignment, results, marks, cells)
    clock.lap("feedback")
    report = write_report(workspace, assignment, results, marks)
    clock.lap("report")
    if options.timings:
        clock.report()
    ok = sum(1 for r in results if r.status == Status.OK)
    return (f"graded {len(todo)} of {len(students)} submissions of {assignment.id} "
            f"({len(students) - len(todo)} unchanged since the last run); {ok} ok, {len(results) - ok} with problems; "
            f"grades: {workspace / 'grades.csv'}; report: {report}" + (f"; {runner.note}" if runner.note else ""))


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
    write_feedback(workspace, assignment, results, marks, cells)
    submitted = options.submissions.resolve() if options.submissions else nbgrader.root / nbgrader.submitted
    names = sorted(grader.notebooks())
    matched, unmatched = [], []
    for result in results:
        folder = safe_name(result.student_id)
        _, found = write_nbgrader_feedback(nbgrader.folder("feedback", folder, assignment.id),
                                           submitted / folder / assignment.id, names, assignment,
                                           with_hand_marks(result, marks.get(result.student_id), cells))
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
