"""Rubric criteria with levels, in process: what release reads from questions.yml (the
criteria, their levels and grade ids), which rubrics it refuses and how, and which level a
marker's score lands on.  Fast: tests/test_rubrics.py runs the same rubrics through release,
formgrader's gradebook and the outputs."""
from __future__ import annotations

import pytest

from autograder.core.kinds.essay import Criterion, Level, criteria
from autograder.core.questions import load_questions, parse_question
from autograder.errors import QuestionError
from autograder.grading.graders import GradedQuestion


def essay(rubric, points: float = 2):
    return {"id": "e1", "kind": "essay", "prompt": "Discuss.", "points": points, "rubric": rubric}


def leveled(cid: str, *points: float, **extra) -> dict:
    return {"id": cid, "criterion": f"Criterion {cid}",
            "levels": [{"points": p, "descriptor": f"level {p:g}"} for p in points], **extra}


def read(rubric, points: float = 2):
    return load_questions([essay(rubric, points)], "questions.yml")[0]


def refusal(rubric, points: float = 2) -> str:
    with pytest.raises(QuestionError) as raised:
        read(rubric, points)
    message = str(raised.value)
    assert message.startswith("questions.yml, item 1 (question e1): ") and "\n" not in message
    return message.removeprefix("questions.yml, item 1 (question e1): ")


def test_criteria_are_read_with_their_levels_highest_first_and_their_own_grade_ids():
    q = read([{"id": "thesis", "criterion": "  States a thesis ",
               "levels": [{"points": 0, "descriptor": " None "}, {"points": 1.5, "descriptor": "Clear"},
                          {"points": 1, "descriptor": "Vague"}]},
              leveled("evidence", 0, 0.5)])
    thesis, evidence = criteria(q)
    assert thesis == Criterion("thesis", "States a thesis",
                               (Level(1.5, "Clear"), Level(1.0, "Vague"), Level(0.0, "None")))
    assert (thesis.points, evidence.points) == (1.5, 0.5)
    assert (thesis.cell_id("e1"), evidence.cell_id("q5")) == ("e1_thesis", "q5_evidence")
    assert all(isinstance(level.points, float) for level in thesis.levels)


def test_an_essay_marked_as_a_whole_or_another_kind_has_no_criteria():
    whole = read([{"criterion": "Thesis", "points": 1}, {"criterion": "Evidence", "points": 1}])
    assert criteria(whole) == []
    text = parse_question({"id": "t", "kind": "text", "prompt": "p", "answer": "x"}, "f")
    assert criteria(text) == []
    text.rubric = [leveled("thesis", 1, 0)]          # a rubric on another kind is not marked by criteria
    assert criteria(text) == []
    # the report and feedback of an nbgrader course ask about its test-cell questions, which have no rubric
    assert criteria(GradedQuestion("demo/q1", "essay", 2)) == []


def test_the_level_a_marker_gives_is_found_by_its_points_and_none_between_levels():
    thesis = criteria(read([leveled("thesis", 1, 0.5, 0), leveled("evidence", 1, 0)]))[0]
    assert thesis.level_for(1) == Level(1.0, "level 1")
    assert thesis.level_for(0.5) == Level(0.5, "level 0.5")
    assert thesis.level_for(0) == Level(0.0, "level 0")            # marked 0 is a level, not unmarked
    assert thesis.level_for(0.1 + 0.2 + 0.2) == Level(0.5, "level 0.5")   # float sums still land
    assert thesis.level_for(0.75) is None and thesis.level_for(0.5 + 1e-6) is None
    assert thesis.level_for(None) is None and thesis.level_for(-0.5) is None and thesis.level_for(2) is None


def test_a_leveled_essay_tells_the_student_where_the_criteria_are():
    q = read([leveled("thesis", 1, 0), leveled("evidence", 1, 0)])
    assert q.rules.prompt(q, ["## Q", "", "Discuss."]) == (
        "## Q\n\nDiscuss.\nYou are marked on the criteria listed under your answer; each shows what an answer "
        "at each level does.\n\nWrite your answer in the cell below.")


def test_good_rubrics_are_accepted():
    read([{**leveled("thesis", 1, 0), "points": 1}, leveled("evidence", 1, 0)])   # points = highest level
    read([leveled("thesis", 1.5, 0), leveled("evidence", 0.5, 0)])
    read([leveled("a_b2", 1, 0)], points=1)
    read([{"criterion": "Thesis", "points": 0.5}, {"criterion": "Evidence", "points": 1.5}])
    read([{"criterion": "Whole", "points": 2}])


TAKEN = "not answer, prompt, section, show"


