"""Numeric: a number within a tolerance (absolute, or relative to the key)."""
from __future__ import annotations

import math
import re
from typing import Any

from ..compare import number_buckets, tolerance
from ..oracles import Token
from ..plain import is_number
from .base import Kind, with_hint


def number_digests(q: Any, key: Any, digest) -> dict:
    """A right number is any number in the key's grid cells (see compare.number_buckets)."""
    tol = tolerance(q, float(key))
    return {"tolerance": tol, "buckets": sorted(digest(Token.bucket(b)) for b in number_buckets(float(key), tol))}


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
        need(q.tolerance is not None or q.rel_tolerance is not None, "needs a tolerance")

    def how(self, q: Any) -> str:
        return "Set the variable to a number"

    def starter(self, q: Any) -> str:
        return f"{q.variable} = None  # a number"

    def key_problem(self, key: Any) -> str | None:
        return None if is_number(key) else "is not a number"

    def shape(self, q: Any, key: Any) -> dict:
        return {"type": "number"}

    def check_digests(self, q: Any, key: Any, digest, decimals: int) -> dict:
        return number_digests(q, key, digest)

    def rule(self, q: dict, answer: Any, oracle) -> tuple[float, str]:
        return number_rule(q, answer, oracle)
