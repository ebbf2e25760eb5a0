"""`course grade`: grade every submission of an assignment.

For each student: judge the submitted files, run the answers, score the answer values
outside the kernel against the trusted key, and save the result at once (one JSON file a
student, written atomically), so an interrupted run resumes where it stopped and never
counts a grade twice.  grades.csv, the gradebook, feedback and the report are all made
from the saved results.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from .course import Course, CourseError, find_course
from .execute import run_answers
from .gradebook import GradebookCell
from .keys import KeyOracle, compute_keys, public_question
from .questions import Assignment, QuestionError
from .sandbox import Limits, SandboxUnavailable, require_sandbox
from .scoring import score
from .stock import StockGrader, load_stock_assignment
from .submission import SubmissionProblem, answer_sources, check_integrity, grader_patching, read_notebook

GRADES_COLUMNS = ["student_id", "assignment", "score", "max_score", "auto_score", "auto_max",
                  "manual_pending", "status", "message"]
RESULTS_VERSION = 1
MANUAL_KINDS = {"essay", "manual"}   # graded by a person: not part of the automatic score


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


@dataclass
class QuestionResult:
    id: str
    kind: str
    points: float | None       # None: waiting to be graded by hand
    max_points: float
    status: str
    message: str


@dataclass
class StudentResult:
    student_id: str
    assignment: str
    status: str
    message: str
    questions: list[QuestionResult] = field(default_factory=list)
    fingerprint: str = ""
    version: int = RESULTS_VERSION

    @property
    def auto_score(self) -> float:
        return round(sum(q.points or 0.0 for q in self.questions if q.kind not in MANUAL_KINDS), 4)

    @property
    def score(self) -> float:
        return round(sum(q.points or 0.0 for q in self.questions), 4)

    @property
    def manual_pending(self) -> int:
        return sum(1 for q in self.questions if q.points is None)

    @classmethod
    def from_json(cls, data: dict) -> "StudentResult":
        questions = [QuestionResult(**q) for q in data.pop("questions", [])]
        return cls(questions=questions, **data)


class Grader:
    """Grades one assignment; safe to call `grade_student` from several threads."""

    def __init__(self, course: Course, assignment: Assignment, limits: Limits, sandbox: bool = True):
        self.course, self.assignment, self.limits, self.sandbox = course, assignment, limits, sandbox
        self.release_dir = course.release_dir / assignment.id
        release_path = self.release_dir / assignment.notebook
        if not release_path.is_file():
            raise CourseError(f"{release_path}: the released notebook is missing; run `course release {assignment.id}`")
        self.release = nbformat.read(release_path, as_version=4)
        try:
            self.keys = compute_keys(assignment)
        except QuestionError as exc:
            raise CourseError(str(exc)) from None
        self.key_fingerprint = hashlib.sha256(json.dumps(self.keys, sort_keys=True, default=str).encode()
                                              + assignment.path.read_bytes()).hexdigest()[:16]

    def expected_files(self) -> set[str]:
        return {self.assignment.notebook} | released_files(self.release_dir)

    def gradebook_cells(self) -> list[GradebookCell]:
        notebook = self.assignment.notebook[:-len(".ipynb")]
        return [GradebookCell(notebook, q.id, q.id, q.points, "markdown" if q.kind == "essay" else "code",
                              q.kind == "essay") for q in self.assignment.questions]

    def fingerprint(self, folder: Path) -> str:
        return folder_fingerprint(folder, self.key_fingerprint)

    def blank_questions(self, status: str, message: str) -> list[QuestionResult]:
        return [QuestionResult(q.id, q.kind, 0.0, q.points, status, message) for q in self.assignment.questions]

    def grade_student(self, student_dir: Path) -> StudentResult:
        student = student_dir.name
        folder = student_dir / self.assignment.id
        result = StudentResult(student, self.assignment.id, "ok", "", fingerprint=self.fingerprint(folder))
        if not folder.is_dir():
            result.status, result.message = "missing", f"{student}: no folder {self.assignment.id}/ in the submission"
            result.questions = self.blank_questions("missing", "nothing submitted")
            return result
        present = {p.name for p in folder.iterdir() if not p.name.startswith(".")}
        notebook_path = folder / self.assignment.notebook
        extra = sorted(present - self.expected_files())
        notes = []
        if not notebook_path.is_file():
            others = [n for n in extra if n.endswith(".ipynb")]
            hint = f" (found {', '.join(others)})" if others else ""
            result.status = "missing"
            result.message = f"{self.assignment.id}/{self.assignment.notebook}: the notebook is missing{hint}"
            result.questions = self.blank_questions("missing", "notebook missing")
            return result
        if extra:
            notes.append(f"unexpected file(s) ignored: {', '.join(extra)}")
        try:
            submission = read_notebook(notebook_path)
        except SubmissionProblem as problem:
            result.status, result.message = problem.status, f"{self.assignment.id}/{problem.message}"
            result.questions = self.blank_questions(problem.status, "the notebook could not be read")
            return result
        check_integrity(submission, self.release)
        sources = answer_sources(submission)
        submission.tampering += grader_patching(sources)
        notes += submission.notes
        run = run_answers(self.release_dir, self.release, sources,
                          [q.variable for q in self.assignment.autograded], self.limits, self.sandbox)
        essays = {q.id: _essay_text(submission.notebook, q.id) for q in self.assignment.questions if q.kind == "essay"}
        for q in self.assignment.questions:
            if q.kind == "essay":
                blank = not essays[q.id].strip() or essays[q.id].strip() == "YOUR ANSWER HERE"
                result.questions.append(QuestionResult(
                    q.id, q.kind, 0.0 if blank else None, q.points, "blank" if blank else "manual",
                    "No answer yet." if blank else "To be graded by hand against the mark scheme."))
                continue
            outcome = score(public_question(q), run.answers.get(q.variable), KeyOracle(q, self.keys[q.id]))
            result.questions.append(QuestionResult(q.id, q.kind, outcome.points, q.points, outcome.status, outcome.message))
        if run.errors:
            notes.append("cells that raised an error: " + ", ".join(run.errors[:5]))
        if submission.tampering:
            result.status = "tampered"
            notes.insert(0, "changed what may not be changed: " + "; ".join(submission.tampering[:4]))
        elif run.status != "ok":
            result.status = run.status
            notes.insert(0, run.message)
        elif extra:
            result.status = "extra-file"
        elif submission.notes:
            result.status = "old-format"
        result.message = "; ".join(notes)
        return result


# what `nbgrader submit` and `nbgrader collect` add to every submission
NBGRADER_FILES = {"timestamp.txt", "submission_secret.txt"}


def released_files(release_dir: Path) -> set[str]:
    """What may lie beside the notebook in a submission without surprise: the files the
    students got with it (checks, data) and those nbgrader's exchange adds."""
    released = {p.name for p in release_dir.iterdir() if p.is_file()} if release_dir.is_dir() else set()
    return released | NBGRADER_FILES


