"""The rules of each question kind: points, partial credit and feedback.

The rules never look at the key directly.  They ask an *oracle* yes/no questions
("is choice b right?", "does 'Kosovo' come before 'Mali'?").  On the trusted side the
oracle holds the key (`keys.KeyOracle`); in the student's kernel it holds only salted
hashes (`keys.HashOracle`).  Because the same rules run on both sides, the feedback a
student gets from `check()` while working is the feedback the grader gives.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .answers import is_number, is_table, is_unsupported, normalise_text


@dataclass
class Outcome:
    points: float
    max_points: float
    status: str          # correct | partial | wrong | blank | invalid
    message: str

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


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


def score(question: dict, answer: Any, oracle: Oracle) -> Outcome:
    """Score one plain answer value.  `question` is the public part of the question
    (id, kind, points, choices, items, options, categories, hint, hints)."""
    kind = question["kind"]
    rule = _RULES[kind]
    points = float(question["points"])
    if answer is None or answer is Ellipsis or answer == "" or answer == [] or answer == {}:
        return Outcome(0.0, points, "blank", "No answer yet.")
    if kind == "ordering" and answer == list(question["items"]):
        # the starter list, untouched: no credit for the order it happened to be shuffled in
        return Outcome(0.0, points, "blank", "You have not reordered the list yet.")
    if kind in ("matching", "classification") and isinstance(answer, dict) and all(v is None for v in answer.values()):
        return Outcome(0.0, points, "blank", "No answer yet: fill in the dict.")
    if is_unsupported(answer):
        return Outcome(0.0, points, "invalid",
                       f"The answer is a {answer['__unsupported__']}; give plain values "
                       "(text, numbers, lists, dicts or a pandas table).")
    fraction, message = rule(question, answer, oracle)
    fraction = max(0.0, min(1.0, fraction))
    status = "correct" if fraction >= 1 else "partial" if fraction > 0 else "wrong"
    if status == "wrong" and message.startswith("Your answer should"):
        status = "invalid"
    return Outcome(round(points * fraction, 4), points, status, message)


def _with_hint(message: str, question: dict, *extra: str | None) -> str:
    hints = [h for h in extra if h]
    if not hints and question.get("hint"):
        hints = [question["hint"]]
    return " ".join([message, *hints]).strip()


def _single(q: dict, answer: Any, oracle: Oracle) -> tuple[float, str]:
    choices = list(q["choices"])
    if not isinstance(answer, str) or answer.strip().lower() not in choices:
        return 0, f"Your answer should be one of {_quoted(choices)}."
    choice = answer.strip().lower()
    if oracle.choice_right(choice):
        return 1, "Correct."
    return 0, _with_hint(f"Not '{choice}'.", q, oracle.choice_hint(choice))


def _multiple(q: dict, answer: Any, oracle: Oracle) -> tuple[float, str]:
    choices = list(q["choices"])
    if isinstance(answer, str):
        answer = [answer]
    if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
        return 0, f"Your answer should be a list of choices from {_quoted(choices)}."
    picked = {a.strip().lower() for a in answer}
    unknown = sorted(picked - set(choices))
    if unknown:
        return 0, f"Your answer should only use the choices {_quoted(choices)}; not {_quoted(unknown)}."
    right = [c for c in sorted(picked) if oracle.choice_right(c)]
    wrong = [c for c in sorted(picked) if c not in right]
    n = oracle.n_right_choices()
    if len(right) == n and not wrong:
        return 1, f"Correct: all {n} right choices and no others."
    message = f"{len(right)} of your choices are right and {len(wrong)} are not; there are {n} right choices in all."
    return (len(right) - len(wrong)) / n, _with_hint(message, q, *(oracle.choice_hint(c) for c in wrong[:1]))


def _pairs(q: dict, answer: Any, oracle: Oracle) -> tuple[float, str]:
    items, options = list(q["items"]), list(q["options"])
    noun = "pairings" if q["kind"] == "matching" else "items"
    if not isinstance(answer, dict):
        return 0, f"Your answer should be a dict from each of {len(items)} items to one of {_quoted(options)}."
    answer = {str(k).strip(): v for k, v in answer.items()}
    unknown = [k for k in answer if k not in items]
    if unknown:
        return 0, f"Your answer should only use the given items as keys; not {_quoted(unknown)}."
    bad = [v for v in answer.values() if v is not None and v not in options]
    if bad:
        return 0, f"Your answer should only use the options {_quoted(options)}; not {_quoted(bad)}."
    wrong = [item for item in items if answer.get(item) is None or not oracle.pair_right(item, answer[item])]
    right = len(items) - len(wrong)
    if not wrong:
        return 1, f"Correct: all {len(items)} {noun} are right."
    where = "in the right category" if q["kind"] == "classification" else "right"
    message = f"{right} of {len(items)} {noun} are {where}."
    item_hints = [q["hints"].get(item) for item in wrong if q["hints"].get(item)]
    return right / len(items), _with_hint(message, q, *item_hints[:2])


def _ordering(q: dict, answer: Any, oracle: Oracle) -> tuple[float, str]:
    items = list(q["items"])
    if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
        return 0, f"Your answer should be a list holding each of the {len(items)} items once, in order."
    answer = [a.strip() for a in answer]
    missing = [i for i in items if i not in answer]
    extra = [a for a in answer if a not in items]
    if missing or extra or len(answer) != len(items):
        parts = []
        if missing:
            parts.append(f"missing {_quoted(missing)}")
        if extra:
            parts.append(f"not among the items: {_quoted(extra)}")
        if not parts:
            parts.append("some items appear twice")
        return 0, f"Your answer should hold each of the {len(items)} items exactly once ({'; '.join(parts)})."
    # the longest run of items that are in the right order relative to each other
    best = [1] * len(answer)
    for j in range(len(answer)):
        for i in range(j):
            if oracle.before(answer[i], answer[j]):
                best[j] = max(best[j], best[i] + 1)
    longest = max(best)
    if longest == len(items):
        return 1, "Correct: every item is in its place."
    message = f"{longest} of {len(items)} items are in the right order relative to each other."
    return (longest - 1) / (len(items) - 1), _with_hint(message, q)


def _numeric(q: dict, answer: Any, oracle: Oracle) -> tuple[float, str]:
    if isinstance(answer, str):
        try:
            answer = float(answer.replace(",", ""))
        except ValueError:
            return 0, "Your answer should be a number."
    if not is_number(answer) or isinstance(answer, bool):
        return 0, "Your answer should be a number."
    if oracle.number_close(float(answer)):
        return 1, "Correct."
    return 0, _with_hint(f"{answer:g} is not within the tolerance.", q, oracle.mistake_hint(answer))


def _text(q: dict, answer: Any, oracle: Oracle) -> tuple[float, str]:
    if not isinstance(answer, str):
        return 0, "Your answer should be a short piece of text (a string)."
    norm = normalise_text(answer)
    if oracle.text_right(norm):
        return 1, "Correct."
    return 0, _with_hint(f"'{answer.strip()}' is not an answer we accept.", q, oracle.mistake_hint(norm))


def _data(q: dict, answer: Any, oracle: Oracle) -> tuple[float, str]:
    shape = oracle.shape()
    if shape["type"] == "number":
        if is_table(answer) and len(answer["__table__"]["rows"]) == 1 and len(answer["__table__"]["rows"][0]) == 1:
            answer = answer["__table__"]["rows"][0][0]
        return _numeric(q, answer, oracle)
    if shape["type"] == "list":
        return _data_list(q, answer, oracle, shape)
    if shape["type"] == "table":
        return _data_table(q, answer, oracle, shape)
    if oracle.element_in(answer):
        return 1, "Correct."
    return 0, _with_hint("Not the expected value.", q)


def _data_list(q: dict, answer: Any, oracle: Oracle, shape: dict) -> tuple[float, str]:
    if is_table(answer) and len(answer["__table__"]["columns"]) == 1:
        answer = [row[0] for row in answer["__table__"]["rows"]]
    elif is_table(answer) and len(answer["__table__"]["columns"]) == 2:
        # a Series with an index: its values are the last column
        answer = [row[-1] for row in answer["__table__"]["rows"]]
    if not isinstance(answer, list):
        return 0, "Your answer should be a list (or a pandas Series)."
    n = shape["length"]
    right = [a for a in dict.fromkeys(map(_hashable, answer)) if oracle.element_in(_unhash(a))]
    wrong = len(answer) - len(right)
    fraction = max(0, len(right) - wrong) / n
    if fraction >= 1 and shape.get("ordered"):
        if all(oracle.element_at(i, a) for i, a in enumerate(answer)):
            return 1, f"Correct: all {n} values, in the right order."
        return 0.5, _with_hint(f"The {n} values are right but their order is not.", q)
    if fraction >= 1:
        return 1, f"Correct: all {n} values."
    message = f"{len(right)} of the {n} expected values are there, and {wrong} that should not be."
    return fraction, _with_hint(message, q)


def _data_table(q: dict, answer: Any, oracle: Oracle, shape: dict) -> tuple[float, str]:
    if not is_table(answer):
        return 0, "Your answer should be a pandas DataFrame (or Series)."
    if oracle.table_equal(answer):
        return 1, "Correct: the table matches."
    table = answer["__table__"]
    problems = []
    if not oracle.table_columns_equal(table["columns"]):
        problems.append(f"the columns differ (expected {shape['columns']} columns, you have {len(table['columns'])})")
    if len(table["rows"]) != shape["rows"]:
        problems.append(f"expected {shape['rows']} rows, you have {len(table['rows'])}")
    if not problems:
        problems.append("the shape is right but some values differ")
    return 0, _with_hint("The table does not match: " + "; ".join(problems) + ".", q)


def _hashable(value: Any) -> Any:
    import json
    return json.dumps(value, sort_keys=True)


def _unhash(value: str) -> Any:
    import json
    return json.loads(value)


def _quoted(values: list) -> str:
    return ", ".join(f"'{v}'" for v in values)


_RULES = {
    "single": _single,
    "multiple": _multiple,
    "matching": _pairs,
    "classification": _pairs,
    "ordering": _ordering,
    "numeric": _numeric,
    "text": _text,
    "data": _data,
}
