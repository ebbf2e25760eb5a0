"""The data kind (a number, list, table or value the student computes with pandas) and the
choice shuffle of per-student variants, in-process: the exact points, status and message
of each case, the same with the key and with the student's hashed check (the data kind
has no practice widget, so no golden cases in the browser)."""
from __future__ import annotations

import json
import random

import pytest

from autograder.core.checks import public_check, public_question
from autograder.core.model import FeedbackPolicy
from autograder.core.oracles import HashOracle
from autograder.core.questions import parse_question
from autograder.core.rules import key_oracle, score


def table(columns, rows):
    return {"__table__": {"columns": columns, "rows": rows}}


def data_question(**spec):
    return parse_question({"id": "d", "kind": "data", "prompt": "p", "solution": "x", "hint": "Group first.", **spec}, "f")


def judged(q, key, answer):
    """(points, status, message), which the key and the hashed check must agree on."""
    trusted = score(public_question(q), answer, key_oracle(q, key))
    check = json.loads(json.dumps(public_check(q, key, "salt", FeedbackPolicy.FULL)))
    student = score(check["question"], answer, HashOracle(check))
    assert (trusted.points, trusted.status, trusted.message) == (student.points, student.status, student.message)
    return trusted.points, trusted.status, trusted.message


KEY_TABLE = table(["kind", "n"], [["peacekeeping", 10], ["political", 4]])

CASES = [
    # a number; a one-cell table is that number
    ({}, 12.5, 12.5, (1, "correct", "Correct.")),
    ({}, 12.5, table(["n"], [[12.5]]), (1, "correct", "Correct.")),
    ({}, 12.5, table(["n"], [[12.5], [3]]), (0, "invalid", "Your answer should be a number.")),
    ({}, 12.5, table(["n", "m"], [[12.5, 1]]), (0, "invalid", "Your answer should be a number.")),
    ({}, 12.5, 12.6, (0, "wrong", "12.6 is not within the tolerance. Group first.")),
    ({"tolerance": 0.5}, 12.5, 12.9, (1, "correct", "Correct.")),
    # a list: share of right values, less one for each that should not be there
    ({}, ["a", "b", "c"], ["c", "a", "b"], (1, "correct", "Correct: all 3 values.")),
    ({}, ["a", "b", "c"], ["a", "a", "b"], (0.3333, "partial",
                                            "2 of the 3 expected values are there, and 1 that should not be. Group first.")),
    ({}, ["a", "b", "c"], ["a", "x"], (0, "wrong", "1 of the 3 expected values are there, and 1 that should not be. "
                                                   "Group first.")),
    ({}, ["a", "b", "c"], "a", (0, "invalid", "Your answer should be a list (or a pandas Series).")),
    ({}, ["a", "b", "c"], table(["v"], [["b"], ["c"], ["a"]]), (1, "correct", "Correct: all 3 values.")),
    ({}, ["a", "b", "c"], table(["i", "v"], [[0, "b"], [1, "c"], [2, "a"]]), (1, "correct", "Correct: all 3 values.")),
    ({}, ["a", "b", "c"], table(["i", "j", "v"], [[0, 0, "b"]]), (0, "invalid",
                                                                  "Your answer should be a list (or a pandas Series).")),
    ({}, [{"x": 1, "y": 2}], [{"y": 2, "x": 1}], (1, "correct", "Correct: all 1 values.")),
    ({}, [{"x": 1, "y": 2}], [{"y": 2, "x": 1}, {"x": 1, "y": 2}], (0, "wrong", "1 of the 1 expected values are there, "
                                                                              "and 1 that should not be. Group first.")),
    ({"ordered": True}, ["a", "b", "c"], ["a", "b", "c"], (1, "correct", "Correct: all 3 values, in the right order.")),
    ({"ordered": True}, ["a", "b", "c"], ["b", "a", "c"], (0.5, "partial",
                                                           "The 3 values are right but their order is not. Group first.")),
    ({"ordered": True}, [1.0, 2.0], [1.0000000001, 2], (1, "correct", "Correct: all 2 values, in the right order.")),
    # a table: all or nothing, saying what differs
    ({}, KEY_TABLE, table(["n", "kind"], [[4, "political"], [10, "peacekeeping"]]), (1, "correct",
                                                                                    "Correct: the table matches.")),
    ({}, KEY_TABLE, table(["kind", "n"], [["peacekeeping", 10]]), (0, "wrong",
                                                                  "The table does not match: expected 2 rows, you have 1. "
                                                                  "Group first.")),
    ({}, KEY_TABLE, table(["kind", "count"], [["peacekeeping", 10], ["political", 4]]), (
        0, "wrong", "The table does not match: the columns differ (expected 2 columns, you have 2). Group first.")),
    ({}, KEY_TABLE, table(["kind", "n", "m"], [["peacekeeping", 10, 1]]), (
        0, "wrong", "The table does not match: the columns differ (expected 2 columns, you have 3); expected 2 rows, "
                    "you have 1. Group first.")),
    ({}, KEY_TABLE, table(["kind", "n"], [["peacekeeping", 10], ["political", 5]]), (
        0, "wrong", "The table does not match: the shape is right but some values differ. Group first.")),
    ({}, KEY_TABLE, ["peacekeeping"], (0, "invalid", "Your answer should be a pandas DataFrame (or Series).")),
    # any other value: equal or not
    ({}, "Mali", "Mali", (1, "correct", "Correct.")),
    ({}, "Mali", "Chad", (0, "wrong", "Not the expected value. Group first.")),
    ({}, True, True, (1, "correct", "Correct.")),
]


