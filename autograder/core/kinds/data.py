"""Data: a number, a list or a table the student computes with pandas; the key is
computed by the instructor's solution code."""
from __future__ import annotations

import json
from typing import Any

from ..oracles import Token
from ..plain import TABLE, is_table
from .base import Kind, check_mistakes, check_tolerances, with_hint
from .numeric import number_digests, number_rule, swallowed_mistake


class Data(Kind):
    name = "data"

    def validate(self, q: Any, need) -> None:
        need(bool(q.solution), "needs solution code that computes the answer")
        check_tolerances(q, need)
        check_mistakes(q, need)

    def key_problem(self, q: Any, key: Any) -> str | None:
        if self.shape(q, key)["type"] == "number":
            return swallowed_mistake(q, key)
        return None

    def how(self, q: Any) -> str:
        return "Compute the answer with pandas and store it in the variable"

    def starter(self, q: Any) -> str:
        return f"{q.variable} = None  # compute it from the data"

    def check_digests(self, q: Any, key: Any, digest, decimals: int) -> dict:
        shape = self.shape(q, key)["type"]
        if shape == "number":
            return number_digests(q, key, digest)
        if shape == "list":
            return {"decimals": decimals,
                    "elements": sorted(digest(Token.element(k, decimals)) for k in key),
                    "positions": sorted(digest(Token.position(i, k, decimals)) for i, k in enumerate(key))}
        if shape == "table":
            return {"decimals": decimals, "table": digest(Token.table(key, decimals)),
                    "columns": digest(Token.columns(key[TABLE]["columns"]))}
        return {"decimals": decimals, "elements": [digest(Token.element(key, decimals))]}

    def stock_spec(self, q: Any, key: Any, spec: dict) -> None:
        spec["solution"] = "precomputed"

    def rule(self, q: dict, answer: Any, oracle) -> tuple[float, str]:
        shape = oracle.shape()
        if shape["type"] == "number":
            if is_table(answer) and len(answer[TABLE]["rows"]) == 1 and len(answer[TABLE]["rows"][0]) == 1:
                answer = answer[TABLE]["rows"][0][0]
            return number_rule(q, answer, oracle)
        if shape["type"] == "list":
            return _list_rule(q, answer, oracle, shape)
        if shape["type"] == "table":
            return _table_rule(q, answer, oracle, shape)
        if oracle.element_in(answer):
            return 1, "Correct."
        return 0, with_hint("Not the expected value.", q)


def _list_rule(q: dict, answer: Any, oracle, shape: dict) -> tuple[float, str]:
    if is_table(answer) and len(answer[TABLE]["columns"]) == 1:
        answer = [row[0] for row in answer[TABLE]["rows"]]
    elif is_table(answer) and len(answer[TABLE]["columns"]) == 2:
        # a Series with an index: its values are the last column
        answer = [row[-1] for row in answer[TABLE]["rows"]]
    if not isinstance(answer, list):
        return 0, "Your answer should be a list (or a pandas Series)."
    n = shape["length"]
    distinct = [json.loads(text) for text in dict.fromkeys(json.dumps(a, sort_keys=True) for a in answer)]
    right = [a for a in distinct if oracle.element_in(a)]
    wrong = len(answer) - len(right)
    fraction = max(0, len(right) - wrong) / n
    if fraction >= 1 and shape.get("ordered"):
        if all(oracle.element_at(i, a) for i, a in enumerate(answer)):
            return 1, f"Correct: all {n} values, in the right order."
        return 0.5, with_hint(f"The {n} values are right but their order is not.", q)
    if fraction >= 1:
        return 1, f"Correct: all {n} values."
    message = f"{len(right)} of the {n} expected values are there, and {wrong} that should not be."
    return fraction, with_hint(message, q)


def _table_rule(q: dict, answer: Any, oracle, shape: dict) -> tuple[float, str]:
    if not is_table(answer):
        return 0, "Your answer should be a pandas DataFrame (or Series)."
    if oracle.table_equal(answer):
        return 1, "Correct: the table matches."
    table = answer[TABLE]
    problems = []
    if not oracle.table_columns_equal(table["columns"]):
        problems.append(f"the columns differ (expected {shape['columns']} columns, you have {len(table['columns'])})")
    if len(table["rows"]) != shape["rows"]:
        problems.append(f"expected {shape['rows']} rows, you have {len(table['rows'])}")
    if not problems:
        problems.append("the shape is right but some values differ")
    return 0, with_hint("The table does not match: " + "; ".join(problems) + ".", q)
