"""The student's side: `check(question_id, answer)` while working on an assignment.

The checks come from ``checks.json`` beside the notebook, written by `course release`:
public question data and salted digests, never a key.  `check` prints what the question's
feedback policy allows and returns nothing, so a check cell never changes what the grader
sees:

- `full`: the rule's own message (counts, hints), as the book's practice questions give;
- `verdict`: right, or not yet right; nothing that names an item, a choice or a count;
- `format`: only whether the answer has a form that will be graded (checks.json then
  holds no key material for the question at all).

Under nbgrader's Validate (NBGRADER_EXECUTION=validate) a check that is not satisfied
raises, so that Validate reports it: a wrong answer under `full` and `verdict`, an answer
of the wrong form under `format`, and an unanswered question always. It raises NotRightYet,
which IPython shows as its one line (no traceback into the toolkit), so Validate lists each
question not right yet with what the check said.

Where questions vary per student, the student's own version is found from their id: the
grader's (COURSE_STUDENT_ID, set only when grading), the hub's (JUPYTERHUB_USER), or the
one the notebook sets in its STUDENT_ID cell.
"""
from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path
from typing import Any

from ..core.model import DEFAULT_POLICY, FeedbackPolicy, feedback_policy
from ..core.oracles import HashOracle
from ..core.plain import to_plain
from ..core.rules import Outcome, QuestionStatus, score
from ..core.variants import variant_of

CHECKS_FILE = "checks.json"
GRADING_IDENTITY = "COURSE_STUDENT_ID"   # set by the grader from the submission's folder


class NotRightYet(AssertionError):
    """A check not satisfied under Validate; IPython shows its message alone."""

    def _render_traceback_(self) -> list[str]:   # IPython's hook for how an exception is shown
        return [f"Not right yet: {self}"]


class FormatOracle:
    """Knows only the shape of a right answer: every question about the key is answered no,
    and no hint is known.  It spells out the whole Oracle protocol (core/oracles.py), so a
    kind that asks something new fails loudly here rather than being told "no" by default."""

    def __init__(self, shape: dict):
        self._shape = shape

    def shape(self) -> dict:
        return self._shape

    def n_right_choices(self) -> int:
        return 1

    def choice_right(self, choice: str) -> bool:
        return False

    def choice_hint(self, choice: str) -> None:
        return None

    def pair_right(self, left: str, right: str) -> bool:
        return False

    def before(self, a: str, b: str) -> bool:
        return False

    def number_close(self, x: float) -> bool:
        return False

    def text_right(self, normalised: str) -> bool:
        return False

    def mistake_hint(self, value: Any) -> None:
        return None

    def element_in(self, element: Any) -> bool:
        return False

    def element_at(self, index: int, element: Any) -> bool:
        return False

    def table_equal(self, table: dict) -> bool:
        return False

    def table_columns_equal(self, columns: list[str]) -> bool:
        return False


def identity(student_id: Any = None) -> str | None:
    """Who the notebook runs as: the grader's, the hub's, or the notebook's own id."""
    for candidate in (os.environ.get(GRADING_IDENTITY), os.environ.get("JUPYTERHUB_USER"), student_id):
        if candidate not in (None, ""):
            return str(candidate).strip()
    return None


def verdict_text(outcome: Outcome, policy: FeedbackPolicy) -> str:
    """What a student reads under `policy` (see the module's docstring)."""
    if outcome.status in (QuestionStatus.BLANK, QuestionStatus.INVALID) or policy == FeedbackPolicy.FULL:
        return outcome.message
    if policy == FeedbackPolicy.FORMAT:
        return "This answer has a form that will be graded."
    return "Right." if outcome.status == QuestionStatus.CORRECT else "Not yet right."


IDENTITY_LINE = re.compile(r"\[(?P<assignment>[^:\]]+): the questions marked as your own are those of "
                           r"student (?P<who>.+)\]")


def identity_line(assignment_id: str, student: str | None) -> str:
    who = repr(student) if student else "nobody yet (set STUDENT_ID above)"
    return f"[{assignment_id}: the questions marked as your own are those of student {who}]"


def ran_as(text: str, assignment_id: str) -> str | None:
    """The student an identity line in `text` names for `assignment_id`, or None."""
    for match in IDENTITY_LINE.finditer(text):
        if match["assignment"] == assignment_id:
            try:
                who = ast.literal_eval(match["who"])
            except (ValueError, SyntaxError):
                continue
            if isinstance(who, str):
                return who
    return None


