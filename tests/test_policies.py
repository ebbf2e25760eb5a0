"""What `check` may tell under each feedback policy, for every kind of question, on
random answers (hypothesis): under `verdict` nothing but whether the answer is right
(the message is the same for two different keys whenever the verdict is), under `format`
nothing that depends on the key at all.  And what the policies do not stop: a script that
searches a small answer space still finds the key under `verdict`, never under `format`."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.core.checks import public_check
from autograder.core.questions import parse_question
from autograder.student.check import Checker, verdict_text

CHOICES = {"a": "Consent", "b": "Impartiality", "c": "Non-use of force", "d": "Sovereignty"}
ITEMS = ["Kosovo", "Libya", "Mali", "Syria"]
OPTIONS = ["Chapter VI", "Chapter VII", "Chapter VIII", "none"]

# each kind: the question, and two keys that differ
KINDS = {
    "single": ({"kind": "single", "choices": CHOICES}, "b", "c"),
    "multiple": ({"kind": "multiple", "choices": CHOICES}, ["a", "c"], ["b", "c", "d"]),
    "matching": ({"kind": "matching", "options": ["none"]},
                 dict(zip(ITEMS, OPTIONS[:3] + ["Chapter VI"][:0] + ["none"], strict=True)),
                 dict(zip(ITEMS, ["Chapter VII", "Chapter VI", "none", "Chapter VIII"], strict=True))),
    "classification": ({"kind": "classification", "categories": ["VI", "VII"]},
                       dict(zip(ITEMS, ["VI", "VII", "VI", "VII"], strict=True)),
                       dict(zip(ITEMS, ["VII", "VII", "VI", "VI"], strict=True))),
    "ordering": ({"kind": "ordering"}, ITEMS, ["Mali", "Kosovo", "Syria", "Libya"]),
    "numeric": ({"kind": "numeric", "tolerance": 0.01}, 2.5, 7.5),
    "text": ({"kind": "text"}, ["Chapter VII", "VII"], ["Chapter VI"]),
    "data-list": ({"kind": "data", "solution": "precomputed"}, [2003, 2004, 2013], [2005, 2010]),
    "data-number": ({"kind": "data", "solution": "precomputed", "tolerance": 0.01}, 0.667, 0.8),
}


def question(kind: str, key):
    spec, _, _ = KINDS[kind]
    data = {"id": "q", "prompt": "p", "hint": "Think of Chapter VII.", **spec}
    if spec["kind"] in ("single", "multiple", "numeric", "text", "data"):
        data["answer"] = key
    elif spec["kind"] == "ordering":
        data["items"] = key
    else:
        data["pairs"] = key
    if spec["kind"] == "single":
        data["hints"] = {"a": "Consent is about the parties.", "d": "Sovereignty is not a principle here."}
    return parse_question(data, "policy test")


def told(kind: str, key, answer, policy: str) -> tuple[str, str]:
    q = question(kind, key)
    checker = Checker({"questions": {"q": public_check(q, q.answer, "salt", policy)}})
    outcome = checker.outcome("q", answer)
    return outcome.status, verdict_text(outcome, policy)


def answers(kind: str):
    label = st.sampled_from(["a", "b", "c", "d", "A", "Consent", "z"])
    value = st.one_of(st.none(), st.integers(-3, 3), st.floats(-10, 10, allow_nan=False), st.text(max_size=6))
    by_kind = {
        "single": st.one_of(label, value),
        "multiple": st.one_of(st.lists(label, max_size=5), value),
        "matching": st.one_of(st.dictionaries(st.sampled_from(ITEMS), st.one_of(st.sampled_from(OPTIONS + ["a", "b"]),
                                                                                 st.none())), value),
        "classification": st.one_of(st.dictionaries(st.sampled_from(ITEMS), st.sampled_from(["VI", "VII", "a", "x"])),
                                    value),
        "ordering": st.one_of(st.permutations(ITEMS), st.lists(st.sampled_from(ITEMS), max_size=5), value),
        "numeric": st.one_of(st.sampled_from([2.5, 7.5, 2.505, "2.5"]), value),
        "text": st.one_of(st.sampled_from(["vii", "Chapter VI", "chapter vii", "six"]), value),
        "data-list": st.one_of(st.permutations([2003, 2004, 2013]), st.lists(st.sampled_from([2003, 2004, 2005, 2010, 2013]),
                                                                              max_size=4), value),
        "data-number": st.one_of(st.sampled_from([0.667, 0.8, 0.6667]), value),
    }
    return by_kind[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_verdict_tells_only_whether_the_answer_is_right(kind):
    _, key1, key2 = KINDS[kind]

    @settings(max_examples=150, deadline=None)
    @given(answers(kind))
    def check(answer):
        (status1, text1), (status2, text2) = told(kind, key1, answer, "verdict"), told(kind, key2, answer, "verdict")
        if (status1 == "correct") == (status2 == "correct"):
            assert text1 == text2, (answer, text1, text2)
        assert "Think of" not in text1 and "Consent is" not in text1   # no hint
    check()


@pytest.mark.parametrize("kind", KINDS)
def test_format_tells_nothing_that_depends_on_the_key(kind):
    _, key1, key2 = KINDS[kind]

    @settings(max_examples=150, deadline=None)
    @given(answers(kind))
    def check(answer):
        assert told(kind, key1, answer, "format") == told(kind, key2, answer, "format")
    check()


def test_full_tells_counts_and_hints():
    status, text = told("multiple", ["a", "c"], ["a"], "full")
    assert status == "partial" and "1 of your choices are right" in text
    status, text = told("single", "b", "a", "full")
    assert status == "wrong" and "Consent is about the parties." in text


def test_a_script_still_finds_a_small_key_under_verdict_but_never_under_format():
    """Honest about what the policies stop: verdict slows a person down, not a script."""
    key = ["b", "d"]
    subsets = [list(c) for n in range(1, 5) for c in itertools.combinations("abcd", n)]
    found = [s for s in subsets if told("multiple", key, s, "verdict")[1] == "Right."]
    assert found == [key]
    under_format = {told("multiple", key, s, "format")[1] for s in subsets}
    assert under_format == {"This answer has a form that will be graded."}
