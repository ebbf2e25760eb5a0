"""Authoring mistakes are caught when questions are loaded (at `course release`), never at
grading: each bad question gets one line naming the file, the question and what to change.
And what looks odd but is right ("none of these applies") is accepted and graded."""
from __future__ import annotations

import json

import pytest

from autograder.core.checks import checks_document, public_check
from autograder.core.keys import compute_keys
from autograder.core.model import Assignment, FeedbackPolicy
from autograder.core.questions import load_assignment, load_questions, parse_question
from autograder.core.rules import QuestionStatus
from autograder.errors import QuestionError
from autograder.student.check import Checker

CHOICES = {"a": "Consent", "b": "Impartiality", "c": "Force"}

BAD = [
    ({"kind": "single", "choices": {"a": "Consent"}, "answer": "a"}, "needs at least two choices"),
    ({"kind": "single", "choices": {"a": "Consent", "b": "consent"}, "answer": "a"},
     "choices must differ from each other .*consent names more than one"),
    ({"kind": "single", "choices": {"a": "b", "b": "Force"}, "answer": "a"}, "choices must differ .*: b names more than one"),
    ({"kind": "single", "choices": {"a": "x", "b": "y", "c": "X", "d": "Y"}, "answer": "a"},
     "choices must differ .*: x, y names more than one"),
    ({"kind": "single", "choices": {"a": "Consent", "b": ""}, "answer": "a"}, "every choice needs a text"),
    ({"kind": "single", "choices": CHOICES, "answer": ["a"]}, "answer must be the id of one choice"),
    ({"kind": "single", "choices": CHOICES, "answer": "z"}, "answer 'z' is not one of the choices a, b, c"),
    ({"kind": "single", "choices": CHOICES, "answer": "a", "hints": {"z": "?", "y": "?"}}, "hints are for choices, not for y, z"),
    ({"kind": "multiple", "choices": CHOICES, "answer": "a"}, r"answer must be a list of choice ids \(\[\] if none"),
    ({"kind": "multiple", "choices": CHOICES, "answer": ["a", 1]}, r"answer mixes kinds of value \('a', 1\)"),
    ({"kind": "multiple", "choices": CHOICES, "answer": ["a", "a"]}, "answer names a choice twice"),
    ({"kind": "ordering", "items": ["x", "y"]}, "needs a list of at least three items"),
    ({"kind": "ordering", "items": ["1945", 1956, "1992"]}, r"items must be text .*write numbers in quotes"),
    ({"kind": "ordering", "items": ["x ", "y", "z"]}, "items must be text with no spaces around it"),
    ({"kind": "ordering", "items": ["x", "y", "x"]}, "items must differ from each other: 'x' is there twice"),
    ({"kind": "matching", "pairs": {"x": "A"}}, "needs at least two pairs"),
    ({"kind": "matching", "pairs": {"x": "A", "y": None}}, "every item needs its option"),
    ({"kind": "matching", "pairs": {"x": "A", "y": "  "}}, "every item needs its option"),
    ({"kind": "matching", "pairs": {"x": "A", "y": "A"}}, "the options items are matched to must differ .*'A' is there twice"),
    ({"kind": "matching", "pairs": {"x": "A", "y": "B"}, "options": ["a"]}, r"options \(in any case\) must differ"),
    ({"kind": "classification", "pairs": {"x": "VI", "y": "VII"}, "categories": ["VI", "VII", "vi"]},
     r"categories \(in any case\) must differ"),
    ({"kind": "classification", "pairs": {"x": "VI", "y": "IX"}, "categories": ["VI", "VII"]},
     "'y' is put in 'IX', which is not a category"),
    ({"kind": "numeric", "answer": 2.5}, "needs a tolerance"),
    ({"kind": "numeric", "answer": 2.5, "tolerance": -0.1}, r"tolerance must be a number of at least 0, not -0.1"),
    ({"kind": "numeric", "answer": 2.5, "rel_tolerance": "5%"}, "rel_tolerance must be a number of at least 0, not '5%'"),
    ({"kind": "numeric", "answer": "2.5", "tolerance": 0.1}, "answer must be a number, not '2.5'"),
    ({"kind": "numeric", "answer": 2.5, "tolerance": 0.5, "mistakes": [{"answer": 2.8, "hint": "Rounded up."}]},
     r"the answer has the mistake 2.8 within the tolerance of the answer 2.5 \(±0.5\), so it would be marked right: make the "
     r"tolerance smaller than 0.225 or drop the mistake"),
    ({"kind": "numeric", "answer": 2.5, "tolerance": 0.1, "mistakes": [{"answer": 0.4}]},
     "mistakes must be a list of {answer: <a wrong answer>, hint: <what to tell>}"),
    ({"kind": "text", "answer": ["VII", 7]}, r"answer must be a string or a list of strings.*numbers in quotes"),
    ({"kind": "text", "answer": []}, "answer must be a string or a list of strings"),
    ({"kind": "text", "answer": "Chapter VII", "mistakes": [{"answer": "chapter  vii!", "hint": "?"}]},
     "the mistake 'chapter  vii!' is an accepted answer"),
    ({"kind": "data", "solution": "answer_q = 1", "tolerance": -1}, "tolerance must be a number of at least 0"),
    ({"kind": "single", "choices": CHOICES, "answer": "a", "feedback": "everything"},
     "feedback must be one of full, verdict, format, not 'everything'"),
    ({"kind": "essay", "rubric": []}, "an essay needs a rubric"),
    ({"kind": "essay", "rubric": [{"criterion": "c"}]}, r"rubric criterion 1 needs 'points' \(more than 0\) or 'levels'"),
    ({"kind": "essay", "rubric": [{"points": 1}]}, "each rubric entry needs a 'criterion'"),
    ({"kind": "essay", "rubric": [{"criterion": "c", "points": 1}, {"criterion": "d", "points": 0}]},
     "rubric criterion 2 needs 'points'"),
    ({"kind": "essay", "points": 2, "rubric": [{"criterion": "c", "points": 1.5}]}, "rubric points add up to 1.5, not 2"),
    ({"kind": "matching", "pairs": ["x", "y"]}, "pairs must map each item to its option"),
    ({"kind": "matching", "pairs": {"x": "A", "X": "B"}}, r"items \(in any case\) must differ"),
    ({"kind": "matching", "pairs": {"x": "A", "y": "B"}, "options": "C"}, "options .* must be a list"),
    ({"kind": "classification", "pairs": {"x": "A", "y": "B"}, "categories": "AB"}, "needs a list of at least two"),
    ({"kind": "single", "choices": ["A", "B"], "answer": "a"}, "choices must map each id"),
    ({"kind": "single", "choices": {"a": "A", "b": "B"}, "answer": "a", "hints": ["x"]}, "hints must map choice ids"),
    ({"kind": "text", "answer": "x", "mistakes": [{"answer": 3, "hint": "h"}]}, "a text question's mistakes are text, not 3"),
    ({"kind": "numeric", "tolerance": 1}, "needs an answer or a solution"),
    ({"kind": "data"}, "needs solution code that computes the answer"),
    ({"kind": "numeric", "answer": 1, "tolerance": 0.1, "mistakes": [{"answer": "one", "hint": "h"}]},
     "a numeric question's mistakes are numbers, not 'one'"),
]


