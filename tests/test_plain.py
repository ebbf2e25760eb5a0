"""Answers as plain data (autograder/core/plain.py), in-process: what each kind of value a
student may hand in becomes, on both sides alike, and what is refused; and the text
normalisation of short answers, with properties (hypothesis) for case, accents, spacing
and punctuation."""
from __future__ import annotations

import datetime
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.core.plain import TABLE, UNSUPPORTED, is_number, is_table, is_unsupported, normalise_text, to_plain


def table(columns, rows):
    return {TABLE: {"columns": columns, "rows": rows}}


@pytest.mark.parametrize("value, plain", [
    (None, None), (True, True), ("x", "x"), (3, 3), (2.5, 2.5),
    (float("nan"), None), (float("inf"), None),
    ((1, "a"), [1, "a"]), ([1, [2, (3,)]], [1, [2, [3]]]),
    ({3, 1, 2}, [1, 2, 3]), (frozenset({"b", "a"}), ["a", "b"]),
    ({1: (2, 3), "k": None}, {"1": [2, 3], "k": None}),
    (np.int64(4), 4), (np.float64(0.5), 0.5), (np.array([[1, 2], [3, 4]]), [[1, 2], [3, 4]]), (np.bool_(True), True),
    (pd.Index(["a", "b"]), ["a", "b"]),
])
def test_plain_values(value, plain):
    got = to_plain(value)
    assert got == plain and type(got) is type(plain)


def test_a_value_nested_too_deeply_is_refused():
    value = [1]
    for _ in range(25):
        value = [value]
    plain = to_plain(value)
    inner = plain
    for _ in range(21):
        inner = inner[0]
    assert inner == {UNSUPPORTED: "nested too deeply"}
    assert to_plain([[[1]]]) == [[[1]]]


def test_objects_are_refused_by_type_name():
    class Liar(str):
        pass

    assert to_plain(Liar("a")) == {UNSUPPORTED: "Liar"} and is_unsupported(to_plain(Liar("a")))
    assert to_plain(object()) == {UNSUPPORTED: "object"}
    assert to_plain([1, object()]) == [1, {UNSUPPORTED: "object"}]
    assert to_plain(pd.Timedelta(1)) == {UNSUPPORTED: "Timedelta"}


def test_a_frame_becomes_a_table_of_plain_cells():
    frame = pd.DataFrame({"name": ["MINUSMA", "UNMIK"], "troops": np.array([12000, 0], dtype="int64"),
                          "share": [0.5, float("nan")], "start": pd.to_datetime(["2013-04-25", "1999-06-10"]),
                          "open": pd.array([True, pd.NA], dtype="boolean")})
    assert to_plain(frame) == table(["name", "troops", "share", "start", "open"],
                                    [["MINUSMA", 12000, 0.5, "2013-04-25T00:00:00", True],
                                     ["UNMIK", 0, None, "1999-06-10T00:00:00", None]])
    cell = to_plain(frame)[TABLE]["rows"][0][1]
    assert type(cell) is int


def test_an_index_that_means_something_becomes_a_column():
    series = pd.Series([10, 4], index=pd.Index(["peacekeeping", "political"], name="kind"), name="n")
    assert to_plain(series) == table(["kind", "n"], [["peacekeeping", 10], ["political", 4]])
    assert to_plain(pd.Series([1, 2])) == table(["value"], [[1], [2]])
    assert to_plain(pd.DataFrame({"a": [1]}, index=[7])) == table(["index", "a"], [[7, 1]])
    named = pd.DataFrame({"a": [1, 2]})
    named.index.name = "row"
    assert to_plain(named) == table(["row", "a"], [[0, 1], [1, 2]])
    assert to_plain(pd.DataFrame({1: [1]})) == table(["1"], [[1]])


def test_a_nat_cell_is_none():
    assert to_plain(pd.DataFrame({"t": [pd.NaT]})) == table(["t"], [[None]])


def test_what_counts_as_a_number_and_a_table():
    assert is_number(1) and is_number(1.5) and not is_number(True) and not is_number("1") and not is_number(np.int64(1))
    assert is_table(table([], [])) and not is_table({TABLE: {}, "x": 1}) and not is_table([TABLE])
    assert not is_unsupported({"a": 1}) and not is_unsupported("x")


@pytest.mark.parametrize("text, normal", [
    ("  Chapter   VII. ", "chapter vii"), ("The Security Council", "security council"),
    ("Côte d'Ivoire", "cote d ivoire"), ("Bosnia & Herzegovina", "bosnia and herzegovina"),
    ("an army, a navy", "army navy"), ("Theatre", "theatre"), ("ANATOMY", "anatomy"), ("STRASSE", "strasse"),
])
def test_normalised_text(text, normal):
    assert normalise_text(text) == normal


@given(st.text(max_size=20))
def test_normalising_ignores_case_and_outer_spacing_and_is_stable(text):
    normal = normalise_text(text)
    assert normalise_text(f"  {text.upper()}\t") == normalise_text(text.upper())
    assert normalise_text(normal) == normal and normal == normal.strip() and "  " not in normal


def test_floats_that_are_not_finite_are_no_answer():
    assert to_plain([math.nan, 1.0]) == [None, 1.0]


def test_dates_are_text():
    assert to_plain(pd.DataFrame({"d": [datetime.date(2020, 1, 2)]})) == table(["d"], [["2020-01-02"]])


def levels_to_marker(plain) -> int:
    """How many containers deep the 'nested too deeply' marker sits."""
    n = 0
    while plain != {UNSUPPORTED: "nested too deeply"}:
        plain = next(iter(plain.values())) if isinstance(plain, dict) else plain[0]
        n += 1
    return n


def nest(make, times, value=0):
    for _ in range(times):
        value = make(value)
    return value


@pytest.mark.parametrize("make, marker_at", [
    (lambda v: [v], 21), (lambda v: (v,), 21), (lambda v: {"k": v}, 21), (lambda v: frozenset({v}), 21),
])
def test_every_container_counts_towards_the_depth_limit(make, marker_at):
    assert levels_to_marker(to_plain(nest(make, 30))) == marker_at


def test_numpy_and_pandas_values_count_towards_the_depth_limit():
    """An array or index costs one level more than the lists it becomes; a table's cells two."""
    assert levels_to_marker(to_plain(nest(lambda v: [v], 15, np.zeros((1,) * 10)))) == 20
    assert levels_to_marker(to_plain(nest(lambda v: [v], 15, pd.Index([nest(lambda v: [v], 10)])))) == 20
    frame = to_plain(nest(lambda v: [v], 17, pd.DataFrame({"a": [nest(lambda v: [v], 5)]})))
    cell = nest(lambda v: v[0], 17, frame)[TABLE]["rows"][0][0]
    assert cell == [[{UNSUPPORTED: "nested too deeply"}]]


def test_a_set_of_mixed_values_sorts_by_its_text():
    assert to_plain({1, "a"}) == ["a", 1] and to_plain(frozenset({None, 2.5, "b"})) == ["b", 2.5, None]
