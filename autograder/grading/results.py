"""What grading finds: a status for each submission, a result per question, and the one
rule that decides which status a submission gets when several things went wrong."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from enum import StrEnum

from ..core.kinds import KINDS


class Status(StrEnum):
    """A submission's status in grades.csv (the README lists what each means)."""
    OK = "ok"
    MACHINE_ERROR = "machine-error"  # the grading machine failed (disk, worker, sandbox): graded again next run
    INSTRUCTOR_COPY = "instructor-copy"  # holds what only the instructor's source notebook has: scores zero
    TAMPERED = "tampered"            # locked or test cells changed, or the grader patched
    OTHER_VARIANT = "other-variant"  # the notebook ran as another student: graded as this one's version
    MISSING = "missing"              # no folder, or no notebook
    LINK = "link"                    # a symbolic link where a file or folder belongs: never followed
    SPECIAL_FILE = "special-file"    # a pipe, device or socket where a file belongs: never opened
    UNREADABLE = "unreadable"        # the file cannot be opened, or changed while it was read
    TOO_LARGE = "too-large"          # the file, its number of cells or one cell is over the limit
    TOO_DEEP = "too-deep"            # its JSON nests deeper than a notebook does
    NOT_NOTEBOOK = "not-notebook"
    INVALID_JSON = "invalid-json"
    ERROR = "error"                  # grading itself failed for this student
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory-limit"
    DISK_LIMIT = "disk-limit"        # wrote more than --disk in all (files, /tmp, the scratch copy)
    OUTPUT_LIMIT = "output-limit"
    CRASHED = "crashed"
    EXTRA_FILE = "extra-file"        # graded; files that should not be there were ignored
    OLD_FORMAT = "old-format"        # graded after converting an old notebook format


# When several things are found, the first in this order is the submission's status: a
# failure of the machine first (nothing else found is sure until it is graded again), then
# what the instructor most needs to look at (the instructor's own notebook handed in,
# tampering, a notebook run as another student), then why nothing could be graded,
# then what stopped the code early, then what was graded with a remark.
PRECEDENCE = [Status.MACHINE_ERROR, Status.INSTRUCTOR_COPY, Status.TAMPERED, Status.OTHER_VARIANT, Status.MISSING, Status.LINK,
              Status.SPECIAL_FILE, Status.UNREADABLE, Status.TOO_LARGE, Status.TOO_DEEP, Status.NOT_NOTEBOOK,
              Status.INVALID_JSON, Status.ERROR, Status.TIMEOUT, Status.MEMORY_LIMIT, Status.DISK_LIMIT,
              Status.OUTPUT_LIMIT,
              Status.CRASHED, Status.EXTRA_FILE, Status.OLD_FORMAT, Status.OK]

# graded normally: nothing for the instructor to do
QUIET = {Status.OK, Status.EXTRA_FILE, Status.OLD_FORMAT}

# not the student's doing: no score yet (pending in grades.csv and the exports), graded
# again on the next run even when the submission is unchanged
PENDING = {Status.MACHINE_ERROR}

# could not be graded (nothing of the notebook was read, or grading itself or the machine failed): such a
# submission has no score, never a silent zero; the exports leave its score empty, the report
# leaves it out of its figures and `course grade` names it
NOT_GRADED = {Status.LINK, Status.SPECIAL_FILE, Status.UNREADABLE, Status.TOO_LARGE, Status.TOO_DEEP,
              Status.NOT_NOTEBOOK, Status.INVALID_JSON, Status.ERROR, Status.MACHINE_ERROR}

# question kinds graded by a person: an essay, or a cell nbgrader marks for hand grading
MANUAL_KINDS = {name for name, kind in KINDS.items() if kind.manual} | {"manual"}


def resolve_status(found: Iterable[str]) -> Status:
    """The submission's status, given every status a grading step found (none: ok)."""
    found = {Status(s) for s in found}
    return next((s for s in PRECEDENCE if s in found), Status.OK)


@dataclass
class Finding:
    """Something a grading step found: its status and the line the instructor reads."""
    status: Status
    message: str


@dataclass
class QuestionResult:
    id: str
    kind: str
    points: float | None       # None: waiting to be graded by hand
    max_points: float
    status: str                # correct | partial | wrong | blank | invalid | manual | missing | error
    message: str
    hand_parts: int = 1        # the marks a person enters for it (an essay's rubric criteria)


@dataclass
class StudentResult:
    student_id: str
    assignment: str
    status: str
    message: str
    questions: list[QuestionResult] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def pending(self) -> bool:
        """Not graded yet because the machine failed: no score, graded again on the next run."""
        return self.status in PENDING

    @property
    def auto_score(self) -> float:
        return round(sum(q.points or 0.0 for q in self.questions if q.kind not in MANUAL_KINDS), 4)

    @property
    def score(self) -> float:
        return round(sum(q.points or 0.0 for q in self.questions), 4)

    @property
    def max_score(self) -> float:
        return sum(q.max_points for q in self.questions)

    @property
    def auto_max(self) -> float:
        return sum(q.max_points for q in self.questions if q.kind not in MANUAL_KINDS)

    @property
    def manual_pending(self) -> int:
        return sum(q.hand_parts for q in self.questions if q.points is None)

    @classmethod
    def from_json(cls, data: dict) -> StudentResult:
        known = {f.name for f in fields(cls)}
        questions = [QuestionResult(**q) for q in data.get("questions", [])]
        return cls(**{k: v for k, v in data.items() if k in known and k != "questions"}, questions=questions)


@dataclass(frozen=True)
class GradebookCell:
    """One graded cell as nbgrader's gradebook knows it."""
    notebook: str         # the notebook's name without .ipynb
    grade_id: str         # its grade id in the notebook
    question_id: str      # the question's id in our results
    points: float
    cell_type: str        # code | markdown
    manual: bool          # graded by a person (its auto score stays None until then)
    task: bool = False    # an nbgrader task cell: a person marks it (one criterion of an essay's rubric, or a task)
