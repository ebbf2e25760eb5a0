"""Grading any nbgrader assignment the way nbgrader does, but in the sandbox and in parallel.

For an assignment without a questions.yml, a test cell earns its points when it runs
without an error (or the share its result gives, nbgrader's partial credit), as
`nbgrader autograde` decides.  As there, the locked and test cells that run are the
instructor's own (the gradebook's copy, autotests expanded and hidden tests included:
instructor_cells.py), never the student's copies; the student's answer cells and any
cells they added run as submitted, in a folder laid out as stock lays it out
(work_folder.py), with nbgrader's environment and the course's settings
(stock_settings.py).  Unlike there, the code runs in the sandbox, several notebooks at
once, and the submitted files are never touched.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..course import Course
from ..errors import UsageError
from ..execution.runner import Runner
from ..nbmeta import grade_id, is_answer, is_test, nbgrader_meta
from .autograded import fill_outputs, restore_locked_cells
from .graders import GradedQuestion, Grader, load_release
from .instructor_cells import instructor_notebooks
from .instructor_copy import InstructorSecrets, course_markers
from .results import Finding, GradebookCell, QuestionResult, Status
from .stock_settings import StockSettings
from .submitted_files import SubmittedFolder
from .work_folder import work_folder

TEST, MANUAL = "test", "manual"   # the two kinds of graded cell: a test decides, a person marks
# what stock autograde sets in the kernel's environment (nbgrader.converters.autograde)
NBGRADER_ENVIRONMENT = {"NBGRADER_EXECUTION": "autograde"}


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
        language = kernel_language(nb)
        if language.lower() != "python":
            raise UsageError(f"{path}: a notebook for the {language} kernel; course grade runs Python notebooks only")
        assignment.notebooks[path.name] = nb
        for cell in nb.cells:
            meta = nbgrader_meta(cell)
            if meta.get("grade") or meta.get("task"):   # a task cell is graded by hand, like an answer
                kind = TEST if is_test(cell) and not meta.get("task") and cell.cell_type == "code" else MANUAL
                assignment.questions.append(GradedQuestion(f"{path.stem}/{meta['grade_id']}", kind,
                                                           float(meta.get("points", 0))))
    return assignment


def kernel_language(nb: nbformat.NotebookNode) -> str:
    """The language of the notebook's kernel, as Jupyter would pick it (python where unsaid)."""
    spec = nb.metadata.get("kernelspec") or {}
    language = spec.get("language") or (nb.metadata.get("language_info") or {}).get("name") or ""
    if not language and str(spec.get("name", "")).startswith("python"):
        language = "python"
    return str(language or "python")