def folder_fingerprint(folder: Path, key_fingerprint: str) -> str:
    """Changes when the submission or the key changes: then the student is graded again."""
    digest = hashlib.sha256(key_fingerprint.encode())
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:24]


def _essay_text(notebook, qid: str) -> str:
    for cell in notebook.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == qid:
            return cell.source if isinstance(cell.source, str) else "".join(cell.source)
    return ""


def resolve_course(course_dir: Path | None) -> Course:
    if course_dir is None:
        return find_course()
    root = course_dir.resolve()
    if not root.is_dir():
        raise CourseError(f"{course_dir}: no such course directory")
    source = "solutions" if (root / "solutions").is_dir() else "source"
    release = "exercises" if (root / "exercises").is_dir() else "release"
    return Course(root, source=source, release=release)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def results_dir(workspace: Path, assignment_id: str) -> Path:
    return workspace / "results" / assignment_id


def load_results(workspace: Path, assignment_id: str | None = None) -> list[StudentResult]:
    base = workspace / "results"
    folders = [base / assignment_id] if assignment_id else sorted(p for p in base.glob("*") if p.is_dir())
    results = []
    for folder in folders:
        for path in sorted(folder.glob("*.json")):
            try:
                results.append(StudentResult.from_json(json.loads(path.read_text(encoding="utf-8"))))
            except (ValueError, TypeError):
                continue  # a damaged result is graded again on the next run
    return results