@pytest.mark.parametrize("spec, problem", BAD, ids=[f"{s['kind']}-{i}" for i, (s, _) in enumerate(BAD)])
def test_a_bad_question_is_refused_in_one_line_naming_it(spec, problem):
    with pytest.raises(QuestionError, match=r"^questions.yml, item 1 \(question q\): " + problem) as raised:
        load_questions([{"id": "q", "prompt": "p", **spec}], "questions.yml")
    assert "\n" not in str(raised.value)


def test_a_computed_key_that_swallows_a_mistake_is_refused_at_release(tmp_path):
    path = tmp_path / "questions.yml"
    path.write_text("id: a1\ntitle: T\nquestions:\n- id: q1\n  kind: data\n  prompt: p\n  tolerance: 0.5\n"
                    "  solution: answer_q1 = 10.0\n  mistakes: [{answer: 10.2, hint: h}]\n", encoding="utf-8")
    with pytest.raises(QuestionError, match=r"the key of q1 has the mistake 10.2 within the tolerance of the answer 10"):
        compute_keys(load_assignment(path))


def test_numeric_key_computed_as_text_is_refused():
    q = parse_question({"id": "q", "kind": "numeric", "prompt": "p", "solution": "answer_q = '3'", "tolerance": 0.1}, "f")
    with pytest.raises(QuestionError, match=r"the key of q is not a number \('3'\)"):
        compute_keys(Assignment(id="a", title="t", path="f", questions=[q]))