class TestCellGrader(Grader):
    """nbgrader's own kind of assignment: its test cells decide."""

    extra_files = "unexpected file(s), copied beside the notebook as nbgrader copies them"

    def __init__(self, course: Course, assignment: NbgraderAssignment, runner: Runner | None = None):
        super().__init__(course, runner)
        self.assignment = assignment
        self.assignment_id = assignment.id
        self.questions = assignment.questions
        self.kinds = {q.id: q.kind for q in assignment.questions}
        self.releases = {name: load_release(self.release_dir / name, f"nbgrader generate_assignment {assignment.id}")
                         for name in assignment.notebooks}
        self.settings = StockSettings(course)
        self.files = self.settings.file_rules(assignment.id)
        # the locked and test cells that run: the gradebook's copy, as stock autograde's
        self.instructor = instructor_notebooks(course, assignment.id, assignment.notebooks)
        digest = hashlib.sha256(repr(self.files).encode())
        for name in sorted(assignment.notebooks):
            digest.update((assignment.path / name).read_bytes() + nbformat.writes(self.instructor[name]).encode())
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
                if meta.get("grade") or meta.get("task"):   # a task, as generate_assignment saves it
                    stem = name[:-len(".ipynb")]
                    cells.append(GradebookCell(stem, meta["grade_id"], f"{stem}/{meta['grade_id']}",
                                               float(meta.get("points", 0)), cell.cell_type,
                                               is_answer(cell) or cell.cell_type != "code" or bool(meta.get("task")),
                                               task=bool(meta.get("task"))))
        return cells

    def grade_notebooks(self, folder, present, findings, notes, autograded) -> list[QuestionResult]:
        results = []
        disk = self.runner.limits.disk_mb * 1024 * 1024 if self.runner.sandbox else None
        with work_folder(self.release_dir, folder, self.files, notes, disk) as work:
            for name in sorted(self.assignment.notebooks):
                results += self.grade_notebook(name, folder, work, findings, notes, autograded)
        if not present & self.notebooks():
            findings.append(Finding(Status.MISSING, "no notebook of the assignment was submitted"))
        return results

    def grade_notebook(self, name: str, folder: SubmittedFolder, work: Path, findings: list[Finding],
                       notes: list[str], autograded: dict[str, nbformat.NotebookNode]) -> list[QuestionResult]:
        """Score one submitted notebook, run in the folder `work` (work_folder.py)."""
        stem = name[:-len(".ipynb")]
        mine = [q for q in self.questions if q.id.startswith(stem + "/")]
        if name not in folder.entries:
            notes.append(f"{name} is missing")
            return [QuestionResult(q.id, q.kind, 0.0, q.points, Status.MISSING, "notebook missing") for q in mine]
        submission = self.open_notebook(folder, name, self.releases[name], findings)
        if submission is None:   # unreadable, or the instructor's own (the whole assignment scores nothing)
            copied = any(f.status == Status.INSTRUCTOR_COPY for f in findings)
            status = Status.INSTRUCTOR_COPY if copied else findings[-1].status
            return [QuestionResult(q.id, q.kind, 0.0, q.points, status,
                                   "not graded" if copied else "the notebook could not be read") for q in mine]
        runnable = restore_locked_cells(submission.notebook, self.instructor[name])
        run = self.runner.run(work, runnable, NBGRADER_ENVIRONMENT)
        autograded[name] = self.settings.finish_autograded(fill_outputs(copy.deepcopy(runnable), run.outputs_in(runnable.cells)))
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
            judged = _as_nbgrader_sees_it(cell, kind, run.outputs.get(str(index)), run.status,
                                          released.get(meta["grade_id"], cell))
            from nbgrader.utils import determine_grade  # nbgrader's package costs a second to import

            points, maximum = determine_grade(judged)
            questions.append(QuestionResult(qid, kind, points, maximum, *_verdict(kind, points, maximum, judged)))
        questions += [QuestionResult(q.id, q.kind, 0.0, q.points, Status.MISSING, "the cell was deleted")
                      for q in mine if q.id not in answered]
        return questions


def _as_nbgrader_sees_it(cell, kind: str, outputs: list | None, run_status: str, released_cell):
    """The cell as nbgrader's `determine_grade` should judge it: a test cell with the outputs
    of the run (an error in the run's status where a limit stopped the run before the cell
    gave any); an answer cell with the released cell's metadata, whose text nbgrader compares
    (unchanged means blank)."""
    judged = copy.deepcopy(cell)
    if kind == TEST:
        judged.outputs = [nbformat.from_dict(o) for o in outputs or []]
        if run_status not in (Status.OK, Status.OUTPUT_LIMIT) and outputs is None:
            judged.outputs = [nbformat.from_dict({"output_type": "error", "ename": run_status,
                                                  "evalue": "", "traceback": []})]
    else:
        judged.metadata["nbgrader"] = dict(nbgrader_meta(released_cell))
    return judged


def _verdict(kind: str, points, maximum: float, cell) -> tuple[str, str]:
    if kind == MANUAL:
        return ("blank", "No answer yet.") if points == 0 else ("manual", "To be graded by hand.")
    error = next((o.get("ename") for o in cell.outputs if o.get("output_type") == "error"), None)
    if points is None or points <= 0 and (maximum > 0 or error):   # a 0-point test passes or fails on its error
        return "wrong", f"This test did not pass ({error})." if error else "This test did not pass."
    if points < maximum:
        return "partial", "This test gave partial credit."
    return "correct", "This test passed."
