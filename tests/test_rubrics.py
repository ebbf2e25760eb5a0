"""Essays marked criterion by criterion: a rubric with levels in questions.yml, released as
one nbgrader task cell per criterion, marked in the gradebook as formgrader marks it, and
shown in the feedback, grades.csv, the export and the report."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from helpers import course_run, read_grades, require_command, set_answer, student_notebook, write_submission
from nbgrader.api import Gradebook

from autograder.core.questions import load_questions
from autograder.errors import QuestionError
from autograder.grading import checks
from autograder.grading.checks import Opened
from autograder.grading.instructor_copy import InstructorSecrets
from autograder.grading.submission import Submission
from autograder.nbmeta import grade_id, nbgrader_meta

FIXTURE = Path(__file__).parent / "fixtures" / "course"
pytestmark = pytest.mark.timeout(300)

RUBRIC = """      - id: thesis
        criterion: States a thesis
        levels:
          - {points: 1, descriptor: A clear thesis the essay argues for}
          - {points: 0.5, descriptor: "A position, but a vague one"}
          - {points: 0, descriptor: No position at all}
      - id: evidence
        criterion: Uses evidence
        levels:
          - {points: 1, descriptor: Evidence from the reading}
          - {points: 0, descriptor: No evidence}
"""
OLD_RUBRIC = "      - {criterion: Thesis, points: 1}\n      - {criterion: Evidence, points: 1}\n"


def essay(rubric: list[dict], points: float = 2) -> dict:
    return {"id": "e1", "kind": "essay", "prompt": "Discuss.", "points": points, "rubric": rubric}


def leveled(cid: str, *points: float) -> dict:
    return {"id": cid, "criterion": f"Criterion {cid}", "levels": [{"points": p, "descriptor": f"level {p}"}
                                                                  for p in points]}


def test_a_rubric_with_levels_is_read():
    q = load_questions([essay([leveled("thesis", 0, 1), leveled("evidence", 1, 0.5, 0)])], "f")[0]
    assert [r["id"] for r in q.rubric] == ["thesis", "evidence"]


@pytest.mark.parametrize("rubric, problem", [
    ([leveled("thesis", 1, 1, 0), leveled("evidence", 1, 0)], "two levels are worth the same points"),
    ([leveled("thesis", 1, 0), {"criterion": "Evidence", "points": 1}], "give every rubric criterion 'levels', or none"),
    ([leveled("thesis", 1, 0), leveled("thesis", 1, 0)], "id 'thesis' is used by another criterion"),
    ([{**leveled("thesis", 1, 0), "id": "Has Space"}, leveled("evidence", 1, 0)], "needs an 'id'"),
    ([leveled("thesis", 1, 0), leveled("evidence", 2, 0)], "rubric points add up to 3, not 2"),
    ([leveled("thesis", 1), leveled("evidence", 1, 0)], "at least two levels"),
    ([{**leveled("thesis", 1, 0), "points": 2}, leveled("evidence", 1, 0)], "not its highest level's"),
    ([{**leveled("thesis", 1, 0), "weight": 2}, leveled("evidence", 1, 0)], "unknown field(s) weight"),
])
def test_a_bad_rubric_is_one_line_naming_the_question_and_what_to_change(rubric, problem):
    with pytest.raises(QuestionError) as raised:
        load_questions([essay(rubric)], "questions.yml")
    message = str(raised.value)
    assert message.startswith("questions.yml, item 1 (question e1): ") and problem in message
    assert "\n" not in message


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    questions = root / "solutions" / "demo" / "questions.yml"
    assert OLD_RUBRIC in questions.read_text()
    questions.write_text(questions.read_text().replace(OLD_RUBRIC, RUBRIC))
    course_run("release", "demo", cwd=root)
    return root


def released(course: Path) -> nbformat.NotebookNode:
    return nbformat.read(course / "exercises" / "demo" / "demo.ipynb", as_version=4)


def test_release_makes_a_locked_task_cell_per_criterion_under_the_essay(course):
    nb = released(course)
    ids = [grade_id(c) for c in nb.cells]
    assert ids[ids.index("q5"):ids.index("q5") + 3] == ["q5", "q5_thesis", "q5_evidence"]
    answer, thesis, evidence = (nb.cells[ids.index(g)] for g in ("q5", "q5_thesis", "q5_evidence"))
    assert nbgrader_meta(answer)["solution"] and nbgrader_meta(answer)["points"] == 0   # the criteria carry the points
    for cell, points in ((thesis, 1), (evidence, 1)):
        meta = nbgrader_meta(cell)
        assert cell.cell_type == "markdown" and meta["task"] and meta["locked"] and not meta["solution"]
        assert meta["points"] == points and meta["checksum"]
    # the student reads the criterion and each level's descriptor and points
    assert "States a thesis" in thesis.source and "| 0.5 | A position, but a vague one |" in thesis.source
    assert "Uses evidence" in evidence.source and "No evidence" in evidence.source


def tampered_findings(course: Path, change) -> list[str]:
    submitted = released(course)
    change({grade_id(c): c for c in submitted.cells if grade_id(c)}, submitted)
    opened = Opened(Submission(path=Path("demo.ipynb"), notebook=submitted), released(course), InstructorSecrets(), "demo")
    return [f.message for check in checks.CHECKS for f in check(opened)]


@pytest.mark.parametrize("change, found", [
    (lambda cells, nb: setattr(cells["q5_thesis"], "source", cells["q5_thesis"].source.replace("| 0.5 |", "| 1 |")),
     "locked cell 'q5_thesis' was edited"),
    (lambda cells, nb: cells["q5_evidence"].metadata.nbgrader.update(points=10),
     "cell 'q5_evidence': its 'points' setting was changed"),
    (lambda cells, nb: cells["q5_evidence"].metadata.nbgrader.update(task=False),
     "cell 'q5_evidence': its 'task' setting was changed"),
    (lambda cells, nb: nb.cells.remove(cells["q5_thesis"]), "cell 'q5_thesis' was deleted"),
])
def test_tampering_with_a_criterion_cell_is_found(course, change, found):
    assert tampered_findings(course, lambda cells, nb: None) == []
    assert found in tampered_findings(course, change)


def mark(db: str, student: str, cell: str, score: float, comment: str = "") -> None:
    """What formgrader does when a marker types a score and a comment."""
    with Gradebook(db) as gb:
        grade = gb.find_grade(cell, "demo", "demo", student)
        grade.manual_score, grade.needs_manual_grade = score, False
        if comment:
            gb.find_comment(cell, "demo", "demo", student).manual_comment = comment
        gb.db.commit()


def grade(course: Path, subs: Path, workspace: Path, check: bool = True):
    return course_run("grade", "demo", "--submissions", str(subs), "--workspace", str(workspace), "--no-progress",
                      cwd=course, check=check)


@pytest.mark.sandbox
def test_criteria_are_marked_one_by_one_and_the_essay_is_their_sum(course, tmp_path):
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    subs, workspace = tmp_path / "submitted", tmp_path / "workspace"
    write_submission(subs, "writer", "demo", set_answer(student_notebook("demo", "solution", root=course), "q5",
                                                        "Consent matters because ..."))
    write_submission(subs, "blank", "demo", student_notebook("demo", "blank", root=course))
    grade(course, subs, workspace)
    rows = read_grades(workspace)
    assert rows[("writer", "demo")]["manual_pending"] == "2"      # two criteria to mark
    assert rows[("blank", "demo")]["manual_pending"] == "0"       # a blank essay scores 0 at once
    db = f"sqlite:///{workspace / 'gradebook.db'}"
    with Gradebook(db) as gb:
        assert gb.find_grade("q5_thesis", "demo", "demo", "writer").needs_manual_grade
        assert gb.find_grade("q5", "demo", "demo", "writer").auto_score == 0   # the answer cell waits for nobody

    mark(db, "writer", "q5_thesis", 0.5, "Your position <b>wavers</b>.")
    grade(course, subs, workspace)
    page = (workspace / "feedback" / "writer" / "demo.html").read_text()
    assert "A position, but a vague one" in page and "Your position &lt;b&gt;wavers&lt;/b&gt;." in page
    assert "not marked yet" in page and "1 mark still to be graded by hand" in page
    course_run("export", "--format", "csv", "--workspace", str(workspace), cwd=course)
    export = (workspace / "grades-csv.csv").read_text()
    assert "writer,demo,4.5,6,ok,q5_evidence" in export   # pending until every criterion is marked

    mark(db, "writer", "q5_evidence", 0.75, "Some evidence, not cited.")
    grade(course, subs, workspace)
    page = (workspace / "feedback" / "writer" / "demo.html").read_text()
    assert "between levels" in page and "0.75 / 1" in page and "Some evidence, not cited." in page
    assert "still to be graded by hand" not in page and "Score: <strong>5.25 / 6</strong>" in page
    course_run("export", "--format", "csv", "--workspace", str(workspace), cwd=course)
    assert "writer,demo,5.25,6,ok,\n" in (workspace / "grades-csv.csv").read_text().replace("\r\n", "\n")
    report = (workspace / "report-demo.html").read_text()
    criteria = report[report.index("Essay criteria"):]
    # thesis: the writer at 0.5, the blank essay at 0; evidence: the writer between levels, the blank at 0
    assert "0.5: <strong>1</strong>" in criteria and "0: <strong>1</strong>" in criteria
    assert "<td>1</td><td>0</td>" in criteria   # evidence: one between levels, none unmarked


@pytest.mark.sandbox
def test_changing_a_marked_essays_rubric_is_refused_and_an_unmarked_one_follows(course, tmp_path):
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    own = tmp_path / "course"
    shutil.copytree(course, own)
    subs, workspace = tmp_path / "submitted", tmp_path / "workspace"
    write_submission(subs, "writer", "demo", set_answer(student_notebook("demo", "solution", root=own), "q5", "An essay."))
    grade(own, subs, workspace)
    questions = own / "solutions" / "demo" / "questions.yml"
    # evidence becomes 'sources' (renamed): nothing is marked yet, so the gradebook follows
    questions.write_text(questions.read_text().replace("id: evidence", "id: sources"))
    course_run("release", "demo", cwd=own)
    grade(own, subs, workspace)
    db = f"sqlite:///{workspace / 'gradebook.db'}"
    with Gradebook(db) as gb:
        assert sorted(c.name for c in gb.find_notebook("demo", "demo").task_cells) == ["q5_sources", "q5_thesis"]
        assert gb.find_submission("demo", "writer").max_score == 6
    mark(db, "writer", "q5_thesis", 1)
    questions.write_text(questions.read_text().replace("id: sources", "id: evidence"))
    course_run("release", "demo", cwd=own)
    refused = grade(own, subs, workspace, check=False)
    assert refused.returncode != 0
    line = refused.stderr.strip().splitlines()[-1]
    assert "essay 'q5' already has hand marks" in line and "q5_sources" in line and "q5_evidence" in line
    with Gradebook(db) as gb:   # nothing lost
        assert gb.find_grade("q5_thesis", "demo", "demo", "writer").manual_score == 1
