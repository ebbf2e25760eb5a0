"""Each kind's own rules, in-process (autograder/core/kinds/, keys.py): labels and options,
the shape a key is checked against, how a practice widget states the answer, answers of a
mixed or wrong type, and keys computed by the instructor's code.  Properties (hypothesis)
where a rule has an invariant: order of picks, case and spacing."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.core.checks import public_question
from autograder.core.keys import compute_keys, compute_version_keys
from autograder.core.kinds import KINDS, stable_shuffle
from autograder.core.kinds.base import labels, resolve_option
from autograder.core.model import Assignment
from autograder.core.questions import parse_question
from autograder.core.rules import QuestionStatus, key_oracle, score
from autograder.errors import QuestionError


def question(**spec):
    return parse_question({"id": "q", "prompt": "p", **spec}, "f")


def outcome(q, answer):
    return score(public_question(q), answer, key_oracle(q, q.answer))


def test_labels_run_a_to_z_then_aa():
    got = labels(60)
    assert got[:3] == ["a", "b", "c"] and got[25] == "z" and got[26] == "aa" and got[27] == "ab"
    assert got[51] == "az" and got[52] == "ba" and got[59] == "bh" and len(set(got)) == 60


def test_an_option_is_named_by_label_or_text_in_any_case():
    options = ["Chapter VI", "Chapter VII"]
    assert resolve_option(" B ", options) == "Chapter VII" == resolve_option("chapter vii", options)
    assert resolve_option("c", options) == "c" and resolve_option(" x ", options) == "x"
    assert resolve_option(None, options) is None and resolve_option(3, options) == 3


def test_only_kinds_with_options_shuffle():
    with pytest.raises(TypeError, match="a text question has no options to shuffle"):
        KINDS["text"].shuffle(question(kind="text", answer="x"), None)


@pytest.mark.parametrize("key, shape", [
    (2.5, {"type": "number"}),
    ([1, 2], {"type": "list", "length": 2, "ordered": False}),
    ({"__table__": {"columns": ["a", "b"], "rows": [[1, 2], [3, 4], [5, 6]]}}, {"type": "table", "rows": 3, "columns": 2}),
    ("Mali", {"type": "value"}),
])
def test_the_shape_of_a_data_key(key, shape):
    assert KINDS["data"].shape(question(kind="data", solution="x"), key) == shape


def test_answer_texts_of_the_practice_widgets():
    assert KINDS["single"].answer_text(question(kind="single", choices={"a": "A", "b": "B"}, answer="b")) == "b) B"
    multi = question(kind="multiple", choices={"a": "A", "b": "B", "c": "C"}, answer=["a", "c"])
    assert KINDS["multiple"].answer_text(multi) == "a) A; c) C"
    assert KINDS["ordering"].answer_text(question(kind="ordering", items=["x", "y", "z"])) == "x → y → z"
    assert KINDS["text"].answer_text(question(kind="text", answer=["VII", "Chapter VII"])) == "VII"


@pytest.mark.parametrize("answer", [["x", 1], [1, 2, 3], ["x", None, "z"], "x, y, z", {"x": 1}])
def test_ordering_of_a_wrong_type_is_invalid_not_a_crash(answer):
    q = question(kind="ordering", items=["x", "y", "z"])
    assert outcome(q, answer).status == QuestionStatus.INVALID


@pytest.mark.parametrize("answer", [["a", 1], [None], [["a"]], 3.5, {"a": True}])
def test_multiple_of_a_wrong_type_is_invalid_not_a_crash(answer):
    q = question(kind="multiple", choices={"a": "A", "b": "B"}, answer=["a"])
    assert outcome(q, answer).status == QuestionStatus.INVALID


def test_ordering_credit_is_the_longest_run_in_order():
    q = question(kind="ordering", items=["a", "b", "c", "d", "e"])
    assert (outcome(q, ["a", "b", "c", "d", "e"]).points, outcome(q, ["b", "a", "c", "d", "e"]).points) == (1, 0.75)
    assert outcome(q, ["e", "d", "c", "b", "a"]).points == 0
    assert outcome(q, [" a", "b ", "c", "d", "e"]).status == QuestionStatus.CORRECT
    assert outcome(q, ["a", "a", "c", "d", "e", "b"]).message == ("Your answer should hold each of the 5 items exactly "
                                                                  "once (some items appear twice).")


@given(st.lists(st.text(min_size=1, max_size=6).map(str.strip).filter(bool), min_size=2, max_size=8, unique=True),
       st.text(max_size=4))
def test_the_starter_order_is_never_the_key_order_and_holds_every_item(items, seed):
    shuffled = stable_shuffle(items, seed)
    assert shuffled != items and sorted(shuffled) == sorted(items)
    assert stable_shuffle(items, seed) == shuffled


def test_a_shuffle_of_one_item_is_that_item():
    assert stable_shuffle(["x"], "s") == ["x"]


CHOICES = {"a": "Consent", "b": "Impartiality", "c": "Force", "d": "Sovereignty"}


@given(picks=st.lists(st.sampled_from(list(CHOICES)), min_size=1, max_size=4, unique=True), data=st.data())
def test_multiple_choice_ignores_order_case_spacing_and_id_or_text(picks, data):
    q = question(kind="multiple", choices=CHOICES, answer=["a", "c"])
    reference = outcome(q, picks)
    order = data.draw(st.permutations(picks))
    spelled = [data.draw(st.sampled_from([c, c.upper(), f"  {c} ", CHOICES[c], CHOICES[c].upper()])) for c in order]
    assert outcome(q, spelled) == reference


@given(st.text(alphabet="VIChapter .-", min_size=1, max_size=14).filter(str.strip))
def test_text_ignores_case_and_spacing(answer):
    q = question(kind="text", answer=["Chapter VII"])
    assert outcome(q, answer.upper()).status == outcome(q, f"  {answer.lower()}  ").status
    assert outcome(q, " chapter   vii ").status == QuestionStatus.CORRECT


def assignment_of(*questions, setup=""):
    return Assignment(id="a", title="t", path="questions.yml", setup=setup, questions=list(questions))


def test_keys_come_from_the_answer_or_from_the_solution_run_after_the_setup():
    written = question(kind="numeric", answer=2.5, tolerance=0.1, solution="answer_q = 99")
    computed = parse_question({"id": "r", "kind": "data", "prompt": "p", "solution": "answer_r = base * 2"}, "f")
    keys = compute_keys(assignment_of(written, computed, setup="base = 21"))
    assert keys == {"q": 2.5, "r": 42}


def test_essays_have_no_key():
    essay = parse_question({"id": "e", "kind": "essay", "prompt": "p", "rubric": [{"criterion": "c", "points": 1}]}, "f")
    assert compute_keys(assignment_of(essay, question(kind="text", answer="x"))) == {"q": ["x"]}


def test_the_setup_runs_only_where_a_key_needs_code():
    broken_setup = "raise SystemError('never run')"
    assert compute_keys(assignment_of(question(kind="text", answer="x"), setup=broken_setup)) == {"q": ["x"]}
    versions = [assignment_of(question(kind="text", answer="x"), setup=broken_setup)] * 2
    assert compute_version_keys(versions) == [{"q": ["x"]}, {"q": ["x"]}]


def test_versions_share_one_run_of_the_setup(tmp_path):
    runs = tmp_path / "runs"
    counter = (f"from pathlib import Path\nruns = Path({str(runs)!r})\n"
               "n = int(runs.read_text()) + 1 if runs.exists() else 1\nruns.write_text(str(n))")
    versions = [assignment_of(parse_question({"id": "r", "kind": "data", "prompt": "p", "solution": "answer_r = n"}, "f"),
                              setup=counter) for _ in range(3)]
    assert compute_version_keys(versions) == [{"r": 1}, {"r": 1}, {"r": 1}]


@pytest.mark.parametrize("solution, problem", [
    ("x = 1", r"^questions.yml: the solution of r does not set answer_r$"),
    ("answer_r = 1 / 0", r"^questions.yml: solution of r fails: ZeroDivisionError: division by zero$"),
])
def test_a_failing_solution_is_one_line_naming_the_question(solution, problem):
    q = parse_question({"id": "r", "kind": "data", "prompt": "p", "solution": solution}, "f")
    with pytest.raises(QuestionError, match=problem):
        compute_keys(assignment_of(q))


def test_a_failing_setup_is_one_line_naming_the_file():
    q = parse_question({"id": "r", "kind": "data", "prompt": "p", "solution": "answer_r = 1"}, "f")
    with pytest.raises(QuestionError, match=r"^questions.yml: setup fails: NameError: name 'nope' is not defined$"):
        compute_keys(assignment_of(q, setup="nope"))


PAIRS = {"consent": "parties agree", "impartiality": "no favourites"}


def test_matching_shows_options_by_label_and_states_its_answer():
    q = question(kind="matching", pairs=dict(PAIRS), options=["regime change"])
    assert q.rules.public_options(q) == ["no favourites", "parties agree", "regime change"]
    assert q.rules.prompt_lines(q) == ["Options:", "", "- **a**: no favourites", "- **b**: parties agree",
                                       "- **c**: regime change", ""]
    assert q.rules.starter(q) == ("answer_q = {  # the letter of an option: a, b, c\n    'consent': None,\n"
                                  "    'impartiality': None,\n}")
    assert q.rules.model_answer(q, q.answer) == {"consent": "b", "impartiality": "a"}
    assert q.rules.answer_text(q) == "consent → b) parties agree; impartiality → a) no favourites"
    q.rules.shuffle(q, __import__("random").Random(1))
    assert sorted(q.option_order) == ["no favourites", "parties agree", "regime change"]
    assert q.rules.public_options(q) == q.option_order


def test_classification_shows_categories_by_label():
    q = question(kind="classification", categories=["VI", "VII"], pairs={"mediation": "VI", "sanctions": "VII"})
    assert q.rules.prompt_lines(q) == ["Categories: **a**: *VI*, **b**: *VII*", ""]
    assert q.rules.how(q) == "Put each item in one category, by its letter"
    assert outcome(q, {"mediation": "a", "sanctions": "a"}).message == "1 of 2 items are in the right category."


def test_matching_points_at_the_first_two_wrong_items_only():
    pairs = {"w": "1", "x": "2", "y": "3", "z": "4"}
    q = question(kind="matching", pairs=pairs, hints={"w": "hint w", "x": "hint x", "y": "hint y"})
    assert outcome(q, {k: "4" for k in pairs}).message == "1 of 4 pairings are right. hint w hint x"


def test_an_essay_shows_its_mark_scheme_and_has_no_rule():
    q = question(kind="essay", points=3, rubric=[{"criterion": "Argument", "points": 2}, {"criterion": "Sources", "points": 1}],
                 model_answer="A model.")
    assert q.rules.prompt(q, ["## Q", ""]) == ("## Q\n\nMark scheme:\n\n- Argument (2)\n- Sources (1)\n\n"
                                                "Write your answer in the cell below.")
    assert q.rules.answer_text(q) == "A model." and not q.autograded
    with pytest.raises(TypeError, match="^an essay is graded by a person, not by a rule$"):
        q.rules.rule({}, "text", None)


def test_ordering_hands_stock_nbgrader_its_items_in_order():
    q = question(kind="ordering", items=["x", "y", "z"])
    spec = {}
    q.rules.stock_spec(q, q.answer, spec)
    assert spec == {"items": ["x", "y", "z"]}
    untouched = outcome(q, q.rules.public_items(q))
    assert (untouched.status, untouched.message) == (QuestionStatus.BLANK, "You have not reordered the list yet.")
    assert KINDS["text"].model_answer(q, ["first", "second"]) == "first"


def test_a_written_key_never_runs_the_setup_even_beside_a_solution():
    written = question(kind="numeric", answer=2.5, tolerance=0.1, solution="answer_q = 99")
    broken = "raise SystemError('never run')"
    assert compute_keys(assignment_of(written, setup=broken)) == {"q": 2.5}
    assert compute_version_keys([assignment_of(written, setup=broken)]) == [{"q": 2.5}]


def test_a_tolerance_of_zero_is_an_exact_match():
    q = question(kind="numeric", answer=2.5, tolerance=0)
    assert outcome(q, 2.5).status == QuestionStatus.CORRECT and outcome(q, 2.5001).status == QuestionStatus.WRONG


def test_a_multiple_choice_key_may_use_number_ids():
    q = question(kind="multiple", choices={1: "One", 2: "Two"}, answer=[1])
    assert q.answer == ["1"] and outcome(q, ["1"]).status == QuestionStatus.CORRECT


def test_a_multiple_choice_hints_at_the_first_wrong_pick_only():
    q = question(kind="multiple", choices=CHOICES, answer=["a"], hints={"b": "hint b", "c": "hint c"})
    assert outcome(q, ["b", "c"]).message == ("0 of your choices are right and 2 are not; there are 1 right choices "
                                              "in all. hint b")
