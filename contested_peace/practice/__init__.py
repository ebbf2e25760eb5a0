"""Practice questions for the book, written as data in the same schema as assignments.

``practice("ch1", "p1")`` returns a widget that checks the reader's answer in the
browser.  Practice questions may show their answers; graded ones never reach the book.
"""
from __future__ import annotations

from importlib import resources

from autograder.questions import Question, load_questions, load_yaml, stable_shuffle

from ..widgets.base import BookWidget, front_end


class PracticeQuestion(BookWidget):
    _esm = front_end("practice")


def questions(chapter: str) -> list[Question]:
    path = resources.files(__name__) / f"{chapter}.yml"
    with resources.as_file(path) as file:
        return load_questions(load_yaml(file).get("questions"), str(file))


def answer_text(q: Question) -> str:
    if q.kind == "single":
        return f"{q.answer}) {q.choices[q.answer]}"
    if q.kind == "multiple":
        return "; ".join(f"{c}) {q.choices[c]}" for c in q.answer)
    if q.kind in ("matching", "classification"):
        return "; ".join(f"{k} → {v}" for k, v in q.pairs.items())
    if q.kind == "ordering":
        return " → ".join(q.items)
    if q.kind == "text":
        return q.answer[0]
    return f"{q.answer}"


def practice(chapter: str, question_id: str) -> PracticeQuestion:
    q = next((q for q in questions(chapter) if q.id == question_id), None)
    if q is None:
        raise KeyError(f"{chapter}.yml has no practice question '{question_id}'")
    if q.kind in ("data", "essay"):
        raise ValueError(f"{chapter}.yml: practice question '{q.id}' is a {q.kind} question, which needs a kernel")
    data = {
        "id": q.id, "kind": q.kind, "prompt": q.prompt.strip(), "choices": q.choices, "answer": q.answer,
        "items": q.items, "shuffled": stable_shuffle(q.items, q.id), "pairs": q.pairs,
        "options": q.options, "categories": q.categories, "tolerance": q.tolerance,
        "rel_tolerance": q.rel_tolerance, "hint": q.hint, "hints": q.hints,
        "explanation": q.explanation.strip(), "answer_text": answer_text(q),
        "title": "Check your understanding",
    }
    return PracticeQuestion(data=data, label=f"Practice question {q.id}")
