"""Graders: how one student's submission of one assignment becomes a `StudentResult`.

`Grader` holds what every grader does the same way: the missing folder, extra files, the
fingerprint that decides regrading, blank results, loading the released notebooks, the
one opening of a submitted notebook (read, then the integrity checks of checks.py), and
the final status (results.resolve_status).  A subclass grades the notebooks themselves:
`QuestionsGrader` for an assignment written as questions.yml (answers scored outside the
sandbox against the trusted key), `TestCellGrader` (test_cells.py) for any nbgrader
assignment (its test cells decide, as in `nbgrader autograde`).  Over 250 lines: the
questions grader stays beside the base class whose every step it uses.
"""
from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..authoring.source_notebook import source_notebook
from ..core.checks import public_question
from ..core.kinds.essay import criteria
from ..core.model import Assignment, Question
from ..core.rules import key_oracle, score
from ..course import Course
from ..errors import SubmissionProblem, UsageError
from ..execution.launcher import build_notebook
from ..execution.runner import Runner
from ..nbmeta import cell_source, grade_id, is_answer
from ..student.check import GRADING_IDENTITY
from .autograded import restored_notebook
from .checks import Opened, run_checks
from .instructor_copy import InstructorSecrets, course_markers
from .results import PRECEDENCE, Finding, GradebookCell, QuestionResult, Status, StudentResult, resolve_status
from .submission import Submission, answer_sources, read_notebook
from .submitted_files import SubmittedFolder, fingerprint_tree
from .work_folder import NBGRADER_FILES


@dataclass(frozen=True)
class GradedQuestion:
    """A question as the grading pipeline sees it, whatever kind of assignment it is in."""
    id: str
    kind: str
    points: float


@dataclass
class GradedSubmission:
    """One student's result, and the notebooks as nbgrader's autograde would leave them
    (locked cells restored, outputs from the sandboxed run), by file name: none for a
    notebook that could not be read."""
    result: StudentResult
    notebooks: dict[str, nbformat.NotebookNode] = field(default_factory=dict)
    # False when the student's folder holds no folder of the assignment: nbgrader's gradebook
    # then gets no submission (formgrader would list the student as having submitted)
    submitted: bool = True


def load_release(path: Path, remedy: str) -> nbformat.NotebookNode:
    """A released notebook the grader compares submissions with; `remedy` says how to make it."""
    if not path.is_file():
        raise UsageError(f"{path}: the released notebook is missing; run `{remedy}`")
    return nbformat.read(path, as_version=4)


def folder_fingerprint(folder: Path, key_fingerprint: str) -> str:
    """Changes when the submission or the key changes: then the student is graded again.
    Links are counted by their target, never followed; pipes and devices are never opened."""
    digest = hashlib.sha256(key_fingerprint.encode())
    fingerprint_tree(folder, digest)
    return digest.hexdigest()[:24]


