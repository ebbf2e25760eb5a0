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
from .model import Assignment, Question, feedback_policy

_FIELDS = set(Question.__dataclass_fields__)
VARYING_KINDS = ("numeric", "data")           # kinds whose parameters may be drawn per student


def parse_question(data: Any, where: str) -> Question:
    if not isinstance(data, dict):
        raise QuestionError(f"{where}: a question must be a mapping, got {type(data).__name__}")
    unknown = set(data) - _FIELDS
    if unknown:
        raise QuestionError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for required in ("id", "kind", "prompt") if not data.get("pool") else ("id", "kind"):
        if required not in data:
            raise QuestionError(f"{where}: missing field '{required}'")
    q = Question(**{"prompt": "", **data})
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
    need = needs(where)
    if q.feedback is not None:
        q.feedback = feedback_policy(q.feedback, where)
    if q.pool:
        _check_pool(q, data, where)
    else:
        q.rules.validate(q, need)
    if q.parameters:
        need(q.kind in VARYING_KINDS, f"parameters are for {' and '.join(VARYING_KINDS)} questions")
        need(isinstance(q.parameters, dict) and all(str(k).isidentifier() and isinstance(v, list) and v
                                                    for k, v in q.parameters.items()),
             "parameters must map names to non-empty lists of values")
        need(not q.mistakes, "mistakes cannot be used with parameters (their values would differ per student)")
    if q.shuffle:
        need(q.rules.shuffles, f"a {q.kind} question has no options to shuffle")
    return q


def _check_pool(q: Question, data: dict, where: str) -> None:
    """Each version of a pooled question must be a valid question on its own."""
    need = needs(where)
    need(isinstance(q.pool, list) and len(q.pool) >= 2 and all(isinstance(v, dict) for v in q.pool),
         "pool must list at least two versions of the question")
    base = {k: v for k, v in data.items() if k not in ("pool", "parameters", "shuffle")}
    for n, version in enumerate(q.pool, 1):
        need("id" not in version and "kind" not in version, "a pooled version keeps the question's id and kind")
        parse_question({**base, **version}, f"{where}, version {n}")


def needs(where: str):
    def need(condition: bool, problem: str) -> None:
        if not condition:
            raise QuestionError(f"{where}: {problem}")
    return need


# libyaml's safe loader where PyYAML was built with it: the same documents, ten times faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
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
        feedback=feedback_policy(data.get("feedback"), str(path)),
        variants=_variant_count(data.get("variants", 0), path),
    )


def _variant_count(value: Any, path: Path) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise QuestionError(f"{path}: variants must be a whole number of versions")
    return value
