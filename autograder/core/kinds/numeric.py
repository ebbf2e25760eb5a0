"""Numeric: a number within a tolerance (absolute, or relative to the key)."""
from __future__ import annotations

import math
import re
from typing import Any

from ..compare import bucket_of, number_buckets, tolerance
from ..oracles import Token
from ..plain import is_number
from .base import Kind, check_mistakes, check_tolerances, with_hint


def number_digests(q: Any, key: Any, digest) -> dict:
    """A right number is any number in the key's grid cells (see compare.number_buckets)."""
    tol = tolerance(q, float(key))
    return {"tolerance": tol, "buckets": sorted(digest(Token.bucket(b)) for b in number_buckets(float(key), tol))}


def swallowed_mistake(q: Any, key: Any) -> str | None:
    """A numeric mistake that the key's tolerance would mark right (its hint never shown,
    and a student who makes that mistake gets the marks), or None."""
    tol = tolerance(q, float(key))
    for mistake in q.mistakes:
        wrong = mistake.get("answer")
        if is_number(wrong) and not isinstance(wrong, bool) and bucket_of(float(wrong), tol) in number_buckets(float(key), tol):
            return (f"has the mistake {wrong:g} within the tolerance of the answer {float(key):g} (±{tol:g}), so it "
                    f"would be marked right: make the tolerance smaller than {abs(float(wrong) - float(key)) * 0.75:g} "
                    "or drop the mistake")
    return None


NUMBER_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?", re.IGNORECASE)


def number_rule(q: dict, answer: Any, oracle) -> tuple[float, str]:
    if isinstance(answer, str):   # "2.5", "1,000": plain decimal text only (no "nan", "inf" or "1_0")
        text = answer.replace(",", "").strip()
        if not NUMBER_TEXT.fullmatch(text):
            return 0, "Your answer should be a number."
        answer = float(text)
    if not is_number(answer) or isinstance(answer, bool) or not math.isfinite(answer):
        return 0, "Your answer should be a number."
    if oracle.number_close(float(answer)):
        return 1, "Correct."
    return 0, with_hint(f"{answer:g} is not within the tolerance.", q, oracle.mistake_hint(answer))


class Numeric(Kind):
    name = "numeric"
    js_rule = "numeric.js"

    def validate(self, q: Any, need) -> None:
        need(q.answer is not None or q.solution, "needs an answer or a solution that computes it")
        need(q.answer is None or (is_number(q.answer) and not isinstance(q.answer, bool) and math.isfinite(q.answer)),
             f"answer must be a number, not {q.answer!r}")
        need(q.tolerance is not None or q.rel_tolerance is not None, "needs a tolerance")
        check_tolerances(q, need)
        check_mistakes(q, need)
        for mistake in q.mistakes:
            wrong = mistake["answer"]
            need(is_number(wrong), f"a numeric question's mistakes are numbers, not {wrong!r}")
        if q.answer is not None:
            problem = swallowed_mistake(q, q.answer)
            need(problem is None, f"the answer {problem}")

    def how(self, q: Any) -> str:
        return "Set the variable to a number"

    def starter(self, q: Any) -> str:
        return f"{q.variable} = None  # a number"

    def key_problem(self, q: Any, key: Any) -> str | None:
        if not is_number(key):   # never a bool, nan or infinity, once a key is plain data
            return f"is not a number ({key!r})"
        return swallowed_mistake(q, key)

    def shape(self, q: Any, key: Any) -> dict:
        return {"type": "number"}

    def check_digests(self, q: Any, key: Any, digest, decimals: int) -> dict:
        return number_digests(q, key, digest)

    def rule(self, q: dict, answer: Any, oracle) -> tuple[float, str]:
        return number_rule(q, answer, oracle)
