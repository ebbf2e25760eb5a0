"""Each submission's lateness, saved beside the results (`<workspace>/late/<assignment>.json`),
and what it costs: the one place grades.csv, the feedback pages, the report and the
exports take `late_by` and `late_penalty` from.

It is made again on every run from the timestamps and the calendar, which is cheap, so
that a changed due date or extension changes the penalties without running a notebook."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..grading.lateness import TIMESTAMP_MESSAGES, Lateness
from ..late_policy import LatePolicy
from .store import write_atomic


@dataclass
class AssignmentLateness:
    """The lateness of one assignment's submissions, and the course's policy for it
    (None: nbgrader's plugin fixed each penalty when the student was graded)."""
    students: dict[str, Lateness] = field(default_factory=dict)
    policy: LatePolicy | None = None

    def penalty(self, student_id: str, score: float) -> float:
        """The points a submission that scored `score` (hand marks included) loses."""
        found = self.students.get(student_id)
        if found is None:
            return 0.0
        if self.policy is None:
            return min(score, found.penalty or 0.0)
        return self.policy.penalty(score, found.late_by)

    def columns(self, student_id: str, score: float) -> tuple[str, str]:
        """grades.csv's `late_by` and `late_penalty` for the student."""
        found = self.students.get(student_id)
        if found is None or found.due is None:
            return "", ""
        return found.column, f"{self.penalty(student_id, score):g}"

    def note(self, student_id: str) -> str:
        """What the instructor should read about the submission's time, if anything."""
        found = self.students.get(student_id)
        return TIMESTAMP_MESSAGES.get(found.timestamp, "") if found else ""

    def sentence(self, student_id: str, score: float) -> str:
        """What the student's feedback page says about the submission's time and its cost."""
        found = self.students.get(student_id)
        if found is None or found.due is None:
            return ""
        due = f"Due {found.due[:16]} UTC" + (f" (with your extension: {found.extension})" if found.extension else "")
        if found.late_by is None:
            return f"{due}. The time you handed it in is not known, so no late penalty applies."
        if not found.late_by:
            return f"{due}; handed in {found.submitted[:16]} UTC, on time."
        text = f"{due}; handed in {found.submitted[:16]} UTC, {found.column} hours late."
        penalty = self.penalty(student_id, score)
        cost = f" ({self.policy.describe()})" if self.policy else ""
        return text + (f" Late penalty: {penalty:g} points{cost}." if penalty else f" No late penalty{cost}.")

    def late_count(self) -> int:
        return sum(1 for s in self.students.values() if s.late_by)


def late_file(workspace: Path, assignment_id: str) -> Path:
    return workspace / "late" / f"{assignment_id}.json"


def save_lateness(workspace: Path, assignment_id: str, lateness: AssignmentLateness) -> None:
    data = {"policy": asdict(lateness.policy) if lateness.policy else None,
            "students": {s: found.to_json() for s, found in sorted(lateness.students.items())}}
    write_atomic(late_file(workspace, assignment_id), json.dumps(data, indent=1, ensure_ascii=False))


def load_lateness(workspace: Path, assignment_id: str) -> AssignmentLateness:
    """The saved lateness (empty when there is none, or it is damaged: the next run makes it again)."""
    try:
        data = json.loads(late_file(workspace, assignment_id).read_text(encoding="utf-8"))
        policy = LatePolicy(**data["policy"]) if data.get("policy") else None
        return AssignmentLateness({s: Lateness(**v) for s, v in data["students"].items()}, policy)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return AssignmentLateness()
