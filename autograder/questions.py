"""Questions written once, as data.

An assignment is a YAML file (``solutions/<id>/questions.yml``); practice questions for
the book use the same schema.  Everything else (the nbgrader source notebook, the
student's hashed checks, the trusted key, the book's practice widgets) is derived from
the objects loaded here.  See docs/authoring.md for the schema with examples.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

KINDS = (
    "single",          # one choice out of several
    "multiple",        # several choices; partial credit
    "matching",        # left item -> one option (one-to-one)
    "ordering",        # a list of items put in order; partial credit
    "classification",  # items -> categories (many-to-one)
    "numeric",         # a number within a tolerance
    "data",            # a number, list or table computed with pandas
    "text",            # short text against an answer set, normalised
    "essay",           # graded by hand against a mark scheme
)
AUTOGRADED = tuple(k for k in KINDS if k != "essay")


class QuestionError(ValueError):
    """A question file that cannot be used; the message names the file and the problem."""


@dataclass
class Question:
    id: str
    kind: str
    prompt: str
    points: float = 1.0
    # the key, in the form the kind needs (see docs/authoring.md); may be computed by `solution`
    answer: Any = None
    choices: dict[str, str] = field(default_factory=dict)      # single, multiple
    items: list[str] = field(default_factory=list)             # ordering (in the right order)
    pairs: dict[str, str] = field(default_factory=dict)        # matching, classification
    options: list[str] = field(default_factory=list)           # matching: the right-hand side
    categories: list[str] = field(default_factory=list)        # classification
    tolerance: float | None = None                             # numeric, data (absolute)
    rel_tolerance: float | None = None                         # numeric, data (relative)
    ordered: bool = False                                      # data lists: does order count?
    solution: str = ""        # code that sets the answer variable (instructor side only)
    starter: str = ""         # the code the student starts from (defaults by kind)
    hint: str = ""            # shown on any wrong answer
    hints: dict[str, str] = field(default_factory=dict)        # per choice or per item
    mistakes: list[dict] = field(default_factory=list)         # common wrong values -> hint
    explanation: str = ""     # shown by practice widgets once answered (book only)
    rubric: list[dict] = field(default_factory=list)           # essay mark scheme
    model_answer: str = ""    # essay: what a full-marks answer covers (instructor only)

    @property
    def variable(self) -> str:
        """The name of the variable that holds the student's answer."""
        return f"answer_{self.id}"

    @property
    def autograded(self) -> bool:
        return self.kind != "essay"

    def public_items(self) -> list[str]:
        """What the student is given to work with, in a stable shuffled order (never the key order)."""
        if self.kind == "ordering":
            return stable_shuffle(self.items, self.id)
        if self.kind in ("matching", "classification"):
            return list(self.pairs)
        return []

    def public_options(self) -> list[str]:
        if self.kind == "matching":
            return sorted(set(self.options) | set(self.pairs.values()))
        if self.kind == "classification":
            return list(self.categories)
        return []


@dataclass
class Assignment:
    id: str
    title: str
    path: Path
    intro: str = ""
    setup: str = ""            # code run before any answer cell (imports, data loading)
    questions: list[Question] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)  # question id -> heading before it

    @property
    def notebook(self) -> str:
        return f"{self.id}.ipynb"

    @property
    def autograded(self) -> list[Question]:
        return [q for q in self.questions if q.autograded]

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)


def stable_shuffle(items: list[str], seed: str) -> list[str]:
    """A shuffle that is the same on every release (so exercises/ stays in sync)
    and never leaves the items in their key order."""
    import random

    shuffled = list(items)
    rng = random.Random(seed)
    for _ in range(20):
        rng.shuffle(shuffled)
        if shuffled != list(items) or len(items) < 2:
            break
    return shuffled


_FIELDS = set(Question.__dataclass_fields__)


def parse_question(data: Any, where: str) -> Question:
    if not isinstance(data, dict):
        raise QuestionError(f"{where}: a question must be a mapping, got {type(data).__name__}")
    unknown = set(data) - _FIELDS
    if unknown:
        raise QuestionError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for required in ("id", "kind", "prompt"):
        if required not in data:
            raise QuestionError(f"{where}: missing field '{required}'")
    q = Question(**data)
    q.id = str(q.id)
    where = f"{where} (question {q.id})"
    if not q.id.isidentifier():
        raise QuestionError(f"{where}: id must be a Python identifier such as q01")
    if q.kind not in KINDS:
        raise QuestionError(f"{where}: kind '{q.kind}' is not one of {', '.join(KINDS)}")
    try:
        q.points = float(q.points)
    except (TypeError, ValueError):
        raise QuestionError(f"{where}: points must be a number") from None
    if q.points <= 0:
        raise QuestionError(f"{where}: points must be positive")
    _check_kind(q, where)
    return q