def write_grades_csv(workspace: Path) -> Path:
    path = workspace / "grades.csv"
    rows = []
    for r in load_results(workspace):
        max_score = sum(q.max_points for q in r.questions)
        auto_max = sum(q.max_points for q in r.questions if q.kind not in MANUAL_KINDS)
        rows.append({"student_id": r.student_id, "assignment": r.assignment, "score": f"{r.score:g}",
                     "max_score": f"{max_score:g}", "auto_score": f"{r.auto_score:g}", "auto_max": f"{auto_max:g}",
                     "manual_pending": r.manual_pending, "status": r.status, "message": r.message})
    rows.sort(key=lambda row: (row["assignment"], row["student_id"]))
    from io import StringIO
    buffer = StringIO()
    writer = csv.DictWriter(buffer, fieldnames=GRADES_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    _write_atomic(path, buffer.getvalue())
    return path


def student_dirs(submissions: Path) -> list[Path]:
    if not submissions.is_dir():
        raise CourseError(f"{submissions}: no such submissions directory")
    return sorted(p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))


def grade(options: GradeOptions) -> str:
    from .feedback import write_feedback
    from .gradebook import open_gradebook, record, register_assignment
    from .progress import Progress
    from .report import write_report

    course = resolve_course(options.course_dir)
    if options.sandbox:
        try:
            require_sandbox()
        except SandboxUnavailable as exc:
            raise CourseError(str(exc)) from None
    if course.has_questions(options.assignment_id):
        assignment = course.assignment(options.assignment_id)
        grader = Grader(course, assignment, options.limits, options.sandbox)
    else:   # a plain nbgrader assignment: its test cells decide, as in `nbgrader autograde`
        assignment = load_stock_assignment(course, options.assignment_id)
        grader = StockGrader(course, assignment, options.limits, options.sandbox)
    workspace = options.workspace.resolve()
    workspace.mkdir(parents=True, exist_ok=True)
    saved = results_dir(workspace, assignment.id)
    previous = {r.student_id: r for r in load_results(workspace, assignment.id)}
    students = student_dirs(options.submissions)
    todo = [d for d in students
            if d.name not in previous or previous[d.name].fingerprint != grader.fingerprint(d / assignment.id)]

    db_url = options.db_url or f"sqlite:///{workspace / 'gradebook.db'}"
    try:
        gb = open_gradebook(db_url)
    except Exception as exc:
        raise CourseError(f"{db_url}: cannot open the gradebook ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})") from None
    with gb:
        cells = grader.gradebook_cells()
        register_assignment(gb, assignment.id, cells)
        with Progress(total=len(students), done=len(students) - len(todo), enabled=options.progress) as progress:
            with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
                futures = {pool.submit(grader.grade_student, d): d for d in todo}
                for future in as_completed(futures):
                    student_dir = futures[future]
                    try:
                        result = future.result()
                    except Exception as exc:  # a bug must not stop the batch; say which student
                        result = StudentResult(student_dir.name, assignment.id, "error",
                                               f"grading failed: {type(exc).__name__}: {exc}",
                                               grader.blank_questions("error", "not graded"),
                                               fingerprint="")
                    # gradebook first: a saved result then always has its grade recorded, and a run
                    # killed between the two grades that student again (recording is idempotent)
                    record(gb, assignment.id, cells, result.student_id, {q.id: q.points for q in result.questions})
                    _write_atomic(saved / f"{_safe_name(result.student_id)}.json",
                                  json.dumps(asdict(result), indent=1, ensure_ascii=False))
                    progress.advance(failed=result.status not in ("ok", "extra-file", "old-format"))
    write_grades_csv(workspace)
    results = load_results(workspace, assignment.id)
    write_feedback(workspace, assignment, results)
    report = write_report(workspace, assignment, results)
    ok = sum(1 for r in results if r.status == "ok")
    return (f"graded {len(todo)} of {len(students)} submissions of {assignment.id} "
            f"({len(students) - len(todo)} unchanged since the last run); {ok} ok, {len(results) - ok} with problems; "
            f"grades: {workspace / 'grades.csv'}; report: {report}")


def _safe_name(student_id: str) -> str:
    """A file name for any student id, however odd its characters; plain ids stay as they are."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in student_id)[:80]
    if safe == student_id and not safe.startswith("."):
        return safe
    return f"{safe.lstrip('.')}-{hashlib.sha256(student_id.encode()).hexdigest()[:8]}"
