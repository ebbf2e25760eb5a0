"""The question model: an assignment and its questions, as plain dataclasses.

One flat `Question` serves every kind; which fields a kind uses, and what they mean, is
the kind's business (core/kinds/).  See docs/authoring.md for the schema with examples.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..errors import QuestionError
from .kinds import KINDS, Kind


class FeedbackPolicy(StrEnum):
    """What `check()` may tell a student while they work (see student/check.py).  The book's
    practice questions always tell everything (`full`): they show their answer anyway."""
    FULL = "full"          # the rule's own message: counts, hints
    VERDICT = "verdict"    # right or not yet right, nothing that names an item or a count
    FORMAT = "format"      # only whether the answer has a form that will be graded


# The one default, on the authoring side and in the student's kernel alike: where no policy
# is said (or a checks.json lacks one), `check` tells the least that still checks.
DEFAULT_POLICY = FeedbackPolicy.VERDICT


def feedback_policy(value: Any, where: str) -> FeedbackPolicy:
    """The policy a questions.yml or checks.json gives (None: the default); the one place a
    policy is validated, with a one-line error naming `where`."""
    if value is None:
        return DEFAULT_POLICY
    try:
        return FeedbackPolicy(value)
    except ValueError:
        raise QuestionError(f"{where}: feedback must be one of {', '.join(FeedbackPolicy)}, not {value!r}") from None


@dataclass
class Question:
    id: str
    kind: str
    prompt: str
    points: float = 1.0
    # the key, in the form the kind needs (see docs/authoring.md); may be computed by `solution`
    answer: Any = None
    choices: dict[str, str] = field(default_factory=dict)      # single, multiple
    items: list[str] = field(default_factory=list)             # ordering (in the right order)
    pairs: dict[str, str] = field(default_factory=dict)        # matching, classification
    options: list[str] = field(default_factory=list)           # matching: the right-hand side
    categories: list[str] = field(default_factory=list)        # classification
    tolerance: float | None = None                             # numeric, data (absolute)
    rel_tolerance: float | None = None                         # numeric, data (relative)
    ordered: bool = False                                      # data lists: does order count?
    solution: str = ""        # code that sets the answer variable (instructor side only)
    starter: str = ""         # the code the student starts from (defaults by kind)
    hint: str = ""            # shown on any wrong answer
    hints: dict[str, str] = field(default_factory=dict)        # per choice or per item
    mistakes: list[dict] = field(default_factory=list)         # common wrong values -> hint
    explanation: str = ""     # shown by practice widgets once answered (book only)
    rubric: list[dict] = field(default_factory=list)           # essay mark scheme
    model_answer: str = ""    # essay: what a full-marks answer covers (instructor only)
    feedback: FeedbackPolicy | None = None    # what `check` may tell (None: the assignment's)
    # per-student variants (core/variants.py): one of several versions, parameters drawn
    # for the question's ${name} placeholders, options shuffled
    pool: list[dict] = field(default_factory=list)
    parameters: dict[str, list] = field(default_factory=dict)
    shuffle: bool = False
    option_order: list[str] = field(default_factory=list)       # matching, classification: options as shown

    @property
    def rules(self) -> Kind:
        """Everything this question's kind decides: prompt, starter, check, scoring."""
        return KINDS[self.kind]

    @property
    def variable(self) -> str:
        """The name of the variable that holds the student's answer."""
        return f"answer_{self.id}"

    @property
    def autograded(self) -> bool:
        return not self.rules.manual

    @property
    def varies(self) -> bool:
        """Whether students get different versions of this question."""
        return bool(self.pool or self.parameters or self.shuffle)


@dataclass
class Assignment:
    id: str
    title: str
    path: Path
    intro: str = ""
    setup: str = ""            # code run before any answer cell (imports, data loading)
    questions: list[Question] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)  # question id -> heading before it
    feedback: FeedbackPolicy = DEFAULT_POLICY  # what `check` may tell, unless a question says otherwise
    variants: int = 0          # how many versions to make when questions vary (0: the default)

    @property
    def notebook(self) -> str:
        return f"{self.id}.ipynb"

    @property
    def autograded(self) -> list[Question]:
        return [q for q in self.questions if q.autograded]

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def has_variants(self) -> bool:
        return any(q.varies for q in self.questions)

    def policy(self, q: Question) -> FeedbackPolicy:
        """The feedback policy `check` follows for question `q`."""
        return q.feedback or self.feedback