@pytest.mark.parametrize("spec, key, answer, expected", CASES, ids=[str(i) for i in range(len(CASES))])
def test_data_answers(spec, key, answer, expected):
    assert judged(data_question(**spec), key, answer) == expected


def test_a_hidden_test_for_stock_nbgrader_carries_no_solution_code():
    spec = {"solution": "answer_d = secret()"}
    data_question().rules.stock_spec(data_question(), 1, spec)
    assert spec == {"solution": "precomputed"}


def single(**spec):
    return parse_question({"id": "s", "kind": "single", "prompt": "p", **spec}, "f")


def test_a_shuffled_choice_keeps_its_ids_and_the_key_and_hints_follow_their_text():
    choices = {"a": "Consent", "b": "Impartiality", "c": "Force", "d": "Sovereignty"}
    seen = set()
    for seed in range(12):
        q = single(choices=dict(choices), answer="b", hints={"c": "Force is a last resort."})
        q.rules.shuffle(q, random.Random(seed))
        assert list(q.choices) == ["a", "b", "c", "d"] and sorted(q.choices.values()) == sorted(choices.values())
        assert q.choices[q.answer] == "Impartiality"
        assert [q.choices[k] for k in q.hints] == ["Force"] and list(q.hints.values()) == ["Force is a last resort."]
        seen.add(tuple(q.choices.values()))
    assert len(seen) > 3


def test_a_shuffled_multiple_choice_key_stays_sorted():
    q = parse_question({"id": "m", "kind": "multiple", "prompt": "p", "choices": {"a": "A", "b": "B", "c": "C"},
                        "answer": ["a", "b"]}, "f")
    q.rules.shuffle(q, random.Random(3))
    assert q.answer == sorted(q.answer) and {q.choices[k] for k in q.answer} == {"A", "B"}


def test_choice_ids_longer_than_a_letter_are_judged_whole():
    q = single(choices={"yes": "It was", "no": "It was not"}, answer="yes")
    assert judged(q, "yes", "yes")[1] == "correct" and judged(q, "yes", "no")[1] == "wrong"
    assert judged(q, "yes", "It was NOT")[2] == "Not 'no'."


def test_a_choice_id_is_never_matched_inside_another():
    q = single(choices={"a": "First", "ab": "Second"}, answer="ab")
    assert judged(q, "ab", "a")[1] == "wrong" and judged(q, "ab", "AB")[1] == "correct"


def test_a_text_mistake_on_a_computed_number_is_never_a_crash():
    q = data_question(mistakes=[{"answer": "ten", "hint": "In digits."}, {"answer": 3, "hint": "Too few."}])
    assert judged(q, 12.5, 3.0) == (0, "wrong", "3 is not within the tolerance. Too few.")
    assert judged(q, 12.5, 7) == (0, "wrong", "7 is not within the tolerance. Group first.")
