"""Answer values as plain data.

Grading compares plain JSON-able values (str, int, float, bool, None, list, dict), never
the student's own objects: an object whose ``__eq__`` lies, or a subclass of ``str``, is
turned into plain data (or refused) before anything compares it.  The same conversion is
used inside the student's kernel (by ``check`` and by the grader's extraction cell) and
on the trusted side, so both sides see the same values.
"""
from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

TABLE = "__table__"
UNSUPPORTED = "__unsupported__"


def to_plain(value: Any, depth: int = 0) -> Any:
    """Convert an answer to plain data; unknown objects become an 'unsupported' marker."""
    if depth > 20:
        return {UNSUPPORTED: "nested too deeply"}
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind in (list, tuple):
        return [to_plain(v, depth + 1) for v in value]
    if kind in (set, frozenset):
        items = [to_plain(v, depth + 1) for v in value]
        return sorted(items, key=repr)
    if kind is dict:
        return {str(to_plain(k, depth + 1)): to_plain(v, depth + 1) for k, v in value.items()}
    module = kind.__module__ or ""
    if module.startswith("numpy"):
        if hasattr(value, "tolist"):
            return to_plain(value.tolist(), depth + 1)
    if module.startswith("pandas"):
        return _pandas_to_plain(value, depth)
    return {UNSUPPORTED: f"{kind.__name__}"}


def _pandas_to_plain(value: Any, depth: int) -> Any:
    import pandas as pd

    if isinstance(value, pd.Series):
        value = value.to_frame(name=value.name if value.name is not None else "value")
    if isinstance(value, pd.Index):
        return to_plain(list(value), depth + 1)
    if isinstance(value, pd.DataFrame):
        frame = value
        if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
            frame = frame.reset_index()
        columns = [str(c) for c in frame.columns]
        rows = [[to_plain(_scalar(v), depth + 2) for v in row] for row in frame.itertuples(index=False)]
        return {TABLE: {"columns": columns, "rows": rows}}
    return {UNSUPPORTED: type(value).__name__}


def _scalar(v: Any) -> Any:
    if hasattr(v, "item") and callable(v.item):
        try:
            return v.item()
        except (ValueError, TypeError):
            pass
    if type(v).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def is_table(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {TABLE}


def is_unsupported(value: Any) -> bool:
    return isinstance(value, dict) and UNSUPPORTED in value


def is_number(value: Any) -> bool:
    return type(value) in (int, float)


def normalise_text(text: str) -> str:
    """Case, accents, punctuation and spacing do not matter in short text answers."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\b(the|a|an)\b", " ", text)
    return " ".join(text.split())
