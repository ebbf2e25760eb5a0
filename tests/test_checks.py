"""What a release hands a student (autograder/core/checks.py, keys.py, variants.py): the
checks.json of each assignment, in-process.  The checks students already hold must not
change under them, so the checks made now are the released ones byte for byte; and on a
small assignment whose questions vary, every student's own version is found, judged by its
own key, and holds only what its feedback policy allows."""
from __future__ import annotations

import json

import nbformat
import pytest
from helpers import ROOT

from autograder.authoring.source_notebook import source_notebook
from autograder.core import variants
from autograder.core.checks import checks_document, question_text, salt_for
from autograder.core.keys import compute_version_keys
from autograder.core.model import FeedbackPolicy
from autograder.core.questions import load_assignment
from autograder.core.rules import QuestionStatus
from autograder.course import Course
from autograder.student.check import Checker


@pytest.mark.parametrize("aid", ["ch1", "ch2", "ch3", "ch4", "ch5"])
def test_the_checks_a_release_writes_are_the_released_ones(aid):
    course = Course.at(ROOT)
    assignment = course.assignment(aid)
    versions = course.versions(assignment)
    document = checks_document(assignment, versions, compute_version_keys(versions), course.config.name,
                               course.variant_salt(aid))
    written = json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    assert written == (ROOT / "exercises" / aid / "checks.json").read_text(encoding="utf-8"), \
        f"exercises/{aid}/checks.json would change: students' notebooks hold the released one"


@pytest.mark.parametrize("aid", ["ch1", "ch2", "ch3", "ch4", "ch5"])
def test_the_notebook_a_release_writes_is_the_released_source(aid):
    """Each question's prompt, starter and check cell as the kinds write them (the starter is
    what a student edits; the released notebooks must not change under them)."""
    course = Course.at(ROOT)
    assignment = course.assignment(aid)
    versions = course.versions(assignment)
    made = source_notebook(assignment, versions, compute_version_keys(versions), course.repository(),
                           course.config.package, course.config.toolkit)
    released = nbformat.read(ROOT / "solutions" / aid / f"{aid}.ipynb", as_version=4)
    assert [c.source for c in made.cells] == [c.source for c in released.cells], \
        f"solutions/{aid}/{aid}.ipynb would change: run `course release` and look at the difference"


ASSIGNMENT = """\
id: a1
title: Varied
feedback: full
questions:
- {id: plain, kind: text, prompt: Name it., answer: Mali, hint: Think of the Sahel.}
- id: pooled
  kind: single
  pool:
  - {prompt: Pick b., choices: {a: A, b: B}, answer: b}
  - {prompt: Pick a., choices: {a: A, b: B}, answer: a}
- id: drawn
  kind: numeric
  prompt: Double ${n}.
  parameters: {n: [1, 2, 3, 4, 5, 6, 7, 8, 9]}
  solution: answer_drawn = 2 * ${n}
  tolerance: 0.1
- id: shuffled
  kind: single
  prompt: Which is a principle?
  choices: {a: Consent, b: Conquest, c: Coercion}
  answer: a
  shuffle: true
  feedback: verdict
  hints: {b: Not since 1945.}
- {id: essay, kind: essay, prompt: Argue., rubric: [{criterion: c, points: 2}], points: 2}
variants: 6
"""


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    path = tmp_path_factory.mktemp("a1") / "questions.yml"
    path.write_text(ASSIGNMENT, encoding="utf-8")
    assignment = load_assignment(path)
    versions = [variants.concrete(assignment, v, "seed") for v in range(variants.count(assignment))]
    keys = compute_version_keys(versions)
    salt = variants.variant_salt("seed", "a1")
    document = json.loads(json.dumps(checks_document(assignment, versions, keys, "course", salt)))
    return assignment, versions, keys, document


def test_a_varying_assignment_has_a_check_per_version_and_none_for_essays(released):
    assignment, versions, _, document = released
    assert variants.count(assignment) == len(versions) == document["variants"] == 6
    assert document["assignment"] == "a1" and document["variant_salt"] == variants.variant_salt("seed", "a1")
    assert set(document["questions"]) == {"plain", "pooled", "drawn", "shuffled"}
    assert "versions" not in document["questions"]["plain"]
    for qid in ("pooled", "drawn", "shuffled"):
        check = document["questions"][qid]
        assert len(check["versions"]) == 6
        texts = [version["text"] for version in check["versions"]]
        n = [q.id for q in assignment.questions].index(qid)
        assert texts == [question_text(version.questions[n]) for version in versions]
    assert document["questions"]["shuffled"]["feedback"] == FeedbackPolicy.VERDICT
    assert document["questions"]["pooled"]["feedback"] == document["questions"]["drawn"]["feedback"] == FeedbackPolicy.FULL
    drawn = {v["text"] for v in document["questions"]["drawn"]["versions"]}
    assert len(drawn) > 1 and all(text.startswith("Double ") and "${n}" not in text for text in drawn)


