"""How answers are compared (autograder/core/compare.py): the default and explicit
tolerances, the grid numbers are bucketed on, and the canonical text of list elements and
tables, which both oracles compare (the hash oracle through its digest).  In-process unit
tests with properties (hypothesis) for the invariants: a table's column and row order and
float noise never matter; a value, a column name or a cell always does."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.core.compare import (
    bucket_of,
    canonical_table,
    columns_text,
    decimals_for,
    element_text,
    number_buckets,
    table_text,
    tolerance,
)
from autograder.core.model import Question


def table(columns, rows):
    return {"__table__": {"columns": columns, "rows": rows}}


def close(x, key, tol):
    return bucket_of(x, tol) in number_buckets(key, tol)


@pytest.mark.parametrize("given_, key, expected", [
    ({}, 1000.0, 1e-3),                                  # no tolerance: one part in a million of the key
    ({}, -1000.0, 1e-3),
    ({"tolerance": None, "rel_tolerance": None}, 5.0, 5e-6),
    ({}, 0.0, 1e-9),                                     # ... and never below 1e-9
    ({"tolerance": 0.5}, 1e9, 0.5),                      # an absolute tolerance alone: no relative one added
    ({"rel_tolerance": 0.01}, 200.0, 2.0),
    ({"tolerance": 0.5, "rel_tolerance": 0.01}, 200.0, 2.0),   # the wider of the two
    ({"tolerance": 3.0, "rel_tolerance": 0.01}, 200.0, 3.0),
    ({"tolerance": 0.0}, 0.0, 1e-9),
])
def test_tolerance_of_a_key(given_, key, expected):
    assert tolerance(given_, key) == pytest.approx(expected, rel=1e-12)
    as_question = Question(id="q", kind="numeric", prompt="p", **given_)
    assert tolerance(as_question, key) == pytest.approx(expected, rel=1e-12)


def test_the_default_tolerance_is_relative_not_one_unit():
    tol = tolerance({}, 1000.0)
    assert close(1000.0005, 1000.0, tol)
    assert not close(1000.01, 1000.0, tol)
    assert not close(1001.0, 1000.0, tol)


@pytest.mark.parametrize("key, tol", [(2.5, 0.01), (-7.0, 0.5), (0.0, 1e-9), (1e6, 1.0), (0.3, 0.1)])
def test_the_grid_takes_everything_within_the_tolerance_and_nothing_past_a_quarter_more(key, tol):
    for d in (0.0, 0.5 * tol, 0.99 * tol, tol):
        assert close(key + d, key, tol) and close(key - d, key, tol), d
    for d in (1.3 * tol, 2 * tol, 10 * tol):
        assert not close(key + d, key, tol) and not close(key - d, key, tol), d


def test_bucket_edges_are_floors_of_quarter_tolerances():
    assert bucket_of(0.99, 1.0) == 3 and bucket_of(1.0, 1.0) == 4 and bucket_of(-0.01, 1.0) == -1
    assert list(number_buckets(2.0, 1.0)) == [4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert list(number_buckets(-0.1, 1.0)) == [-5, -4, -3, -2, -1, 0, 1, 2, 3]


@given(key=st.floats(-1e6, 1e6, allow_nan=False), tol=st.floats(1e-6, 1e3), share=st.floats(0, 1))
def test_tolerance_is_symmetric(key, tol, share):
    d = share * tol * 0.999
    assert close(key + d, key, tol) == close(key - d, key, tol) is True


@pytest.mark.parametrize("tol, decimals", [(0, 9), (-1, 9), (1e-12, 9), (1e-9, 9), (1e-6, 6), (0.005, 3), (0.01, 2),
                                           (0.5, 1), (1, 0), (5, 0), (1000, 0)])
def test_decimals_follow_the_tolerance(tol, decimals):
    assert decimals_for(tol) == decimals


def test_element_text_rounds_numbers_but_not_booleans():
    assert element_text(0.1 + 0.2, 6) == element_text(0.3, 6) == "0.3"
    assert element_text(2.4, 6) != element_text(2.6, 6)
    assert element_text(1.23456, 2) == "1.23"
    assert element_text(3, 6) == "3.0"
    assert element_text(True, 6) == "true" != element_text(1, 6)
    assert element_text("Mali", 6) == '"Mali"'


def test_element_text_of_a_mapping_does_not_depend_on_key_order():
    assert element_text({"b": 1, "a": 2}, 6) == element_text({"a": 2, "b": 1}, 6) == '{"a": 2, "b": 1}'


def test_columns_text_ignores_order_only():
    assert columns_text(["b", "a"]) == columns_text(["a", "b"]) == '["a", "b"]'
    assert columns_text(["a", "c"]) != columns_text(["a", "b"])


def test_canonical_table_sorts_columns_and_rows_and_rounds():
    got = canonical_table(table(["y", "x"], [[2.0000001, "b"], [1, "a"], [None, "c"]]), 3)
    assert got == (("x", "y"), [("a", 1.0), ("b", 2.0), ("c", None)])


def test_canonical_table_keeps_booleans_and_text_and_folds_negative_zero():
    assert canonical_table(table(["a", "b"], [[True, -1e-12]]), 6) == (("a", "b"), [(True, 0.0)])
    assert table_text(table(["a"], [[-1e-12]]), 6) == table_text(table(["a"], [[0]]), 6)
    assert json.loads(table_text(table(["a"], [[-1e-12]]), 6)) == [["a"], [[0.0]]]


def test_rows_of_mixed_types_still_sort():
    assert table_text(table(["a"], [[None], ["x"], [1]]), 6) == table_text(table(["a"], [[1], ["x"], [None]]), 6)


@pytest.mark.parametrize("other", [
    table(["a", "b"], [[1, "x"], [2, "z"]]),        # one text cell
    table(["a", "b"], [[1, "x"], [3, "y"]]),        # one number
    table(["a", "c"], [[1, "x"], [2, "y"]]),        # one column name
    table(["a", "b"], [[1, "x"]]),                  # one row fewer
    table(["a", "b"], [[1, "x"], [2.001, "y"]]),    # a number past the rounding
    table(["a", "b"], [[True, "x"], [2, "y"]]),     # a boolean is not a number
    table(["a", "b"], [[0, "x"], [2, "y"]]),
])
def test_a_table_that_differs_anywhere_has_another_text(other):
    key = table(["a", "b"], [[1, "x"], [2, "y"]])
    assert table_text(other, 6) != table_text(key, 6)


def test_a_cell_holding_a_mapping_is_compared_by_content():
    assert table_text(table(["a"], [[{"b": 1, "a": 2}]]), 6) == table_text(table(["a"], [[{"a": 2, "b": 1}]]), 6)


# numbers with three decimals, so that noise of 1e-10 never crosses a rounding edge at six
cells = st.one_of(st.integers(-50, 50), st.integers(-10**6, 10**6).map(lambda i: i / 1000), st.text(max_size=3), st.none())


@given(data=st.data(), n_columns=st.integers(1, 4), n_rows=st.integers(0, 5))
def test_table_text_ignores_column_order_row_order_and_float_noise(data, n_columns, n_rows):
    columns = [f"c{i}" for i in range(n_columns)]
    rows = [[data.draw(cells) for _ in columns] for _ in range(n_rows)]
    column_order = data.draw(st.permutations(range(n_columns)))
    row_order = data.draw(st.permutations(range(n_rows)))
    noisy = [[v + 1e-10 if isinstance(v, float) else v for v in row] for row in rows]
    shuffled = table([columns[i] for i in column_order], [[noisy[r][i] for i in column_order] for r in row_order])
    assert table_text(shuffled, 6) == table_text(table(columns, rows), 6)