@pytest.mark.parametrize("policy", list(FeedbackPolicy)[:2])
def test_none_applies_is_a_key_and_an_answer_and_the_untouched_starter_is_blank(policy):
    q = parse_question({"id": "q", "kind": "multiple", "prompt": "p", "choices": CHOICES, "answer": []}, "f")
    checker = Checker(json.loads(json.dumps({"questions": {"q": public_check(q, [], "salt", policy)}})))
    starter = {}
    exec(q.rules.starter(q), starter)
    assert checker.outcome("q", starter[q.variable]).status == QuestionStatus.BLANK
    assert checker.outcome("q", []).status == QuestionStatus.CORRECT
    assert checker.outcome("q", ["a"]).status == QuestionStatus.WRONG
    assert q.rules.answer_text(q) == "None of the choices applies."


def test_a_checks_file_without_a_policy_tells_no_more_than_verdict(capsys):
    q = parse_question({"id": "q", "kind": "single", "prompt": "p", "choices": CHOICES, "answer": "b",
                        "hints": {"a": "Consent is about the parties."}}, "f")
    check = json.loads(json.dumps(public_check(q, "b", "salt", FeedbackPolicy.FULL)))
    del check["feedback"]
    Checker({"questions": {"q": check}})("q", "a")
    said = capsys.readouterr().out
    assert said == "✘ [q] Not yet right.\n"   # neither the hint nor the points of `full`


def test_a_checks_file_with_an_unknown_policy_is_refused():
    check = {"feedback": "all", "question": {}, "shape": {}}
    with pytest.raises(QuestionError, match=r"checks.json of a1: feedback must be one of full, verdict, format, not 'all'"):
        Checker({"assignment": "a1", "questions": {"q": check}})("q", "a")


def test_the_policy_words_in_checks_json_do_not_change(tmp_path):
    path = tmp_path / "questions.yml"
    path.write_text("id: a1\ntitle: T\nquestions:\n- {id: q1, kind: text, prompt: p, answer: x}\n"
                    "- {id: q2, kind: text, prompt: p, answer: y, feedback: format}\n", encoding="utf-8")
    assignment = load_assignment(path)
    document = json.loads(json.dumps(checks_document(assignment, [assignment], [compute_keys(assignment)], "ns", "")))
    assert [document["questions"][q]["feedback"] for q in ("q1", "q2")] == ["verdict", "format"]


def test_the_format_oracle_answers_every_question_an_oracle_is_asked_and_knows_nothing():
    from autograder.core.oracles import Oracle
    from autograder.student.check import FormatOracle

    asked = {name for name in vars(Oracle) if not name.startswith("_")}
    assert asked <= set(vars(FormatOracle)), f"FormatOracle lacks {sorted(asked - set(vars(FormatOracle)))}"
    oracle = FormatOracle({"type": "number"})
    assert oracle.shape() == {"type": "number"} and oracle.n_right_choices() == 1
    for name, args in [("choice_right", ("a",)), ("pair_right", ("a", "b")), ("before", ("a", "b")),
                       ("number_close", (1.0,)), ("text_right", ("x",)), ("element_in", (1,)), ("element_at", (0, 1)),
                       ("table_equal", ({},)), ("table_columns_equal", ([],)), ("choice_hint", ("a",)),
                       ("mistake_hint", (1,))]:
        assert getattr(oracle, name)(*args) in (False, None), name


TEXT_Q = {"id": "q1", "kind": "text", "prompt": "p", "answer": "x"}


