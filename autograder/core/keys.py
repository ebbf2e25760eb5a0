"""The trusted key of every question: written in questions.yml, or computed by running the
instructor's solution code (data questions, model-based numeric questions).  Instructor
side only: a key never leaves the grading machine."""
from __future__ import annotations

from typing import Any

from ..errors import QuestionError
from .model import Assignment
from .plain import to_plain


def compute_keys(assignment: Assignment, setup: dict[str, Any] | None = None) -> dict[str, Any]:
    """The plain key of every autograded question of an assignment.  `setup` is the
    namespace its setup code left, when the caller ran it already."""
    needs_code = [q for q in assignment.autograded if q.solution and q.answer is None]
    if setup is None:
        setup = run_setup(assignment) if needs_code else {}
    namespace = dict(setup)   # each version's solutions start from the same setup
    keys = {}
    for q in assignment.autograded:
        if q.solution and q.answer is None:
            _run(q.solution, namespace, f"{assignment.path}: solution of {q.id}")
            if q.variable not in namespace:
                raise QuestionError(f"{assignment.path}: the solution of {q.id} does not set {q.variable}")
            keys[q.id] = to_plain(namespace[q.variable])
        else:
            keys[q.id] = to_plain(q.answer)
        problem = q.rules.key_problem(q, keys[q.id])
        if problem:
            raise QuestionError(f"{assignment.path}: the key of {q.id} {problem}")
    return keys


def run_setup(assignment: Assignment) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    _run(assignment.setup, namespace, f"{assignment.path}: setup")
    return namespace


def compute_version_keys(versions: list[Assignment]) -> list[dict[str, Any]]:
    """The keys of every version of an assignment, its setup run once."""
    setup = run_setup(versions[0]) if any(q.solution and q.answer is None for q in versions[0].autograded) else {}
    return [compute_keys(version, setup) for version in versions]


def _run(code: str, namespace: dict, where: str) -> None:
    try:
        exec(compile(code, where, "exec"), namespace)  # instructor's own code: trusted
    except Exception as exc:  # report any failure as a one-line error naming the file
        raise QuestionError(f"{where} fails: {type(exc).__name__}: {exc}") from None