def _mark(outcome: Outcome, policy: FeedbackPolicy) -> str:
    if outcome.status == QuestionStatus.BLANK:
        return "…"
    if outcome.status == QuestionStatus.INVALID:
        return "✘"
    if policy == FeedbackPolicy.FORMAT:
        return "✔"     # a form that will be graded
    if policy == FeedbackPolicy.FULL and outcome.status == QuestionStatus.PARTIAL:
        return "◐"
    return "✔" if outcome.status == QuestionStatus.CORRECT else "✘"


class Checker:
    def __init__(self, document: dict, student_id: Any = None):
        self.assignment = document.get("assignment", "")
        self.checks: dict[str, dict] = document.get("questions", {})
        self.variants = int(document.get("variants", 1))
        self.student = identity(student_id)
        self.variant = (variant_of(self.student, document.get("variant_salt", ""), self.variants)
                        if self.variants > 1 and self.student else None)

    @classmethod
    def load(cls, path: str | Path = CHECKS_FILE, student_id: Any = None) -> Checker:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        return cls(data, student_id)

    def check_of(self, question_id: str) -> dict | None:
        """The check of the student's own version of the question (None: none here)."""
        check = self.checks.get(question_id)
        if check is None or "versions" not in check:
            return check
        return check["versions"][self.variant] if self.variant is not None else None

    def policy_of(self, check: dict) -> FeedbackPolicy:
        """The check's policy; a check without one (an older or hand-made checks.json) gets
        the default, which tells least, never `full`."""
        return feedback_policy(check.get("feedback", DEFAULT_POLICY), f"{CHECKS_FILE} of {self.assignment or 'this notebook'}")

    def outcome(self, question_id: str, answer: Any) -> Outcome | None:
        check = self.check_of(question_id)
        if check is None:
            return None
        oracle = FormatOracle(check["shape"]) if self.policy_of(check) == FeedbackPolicy.FORMAT else HashOracle(check)
        return score(check["question"], to_plain(answer), oracle)

    def __call__(self, question_id: str, answer: Any = None) -> None:
        check = self.check_of(question_id)
        validating = os.environ.get("NBGRADER_EXECUTION") == "validate"
        if check is None:
            print(f"[{question_id}] {self._why_no_check(question_id)}")
            if validating:   # a question that cannot be checked is not right yet, for all Validate knows
                raise NotRightYet(f"[{question_id}] {self._why_no_check(question_id)}")
            return
        policy = self.policy_of(check)
        outcome = self.outcome(question_id, answer)
        text = verdict_text(outcome, policy)
        if policy == FeedbackPolicy.FULL:   # points tell how much is right: only the full policy shows them
            print(f"{_mark(outcome, policy)} [{question_id}] {outcome.points:g}/{outcome.max_points:g}: {text}")
        else:
            print(f"{_mark(outcome, policy)} [{question_id}] {text}")
        if validating and self._fails_validation(outcome, policy):
            raise NotRightYet(f"[{question_id}] {text}")

    @staticmethod
    def _fails_validation(outcome: Outcome, policy: FeedbackPolicy) -> bool:
        if outcome.status in (QuestionStatus.BLANK, QuestionStatus.INVALID):
            return True
        return policy != FeedbackPolicy.FORMAT and outcome.status != QuestionStatus.CORRECT

    def _why_no_check(self, question_id: str) -> str:
        if question_id in self.checks and self.variant is None:
            return ("This question has a version of your own: set STUDENT_ID in the cell at the top "
                    "(or work on the course's JupyterHub) and run the notebook again.")
        return f"No check is available here (is {CHECKS_FILE} beside the notebook?)."

    def introduce(self) -> None:
        """Say whose version the notebook runs as; the grader reads this line back (ran_as)."""
        if self.variants > 1:
            print(identity_line(self.assignment, self.student))

    def show(self, question_id: str) -> None:
        """Display the student's own version of a question."""
        check = self.check_of(question_id)
        if check is None:
            print(self._why_no_check(question_id))
            return
        try:
            from IPython.display import Markdown, display
            display(Markdown(check["text"]))
        except ImportError:
            print(check["text"])


def load_checker(path: str | Path = CHECKS_FILE, url: str | None = None, student_id: Any = None) -> Checker:
    """The checks beside the notebook; where the notebook was opened alone (Colab), they
    are fetched once from `url`, the course's published copy, and saved beside it."""
    path = Path(path)
    if not path.is_file() and url:
        import urllib.request
        try:
            with urllib.request.urlopen(url, timeout=20) as response:
                path.write_bytes(response.read())
        except OSError as exc:
            print(f"Could not fetch the checks from {url} ({exc}); check() cannot give feedback here.")
    checker = Checker.load(path, student_id)
    checker.introduce()
    from .deadline import announce_due_date  # from the course's configuration as it is now
    announce_due_date(checker.assignment, url, path.resolve().parent)
    return checker