@pytest.mark.parametrize("data, problem", [
    ("x", r"^f, item 1: a question must be a mapping, got str$"),
    ({**TEXT_Q, "colour": 1, "size": 2}, r"^f, item 1: unknown field\(s\) colour, size$"),
    ({"id": "q1", "kind": "text", "answer": "x"}, r"^f, item 1: missing field 'prompt'$"),
    ({"id": "q1", "prompt": "p"}, r"^f, item 1: missing field 'kind'$"),
    ({**TEXT_Q, "id": "1q"}, r"^f, item 1 \(question 1q\): id must be a Python identifier such as q01$"),
    ({**TEXT_Q, "kind": "poem"}, r"^f, item 1 \(question q1\): kind 'poem' is not one of single, multiple, matching, "),
    ({**TEXT_Q, "points": "many"}, r"^f, item 1 \(question q1\): points must be a number$"),
    ({**TEXT_Q, "points": [1]}, r"^f, item 1 \(question q1\): points must be a number$"),
    ({**TEXT_Q, "points": 0}, r"^f, item 1 \(question q1\): points must be positive$"),
    ({**TEXT_Q, "parameters": {"n": [1]}}, r"^f, item 1 \(question q1\): parameters are for numeric and data questions$"),
    ({"id": "q1", "kind": "numeric", "prompt": "${n}", "solution": "answer_q1 = ${n}", "tolerance": 1,
      "parameters": {"n": []}}, r"parameters must map names to non-empty lists of values$"),
    ({"id": "q1", "kind": "numeric", "prompt": "${n}", "solution": "answer_q1 = ${n}", "tolerance": 1,
      "parameters": {"1n": [1]}}, r"parameters must map names to non-empty lists of values$"),
    ({"id": "q1", "kind": "numeric", "prompt": "${n}", "solution": "answer_q1 = ${n}", "tolerance": 1,
      "parameters": {"n": [1, 2]}, "mistakes": [{"answer": 9, "hint": "h"}]}, r"mistakes cannot be used with parameters"),
    ({**TEXT_Q, "shuffle": True}, r"^f, item 1 \(question q1\): a text question has no options to shuffle$"),
    ({"id": "q1", "kind": "text", "pool": [{"prompt": "p", "answer": "x"}]},
     r"^f, item 1 \(question q1\): pool must list at least two versions of the question$"),
    ({"id": "q1", "kind": "text", "pool": [{"prompt": "p", "answer": "x"}, "y"]}, r"pool must list at least two versions"),
    ({"id": "q1", "kind": "text", "pool": [{"prompt": "p", "answer": "x"}, {"prompt": "p", "kind": "single"}]},
     r"a pooled version keeps the question's id and kind$"),
    ({"id": "q1", "kind": "text", "pool": [{"prompt": "p", "answer": "x"}, {"prompt": "p", "answer": 3}]},
     r"^f, item 1 \(question q1\), version 2 \(question q1\): answer must be a string"),
])
def test_a_bad_question_file_entry_is_one_line(data, problem):
    with pytest.raises(QuestionError, match=problem):
        load_questions([data], "f")


def test_a_pooled_question_needs_no_prompt_of_its_own_and_ids_are_text():
    pool = [{"prompt": "a", "answer": "x"}, {"prompt": "b", "answer": "y"}]
    [q] = load_questions([{"id": "q7", "kind": "text", "pool": pool}], "f")
    assert q.prompt == "" and q.varies and q.points == 1.0 and isinstance(q.points, float)


def test_questions_are_a_list_with_distinct_ids():
    with pytest.raises(QuestionError, match=r"^f: 'questions' must be a list$"):
        load_questions({"q1": TEXT_Q}, "f")
    with pytest.raises(QuestionError, match=r"^f: question id 'q1' is used twice$"):
        load_questions([TEXT_Q, dict(TEXT_Q)], "f")


def write(tmp_path, text):
    path = tmp_path / "questions.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, problem", [
    ("- a\n- b\n", r"questions.yml: expected a mapping with 'id', 'title' and 'questions'$"),
    ("id: a\nquestions: []\n", r"questions.yml: missing field 'title'$"),
    ("id: a\ntitle: t\n", r"questions.yml: missing field 'questions'$"),
    ("title: t\nquestions: []\n", r"questions.yml: missing field 'id'$"),
    ("id: a\ntitle: t\nquestions: []\nvariants: -1\n", r"questions.yml: variants must be a whole number of versions$"),
    ("id: a\ntitle: t\nquestions: []\nvariants: true\n", r"variants must be a whole number of versions$"),
    ("id: a\ntitle: t\nquestions: []\nvariants: 2.5\n", r"variants must be a whole number of versions$"),
    ("id: a\ntitle: t\nquestions: [\n", r"questions.yml: not valid YAML at line 4$"),
])
def test_a_bad_assignment_file_is_one_line_naming_it(tmp_path, text, problem):
    with pytest.raises(QuestionError, match=problem):
        load_assignment(write(tmp_path, text))


def test_a_missing_questions_file_is_named(tmp_path):
    with pytest.raises(QuestionError, match=r"nope.yml: file not found$"):
        load_assignment(tmp_path / "nope.yml")


def test_sections_head_the_question_after_them(tmp_path):
    path = write(tmp_path, "id: 7\ntitle: 8\nintro: hi\nsetup: x = 1\nvariants: 3\nquestions:\n- section: Part one\n"
                           "- {id: q1, kind: text, prompt: p, answer: x}\n- {id: q2, kind: text, prompt: p, answer: y}\n"
                           "- section: Part two\n- {id: q3, kind: text, prompt: p, answer: z}\n")
    a = load_assignment(path)
    assert (a.id, a.title, a.intro, a.setup, a.variants, a.path) == ("7", "8", "hi", "x = 1", 3, path)
    assert a.sections == {"q1": "Part one", "q3": "Part two"} and [q.id for q in a.questions] == ["q1", "q2", "q3"]
    assert a.feedback == FeedbackPolicy.VERDICT and a.max_score == 3 and not a.has_variants
