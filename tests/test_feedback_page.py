"""A student's feedback page, as read on a phone the night before the deadline: it fits a
375 px screen, and a notebook that could not be graded gets one plain paragraph saying what
went wrong, what to do and whom to write to (the course's `contact`), not a status per
question."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from autograder.course import course_config
from autograder.grading.results import QuestionResult, StudentResult
from autograder.outputs.feedback import write_feedback

pytestmark = pytest.mark.timeout(120)
ASSIGNMENT = SimpleNamespace(id="ch4", title="Security guarantees")
PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def graded() -> StudentResult:
    """Long ids and messages, as a real assignment's are."""
    message = ("Not yet right: two of the five documents are in the wrong category; look again at which "
               "promises bind the one who makes them and which only declare an intention.")
    questions = [QuestionResult(f"commitment_sorting_question_{i}", "classification", 1.0 if i % 2 else 0.0, 2.0,
                                "partial" if i % 2 else "wrong", message) for i in range(14)]
    return StudentResult("student_with_a_long_identifier_2026", ASSIGNMENT.id, "ok", "", questions)


def unreadable() -> StudentResult:
    questions = [QuestionResult(f"q{i}", "single", 0.0, 1.0, "error", "invalid-json") for i in range(14)]
    return StudentResult("ada", ASSIGNMENT.id, "invalid-json", "ch4/ch4.ipynb: not valid JSON (line 1, column 12)",
                         questions)


def page_width(chromium, path) -> int:
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.goto(path.as_uri())
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    return width


@pytest.mark.browser
def test_the_feedback_page_fits_a_phone(chromium, tmp_path):
    for page in write_feedback(tmp_path, ASSIGNMENT, [graded(), unreadable()]):
        assert page_width(chromium, page) <= 375, f"{page.name} of {page.parent.name} scrolls sideways on a phone"


def test_a_notebook_that_could_not_be_graded_gets_one_plain_paragraph_with_the_contact(tmp_path):
    (page,) = write_feedback(tmp_path, ASSIGNMENT, [unreadable()], contact="Dr Lin, lin@example.edu")
    html = page.read_text()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "<table" not in html and html.count("invalid-json") == 1, "a status per question"
    assert "could not be graded" in text and "damaged or cut short" in text
    assert "Restart and Run All" in text and "hand it in again" in text
    assert "write to Dr Lin, lin@example.edu" in text
    # without a contact in the course's configuration, the page still says whom to ask
    (page,) = write_feedback(tmp_path, ASSIGNMENT, [unreadable()])
    assert "write to your instructor" in re.sub(r"\s+", " ", page.read_text())


def test_the_contact_comes_from_the_course_block(tmp_path):
    (tmp_path / "_config.yml").write_text('course:\n  name: demo\n  contact: "lin@example.edu"\n')
    assert course_config(tmp_path).contact == "lin@example.edu"
