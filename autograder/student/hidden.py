"""Scoring inside a kernel, for stock ``nbgrader autograde`` only.

The hidden test of every generated question calls `points_for`, and nbgrader reads the
number it returns as partial credit.  `course grade` never trusts this: it scores the
extracted answer values outside the kernel with the same rules.
"""
from __future__ import annotations

import json
from typing import Any

from ..core.checks import public_question
from ..core.plain import to_plain
from ..core.questions import parse_question
from ..core.rules import key_oracle, score


def points_for(spec_json: str, answer: Any, variant: int | None = None) -> float:
    """The points `answer` earns; for a question that varies, against version `variant`
    (the one the notebook ran as: stock nbgrader cannot know the student)."""
    spec = json.loads(spec_json)
    if "versions" in spec:
        versions = spec["versions"]
        spec = versions[variant if isinstance(variant, int) and 0 <= variant < len(versions) else 0]
    question = parse_question(dict(spec), "hidden test")
    outcome = score(public_question(question), to_plain(answer), key_oracle(question, spec["answer"]))
    return outcome.points
