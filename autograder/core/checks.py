"""What a student may hold of a question: its public part, and the salted digests that
let `check()` judge an answer without the key (written to checks.json at release)."""
from __future__ import annotations

import hashlib
from typing import Any

from .compare import number_buckets, tolerance
from .model import Assignment, Question
from .oracles import Token, digest
from .plain import is_number, normalise_text
from .rules import key_oracle


def salt_for(namespace: str, assignment_id: str, question_id: str) -> str:
    """Each question's own salt, so that equal answers to different questions hash apart."""
    return hashlib.sha256(f"{namespace}/{assignment_id}/{question_id}".encode()).hexdigest()[:16]


def public_question(q: Question) -> dict:
    """What a student may see of a question: never the key."""
    rules = q.rules
    return {
        "id": q.id, "kind": q.kind, "points": q.points, "choices": q.choices,
        "items": rules.public_items(q), "options": rules.public_options(q), "categories": q.categories,
        "hint": q.hint, "hints": q.hints if rules.public_hints else {},
    }


def public_check(q: Question, key: Any, salt: str) -> dict:
    """The hashed check a student's kernel uses: the public question plus digests."""
    oracle = key_oracle(q, key)

    def hashed(token: str) -> str:
        return digest(salt, token)

    check: dict[str, Any] = {"question": public_question(q), "shape": oracle.shape(), "salt": salt}
    check.update(q.rules.check_digests(q, key, hashed, oracle.decimals))
    mistakes = {}
    for mistake in q.mistakes:
        wrong, hint = mistake.get("answer"), mistake.get("hint", "")
        if isinstance(wrong, str):
            mistakes[hashed(Token.text(normalise_text(wrong)))] = hint
        elif is_number(wrong):
            tol = tolerance(q, float(wrong))
            for bucket in number_buckets(float(wrong), tol):
                mistakes[hashed(Token.mistake(tol, bucket))] = hint
            check.setdefault("mistake_tolerances", []).append(tol)
    check["mistakes"] = mistakes
    return check


def checks_document(assignment: Assignment, keys: dict, namespace: str) -> dict:
    """The whole checks.json of an assignment."""
    return {
        "assignment": assignment.id,
        "questions": {q.id: public_check(q, keys[q.id], salt_for(namespace, assignment.id, q.id))
                      for q in assignment.autograded},
    }
