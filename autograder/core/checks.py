"""What a student may hold of a question: its public part, and the salted digests that
let `check()` judge an answer without the key (written to checks.json at release)."""
from __future__ import annotations

import hashlib
from typing import Any

from .compare import number_buckets, tolerance
from .model import Assignment, FeedbackPolicy, Question
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


def public_check(q: Question, key: Any, salt: str, policy: FeedbackPolicy) -> dict:
    """The hashed check a student's kernel uses, holding what the feedback policy needs:
    `full` the public question, digests and hints; `verdict` the digests but no hints;
    `format` only the answer's expected shape, no key material at all."""
    oracle = key_oracle(q, key)

    def hashed(token: str) -> str:
        return digest(salt, token)

    question = public_question(q)
    if policy != FeedbackPolicy.FULL:   # hints name items and choices; nothing but the verdict may be told
        question.update(hint="", hints={})
    check: dict[str, Any] = {"question": question, "shape": oracle.shape(), "feedback": policy}
    if policy == FeedbackPolicy.FORMAT:
        return check
    check["salt"] = salt
    check.update(q.rules.check_digests(q, key, hashed, oracle.decimals))
    if policy != FeedbackPolicy.FULL:
        check.pop("choice_hints", None)
        check["mistakes"] = {}
        return check
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


def question_text(q: Question) -> str:
    """A version's question as the student's notebook shows it (Markdown)."""
    return q.rules.prompt(q, [q.prompt.strip(), ""])


def checks_document(assignment: Assignment, versions: list[Assignment], keys: list[dict], namespace: str,
                    variant_salt: str) -> dict:
    """The whole checks.json: each question's check, and for a question that varies, the
    check and the text of every version (`versions[v]` with `keys[v]`)."""
    questions = {}
    for n, q in enumerate(assignment.questions):
        if not q.autograded:
            continue
        policy = assignment.policy(q)
        if not q.varies:
            questions[q.id] = public_check(q, keys[0][q.id], salt_for(namespace, assignment.id, q.id), policy)
            continue
        checks = []
        for v, (version, key) in enumerate(zip(versions, keys, strict=True)):
            concrete = version.questions[n]
            check = public_check(concrete, key[q.id], salt_for(namespace, assignment.id, f"{q.id}/{v}"), policy)
            checks.append({**check, "text": question_text(concrete)})
        questions[q.id] = {"feedback": policy, "versions": checks}
    document = {"assignment": assignment.id, "questions": questions}
    if len(versions) > 1:
        document.update(variants=len(versions), variant_salt=variant_salt)
    return document
