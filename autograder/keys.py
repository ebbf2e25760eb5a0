"""Keys: the trusted key of each question, and the hashed form a student may hold.

`compute_keys` runs the instructor's solution code (trusted) to get the key of questions
whose answer is computed (data questions, model-based numeric questions).  `KeyOracle`
answers the scoring rules' questions from the key.  `public_check` turns a key into
salted hashes that let `HashOracle` answer the same questions in the student's kernel
without the key being written down anywhere the student can read.
"""
from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from .answers import (TABLE, canonical_table, decimals_for, is_number, is_table, normalise_text,
                      to_plain)
from .questions import Assignment, Question, QuestionError


def compute_keys(assignment: Assignment) -> dict[str, Any]:
    """The plain key of every autograded question of an assignment."""
    namespace: dict[str, Any] = {}
    needs_code = [q for q in assignment.autograded if q.solution and q.answer is None]
    if needs_code:
        _run(assignment.setup, namespace, f"{assignment.path}: setup")
    keys = {}
    for q in assignment.autograded:
        if q.solution and q.answer is None:
            _run(q.solution, namespace, f"{assignment.path}: solution of {q.id}")
            if q.variable not in namespace:
                raise QuestionError(f"{assignment.path}: the solution of {q.id} does not set {q.variable}")
            keys[q.id] = to_plain(namespace[q.variable])
        else:
            keys[q.id] = to_plain(q.answer)
        if q.kind == "numeric" and not is_number(keys[q.id]):
            raise QuestionError(f"{assignment.path}: the key of {q.id} is not a number")
    return keys


def _run(code: str, namespace: dict, where: str) -> None:
    try:
        exec(compile(code, where, "exec"), namespace)  # instructor's own code: trusted
    except Exception as exc:  # report any failure as a one-line error naming the file
        raise QuestionError(f"{where} fails: {type(exc).__name__}: {exc}") from None


def tolerance(question: Question | dict, key: float) -> float:
    get = question.get if isinstance(question, dict) else lambda k: getattr(question, k)
    abs_tol = get("tolerance") or 0.0
    rel_tol = get("rel_tolerance") or 0.0
    if not abs_tol and not rel_tol:
        rel_tol = 1e-6
    return max(abs_tol, rel_tol * abs(key), 1e-9)


def number_buckets(key: float, tol: float) -> range:
    """Numbers are compared on a grid a quarter of the tolerance wide, so that the
    hashed check and the trusted grader accept exactly the same numbers."""
    step = tol / 4
    return range(math.floor((key - tol) / step), math.floor((key + tol) / step) + 1)


def bucket_of(x: float, tol: float) -> int:
    return math.floor(x / (tol / 4))


def element_text(value: Any, decimals: int = 6) -> str:
    if is_number(value) and not isinstance(value, bool):
        value = round(float(value), decimals)
    return json.dumps(value, sort_keys=True)


def table_text(table: dict, decimals: int) -> str:
    return json.dumps(canonical_table(table, decimals), sort_keys=True)


def columns_text(columns: list[str]) -> str:
    return json.dumps(sorted(columns))


def public_question(q: Question) -> dict:
    """What a student may see of a question: never the key."""
    hints = q.hints if q.kind in ("matching", "classification") else {}
    return {
        "id": q.id, "kind": q.kind, "points": q.points, "choices": q.choices,
        "items": q.public_items(), "options": q.public_options(), "categories": q.categories,
        "hint": q.hint, "hints": hints,
    }


def shape_of(key: Any, q: Question) -> dict:
    if q.kind == "numeric" or is_number(key):
        return {"type": "number"}
    if isinstance(key, list):
        return {"type": "list", "length": len(key), "ordered": q.ordered}
    if is_table(key):
        return {"type": "table", "rows": len(key[TABLE]["rows"]), "columns": len(key[TABLE]["columns"])}
    return {"type": "value"}


class KeyOracle:
    """Answers the scoring rules' questions from the key itself (trusted side only)."""

    def __init__(self, q: Question, key: Any):
        self.q, self.key = q, key
        self._shape = shape_of(key, q)
        number = self._shape["type"] == "number"
        self._tol = tolerance(q, float(key)) if number else (q.tolerance or 1e-6)
        self._decimals = decimals_for(self._tol)

    def shape(self) -> dict:
        return self._shape

    def choice_right(self, choice: str) -> bool:
        return choice in (self.key if isinstance(self.key, list) else [self.key])

    def n_right_choices(self) -> int:
        return len(self.key) if isinstance(self.key, list) else 1

    def choice_hint(self, choice: str) -> str | None:
        return self.q.hints.get(choice)

    def pair_right(self, left: str, right: str) -> bool:
        return self.key.get(left) == right

    def before(self, a: str, b: str) -> bool:
        return self.key.index(a) < self.key.index(b)

    def number_close(self, x: float) -> bool:
        return bucket_of(x, self._tol) in number_buckets(float(self.key), self._tol)

    def text_right(self, normalised: str) -> bool:
        return normalised in {normalise_text(a) for a in self.key}

    def mistake_hint(self, value: Any) -> str | None:
        for mistake in self.q.mistakes:
            wrong = mistake.get("answer")
            if isinstance(value, str) and isinstance(wrong, str) and normalise_text(wrong) == value:
                return mistake.get("hint")
            if is_number(value) and is_number(wrong):
                tol = tolerance(self.q, float(wrong))
                if bucket_of(float(value), tol) in number_buckets(float(wrong), tol):
                    return mistake.get("hint")
        return None

    def element_in(self, element: Any) -> bool:
        target = self.key if isinstance(self.key, list) else [self.key]
        return element_text(element, self._decimals) in {element_text(k, self._decimals) for k in target}

    def element_at(self, index: int, element: Any) -> bool:
        return index < len(self.key) and element_text(self.key[index], self._decimals) == element_text(element, self._decimals)

    def table_equal(self, table: dict) -> bool:
        return table_text(table, self._decimals) == table_text(self.key, self._decimals)

    def table_columns_equal(self, columns: list[str]) -> bool:
        return columns_text(columns) == columns_text(self.key[TABLE]["columns"])


