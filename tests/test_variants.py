"""Per-student variants and feedback policies on the real assignments: each student has a
version of their own, `check` tells only what the policy allows, and the grader grades
each student on their own version, whatever the notebook claims."""
from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess

import nbformat
import pytest
from helpers import (
    BIN,
    ENV,
    ROOT,
    course_cmd,
    course_copy,
    keys_in_plain,
    read_grades,
    read_result,
    set_answer,
    student_notebook,
    write_submission,
)

from autograder.core import variants
from autograder.core.checks import public_check, public_question
from autograder.core.model import Assignment, FeedbackPolicy
from autograder.core.plain import to_plain
from autograder.core.questions import load_questions
from autograder.core.rules import QuestionStatus, key_oracle, score
from autograder.course import Course
from autograder.errors import QuestionError
from autograder.nbmeta import grade_id
from autograder.student.check import Checker

COURSE = Course.at(ROOT)
VARIANT_ASSIGNMENTS = [a for a in ("ch1", "ch2", "ch3", "ch4", "ch5") if COURSE.assignment(a).has_variants]
STUDENTS = [f"s{i:03d}" for i in range(30)]


def test_at_least_two_assignments_besides_ch1_have_variants_one_with_data_questions():
    assert "ch1" not in VARIANT_ASSIGNMENTS and len(VARIANT_ASSIGNMENTS) >= 2
    assert any(q.kind == "data" and q.varies for a in VARIANT_ASSIGNMENTS for q in COURSE.assignment(a).questions)


@pytest.mark.parametrize("aid", VARIANT_ASSIGNMENTS)
def test_thirty_students_get_at_least_fifteen_versions(aid):
    assignment = COURSE.assignment(aid)
    assert len({COURSE.variant_of(assignment, s) for s in STUDENTS}) >= 15


@pytest.mark.parametrize("aid", VARIANT_ASSIGNMENTS)
def test_data_and_numeric_questions_have_at_least_twenty_keys(aid):
    assignment = COURSE.assignment(aid)
    keys = COURSE.version_keys(COURSE.versions(assignment))
    distinct = {(q.id, json.dumps(k[q.id], sort_keys=True)) for k in keys for q in assignment.questions
                if q.kind in ("data", "numeric")}
    assert len(distinct) >= 20


@pytest.mark.parametrize("aid", VARIANT_ASSIGNMENTS)
def test_the_released_notebook_shows_each_student_their_own_version(aid):
    """One checks.json for everyone; the student's id picks the version shown and checked."""
    document = json.loads((ROOT / "exercises" / aid / "checks.json").read_text(encoding="utf-8"))
    assignment = COURSE.assignment(aid)
    varying = next(q for q in assignment.questions if q.varies and q.kind in ("numeric", "data"))
    texts = set()
    for student in STUDENTS[:10]:
        checker = Checker(document, student)
        assert checker.variant == COURSE.variant_of(assignment, student)
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            checker.show(varying.id)
        texts.add(checker.check_of(varying.id)["text"])
    assert len(texts) > 1
    nobody = Checker(document, None)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        nobody(varying.id, 1.0)
    assert "STUDENT_ID" in out.getvalue()


@pytest.mark.parametrize("aid", VARIANT_ASSIGNMENTS)
def test_no_version_key_is_released_in_plain_form(aid):
    released = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "exercises" / aid).iterdir())
    assert '"answer"' not in released and "BEGIN HIDDEN TESTS" not in released
    leaked = [key for key in keys_in_plain(aid) if key in released]
    assert not leaked, f"{aid}: keys readable in exercises/: {leaked[:5]}"


def test_graded_assignments_default_to_verdict_and_hold_no_hints():
    for aid in COURSE.assignment_ids():
        document = json.loads((ROOT / "exercises" / aid / "checks.json").read_text(encoding="utf-8"))
        for qid, check in document["questions"].items():
            assert check["feedback"] == "verdict", (aid, qid)
            for version in check.get("versions", [check]):
                assert version["question"]["hints"] == {} and version["question"]["hint"] == ""
                assert "choice_hints" not in version and version["mistakes"] == {}


def test_format_policy_releases_the_shape_only():
    q = COURSE.assignment("ch1").questions[0]
    check = public_check(q, to_plain(q.answer), salt="s", policy=FeedbackPolicy.FORMAT)
    assert set(check) == {"question", "shape", "feedback"}
    assert "salt" not in json.dumps(check) and q.answer not in json.dumps(check["shape"])


def made_of(*questions: dict, count: int = 12) -> list[Assignment]:
    """Every version of a small assignment of these questions, as release makes them."""
    assignment = Assignment("a1", "A1", ROOT, questions=load_questions(list(questions), "questions.yml"),
                            variants=count)
    return [variants.concrete(assignment, v, "course seed") for v in range(variants.count(assignment))]


