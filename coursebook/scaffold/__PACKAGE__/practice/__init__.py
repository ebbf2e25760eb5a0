"""The course's practice questions, one YAML file per chapter (ch1.yml ...), in the same
schema as the assignments.  ``practice("ch1", "p1")`` is the widget of one of them."""
from __future__ import annotations

from coursebook.practice import PracticeQuestion, load_practice, practice_widget


def practice(chapter: str, question_id: str) -> PracticeQuestion:
    q = next((q for q in load_practice(__name__, chapter) if q.id == question_id), None)
    if q is None:
        raise KeyError(f"{chapter}.yml has no practice question '{question_id}'")
    return practice_widget(q, f"{chapter}.yml: ")