def _digest(salt: str, text: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{text}".encode()).hexdigest()[:24]


def public_check(q: Question, key: Any, salt: str) -> dict:
    """The hashed check a student's kernel uses: the public question plus digests."""
    oracle = KeyOracle(q, key)
    h = lambda text: _digest(salt, text)  # noqa: E731
    check: dict[str, Any] = {"question": public_question(q), "shape": oracle.shape(), "salt": salt}
    if q.kind in ("single", "multiple"):
        rights = key if isinstance(key, list) else [key]
        check["right"] = sorted(h(f"choice:{c}") for c in rights)
        check["n_right"] = len(rights)
        check["choice_hints"] = {h(f"hint:{c}"): text for c, text in q.hints.items()}
    elif q.kind in ("matching", "classification"):
        check["pairs"] = sorted(h(f"pair:{a}\x1e{b}") for a, b in key.items())
    elif q.kind == "ordering":
        check["before"] = sorted(h(f"before:{a}\x1e{b}") for i, a in enumerate(key) for b in key[i + 1:])
    elif q.kind == "text":
        check["accepted"] = sorted(h(f"text:{normalise_text(a)}") for a in key)
    if oracle.shape()["type"] == "number":
        tol = tolerance(q, float(key))
        check["tolerance"] = tol
        check["buckets"] = sorted(h(f"bucket:{b}") for b in number_buckets(float(key), tol))
    elif q.kind == "data" and isinstance(key, list):
        check["decimals"] = oracle._decimals
        check["elements"] = sorted(h(f"el:{element_text(k, oracle._decimals)}") for k in key)
        check["positions"] = sorted(h(f"at:{i}:{element_text(k, oracle._decimals)}") for i, k in enumerate(key))
    elif q.kind == "data" and is_table(key):
        check["decimals"] = oracle._decimals
        check["table"] = h(f"table:{table_text(key, oracle._decimals)}")
        check["columns"] = h(f"columns:{columns_text(key[TABLE]['columns'])}")
    elif q.kind == "data":
        check["decimals"] = oracle._decimals
        check["elements"] = [h(f"el:{element_text(key, oracle._decimals)}")]
    mistakes = {}
    for mistake in q.mistakes:
        wrong, hint = mistake.get("answer"), mistake.get("hint", "")
        if isinstance(wrong, str):
            mistakes[h(f"text:{normalise_text(wrong)}")] = hint
        elif is_number(wrong):
            tol = tolerance(q, float(wrong))
            for b in number_buckets(float(wrong), tol):
                mistakes[h(f"mistake:{tol!r}:{b}")] = hint
            check.setdefault("mistake_tolerances", []).append(tol)
    check["mistakes"] = mistakes
    return check


class HashOracle:
    """Answers the scoring rules' questions from salted digests (student side)."""

    def __init__(self, check: dict):
        self.c = check
        self.h = lambda text: _digest(check["salt"], text)  # noqa: E731

    def shape(self) -> dict:
        return self.c["shape"]

    def choice_right(self, choice: str) -> bool:
        return self.h(f"choice:{choice}") in self.c["right"]

    def n_right_choices(self) -> int:
        return self.c["n_right"]

    def choice_hint(self, choice: str) -> str | None:
        return self.c["choice_hints"].get(self.h(f"hint:{choice}"))

    def pair_right(self, left: str, right: str) -> bool:
        return self.h(f"pair:{left}\x1e{right}") in self.c["pairs"]

    def before(self, a: str, b: str) -> bool:
        return self.h(f"before:{a}\x1e{b}") in self.c["before"]

    def number_close(self, x: float) -> bool:
        return self.h(f"bucket:{bucket_of(x, self.c['tolerance'])}") in self.c["buckets"]

    def text_right(self, normalised: str) -> bool:
        return self.h(f"text:{normalised}") in self.c["accepted"]

    def mistake_hint(self, value: Any) -> str | None:
        mistakes = self.c.get("mistakes", {})
        if isinstance(value, str):
            return mistakes.get(self.h(f"text:{value}"))
        if is_number(value):
            for tol in self.c.get("mistake_tolerances", []):
                hint = mistakes.get(self.h(f"mistake:{tol!r}:{bucket_of(float(value), tol)}"))
                if hint:
                    return hint
        return None

    def element_in(self, element: Any) -> bool:
        return self.h(f"el:{element_text(element, self.c['decimals'])}") in self.c["elements"]

    def element_at(self, index: int, element: Any) -> bool:
        return self.h(f"at:{index}:{element_text(element, self.c['decimals'])}") in self.c["positions"]

    def table_equal(self, table: dict) -> bool:
        return self.h(f"table:{table_text(table, self.c['decimals'])}") == self.c["table"]

    def table_columns_equal(self, columns: list[str]) -> bool:
        return self.h(f"columns:{columns_text(columns)}") == self.c["columns"]
