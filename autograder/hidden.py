"""Scoring inside a kernel, for stock ``nbgrader autograde`` only.

The hidden test of every generated question calls `points_for`, and nbgrader reads the
number it returns as partial credit.  `course grade` never trusts this: it scores the
extracted answer values outside the kernel with the same rules.
"""
from __future__ import annotations

import json
from typing import Any

from .answers import to_plain
from .keys import KeyOracle, public_question
from .questions import parse_question
from .scoring import score


def points_for(spec_json: str, answer: Any) -> float:
    spec = json.loads(spec_json)
    question = parse_question(dict(spec), "hidden test")
    outcome = score(public_question(question), to_plain(answer), KeyOracle(question, spec["answer"]))
    return outcome.points
