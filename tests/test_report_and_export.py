"""The instructor's report computes the right figures, and the exports carry every
student and assignment, with an empty cell where a student has no grade."""
from __future__ import annotations

import csv
import math
from types import SimpleNamespace

import pandas as pd
import pytest

from autograder.grading.results import QuestionResult, StudentResult
from autograder.outputs.export import export
from autograder.outputs.grades_csv import write_grades_csv
from autograder.outputs.report import flag, question_table, write_report
from autograder.outputs.store import save_result

pytestmark = pytest.mark.timeout(60)


def result(student: str, assignment: str, points: list[float | None], status: str = "ok") -> StudentResult:
    questions = [QuestionResult(f"q{i}", "single", p, 1.0, "correct", "") for i, p in enumerate(points, 1)]
    return StudentResult(student, assignment, status, "", questions)


CLASS = [result("a", "hw", [1, 1, 1]), result("b", "hw", [1, 1, 0]), result("c", "hw", [1, 0, 0]),
         result("d", "hw", [0, 0, 0]), result("e", "hw", [0, 0, 0], status="missing"),
         result("f", "hw", [0, 0, 0], status="invalid-json")]   # could not be graded: no zero in any figure


def test_difficulty_and_discrimination_are_computed_by_the_book():
    table = question_table(CLASS)
    assert list(table.index) == ["q1", "q2", "q3"]
    # the missing and the unreadable ones are left out
    assert table.loc["q1", "difficulty"] == 0.75 and table.loc["q3", "difficulty"] == 0.25
    # corrected item-total correlation: q2 against the sum of q1 and q3
    items, rest = pd.Series([1, 1, 0, 0.0]), pd.Series([2, 1, 1, 0.0])
    assert math.isclose(table.loc["q2", "discrimination"], items.corr(rest))
    assert table.loc["q1", "answered"] == 4


def test_a_question_everyone_got_right_has_no_discrimination():
    table = question_table([result(s, "hw", [1, p]) for s, p in zip("abcd", [1, 0, 1, 0], strict=True)])
    assert math.isnan(table.loc["q1", "discrimination"]) and table.loc["q1", "difficulty"] == 1


@pytest.mark.parametrize("difficulty, discrimination, note", [
    (0.2, 0.5, "hard"), (0.99, 0.5, "very easy"), (0.5, 0.05, "does not separate strong from weak: review it"),
    (0.5, 0.5, ""), (float("nan"), float("nan"), "")])
def test_flags(difficulty, discrimination, note):
    assert flag(difficulty, discrimination) == note


def test_the_report_shows_the_figures(tmp_path):
    assignment = SimpleNamespace(id="hw", title="Homework", max_score=3.0,
                                 questions=[SimpleNamespace(id=f"q{i}", kind="single", points=1.0,
                                                            prompt=f"Which instrument fits case {i}?\n" + "Long. " * 40)
                                            for i in (1, 2, 3)])
    page = write_report(tmp_path, assignment, CLASS).read_text()
    assert "6 submissions; 4 graded; 1 could not be graded, left out of every figure" in page
    assert "Mean 1.50, median 1.50 of 3 points" in page
    # each question by its id and its prompt (shortened to one line)
    assert "<td>q1</td><td>Which instrument fits case 1? Long. Long." in page and "Long. …</td><td>single</td><td>1</td><td>0.75</td>" in page
    assert "<td>very easy" not in page
    # listed among the submissions to look at
    assert "<td>e</td><td>missing</td>" in page and "<td>f</td><td>invalid-json</td>" in page


@pytest.fixture
def workspace(tmp_path):
    for r in [result("ann", "ch1", [1, 1]), result("bob", "ch1", [0, 1]), result("ann", "ch2", [1, 0, 1]),
              result("=cmd", "ch2", [0, 0, 0])]:
        save_result(tmp_path, r)
    write_grades_csv(tmp_path)
    return tmp_path


def rows(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_canvas_export_has_every_assignment_and_a_blank_where_a_grade_is_missing(workspace):
    table = rows(export(workspace, "canvas"))
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "ch1", "ch2"]
    assert table[1] == ["Points Possible", "", "", "", "", "2", "3"]
    by_student = {row[0]: row for row in table[2:]}
    assert by_student["ann"][5:] == ["2", "2"] and by_student["bob"][5:] == ["1", ""]
    # a spreadsheet would run "=cmd" as a formula: every cell of it is neutralised
    assert by_student["'=cmd"][:5] == ["'=cmd", "", "'=cmd", "'=cmd", ""] and by_student["'=cmd"][5:] == ["", "0"]


def test_moodle_and_csv_exports(workspace):
    moodle = {row[0]: row[1:] for row in rows(export(workspace, "moodle"))}
    assert moodle["ID number"] == ["ch1", "ch2"] and moodle["bob"] == ["1", ""]
    flat = rows(export(workspace, "csv"))
    assert flat[0] == ["student_id", "assignment", "score", "max_score", "status"] and len(flat) == 5


HOSTILE_IDS = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-dash", "@sum", "\tlead", "\rcr", "'=already", "'plain",
               "a,b", 'say "hi"', "line\nbreak", "＝full", "NA", "ok"]


@pytest.fixture
def hostile_workspace(tmp_path):
    for student in HOSTILE_IDS:
        save_result(tmp_path, result(student, "ch1", [1, 0]))
    write_grades_csv(tmp_path)
    return tmp_path


def test_no_cell_of_grades_csv_or_any_export_starts_a_formula(hostile_workspace):
    paths = [hostile_workspace / "grades.csv"] + [export(hostile_workspace, fmt) for fmt in ("csv", "canvas", "moodle")]
    for path in paths:
        cells = [cell for row in rows(path) for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r", "＝")], path.name
        assert "'=HYPERLINK(\"http://x\",\"y\")" in cells and "'-dash" in cells and "'\tlead" in cells, path.name
        assert "a,b" in cells and 'say "hi"' in cells and "line\nbreak" in cells, path.name   # quoted, not split


def test_the_projects_readers_give_back_the_raw_ids(hostile_workspace):
    from autograder.outputs.export import read_grades
    from autograder.outputs.grades_csv import read_grades_csv
    assert sorted(r["student_id"] for r in read_grades_csv(hostile_workspace / "grades.csv")) == sorted(HOSTILE_IDS)
    assert sorted(read_grades(hostile_workspace)["student_id"]) == sorted(HOSTILE_IDS)
    # the results beside grades.csv keep the raw ids
    from autograder.outputs.store import load_results
    assert sorted(r.student_id for r in load_results(hostile_workspace)) == sorted(HOSTILE_IDS)


@pytest.mark.parametrize("value", HOSTILE_IDS + ["", "''=x", "'", "-", "1.5"])
def test_neutralise_and_restore_are_inverse(value):
    from autograder.outputs.spreadsheet import neutralise, restore
    assert restore(neutralise(value)) == value
    assert not neutralise(value).startswith(("=", "+", "-", "@", "\t", "\r"))
