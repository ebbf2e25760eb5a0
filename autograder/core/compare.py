"""How values are compared, the same way on the trusted side and in a student's kernel.

Numbers are compared on a grid a quarter of the tolerance wide, lists element by element
as canonical JSON text, tables with their columns and rows sorted and numbers rounded.
Because each comparison is written as text here, the key oracle can test it directly and
the hash oracle can test it through a digest of the same text.
"""
from __future__ import annotations

import json
import math
from typing import Any

from .plain import TABLE, is_number


def tolerance(question: Any, key: float) -> float:
    """The absolute tolerance of a numeric key: `tolerance`, or `rel_tolerance` of the key."""
    get = question.get if isinstance(question, dict) else lambda name: getattr(question, name)
    abs_tol = get("tolerance") or 0.0
    rel_tol = get("rel_tolerance") or 0.0
    if not abs_tol and not rel_tol:
        rel_tol = 1e-6
    return max(abs_tol, rel_tol * abs(key), 1e-9)


def number_buckets(key: float, tol: float) -> range:
    """The grid cells a right number may fall in."""
    step = tol / 4
    return range(math.floor((key - tol) / step), math.floor((key + tol) / step) + 1)


def bucket_of(x: float, tol: float) -> int:
    return math.floor(x / (tol / 4))


def element_text(value: Any, decimals: int) -> str:
    if is_number(value):   # a number, never a bool (is_number says which)
        value = round(float(value), decimals)
    return json.dumps(value, sort_keys=True)


def table_text(table: dict, decimals: int) -> str:
    return json.dumps(canonical_table(table, decimals), sort_keys=True)


def columns_text(columns: list[str]) -> str:
    return json.dumps(sorted(columns))


def canonical_table(table: dict, decimals: int) -> tuple[tuple[str, ...], list[tuple]]:
    """Columns sorted by name, rows sorted, numbers rounded: two tables that differ only
    in column order, row order or float noise become equal."""
    columns = table[TABLE]["columns"]
    order = sorted(range(len(columns)), key=lambda i: columns[i])
    rows = []
    for row in table[TABLE]["rows"]:
        rows.append(tuple(_round(row[i], decimals) for i in order))
    rows.sort(key=repr)
    return tuple(columns[i] for i in order), rows


def _round(v: Any, decimals: int) -> Any:
    if is_number(v):
        r = round(float(v), decimals)
        return 0.0 if r == 0 else r
    return v


def decimals_for(tolerance: float) -> int:
    """How many decimals a table's numbers are rounded to for a given tolerance."""
    if tolerance <= 0:
        return 9
    return max(0, min(9, int(math.ceil(-math.log10(tolerance)))))
