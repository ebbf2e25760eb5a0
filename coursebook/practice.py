"""Practice questions for a course's book: written as data in the assignments' schema
(a YAML file per chapter), checked in the reader's browser by the same rules as the
grader (autograder/core/kinds/*.js), with the key at hand: a practice question may show
its answer, a graded one never reaches the book.
"""
from __future__ import annotations

from importlib import resources

from autograder.core.checks import public_question
from autograder.core.kinds import KINDS
from autograder.core.model import Question
from autograder.core.questions import load_questions, load_yaml

from .widgets import BookWidget, asset, front_end

RULES_PACKAGE = "autograder.core.kinds"


def rules_js() -> str:
    """The browser's scoring rules: the shared part, then each kind's rule."""
    files = dict.fromkeys(kind.js_rule for kind in KINDS.values() if kind.js_rule)
    return asset(RULES_PACKAGE, "base.js") + "".join(asset(RULES_PACKAGE, name) for name in files)


def practisable(q: Question) -> bool:
    """Whether the browser can judge this kind (data and essays need a kernel or a person)."""
    return bool(q.rules.js_rule)


class PracticeQuestion(BookWidget):
    _esm = front_end(__package__ + ".widgets", "practice", rules_js(), helpers=("controls",))


def load_practice(package: str, chapter: str) -> list[Question]:
    """The practice questions of `chapter`, from `<chapter>.yml` in `package`."""
    path = resources.files(package) / f"{chapter}.yml"
    with resources.as_file(path) as file:
        return load_questions(load_yaml(file).get("questions"), str(file))


def oracle_spec(q: Question) -> dict:
    """What the browser's key oracle needs besides the key (see keyOracle in base.js)."""
    return {"hints": q.hints, "mistakes": q.mistakes, "tolerance": q.tolerance, "rel_tolerance": q.rel_tolerance}


def practice_widget(q: Question, where: str = "") -> PracticeQuestion:
    """The widget of one practice question."""
    if not practisable(q):
        raise ValueError(f"{where}practice question '{q.id}' is a {q.kind} question, which needs a kernel")
    data = {
        "id": q.id, "kind": q.kind, "prompt": q.prompt.strip(), "question": public_question(q), "key": q.answer,
        "oracle": oracle_spec(q), "explanation": q.explanation.strip(),
        "answer_text": q.rules.answer_text(q), "title": "Check your understanding",
    }
    return PracticeQuestion(data=data, label=f"Practice question {q.id}")
