"""Ordering: a list of items put in order; partial credit for the longest run in order."""
from __future__ import annotations

import hashlib
from typing import Any

from ..oracles import Token
from .base import Kind, distinct, quoted, with_hint


def stable_shuffle(items: list[str], seed: str) -> list[str]:
    """The order the student is given: the same on every release (so exercises/ stays in
    sync), decided by the items' texts alone, never by their places in the key (a shuffle of
    the key's positions with a public seed could be undone), and never the key order."""
    shuffled = sorted(items, key=lambda item: hashlib.sha256(f"{seed}\x1f{item}".encode()).hexdigest())
    if shuffled == list(items) and len(items) > 1:
        shuffled[0], shuffled[1] = shuffled[1], shuffled[0]
    return shuffled


class Ordering(Kind):
    name = "ordering"
    js_rule = "ordering.js"

    def validate(self, q: Any, need) -> None:
        need(isinstance(q.items, list) and len(q.items) >= 3, "needs a list of at least three items to order")
        # a student's items are compared as stripped text: an item must be text, and stripped
        need(all(isinstance(item, str) and item.strip() == item and item for item in q.items),
             f"items must be text with no spaces around it (write numbers in quotes): {q.items!r}")
        distinct(q.items, need, "items")
        q.answer = list(q.items)

    def public_items(self, q: Any) -> list[str]:
        return stable_shuffle(q.items, q.id)

    def how(self, q: Any) -> str:
        return "Reorder the list so that it runs from first to last (partial credit for a partly right order)"

    def starter(self, q: Any) -> str:
        body = "".join(f"    {item!r},\n" for item in self.public_items(q))
        return f"# Reorder these lines from first to last.\n{q.variable} = [\n{body}]"

    def check_digests(self, q: Any, key: Any, digest, decimals: int) -> dict:
        return {"before": sorted(digest(Token.before(a, b)) for i, a in enumerate(key) for b in key[i + 1:])}

    def stock_spec(self, q: Any, key: Any, spec: dict) -> None:
        spec["items"] = key

    def blank_message(self, q: dict, answer: Any) -> str | None:
        if answer == list(q["items"]):
            # the starter list, untouched: no credit for the order it happened to be shuffled in
            return "You have not reordered the list yet."
        return None

    def rule(self, q: dict, answer: Any, oracle) -> tuple[float, str]:
        items = list(q["items"])
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            return 0, f"Your answer should be a list holding each of the {len(items)} items once, in order."
        answer = [a.strip() for a in answer]
        missing = [i for i in items if i not in answer]
        extra = [a for a in answer if a not in items]
        if missing or extra or len(answer) != len(items):
            parts = []
            if missing:
                parts.append(f"missing {quoted(missing)}")
            if extra:
                parts.append(f"not among the items: {quoted(extra)}")
            if not parts:
                parts.append("some items appear twice")
            return 0, f"Your answer should hold each of the {len(items)} items exactly once ({'; '.join(parts)})."
        # the longest run of items that are in the right order relative to each other
        best = [1] * len(answer)
        for j in range(len(answer)):
            for i in range(j):
                if oracle.before(answer[i], answer[j]):
                    best[j] = max(best[j], best[i] + 1)
        longest = max(best)
        if longest == len(items):
            return 1, "Correct: every item is in its place."
        message = f"{longest} of {len(items)} items are in the right order relative to each other."
        return (longest - 1) / (len(items) - 1), with_hint(message, q)

    def answer_text(self, q: Any) -> str:
        return " → ".join(q.items)
