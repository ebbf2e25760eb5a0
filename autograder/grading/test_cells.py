"""Grading any nbgrader assignment the way nbgrader does, but in the sandbox and in parallel.

For an assignment without a questions.yml, a test cell earns its points when it runs
without an error (or the share its result gives, nbgrader's partial credit), as
`nbgrader autograde` decides.  As there, the locked and test cells that run are the
instructor's own (from the source folder, hidden tests included), never the student's
copies; the student's answer cells and any cells they added run as submitted.  Unlike
there, the code runs in the sandbox, several notebooks at once, and the submitted files
are never touched.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..course import Course
from ..errors import SubmissionProblem, UsageError
from ..execution.runner import Runner
from ..nbmeta import grade_id, is_answer, is_test, nbgrader_meta
from .autograded import fill_outputs, restore_locked_cells
from .graders import GradedQuestion, Grader, load_release
from .instructor_copy import InstructorSecrets, course_markers
from .results import Finding, GradebookCell, QuestionResult, Status
from .submission import answer_sources, check_integrity, grader_patching, read_notebook
from .submitted_files import SubmittedFolder

TEST, MANUAL = "test", "manual"   # the two kinds of graded cell: a test decides, a person marks


@dataclass
class NbgraderAssignment:
    """An nbgrader assignment as its source notebooks define it."""
    id: str
    path: Path
    notebooks: dict[str, nbformat.NotebookNode] = field(default_factory=dict)   # name -> source notebook
    questions: list[GradedQuestion] = field(default_factory=list)               # ids "<notebook>/<grade id>"

    @property
    def title(self) -> str:
        return self.id

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions)


def load_nbgrader_assignment(course: Course, assignment_id: str) -> NbgraderAssignment:
    folder = course.source_dir / assignment_id
    paths = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not paths:
        raise UsageError(f"{folder}: no questions.yml and no source notebooks for assignment '{assignment_id}'")
    assignment = NbgraderAssignment(assignment_id, folder)
    for path in paths:
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # nbformat raises many kinds
            raise UsageError(f"{path}: not a readable notebook ({type(exc).__name__})") from None
        assignment.notebooks[path.name] = nb
        for cell in nb.cells:
            meta = nbgrader_meta(cell)
            if meta.get("grade") or meta.get("task"):   # a task cell is graded by hand, like an answer
                kind = TEST if is_test(cell) and not meta.get("task") and cell.cell_type == "code" else MANUAL
                assignment.questions.append(GradedQuestion(f"{path.stem}/{meta['grade_id']}", kind,
                                                           float(meta.get("points", 0))))
    return assignment


class TestCellGrader(Grader):
    """nbgrader's own kind of assignment: its test cells decide."""

    def __init__(self, course: Course, assignment: NbgraderAssignment, runner: Runner | None = None):
        super().__init__(course, runner)
        self.assignment = assignment
        self.assignment_id = assignment.id
        self.questions = assignment.questions
        self.kinds = {q.id: q.kind for q in assignment.questions}
        self.releases = {name: load_release(self.release_dir / name, f"nbgrader generate_assignment {assignment.id}")
                         for name in assignment.notebooks}
        digest = hashlib.sha256()
        for name in sorted(assignment.notebooks):
            digest.update((assignment.path / name).read_bytes())
        self.key_fingerprint = digest.hexdigest()[:16]
        self.secrets = InstructorSecrets.of(list(assignment.notebooks.values()), list(self.releases.values()),
                                            course_markers(course.root))

    def notebooks(self) -> set[str]:
        return set(self.assignment.notebooks)

    def released_notebooks(self) -> dict[str, nbformat.NotebookNode]:
        return self.releases

    def gradebook_cells(self) -> list[GradebookCell]:
        cells = []
        for name, nb in self.assignment.notebooks.items():
            for cell in nb.cells:
                meta = nbgrader_meta(cell)
                if meta.get("grade"):   # task cells are nbgrader's own business: formgrader makes them
                    stem = name[:-len(".ipynb")]
                    cells.append(GradebookCell(stem, meta["grade_id"], f"{stem}/{meta['grade_id']}",
                                               float(meta.get("points", 0)), cell.cell_type,
                                               is_answer(cell) or cell.cell_type != "code"))
        return cells

    def grade_notebooks(self, folder, present, findings, notes, autograded) -> list[QuestionResult]:
        results = []
        for name in sorted(self.assignment.notebooks):
            results += self.grade_notebook(name, folder, findings, notes, autograded)
        if not present & self.notebooks():
            findings.append(Finding(Status.MISSING, "no notebook of the assignment was submitted"))
        return results

    def grade_notebook(self, name: str, folder: SubmittedFolder, findings: list[Finding], notes: list[str],
                       autograded: dict[str, nbformat.NotebookNode]) -> list[QuestionResult]:
        """Score one submitted notebook."""
        stem = name[:-len(".ipynb")]
        mine = [q for q in self.questions if q.id.startswith(stem + "/")]
        if name not in folder.entries:
            notes.append(f"{name} is missing")
            return [QuestionResult(q.id, q.kind, 0.0, q.points, Status.MISSING, "notebook missing") for q in mine]
        try:
            submission = read_notebook(folder, name)
        except SubmissionProblem as problem:
            findings.append(Finding(problem.status, problem.message))
            return [QuestionResult(q.id, q.kind, 0.0, q.points, problem.status, "the notebook could not be read")
                    for q in mine]
        copied = self.instructor_copy(submission, self.secrets)
        if copied:   # not run: the whole assignment scores nothing (Grader.grade_student)
            findings.append(copied)
            return [QuestionResult(q.id, q.kind, 0.0, q.points, Status.INSTRUCTOR_COPY, "not graded") for q in mine]
        check_integrity(submission, self.releases[name])
        submission.tampering += grader_patching(answer_sources(submission))
        if submission.tampering:
            findings.append(Finding(Status.TAMPERED, f"{name} changed what may not be changed: "
                                    + "; ".join(submission.tampering[:4])))
        findings += [Finding(Status.OLD_FORMAT, note) for note in submission.notes]
        runnable = restore_locked_cells(submission.notebook, self.assignment.notebooks[name])
        run = self.runner.run(self.release_dir, runnable)
        autograded[name] = fill_outputs(copy.deepcopy(runnable), run.outputs)
        if run.status != Status.OK:
            findings.append(Finding(Status(run.status), f"{name}: {run.message}"))
        released = {grade_id(c): c for c in self.releases[name].cells if grade_id(c)}
        questions, answered = [], set()
        for index, cell in enumerate(runnable.cells):
            meta = nbgrader_meta(cell)
            qid = f"{stem}/{meta.get('grade_id')}"
            if qid not in self.kinds or qid in answered:
                continue   # not graded, or a duplicate (tampering): counted once
            kind = self.kinds[qid]
            answered.add(qid)
            if meta.get("task"):
                questions.append(QuestionResult(qid, kind, None, float(meta.get("points", 0)), "manual",
                                                "To be graded by hand."))
                continue
            judged = copy.deepcopy(cell)
            if kind == TEST:
                judged.outputs = [nbformat.from_dict(o) for o in run.outputs.get(str(index), [])]
                if run.status not in (Status.OK, Status.OUTPUT_LIMIT) and str(index) not in run.outputs:
                    judged.outputs = [nbformat.from_dict({"output_type": "error", "ename": run.status,
                                                          "evalue": "", "traceback": []})]
            else:   # nbgrader compares an answer cell's text with the released one: unchanged = blank
                judged.metadata["nbgrader"] = dict(nbgrader_meta(released.get(meta["grade_id"], cell)))
            from nbgrader.utils import determine_grade  # nbgrader's package costs a second to import

            points, maximum = determine_grade(judged)
            questions.append(QuestionResult(qid, kind, points, maximum, *_verdict(kind, points, maximum, judged)))
        questions += [QuestionResult(q.id, q.kind, 0.0, q.points, Status.MISSING, "the cell was deleted")
                      for q in mine if q.id not in answered]
        return questions


def _verdict(kind: str, points, maximum: float, cell) -> tuple[str, str]:
    if kind == MANUAL:
        return ("blank", "No answer yet.") if points == 0 else ("manual", "To be graded by hand.")
    if points is None or points <= 0:
        error = next((o.get("ename") for o in cell.outputs if o.get("output_type") == "error"), None)
        return "wrong", f"This test did not pass ({error})." if error else "This test did not pass."
    if points < maximum:
        return "partial", "This test gave partial credit."
    return "correct", "This test passed."