class Grader(ABC):
    """Grades one assignment; `grade_submission` is safe to call from several threads."""

    assignment_id: str
    questions: list[GradedQuestion]
    key_fingerprint: str      # changes when what decides the scores changes
    extra_files = "unexpected file(s) ignored"   # what becomes of files the assignment does not expect

    def __init__(self, course: Course, runner: Runner | None = None):
        # no runner: a grader that only describes the assignment (feedback, export)
        self.course, self.runner = course, runner

    @property
    def release_dir(self) -> Path:
        return self.course.release_dir / self.assignment_id

    @abstractmethod
    def notebooks(self) -> set[str]:
        """The notebook file names a submission holds."""

    @abstractmethod
    def gradebook_cells(self) -> list[GradebookCell]:
        """The graded cells, as nbgrader's gradebook records them."""

    @abstractmethod
    def released_notebooks(self) -> dict[str, nbformat.NotebookNode]:
        """The released notebooks, by file name."""

    def solution_cells(self) -> list[tuple[str, str]]:
        """(notebook without .ipynb, grade id) of every cell the student writes in: nbgrader's
        gradebook keeps a comment for each, and formgrader shows a comment box for each."""
        return [(name[:-len(".ipynb")], grade_id(cell)) for name, nb in sorted(self.released_notebooks().items())
                for cell in nb.cells if is_answer(cell) and grade_id(cell)]

    @abstractmethod
    def grade_notebooks(self, folder: SubmittedFolder, present: set[str], findings: list[Finding],
                        notes: list[str], autograded: dict[str, nbformat.NotebookNode]) -> list[QuestionResult]:
        """Grade the notebooks in `folder` (each read with submission.read_notebook); record what went wrong in `findings` (each
        with its status) and remarks in `notes`, and each graded notebook as nbgrader's
        autograde leaves it in `autograded`."""

    def expected_files(self) -> set[str]:
        """What may lie in a submission without surprise: the notebooks, the files the
        students got with them (checks, data) and those nbgrader's exchange adds."""
        released = {p.name for p in self.release_dir.iterdir() if p.is_file()} if self.release_dir.is_dir() else set()
        return self.notebooks() | released | NBGRADER_FILES

    def fingerprint(self, folder: Path) -> str:
        return folder_fingerprint(folder, self.key_fingerprint)

    def blank_questions(self, status: str, message: str) -> list[QuestionResult]:
        return [QuestionResult(q.id, q.kind, 0.0, q.points, status, message) for q in self.questions]

    def grade_submission(self, student_dir: Path) -> GradedSubmission:
        """Grade `student_dir/<assignment>/`: open it without following links, let the
        subclass grade its notebooks, note the files that should not be there, and
        resolve the status (an instructor's copy scores zero on the whole assignment)."""
        student = student_dir.name
        result = StudentResult(student, self.assignment_id, Status.OK, "",
                               fingerprint=self.fingerprint(student_dir / self.assignment_id))
        graded = GradedSubmission(result)
        try:
            opened = SubmittedFolder(student_dir.parent, Path(student, self.assignment_id))
        except SubmissionProblem as problem:
            result.status, result.message = problem.status, problem.message
            nothing = "nothing submitted" if problem.status == Status.MISSING else "not opened"
            result.questions = self.blank_questions(problem.status, nothing)
            graded.submitted = problem.status != Status.MISSING
            return graded
        findings: list[Finding] = []
        notes: list[str] = []
        with opened as folder:
            present = {name for name in folder.entries if not name.startswith(".")}
            result.questions = self.grade_notebooks(folder, present, findings, notes, graded.notebooks)
            findings += [Finding(p.status, p.message) for p in folder.odd_entries(skip=self.notebooks())]
        extra = sorted(name for name in present - self.expected_files() if name not in _names(findings))
        if extra and any(f.status == Status.MISSING for f in findings):   # perhaps the missing one, renamed
            notes.append(f"handed in but not the assignment's: {', '.join(extra)}")
        elif extra:
            findings.append(Finding(Status.EXTRA_FILE, f"{self.extra_files}: {', '.join(extra)}"))
        result.status = resolve_status(f.status for f in findings)
        result.message = "; ".join([f.message for f in sorted(findings, key=_rank)] + notes)
        if result.status == Status.INSTRUCTOR_COPY:
            result.questions = self.blank_questions(Status.INSTRUCTOR_COPY, "the instructor's notebook earns nothing")
            graded.notebooks.clear()
        return graded

    def open_notebook(self, folder: SubmittedFolder, name: str, release: nbformat.NotebookNode,
                      findings: list[Finding], student: str | None = None) -> Submission | None:
        """The one opening of both graders: read the submitted notebook `name` and run the
        integrity checks (checks.py) on it, their findings added to `findings`; None when
        it must not run (it could not be read, or it is the instructor's own)."""
        try:
            submission = read_notebook(folder, name)
        except SubmissionProblem as problem:
            findings.append(Finding(problem.status, f"{self.assignment_id}/{problem.message}"))
            return None
        found = run_checks(Opened(submission, release, self.secrets, self.assignment_id, student))
        findings += found
        return None if any(f.status == Status.INSTRUCTOR_COPY for f in found) else submission


def _names(findings: list[Finding]) -> set[str]:
    """The file names findings already speak of (their messages begin with the name)."""
    return {f.message.split(":", 1)[0] for f in findings}


def _rank(finding: Finding) -> int:
    return PRECEDENCE.index(finding.status)


