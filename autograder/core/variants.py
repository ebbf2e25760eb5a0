"""Per-student variants: so that one key cannot circulate through a class.

A question varies when it has a `pool` (one of several versions), `parameters` (values
drawn for its ${name} placeholders; its key is computed by the trusted side for each
draw) or `shuffle` (its options in another order, so under other letters).  At release the
assignment becomes a finite table of concrete versions, `concrete(assignment, v, seed)`
for v in range(count): each drawn from the course's seed (`course.seed` in _config.yml),
the assignment and v.  A student's version is a function of the seed, the assignment and
the student's id (`variant_of`), so the student's notebook, their check and the grader all
find the same one.
"""
from __future__ import annotations

import dataclasses
import hashlib
import random
from string import Template
from typing import Any

from .model import Assignment, Question
from .questions import needs

DEFAULT_COUNT = 40
# where ${name} placeholders are filled: text fields (a list or a mapping in them is left as written)
TEMPLATED = ("prompt", "solution", "hint", "explanation")


def count(assignment: Assignment) -> int:
    """How many versions the assignment has (1 when nothing varies)."""
    if not assignment.has_variants:
        return 1
    return assignment.variants or DEFAULT_COUNT


def variant_salt(seed: str, assignment_id: str) -> str:
    """What the student's side needs to find a student's version, without the seed itself."""
    return hashlib.sha256(f"{seed}/{assignment_id}".encode()).hexdigest()[:16]


def variant_of(student_id: str, salt: str, n: int) -> int:
    """The version student `student_id` gets, of the `n` made with `salt`."""
    return int(hashlib.sha256(f"{salt}/{student_id}".encode()).hexdigest(), 16) % n


def concrete(assignment: Assignment, v: int, seed: str) -> Assignment:
    """Version `v` of the assignment: every question made concrete.  A parameter is drawn
    once per version, so questions that name the same parameter (with the same values)
    agree: "the same war" in two questions is the same war."""
    base = f"{seed}/{assignment.id}/{v}"

    def draw(name: str, options: list) -> Any:
        return random.Random(f"{base}/parameter/{name}/{options!r}").choice(options)

    questions = [concrete_question(q, random.Random(f"{base}/{q.id}"), draw) if q.varies else q
                 for q in assignment.questions]
    return dataclasses.replace(assignment, questions=questions)


def concrete_question(q: Question, rng: random.Random, draw) -> Question:
    fields = {f.name: getattr(q, f.name) for f in dataclasses.fields(q)}
    fields.update(pool=[], parameters={}, shuffle=False)
    if q.pool:
        fields.update(rng.choice(q.pool))
    if q.parameters:
        values = {name: draw(name, options) for name, options in sorted(q.parameters.items())}
        for name in TEMPLATED:
            fields[name] = _fill(fields[name], values)
    version = Question(**fields)
    if q.pool or q.parameters:
        _revalidate(version)
    if q.shuffle:
        version.rules.shuffle(version, rng)
    return version


def _fill(value: Any, values: dict) -> Any:
    if isinstance(value, str):
        return Template(value).safe_substitute({k: str(v) for k, v in values.items()})
    return value


def _revalidate(q: Question) -> None:
    """A version's key fields in their canonical form (as loading does for a plain question)."""
    q.rules.validate(q, needs(f"question {q.id}"))
