"""Scoring one answer: the rule of the question's kind, asked through an oracle.

The rules never look at the key directly (see oracles.py): on the trusted side the
oracle holds the key, in the student's kernel only salted digests.  Because the same
rules run on both sides, the feedback `check()` gives while a student works is the
feedback the grader gives.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .kinds import KINDS
from .oracles import KeyOracle, Oracle
from .plain import UNSUPPORTED, is_unsupported


class QuestionStatus(StrEnum):
    """A question's status in the results store, the feedback and checks (the words do not
    change: they are what grades.csv and results.json have always held)."""
    CORRECT = "correct"
    PARTIAL = "partial"
    WRONG = "wrong"
    BLANK = "blank"          # no answer (or the starter left as it was)
    INVALID = "invalid"      # an answer of a form the rule cannot grade
    MANUAL = "manual"        # to be graded by a person
    MISSING = "missing"      # the whole submission is missing
    ERROR = "error"          # grading the submission failed


@dataclass
class Outcome:
    points: float
    max_points: float
    status: QuestionStatus   # one of the five a rule decides: correct, partial, wrong, blank, invalid
    message: str


def is_empty(answer: Any, kind) -> bool:
    """No answer at all.  An empty list is an answer where the kind says so ("none of these
    applies" for a multiple choice, whose starter is None, not [])."""
    if answer == [] and kind.empty_list_answers:
        return False
    return answer is None or answer is Ellipsis or answer == "" or answer == [] or answer == {}


def score(question: dict, answer: Any, oracle: Oracle) -> Outcome:
    """Score one plain answer value.  `question` is the public part of the question
    (checks.public_question): id, kind, points, choices, items, options, categories, hints."""
    kind = KINDS[question["kind"]]
    points = float(question["points"])
    if is_empty(answer, kind):
        return Outcome(0.0, points, QuestionStatus.BLANK, "No answer yet.")
    blank = kind.blank_message(question, answer)
    if blank:
        return Outcome(0.0, points, QuestionStatus.BLANK, blank)
    if is_unsupported(answer):
        return Outcome(0.0, points, QuestionStatus.INVALID,
                       f"The answer is a {answer[UNSUPPORTED]}; give plain values "
                       "(text, numbers, lists, dicts or a pandas table).")
    fraction, message = kind.rule(question, answer, oracle)
    fraction = max(0.0, min(1.0, fraction))
    status = QuestionStatus.CORRECT if fraction >= 1 else QuestionStatus.PARTIAL if fraction > 0 else QuestionStatus.WRONG
    if status == QuestionStatus.WRONG and message.startswith("Your answer should"):
        status = QuestionStatus.INVALID
    return Outcome(round(points * fraction, 4), points, status, message)


def key_oracle(q: Any, key: Any) -> KeyOracle:
    """The trusted oracle of a question whose key is `key`."""
    return KeyOracle(q, key, q.rules.shape(q, key))
