"""Each question kind: credit, partial credit and the feedback a student reads, and the
student's hashed check agreeing with the trusted grader without holding the key."""
import json

import pandas as pd
import pytest

from autograder.core.checks import public_check, public_question
from autograder.core.model import FeedbackPolicy
from autograder.core.oracles import HashOracle
from autograder.core.plain import to_plain
from autograder.core.questions import load_questions
from autograder.core.rules import key_oracle, score
from autograder.errors import QuestionError

QUESTIONS = load_questions([
    {"id": "single", "kind": "single", "prompt": "p", "choices": {"a": "A", "b": "B", "c": "C"}, "answer": "b",
     "hints": {"a": "A is about peaceful settlement."}, "hint": "Think again."},
    {"id": "multi", "kind": "multiple", "prompt": "p", "choices": {"a": "A", "b": "B", "c": "C", "d": "D"},
     "answer": ["a", "c"], "points": 2},
    {"id": "match", "kind": "matching", "prompt": "p", "pairs": {"consent": "parties agree", "impartiality": "no favourites",
     "non-use of force": "self-defence only"}, "options": ["regime change"],
     "hints": {"impartiality": "Look again at the difference between consent and impartiality."}},
    {"id": "order", "kind": "ordering", "prompt": "p", "items": ["1945", "1956", "1992", "2005", "2013"]},
    {"id": "classify", "kind": "classification", "prompt": "p", "categories": ["VI", "VII"],
     "pairs": {"mediation": "VI", "sanctions": "VII", "blockade": "VII", "inquiry": "VI"}},
    {"id": "num", "kind": "numeric", "prompt": "p", "answer": 2.5, "tolerance": 0.01,
     "mistakes": [{"answer": 0.4, "hint": "You inverted the ratio."}]},
    {"id": "words", "kind": "text", "prompt": "p", "answer": ["Chapter VII", "VII"],
     "mistakes": [{"answer": "Chapter VI", "hint": "That chapter has no enforcement."}]},
], "test questions")
KEYS = {q.id: to_plain(q.answer) for q in QUESTIONS}
FULL = FeedbackPolicy.FULL


def both(qid, answer):
    """Score with the key and with the hashed check: they must agree exactly."""
    q = next(q for q in QUESTIONS if q.id == qid)
    trusted = score(public_question(q), to_plain(answer), key_oracle(q, KEYS[qid]))
    check = json.loads(json.dumps(public_check(q, KEYS[qid], salt="s", policy=FULL)))
    student = score(check["question"], to_plain(answer), HashOracle(check))
    assert (trusted.points, trusted.status, trusted.message) == (student.points, student.status, student.message)
    return trusted


def test_single_choice_right_wrong_and_specific_hint():
    assert both("single", "b").points == 1
    wrong = both("single", "a")
    assert wrong.points == 0 and "peaceful settlement" in wrong.message
    assert "Think again" in both("single", "c").message
    assert both("single", "z").status == "invalid"
    assert both("single", None).status == "blank"


def test_multiple_choice_partial_credit():
    assert both("multi", ["a", "c"]).points == 2
    half = both("multi", ["a"])
    assert half.points == 1 and "1 of your choices are right" in half.message and "2 right choices" in half.message
    assert both("multi", ["a", "b"]).points == 0   # one right, one wrong cancel out
    assert both("multi", ["a", "c", "d"]).points == 1


def test_matching_counts_pairs_and_points_at_the_wrong_one():
    right = {"consent": "parties agree", "impartiality": "no favourites", "non-use of force": "self-defence only"}
    assert both("match", right).points == 1
    swapped = dict(right, impartiality="regime change")
    outcome = both("match", swapped)
    assert outcome.points == pytest.approx(2 / 3, abs=1e-3)
    assert "2 of 3 pairings are right" in outcome.message
    assert "consent and impartiality" in outcome.message
    assert both("match", {k: None for k in right}).status == "blank"


