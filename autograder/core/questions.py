"""Load questions from YAML and validate them: one-line errors naming the file, the
question and the problem.

An assignment is a YAML file (``solutions/<id>/questions.yml``); the book's practice
questions use the same schema.  Each kind checks its own fields (core/kinds/).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import QuestionError
from .kinds import KINDS
from .model import Assignment, Question

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
    q.rules.validate(q, _needs(where))
    return q


def _needs(where: str):
    def need(condition: bool, problem: str) -> None:
        if not condition:
            raise QuestionError(f"{where}: {problem}")
    return need


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
