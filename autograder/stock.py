"""Grading any nbgrader course the way nbgrader does, but in the sandbox and in parallel.

For an assignment without a questions.yml, a test cell earns its points when it runs
without an error (or the share its result gives, nbgrader's partial credit), as
`nbgrader autograde` decides.  As there, the locked and test cells that run are the
instructor's own (from source/, hidden tests included), never the student's copies;
the student's answer cells and any cells they added run as submitted.  Unlike there, the
code runs in the sandbox, several notebooks at once, and the submitted files are never
touched.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.utils import determine_grade

from .course import Course, CourseError
from .execute import KEEP_OUTPUTS, run_notebook
from .gradebook import GradebookCell
from .sandbox import Limits
from .submission import (SubmissionProblem, answer_sources, check_integrity, grade_id, grader_patching,
                         read_notebook)


@dataclass
class StockQuestion:
    id: str          # "<notebook>/<grade id>"
    kind: str        # test | manual
    points: float


@dataclass
class StockAssignment:
    """An nbgrader assignment as its source notebooks define it."""
    id: str
    title: str
    path: Path
    notebooks: dict[str, nbformat.NotebookNode] = field(default_factory=dict)   # name -> source notebook
    questions: list[StockQuestion] = field(default_factory=list)

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions)


def load_stock_assignment(course: Course, assignment_id: str) -> StockAssignment:
    folder = course.source_dir / assignment_id
    paths = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not paths:
        raise CourseError(f"{folder}: no questions.yml and no source notebooks for assignment '{assignment_id}'")
    assignment = StockAssignment(assignment_id, assignment_id, folder)
    for path in paths:
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # nbformat raises many kinds
            raise CourseError(f"{path}: not a readable notebook ({type(exc).__name__})") from None
        assignment.notebooks[path.name] = nb
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") or meta.get("task"):   # a task cell is graded by hand, like an answer
                kind = "manual" if meta.get("solution") or meta.get("task") or cell.cell_type != "code" else "test"
                assignment.questions.append(StockQuestion(f"{path.stem}/{meta['grade_id']}", kind,
                                                          float(meta.get("points", 0))))
    return assignment


class StockGrader:
    """The same interface as grading.Grader, for nbgrader's own kind of assignment."""

    def __init__(self, course: Course, assignment: StockAssignment, limits: Limits, sandbox: bool = True):
        self.course, self.assignment, self.limits, self.sandbox = course, assignment, limits, sandbox
        self.release_dir = course.release_dir / assignment.id
        self.releases = {}
        for name in assignment.notebooks:
            path = self.release_dir / name
            if not path.is_file():
                raise CourseError(f"{path}: the released notebook is missing; run `nbgrader generate_assignment {assignment.id}`")
            self.releases[name] = nbformat.read(path, as_version=4)
        digest = hashlib.sha256()
        for name in sorted(assignment.notebooks):
            digest.update((assignment.path / name).read_bytes())
        self.key_fingerprint = digest.hexdigest()[:16]

    def expected_files(self) -> set[str]:
        from .grading import released_files
        return set(self.assignment.notebooks) | released_files(self.release_dir)

    def gradebook_cells(self) -> list[GradebookCell]:
        cells = []
        for name, nb in self.assignment.notebooks.items():
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("grade"):   # task cells are nbgrader's own business: formgrader makes them
                    stem = name[:-len(".ipynb")]
                    cells.append(GradebookCell(stem, meta["grade_id"], f"{stem}/{meta['grade_id']}",
                                               float(meta.get("points", 0)), cell.cell_type,
                                               bool(meta.get("solution")) or cell.cell_type != "code"))
        return cells

    def grade_notebook(self, name: str, path: Path, result, notes: list[str]) -> list:
        """Score one submitted notebook; returns its QuestionResults."""
        from .grading import QuestionResult

        stem = name[:-len(".ipynb")]
        mine = [q for q in self.assignment.questions if q.id.startswith(stem + "/")]
        kinds = {q.id: q.kind for q in mine}
        if not path.is_file():
            notes.append(f"{name} is missing")
            return [QuestionResult(q.id, q.kind, 0.0, q.points, "missing", "notebook missing") for q in mine]
        try:
            submission = read_notebook(path)
        except SubmissionProblem as problem:
            notes.append(problem.message)
            result.status = problem.status
            return [QuestionResult(q.id, q.kind, 0.0, q.points, problem.status, "the notebook could not be read")
                    for q in mine]
        check_integrity(submission, self.releases[name])
        submission.tampering += grader_patching(answer_sources(submission))
        if submission.tampering:
            result.status = "tampered"
            notes.append(f"{name} changed what may not be changed: " + "; ".join(submission.tampering[:4]))
        notes += submission.notes
        runnable = trusted_notebook(submission.notebook, self.assignment.notebooks[name])
        run = run_notebook(self.release_dir, runnable, self.limits, self.sandbox)
        if run.status != "ok":
            result.status = run.status if result.status == "ok" else result.status
            notes.append(f"{name}: {run.message}")
        released = {grade_id(c): c for c in self.releases[name].cells if grade_id(c)}
        questions, answered = [], set()
        for cell in runnable.cells:
            meta = cell.metadata.get("nbgrader", {})
            qid = f"{stem}/{meta.get('grade_id')}"
            if qid not in kinds or qid in answered:
                continue   # not graded, or a duplicate (tampering): counted once
            kind = kinds[qid]
            answered.add(qid)
            if meta.get("task"):
                questions.append(QuestionResult(qid, kind, None, float(meta.get("points", 0)), "manual",
                                                "To be graded by hand."))
                continue
            judged = copy.deepcopy(cell)
            if kind == "test":
                judged.outputs = [nbformat.from_dict(o) for o in run.outputs.get(meta["grade_id"], [])]
                if run.status not in ("ok", "output-limit") and meta["grade_id"] not in run.outputs:
                    judged.outputs = [nbformat.from_dict({"output_type": "error", "ename": run.status,
                                                          "evalue": "", "traceback": []})]
            else:   # nbgrader compares an answer cell's text with the released one: unchanged = blank
                judged.metadata["nbgrader"] = dict(released.get(meta["grade_id"], cell).metadata.get("nbgrader", {}))
            points, maximum = determine_grade(judged)
            questions.append(QuestionResult(qid, kind, points, maximum, *_verdict(kind, points, maximum, judged)))
        questions += [QuestionResult(q.id, q.kind, 0.0, q.points, "missing", "the cell was deleted")
                      for q in mine if q.id not in answered]
        return questions

    def grade_student(self, student_dir: Path):
        from .grading import StudentResult

        folder = student_dir / self.assignment.id
        result = StudentResult(student_dir.name, self.assignment.id, "ok", "", fingerprint=self.fingerprint(folder))
        if not folder.is_dir():
            result.status, result.message = "missing", f"{student_dir.name}: no folder {self.assignment.id}/ in the submission"
            result.questions = self.blank_questions("missing", "nothing submitted")
            return result
        notes: list[str] = []
        present = {p.name for p in folder.iterdir() if not p.name.startswith(".")}
        for name in sorted(self.assignment.notebooks):
            result.questions += self.grade_notebook(name, folder / name, result, notes)
        if not present & set(self.assignment.notebooks):
            result.status = "missing"
        extra = sorted(present - self.expected_files())
        if extra:
            notes.append(f"unexpected file(s) ignored: {', '.join(extra)}")
            result.status = "extra-file" if result.status == "ok" else result.status
        result.message = "; ".join(notes)
        return result

    def fingerprint(self, folder: Path) -> str:
        from .grading import folder_fingerprint
        return folder_fingerprint(folder, self.key_fingerprint)

    def blank_questions(self, status: str, message: str) -> list:
        from .grading import QuestionResult
        return [QuestionResult(q.id, q.kind, 0.0, q.points, status, message) for q in self.assignment.questions]