@pytest.mark.parametrize("rubric, problem", [
    ([], "an essay needs a rubric (the mark scheme)"),
    ({"criterion": "Thesis", "points": 2}, "an essay needs a rubric (the mark scheme)"),
    ([{"criterion": "  ", "points": 2}], "each rubric entry needs a 'criterion' (what is marked)"),
    ([{"points": 2}], "each rubric entry needs a 'criterion' (what is marked)"),
    (["Thesis"], "each rubric entry needs a 'criterion' (what is marked)"),
    ([{"criterion": "Thesis", "points": 2, "weight": 1, "max": 2}], "rubric criterion 1 has unknown field(s) max, weight"),
    ([leveled("thesis", 1, 0), {"criterion": "Evidence", "points": 1}],
     "give every rubric criterion 'levels', or none (a rubric is marked criterion by criterion, or as a whole)"),
    ([{"criterion": "Evidence", "points": 1}, leveled("thesis", 1, 0)], "give every rubric criterion 'levels', or none"),
    ([{"criterion": "Thesis", "points": 1}, {"criterion": "Evidence"}],
     "rubric criterion 2 needs 'points' (more than 0) or 'levels'"),
    ([{"criterion": "Thesis", "points": 2}, {"criterion": "Evidence", "points": 0}],
     "rubric criterion 2 needs 'points' (more than 0) or 'levels'"),
    ([{"criterion": "Thesis", "points": 3}, {"criterion": "Evidence", "points": -1}],
     "rubric criterion 2 needs 'points' (more than 0) or 'levels'"),
    ([{"criterion": "Thesis", "points": "2"}], "rubric criterion 1 needs 'points' (more than 0) or 'levels'"),
    ([{"criterion": "Thesis", "points": 1}], "rubric points add up to 1, not 2"),
    ([{"criterion": "Thesis", "points": 1.5}, {"criterion": "Evidence", "points": 1}], "rubric points add up to 2.5, not 2"),
    ([leveled("thesis", 1, 0), leveled("evidence", 0.5, 0)], "rubric points add up to 1.5, not 2"),
])
def test_a_rubric_is_refused_naming_what_to_change(rubric, problem):
    assert refusal(rubric).startswith(problem)


@pytest.mark.parametrize("first, problem", [
    ({**leveled("thesis", 1, 0), "id": None}, "needs an 'id': a short lower-case word such as 'evidence' (" + TAKEN + ")"),
    ({**leveled("thesis", 1, 0), "id": 7}, "needs an 'id'"),
    ({**leveled("thesis", 1, 0), "id": "Thesis"}, "needs an 'id'"),
    ({**leveled("thesis", 1, 0), "id": "the thesis"}, "needs an 'id'"),
    ({**leveled("thesis", 1, 0), "id": "answer"}, "needs an 'id'"),
    ({**leveled("thesis", 1, 0), "id": "show"}, "needs an 'id'"),
    ({**leveled("thesis", 1, 0), "levels": "good or bad"}, "levels must list at least two levels, each with 'points' and 'descriptor'"),
    (leveled("thesis", 1), "levels must list at least two levels"),
    ({**leveled("thesis", 1, 0), "levels": [{"points": 1, "descriptor": "d"}, "poor"]}, "levels must list at least two levels"),
    ({**leveled("thesis", 1, 0), "levels": [{"points": 1, "descriptor": "d", "note": 1, "extra": 2},
                                            {"points": 0, "descriptor": "e"}]}, "a level has unknown field(s) extra, note"),
    ({**leveled("thesis", 1, 0), "levels": [{"points": 1, "descriptor": "d"}, {"descriptor": "e"}]},
     "each level needs 'points', a number of 0 or more"),
    ({**leveled("thesis", 1, 0), "levels": [{"points": 1, "descriptor": "d"}, {"points": -1, "descriptor": "e"}]},
     "each level needs 'points', a number of 0 or more"),
    ({**leveled("thesis", 1, 0), "levels": [{"points": True, "descriptor": "d"}, {"points": 0, "descriptor": "e"}]},
     "each level needs 'points', a number of 0 or more"),
    ({**leveled("thesis", 1, 0), "levels": [{"points": "1", "descriptor": "d"}, {"points": 0, "descriptor": "e"}]},
     "each level needs 'points', a number of 0 or more"),
    ({**leveled("thesis", 1, 0), "levels": [{"points": 1, "descriptor": " "}, {"points": 0, "descriptor": "e"}]},
     "each level needs a 'descriptor' (what an answer at that level does)"),
    ({**leveled("thesis", 1, 0), "levels": [{"points": 1, "descriptor": "d"}, {"points": 0}]}, "each level needs a 'descriptor'"),
    ({**leveled("thesis", 1, 0), "levels": [{"points": 1, "descriptor": "d"}, {"points": 0, "descriptor": 3}]},
     "each level needs a 'descriptor'"),
    (leveled("thesis", 1, 0, 1.0), "two levels are worth the same points; give each level its own points"),
    (leveled("thesis", 1, 0, points=2), "its points (2) are not its highest level's (1); drop them"),
    (leveled("thesis", 1, 0, points="1"), "its points (1) are not its highest level's (1); drop them"),
])
def test_a_leveled_criterion_is_refused_naming_it_and_what_to_change(first, problem):
    message = refusal([first, leveled("evidence", 1, 0)])
    assert message.startswith("rubric criterion 1") and problem in message
    if "needs an 'id'" not in problem:
        assert message.startswith("rubric criterion 1 ('thesis')") or "used by another" in message


def test_the_second_criterion_is_named_by_its_place():
    message = refusal([leveled("thesis", 1, 0), {**leveled("evidence", 1, 0), "id": "Evidence"}])
    assert message.startswith("rubric criterion 2 needs an 'id'")
    message = refusal([leveled("thesis", 1, 0), leveled("thesis", 1, 0)])
    assert message == "rubric criterion 2: id 'thesis' is used by another criterion"
