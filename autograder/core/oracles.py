"""Oracles: how the scoring rules learn whether an answer is right without seeing the key.

The rules ask yes/no questions ("is choice b right?", "does 'Kosovo' come before
'Mali'?").  A `KeyOracle` answers from the key itself (trusted side only).  A `HashOracle`
answers in the student's kernel from salted digests written at release: each question is
put as a *token* (`Token`), and the oracle looks up the digest of that token.  The release
writes the digests of exactly the tokens the key makes true, with the same `Token`
functions, so the two oracles always agree.
"""
from __future__ import annotations

import hashlib
from typing import Any, Protocol

from .compare import bucket_of, columns_text, decimals_for, element_text, number_buckets, table_text, tolerance
from .plain import TABLE, is_number, normalise_text


class Oracle(Protocol):
    def choice_right(self, choice: str) -> bool: ...
    def n_right_choices(self) -> int: ...
    def choice_hint(self, choice: str) -> str | None: ...
    def pair_right(self, left: str, right: str) -> bool: ...
    def before(self, a: str, b: str) -> bool: ...
    def number_close(self, x: float) -> bool: ...
    def text_right(self, normalised: str) -> bool: ...
    def mistake_hint(self, value: Any) -> str | None: ...
    def element_in(self, element: Any) -> bool: ...
    def element_at(self, index: int, element: Any) -> bool: ...
    def table_equal(self, table: dict) -> bool: ...
    def table_columns_equal(self, columns: list[str]) -> bool: ...
    def shape(self) -> dict: ...


class Token:
    """The text of each yes/no question an oracle answers; hashed on the student's side."""

    @staticmethod
    def choice(choice: str) -> str:
        return f"choice:{choice}"

    @staticmethod
    def hint(choice: str) -> str:
        return f"hint:{choice}"

    @staticmethod
    def pair(left: str, right: str) -> str:
        return f"pair:{left}\x1e{right}"

    @staticmethod
    def before(a: str, b: str) -> str:
        return f"before:{a}\x1e{b}"

    @staticmethod
    def text(normalised: str) -> str:
        return f"text:{normalised}"

    @staticmethod
    def bucket(bucket: int) -> str:
        return f"bucket:{bucket}"

    @staticmethod
    def mistake(tol: float, bucket: int) -> str:
        return f"mistake:{tol!r}:{bucket}"

    @staticmethod
    def element(value: Any, decimals: int) -> str:
        return f"el:{element_text(value, decimals)}"

    @staticmethod
    def position(index: int, value: Any, decimals: int) -> str:
        return f"at:{index}:{element_text(value, decimals)}"

    @staticmethod
    def table(table: dict, decimals: int) -> str:
        return f"table:{table_text(table, decimals)}"

    @staticmethod
    def columns(columns: list[str]) -> str:
        return f"columns:{columns_text(columns)}"


def digest(salt: str, token: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{token}".encode()).hexdigest()[:24]


def number_tolerance(q: Any, key: Any, shape: dict) -> float:
    """The tolerance numbers of this key are compared with (a table's decimals follow it)."""
    return tolerance(q, float(key)) if shape["type"] == "number" else (q.tolerance or 1e-6)


class KeyOracle:
    """Answers the scoring rules' questions from the key itself (trusted side only)."""

    def __init__(self, q: Any, key: Any, shape: dict):
        self.q, self.key, self._shape = q, key, shape
        self._tol = number_tolerance(q, key, shape)
        self.decimals = decimals_for(self._tol)

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
        return element_text(element, self.decimals) in {element_text(k, self.decimals) for k in target}

    def element_at(self, index: int, element: Any) -> bool:
        return index < len(self.key) and element_text(self.key[index], self.decimals) == element_text(element, self.decimals)

    def table_equal(self, table: dict) -> bool:
        return table_text(table, self.decimals) == table_text(self.key, self.decimals)

    def table_columns_equal(self, columns: list[str]) -> bool:
        return columns_text(columns) == columns_text(self.key[TABLE]["columns"])


class HashOracle:
    """Answers the scoring rules' questions from salted digests (student side)."""

    def __init__(self, check: dict):
        self.c = check

    def _known(self, token: str, field: str) -> bool:
        return digest(self.c["salt"], token) in self.c[field]

    def shape(self) -> dict:
        return self.c["shape"]

    def choice_right(self, choice: str) -> bool:
        return self._known(Token.choice(choice), "right")

    def n_right_choices(self) -> int:
        return self.c["n_right"]

    def choice_hint(self, choice: str) -> str | None:
        return self.c.get("choice_hints", {}).get(digest(self.c["salt"], Token.hint(choice)))

    def pair_right(self, left: str, right: str) -> bool:
        return self._known(Token.pair(left, right), "pairs")

    def before(self, a: str, b: str) -> bool:
        return self._known(Token.before(a, b), "before")

    def number_close(self, x: float) -> bool:
        return self._known(Token.bucket(bucket_of(x, self.c["tolerance"])), "buckets")

    def text_right(self, normalised: str) -> bool:
        return self._known(Token.text(normalised), "accepted")

    def mistake_hint(self, value: Any) -> str | None:
        mistakes = self.c.get("mistakes", {})
        if isinstance(value, str):
            return mistakes.get(digest(self.c["salt"], Token.text(value)))
        if is_number(value):
            for tol in self.c.get("mistake_tolerances", []):
                hint = mistakes.get(digest(self.c["salt"], Token.mistake(tol, bucket_of(float(value), tol))))
                if hint:
                    return hint
        return None

    def element_in(self, element: Any) -> bool:
        return self._known(Token.element(element, self.c["decimals"]), "elements")

    def element_at(self, index: int, element: Any) -> bool:
        return self._known(Token.position(index, element, self.c["decimals"]), "positions")

    def table_equal(self, table: dict) -> bool:
        return digest(self.c["salt"], Token.table(table, self.c["decimals"])) == self.c["table"]

    def table_columns_equal(self, columns: list[str]) -> bool:
        return digest(self.c["salt"], Token.columns(columns)) == self.c["columns"]