POOLED = {"id": "q", "kind": "multiple", "pool": [
    {"prompt": "Which were at war in 1914?", "choices": {1: "France", 2: "Peru", 3: "Serbia"}, "answer": [1, 3]},
    {"prompt": "Which were neutral in 1914?", "choices": {1: "France", 2: "Switzerland", 3: "Spain"}, "answer": [2, 3]},
]}


def test_each_pooled_version_is_a_plain_question_graded_on_its_own_key():
    versions = made_of(POOLED)
    prompts = {a.questions[0].prompt for a in versions}
    assert prompts == {"Which were at war in 1914?", "Which were neutral in 1914?"}     # no version lost
    for a in versions:
        q = a.questions[0]
        assert not a.has_variants and not q.varies and variants.count(a) == 1    # nothing left to draw
        right = ["1", "3"] if "war" in q.prompt else ["2", "3"]
        assert q.answer == right                        # number ids read as a plain question's are
        assert score(public_question(q), right, key_oracle(q, q.answer)).status == QuestionStatus.CORRECT


def test_parameters_are_filled_in_every_text_and_drawn_once_per_version():
    numeric = {"id": "q", "kind": "numeric", "tolerance": 0, "parameters": {"war": ["Crimean", "Boer", "Korean"]},
               "prompt": "How long did the ${war} War last?", "hint": "Count the years of the ${war} War.",
               "explanation": "The ${war} War, $$5 of ${missing}.", "solution": "answer_q = len('${war}')"}
    other = {"id": "r", "kind": "text", "prompt": "Who won?", "answer": "x"}
    seen = set()
    for a in made_of(numeric, other):
        q = a.questions[0]
        war = q.prompt.split()[4]
        seen.add(war)
        assert q.prompt == f"How long did the {war} War last?" and q.hint == f"Count the years of the {war} War."
        assert q.explanation == f"The {war} War, $5 of ${{missing}}." and q.solution == f"answer_q = len('{war}')"
        assert not a.has_variants and a.questions[1] == parse_other(other)
    assert seen == {"Crimean", "Boer", "Korean"}


def parse_other(data: dict):
    return load_questions([data], "questions.yml")[0]


def test_a_shuffled_question_is_shown_in_its_versions_order_and_varies_no_more():
    shuffled = {"id": "q", "kind": "single", "prompt": "Which?", "shuffle": True,
                "choices": {"a": "One", "b": "Two", "c": "Three", "d": "Four"}, "answer": "a"}
    versions = made_of(shuffled)
    assert all(not a.has_variants for a in versions)
    assert len({json.dumps(public_question(a.questions[0]), sort_keys=True, default=str) for a in versions}) > 1


def test_a_parameter_that_leaves_a_version_without_its_solution_is_refused_naming_the_question():
    broken = {"id": "q", "kind": "numeric", "tolerance": 0, "prompt": "How many?",
              "parameters": {"code": [""]}, "solution": "${code}"}
    with pytest.raises(QuestionError, match="^question q: needs an answer or a solution that computes it$"):
        made_of(broken)


def test_a_students_version_never_changes_between_releases():
    # a regrade or a re-release after an upgrade must find the version the student was given
    assert [variants.variant_of(s, "0123456789abcdef", 40) for s in ("s000", "s001", "alice")] == [38, 12, 34]
    assert variants.variant_salt("course seed", "ch2") == "1dba52ce6b0c8e42"