def test_each_student_is_judged_on_their_own_version(released):
    assignment, versions, keys, document = released
    salt = document["variant_salt"]
    seen = set()
    for student in (f"s{i:03d}" for i in range(30)):
        checker = Checker(document, student_id=student)
        own = variants.variant_of(student, salt, 6)
        seen.add(own)
        assert checker.variant == own
        for n, qid in enumerate(["plain", "pooled", "drawn", "shuffled"]):
            answers = [v.questions[n].rules.model_answer(v.questions[n], k[qid]) for v, k in zip(versions, keys, strict=True)]
            assert checker.outcome(qid, answers[own]).status == QuestionStatus.CORRECT, (student, qid)
            for other in {json.dumps(a) for a in answers} - {json.dumps(answers[own])}:
                assert checker.outcome(qid, json.loads(other)).status != QuestionStatus.CORRECT, (student, qid, other)
    assert len(seen) > 3


def test_a_version_without_a_student_has_no_check(released, capsys, monkeypatch):
    monkeypatch.delenv("COURSE_STUDENT_ID", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    checker = Checker(released[3])
    assert checker.variant is None and checker.outcome("pooled", "a") is None
    assert checker.outcome("plain", "mali").status == QuestionStatus.CORRECT
    checker("pooled", "a")
    assert "set STUDENT_ID" in capsys.readouterr().out


def test_each_question_and_version_has_its_own_salt(released):
    document = released[3]
    salts = [document["questions"]["plain"]["salt"]]
    salts += [v["salt"] for qid in ("pooled", "drawn", "shuffled") for v in document["questions"][qid]["versions"]]
    assert len(set(salts)) == len(salts) == 19
    assert document["questions"]["plain"]["salt"] == salt_for("course", "a1", "plain")
    assert document["questions"]["pooled"]["versions"][3]["salt"] == salt_for("course", "a1", "pooled/3")
    assert len(salt_for("course", "a1", "plain")) == 16 and salt_for("c", "a1", "q") != salt_for("c", "a2", "q")


def test_full_policy_carries_hints_and_verdict_none(released):
    document = released[3]
    plain = document["questions"]["plain"]
    assert plain["question"]["hint"] == "Think of the Sahel." and plain["feedback"] == "full"
    for version in document["questions"]["shuffled"]["versions"]:
        assert version["question"]["hint"] == "" and version["question"]["hints"] == {}
        assert "choice_hints" not in version and version["mistakes"] == {} and version["feedback"] == "verdict"


def document_of(text: str, tmp_path) -> dict:
    path = tmp_path / "questions.yml"
    path.write_text(text, encoding="utf-8")
    assignment = load_assignment(path)
    versions = [variants.concrete(assignment, v, "seed") for v in range(variants.count(assignment))]
    return json.loads(json.dumps(checks_document(assignment, versions, compute_version_keys(versions), "c", "vs")))


def test_an_essay_between_questions_leaves_the_checks_after_it(tmp_path):
    document = document_of("id: a\ntitle: t\nquestions:\n- {id: q1, kind: text, prompt: p, answer: x}\n"
                           "- {id: e, kind: essay, prompt: p, rubric: [{criterion: c, points: 1}]}\n"
                           "- {id: q2, kind: text, prompt: p, answer: y}\n", tmp_path)
    assert set(document["questions"]) == {"q1", "q2"} and "variants" not in document


def test_two_versions_are_variants(tmp_path):
    document = document_of("id: a\ntitle: t\nvariants: 2\nquestions:\n- id: q\n  kind: single\n  prompt: p\n"
                           "  choices: {a: A, b: B}\n  answer: a\n  shuffle: true\n", tmp_path)
    assert document["variants"] == 2 and document["variant_salt"] == "vs"


def test_per_choice_hints_stay_hashed_even_under_full(tmp_path):
    document = document_of("id: a\ntitle: t\nfeedback: full\nquestions:\n- id: q\n  kind: single\n  prompt: p\n"
                           "  choices: {a: A, b: B}\n  answer: a\n  hints: {b: B is a trap.}\n", tmp_path)
    check = document["questions"]["q"]
    assert check["question"]["hints"] == {} and list(check["choice_hints"].values()) == ["B is a trap."]
