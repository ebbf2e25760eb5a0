"""Scoring one answer: the rule of the question's kind, asked through an oracle.

The rules never look at the key directly (see oracles.py): on the trusted side the
oracle holds the key, in the student's kernel only salted digests.  Because the same
rules run on both sides, the feedback `check()` gives while a student works is the
feedback the grader gives.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .kinds import KINDS
from .oracles import KeyOracle, Oracle
from .plain import UNSUPPORTED, is_unsupported


@dataclass
class Outcome:
    points: float
    max_points: float
    status: str          # correct | partial | wrong | blank | invalid
    message: str


def score(question: dict, answer: Any, oracle: Oracle) -> Outcome:
    """Score one plain answer value.  `question` is the public part of the question
    (checks.public_question): id, kind, points, choices, items, options, categories, hints."""
    kind = KINDS[question["kind"]]
    points = float(question["points"])
    if answer is None or answer is Ellipsis or answer == "" or answer == [] or answer == {}:
        return Outcome(0.0, points, "blank", "No answer yet.")
    blank = kind.blank_message(question, answer)
    if blank:
        return Outcome(0.0, points, "blank", blank)
    if is_unsupported(answer):
        return Outcome(0.0, points, "invalid",
                       f"The answer is a {answer[UNSUPPORTED]}; give plain values "
                       "(text, numbers, lists, dicts or a pandas table).")
    fraction, message = kind.rule(question, answer, oracle)
    fraction = max(0.0, min(1.0, fraction))
    status = "correct" if fraction >= 1 else "partial" if fraction > 0 else "wrong"
    if status == "wrong" and message.startswith("Your answer should"):
        status = "invalid"
    return Outcome(round(points * fraction, 4), points, status, message)


def key_oracle(q: Any, key: Any) -> KeyOracle:
    """The trusted oracle of a question whose key is `key`."""
    return KeyOracle(q, key, q.rules.shape(q, key))