class QuestionsGrader(Grader):
    """An assignment written as questions.yml: the student's answer cells run in the
    sandbox after the released setup; their values are scored outside it.  Where questions
    vary, each student is graded on the version of the student whose folder it is (never
    the id the notebook claims), and the code runs as that student."""

    def __init__(self, course: Course, assignment: Assignment, versions: list[Assignment], keys: list[dict],
                 runner: Runner | None = None):
        super().__init__(course, runner)
        self.assignment, self.versions, self.keys = assignment, versions, keys
        self.assignment_id = assignment.id
        self.questions = [GradedQuestion(q.id, q.kind, q.points) for q in assignment.questions]
        self.release = load_release(self.release_dir / assignment.notebook, f"course release {assignment.id}")
        # the instructor's source notebook (hidden tests included): what an instructor's copy
        # holds, and whose locked cells the autograded notebook gets back, as nbgrader restores them
        self.source = self.source_notebook()
        self.key_fingerprint = hashlib.sha256(json.dumps(keys, sort_keys=True, default=str).encode()
                                              + assignment.path.read_bytes()
                                              + course.variant_salt(assignment.id).encode()).hexdigest()[:16]
        self.secrets = InstructorSecrets.of([self.source], [self.release], course_markers(course.root))

    def source_notebook(self) -> nbformat.NotebookNode:
        """The instructor's source notebook: the one `course release` wrote, or (before
        any release) the one it would write."""
        path = self.course.source_dir / self.assignment_id / self.assignment.notebook
        if path.is_file():
            return nbformat.read(path, as_version=4)
        return source_notebook(self.assignment, self.versions, self.keys)

    def notebooks(self) -> set[str]:
        return {self.assignment.notebook}

    def released_notebooks(self) -> dict[str, nbformat.NotebookNode]:
        return {self.assignment.notebook: self.release}

    def gradebook_cells(self) -> list[GradebookCell]:
        """Each question's graded cell, and an essay's criteria (a rubric with levels): the
        essay's answer cell is then worth nothing, its criteria carry its points."""
        notebook = self.assignment.notebook[:-len(".ipynb")]
        cells = []
        for q in self.assignment.questions:
            rubric = criteria(q)
            cells.append(GradebookCell(notebook, q.id, q.id, 0.0 if rubric else q.points,
                                       "markdown" if q.rules.manual else "code", q.rules.manual))
            cells += [GradebookCell(notebook, c.cell_id(q.id), q.id, c.points, "markdown", True, task=True)
                      for c in rubric]
        return cells

    def grade_notebooks(self, folder, present, findings, notes, autograded) -> list[QuestionResult]:
        name = self.assignment.notebook
        if name not in present:
            others = sorted(n for n in present if n.endswith(".ipynb"))
            hint = f" (found {', '.join(others)})" if others else ""
            findings.append(Finding(Status.MISSING, f"{self.assignment_id}/{name}: the notebook is missing{hint}"))
            return self.blank_questions(Status.MISSING, "notebook missing")
        student = folder.path.parent.name
        submission = self.open_notebook(folder, name, self.release, findings,
                                        student if self.assignment.has_variants else None)
        if submission is None:   # unreadable, or the instructor's own: not run at all
            copied = any(f.status == Status.INSTRUCTOR_COPY for f in findings)
            return self.blank_questions(Status.INSTRUCTOR_COPY, "the instructor's notebook earns nothing") if copied \
                else self.blank_questions(findings[-1].status, "the notebook could not be read")
        sources = answer_sources(submission)
        variant = self.course.variant_of(self.assignment, student)
        version, keys = self.versions[variant], self.keys[variant]
        environment = {GRADING_IDENTITY: student} if self.assignment.has_variants else None
        ran = build_notebook(self.release, sources, [q.variable for q in self.assignment.autograded])
        run = self.runner.run(self.release_dir, ran, environment)
        outputs = {ran.cells[int(index)].metadata.get("grade_id"): cell_outputs
                   for index, cell_outputs in run.outputs_in(ran.cells).items()}
        autograded[name] = restored_notebook(submission.notebook, self.source, outputs)
        if run.status != Status.OK:
            findings.append(Finding(Status(run.status), run.message))
        if run.errors:
            notes.append("cells that raised an error: " + ", ".join(run.errors[:5]))
        essays: dict[str, str] = {}
        for cell in submission.notebook.cells:   # the first copy, if a cell was duplicated
            essays.setdefault(grade_id(cell), cell_source(cell))
        return [essay_result(q, essays.get(q.id, "")) if q.rules.manual else
                scored(q, run.answers.get(q.variable), keys[q.id]) for q in version.questions]


def scored(q: Question, answer, key) -> QuestionResult:
    """An autograded question's result: the student's answer value against its key."""
    outcome = score(public_question(q), answer, key_oracle(q, key))
    return QuestionResult(q.id, q.kind, outcome.points, q.points, outcome.status, outcome.message)


def essay_result(q: Question, text: str) -> QuestionResult:
    """An essay waits for a hand mark (one per rubric criterion), unless it is blank: then it
    scores 0 at once."""
    text = text.strip()
    if not text or text == "YOUR ANSWER HERE":
        return QuestionResult(q.id, q.kind, 0.0, q.points, "blank", "No answer yet.", max(len(criteria(q)), 1))
    parts = len(criteria(q))
    return QuestionResult(q.id, q.kind, None, q.points, "manual",
                          f"To be graded by hand against the {'rubric' if parts else 'mark scheme'}.", max(parts, 1))