def _check_kind(q: Question, where: str) -> None:
    def need(cond: bool, problem: str) -> None:
        if not cond:
            raise QuestionError(f"{where}: {problem}")

    if q.kind in ("single", "multiple"):
        q.choices = {str(k): str(v) for k, v in q.choices.items()}
        need(len(q.choices) >= 2, "needs at least two choices")
        keys = [q.answer] if q.kind == "single" else q.answer
        need(isinstance(keys, list) or q.kind == "single", "answer must be a list of choice ids")
        q.answer = str(q.answer) if q.kind == "single" else [str(k) for k in keys]
        for k in [q.answer] if q.kind == "single" else q.answer:
            need(k in q.choices, f"answer '{k}' is not one of the choices")
    elif q.kind == "ordering":
        need(len(q.items) >= 3, "needs at least three items to order")
        need(len(set(q.items)) == len(q.items), "items must be distinct")
        q.answer = list(q.items)
    elif q.kind in ("matching", "classification"):
        q.pairs = {str(k): str(v) for k, v in q.pairs.items()}
        need(len(q.pairs) >= 2, "needs at least two pairs")
        if q.kind == "classification":
            need(len(q.categories) >= 2, "needs at least two categories")
            for item, cat in q.pairs.items():
                need(cat in q.categories, f"'{item}' is put in '{cat}', which is not a category")
        q.answer = dict(q.pairs)
    elif q.kind == "numeric":
        need(q.answer is not None or q.solution, "needs an answer or a solution that computes it")
        need(q.tolerance is not None or q.rel_tolerance is not None, "needs a tolerance")
    elif q.kind == "data":
        need(bool(q.solution), "needs solution code that computes the answer")
    elif q.kind == "text":
        answers = q.answer if isinstance(q.answer, list) else [q.answer]
        need(all(isinstance(a, str) and a.strip() for a in answers), "answer must be a string or a list of strings")
        q.answer = answers
    elif q.kind == "essay":
        need(bool(q.rubric), "an essay needs a rubric (the mark scheme)")
        total = sum(float(r.get("points", 0)) for r in q.rubric)
        need(abs(total - q.points) < 1e-9, f"rubric points add up to {total:g}, not {q.points:g}")


def load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QuestionError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        raise QuestionError(f"{path}: not valid YAML{line}") from None


def load_questions(data: Any, where: str) -> list[Question]:
    if not isinstance(data, list):
        raise QuestionError(f"{where}: 'questions' must be a list")
    questions = [parse_question(item, f"{where}, item {n}") for n, item in enumerate(data, 1)]
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            raise QuestionError(f"{where}: question id '{q.id}' is used twice")
        seen.add(q.id)
    return questions


def load_assignment(path: Path) -> Assignment:
    """Load ``solutions/<id>/questions.yml`` (or any file of that shape)."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise QuestionError(f"{path}: expected a mapping with 'id', 'title' and 'questions'")
    for required in ("id", "title", "questions"):
        if required not in data:
            raise QuestionError(f"{path}: missing field '{required}'")
    questions_data = data["questions"]
    sections: dict[str, str] = {}
    flat: list[Any] = []
    # a 'section' entry puts a heading before the next question
    pending = None
    for item in questions_data if isinstance(questions_data, list) else []:
        if isinstance(item, dict) and set(item) == {"section"}:
            pending = str(item["section"])
            continue
        if pending and isinstance(item, dict) and "id" in item:
            sections[str(item["id"])] = pending
            pending = None
        flat.append(item)
    questions = load_questions(flat if isinstance(questions_data, list) else questions_data, str(path))
    return Assignment(
        id=str(data["id"]),
        title=str(data["title"]),
        path=path,
        intro=str(data.get("intro", "")),
        setup=str(data.get("setup", "")),
        questions=questions,
        sections=sections,
    )