def test_ordering_partial_credit_by_longest_run():
    assert both("order", ["1945", "1956", "1992", "2005", "2013"]).points == 1
    one_swap = both("order", ["1956", "1945", "1992", "2005", "2013"])
    assert one_swap.points == pytest.approx(3 / 4) and "4 of 5" in one_swap.message
    assert both("order", ["2013", "2005", "1992", "1956", "1945"]).points == 0
    assert "missing" in both("order", ["1945", "1956"]).message


def test_ordering_untouched_starter_is_blank():
    q = next(q for q in QUESTIONS if q.id == "order")
    assert both("order", q.rules.public_items(q)).status == "blank"


def test_classification_share_of_items():
    outcome = both("classify", {"mediation": "VI", "sanctions": "VI", "blockade": "VII", "inquiry": "VI"})
    assert outcome.points == pytest.approx(0.75) and "3 of 4 items are in the right category" in outcome.message


def test_numeric_tolerance_and_common_mistake():
    assert both("num", 2.5).points == 1
    assert both("num", 2.505).points == 1
    assert both("num", 2.6).points == 0
    assert "inverted" in both("num", 0.4).message
    assert both("num", "2.5").points == 1


def test_text_normalisation_and_mistake_hint():
    assert both("words", "  chapter vii. ").points == 1
    assert both("words", "The VII").points == 1
    assert "no enforcement" in both("words", "chapter VI").message


def test_data_answers_lists_and_tables():
    [q] = load_questions([{"id": "d", "kind": "data", "prompt": "p", "solution": "x"}], "t")
    frame = pd.DataFrame({"kind": ["peacekeeping", "political"], "n": [10, 4]})
    key = to_plain(frame.set_index("kind")["n"])
    check = public_check(q, key, "s", FULL)
    answer = to_plain(frame.iloc[::-1][["n", "kind"]])          # other row and column order
    assert score(public_question(q), answer, key_oracle(q, key)).points == 1
    assert score(check["question"], answer, HashOracle(check)).points == 1
    wrong = to_plain(pd.DataFrame({"kind": ["peacekeeping"], "n": [10]}))
    outcome = score(public_question(q), wrong, key_oracle(q, key))
    assert outcome.points == 0 and "expected 2 rows" in outcome.message

    list_key = ["MINUSMA", "MONUSCO", "MINUSCA"]
    for oracle in (key_oracle(q, list_key), HashOracle(public_check(q, list_key, "s", FULL))):
        assert score(public_question(q), ["MONUSCO", "MINUSMA", "MINUSCA"], oracle).points == 1
        partial = score(public_question(q), ["MONUSCO", "UNMIK"], oracle)
        assert partial.points == 0 and "1 of the 3 expected values" in partial.message
        assert score(public_question(q), ["MONUSCO", "MINUSMA"], oracle).points == pytest.approx(2 / 3, abs=1e-3)


def test_objects_that_lie_earn_nothing():
    class Liar(str):
        def __eq__(self, other):
            return True
        __hash__ = str.__hash__

    class Anything:
        def __eq__(self, other):
            return True

    assert both("single", Anything()).points == 0
    assert both("num", Anything()).status == "invalid"
    assert to_plain(Liar("a")) == {"__unsupported__": "Liar"}


def test_hashed_check_holds_no_plain_key():
    for q in QUESTIONS:
        text = json.dumps(public_check(q, KEYS[q.id], "s", FULL))
        if q.kind == "text":
            assert "chapter vii" not in text.lower()
        if q.kind == "ordering":
            assert json.loads(text)["question"]["items"] != q.items   # shuffled, not the key order
        if q.kind == "matching":
            assert "parties agree" in text  # options are public...
            assert '"consent": "parties agree"' not in text  # ...but not the pairing


def test_bad_question_files_say_where_and_what():
    with pytest.raises(QuestionError, match=r"questions.yml, item 1 \(question q1\): answer 'z' is not one of the choices"):
        load_questions([{"id": "q1", "kind": "single", "prompt": "p", "choices": {"a": 1, "b": 2}, "answer": "z"}],
                       "questions.yml")
    with pytest.raises(QuestionError, match="rubric points add up to 1, not 2"):
        load_questions([{"id": "e", "kind": "essay", "prompt": "p", "points": 2,
                         "rubric": [{"criterion": "x", "points": 1}]}], "f")