def with_identity_output(nb: nbformat.NotebookNode, aid: str, student: str) -> nbformat.NotebookNode:
    """The notebook as it is saved after running as `student`: its setup cell's output."""
    document = json.loads((ROOT / "exercises" / aid / "checks.json").read_text(encoding="utf-8"))
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        Checker(document, student).introduce()
    for cell in nb.cells:
        if grade_id(cell) == "setup":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=said.getvalue())]
    return nb


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.parametrize("aid", VARIANT_ASSIGNMENTS)
def test_own_solutions_score_full_marks_and_swapped_ones_lose_what_differs(aid, tmp_path):
    subs, workspace = tmp_path / "submitted", tmp_path / "workspace"
    for student in STUDENTS:
        write_submission(subs, student, aid, with_identity_output(student_notebook(aid, student=student), aid, student))
    a, b = next((x, y) for x in STUDENTS for y in STUDENTS
                if COURSE.variant_of(COURSE.assignment(aid), x) != COURSE.variant_of(COURSE.assignment(aid), y))
    write_submission(subs, "swapper", aid, with_identity_output(student_notebook(aid, student=b), aid, b))
    course_cmd("grade", aid, "--submissions", str(subs), "--workspace", str(workspace), "--no-progress",
               "--course-dir", str(course_copy(tmp_path)))   # grading writes autograded/ and the gradebook beside the course
    grades = read_grades(workspace)
    for student in STUDENTS:
        row = grades[(student, aid)]
        assert row["status"] == "ok" and row["auto_score"] == row["auto_max"], (student, row["message"])
    swapper = grades[("swapper", aid)]
    assert swapper["status"] == "other-variant" and repr(b) in swapper["message"]
    # graded on the questions of the folder's student ("swapper"): those that differ from b's are lost
    assignment = COURSE.assignment(aid)
    versions = COURSE.versions(assignment)
    mine, theirs = (versions[COURSE.variant_of(assignment, s)] for s in ("swapper", b))
    keys = COURSE.version_keys([mine, theirs])
    differ = {q.id for q, r in zip(mine.autograded, theirs.autograded, strict=True)
              if keys[0][q.id] != keys[1][q.id] or q.choices != r.choices or q.option_order != r.option_order}
    result = {q["id"]: q for q in read_result(workspace, aid, "swapper")["questions"]}
    lost = {qid for qid, q in result.items() if q["kind"] != "essay" and q["points"] < q["max_points"]}
    assert differ and lost <= differ and lost, (differ, lost)


@pytest.mark.slow
def test_course_solution_writes_the_students_own_answers(tmp_path):
    aid = VARIANT_ASSIGNMENTS[0]
    out = course_cmd("solution", aid, "--student", "s007", "--output", str(tmp_path)).stdout
    assert "wrote" in out
    text = (tmp_path / f"{aid}.ipynb").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "STUDENT_ID = 's007'" in text
    assert (tmp_path / "checks.json").is_file()
    # the essay holds the model answer, headed as a model, and the command says so
    essay = next(q for q in COURSE.assignment(aid).questions if not q.autograded)
    cell = next(c for c in nbformat.read(tmp_path / f"{aid}.ipynb", as_version=4).cells if grade_id(c) == essay.id)
    assert cell.source.startswith("*Model answer") and essay.model_answer.strip()[:200] in cell.source
    assert "YOUR ANSWER HERE" not in cell.source and f"({essay.id}) holds the model answer" in out


@pytest.mark.slow
def test_nbgrader_validate_tells_the_truth(tmp_path):
    """A notebook with a wrong answer fails Validate; the answered one passes."""
    work = tmp_path / "ch1"
    work.mkdir()
    (work / "checks.json").write_text((ROOT / "exercises" / "ch1" / "checks.json").read_text())
    essay = next(q for q in COURSE.assignment("ch1").questions if not q.autograded)
    right = set_answer(student_notebook("ch1"), essay.id, "An essay of my own.")
    nbformat.write(right, work / "right.ipynb")
    wrong = set_answer(student_notebook("ch1"), essay.id, "An essay of my own.")
    single = next(q for q in COURSE.assignment("ch1").questions if q.kind == "single")
    for cell in wrong.cells:
        if grade_id(cell) == f"{single.id}_answer":
            cell.source = f"{single.variable} = {next(c for c in single.choices if c != single.answer)!r}"
    nbformat.write(wrong, work / "wrong.ipynb")

    def validate(name: str) -> str:
        ran = subprocess.run([str(BIN / "nbgrader"), "validate", name], cwd=work, capture_output=True, text=True,
                             env=ENV, timeout=600)
        return ran.stdout + ran.stderr

    assert "Success! Your notebook passes all the tests." in validate("right.ipynb")
    failed = validate("wrong.ipynb")
    assert "Success" not in failed and re.search(rf"\[{single.id}\] Not yet right", failed)


@pytest.mark.slow
def test_nbgrader_validate_lists_each_question_not_right_yet_in_one_line(tmp_path):
    """Validate on a notebook as released: every autograded question, one line each with what
    its check says (a question of the student's own version asks for STUDENT_ID), and no
    traceback into the toolkit."""
    work = tmp_path / "ch4"
    shutil.copytree(ROOT / "exercises" / "ch4", work)
    ran = subprocess.run([str(BIN / "nbgrader"), "validate", "ch4.ipynb"], cwd=work, capture_output=True, text=True,
                         env=ENV, timeout=600)
    out = ran.stdout + ran.stderr
    assert "Traceback" not in out and "autograder/student" not in out, out
    listed = re.findall(r"^\s+Not right yet: \[(\w+)\] (.+)$", out, re.M)
    autograded = [q.id for q in COURSE.assignment("ch4").questions if q.autograded]
    assert [qid for qid, _ in listed] == autograded, out
    assert any("STUDENT_ID" in said for _, said in listed) and any("No answer yet" in said for _, said in listed)