def trusted_notebook(submitted: nbformat.NotebookNode, source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The submitted notebook with every locked and test cell put back as the instructor
    wrote it (nbgrader's OverwriteCells), its outputs cleared, test cells marked so the
    worker brings their outputs back."""
    trusted = {grade_id(c): c for c in source.cells
               if grade_id(c) and (c.metadata["nbgrader"].get("locked") or
                                   (c.metadata["nbgrader"].get("grade") and not c.metadata["nbgrader"].get("solution")))}
    nb = copy.deepcopy(submitted)
    for index, cell in enumerate(nb.cells):
        gid = grade_id(cell)
        if gid in trusted:
            original = copy.deepcopy(trusted[gid])
            cell = nb.cells[index] = original
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                cell.metadata[KEEP_OUTPUTS] = True
    return nb


def _verdict(kind: str, points, maximum: float, cell) -> tuple[str, str]:
    if kind == "manual":
        return ("blank", "No answer yet.") if points == 0 else ("manual", "To be graded by hand.")
    if points is None or points <= 0:
        error = next((o.get("ename") for o in cell.outputs if o.get("output_type") == "error"), None)
        return "wrong", f"This test did not pass ({error})." if error else "This test did not pass."
    if points < maximum:
        return "partial", "This test gave partial credit."
    return "correct", "This test passed."
