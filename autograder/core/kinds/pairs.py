"""Matching (each item to one option, one-to-one) and classification (items into
categories, many-to-one): the answer is a dict from item to option or category."""
from __future__ import annotations

from typing import Any

from ..oracles import Token
from .base import Kind, distinct, labels, quoted, resolve_option, with_hint


class Matching(Kind):
    """Options are shown with short labels (a, b, ...); an answer may use a label or the
    option's text."""
    name = "matching"
    public_hints = True
    js_rule = "pairs.js"
    shuffles = True
    noun, where = "pairings", "right"

    def shuffle(self, q: Any, rng) -> None:
        options = self.public_options(q)
        q.option_order = rng.sample(options, len(options))

    def validate(self, q: Any, need) -> None:
        self.check_pairs(q, need)
        need(isinstance(q.options, list), "options (the extra, unmatched ones) must be a list")
        q.options = [str(o).strip() for o in q.options]
        # an option may be listed and matched too; but two that differ only in case are one to a student
        distinct(sorted(set(q.options) | set(q.pairs.values())), need, "options (in any case)", str.casefold)
        # one-to-one: an option fits one item at most
        distinct(list(q.pairs.values()), need, "the options items are matched to")
        q.answer = dict(q.pairs)

    def check_pairs(self, q: Any, need) -> None:
        need(isinstance(q.pairs, dict), "pairs must map each item to its option")
        need(all(v is not None and str(v).strip() for v in q.pairs.values()), "every item needs its option")
        q.pairs = {str(k).strip(): str(v).strip() for k, v in q.pairs.items()}
        need(len(q.pairs) >= 2, "needs at least two pairs")
        distinct(list(q.pairs), need, "items (in any case)", str.casefold)

    def public_items(self, q: Any) -> list[str]:
        return list(q.pairs)

    def public_options(self, q: Any) -> list[str]:
        return list(q.option_order) or sorted(set(q.options) | set(q.pairs.values()))

    def prompt_lines(self, q: Any) -> list[str]:
        options = self.public_options(q)
        return ["Options:", ""] + [f"- **{label}**: {o}" for label, o in zip(labels(len(options)), options, strict=True)] + [""]

    def how(self, q: Any) -> str:
        return "Match each item to the letter of one option (each option fits one item at most)"

    def starter(self, q: Any) -> str:
        body = "".join(f"    {item!r}: None,\n" for item in self.public_items(q))
        letters = labels(len(self.public_options(q)))
        return f"{q.variable} = {{  # the letter of an option: {', '.join(letters)}\n{body}}}"

    def model_answer(self, q: Any, key: Any) -> Any:
        label = dict(zip(self.public_options(q), labels(len(self.public_options(q))), strict=True))
        return {item: label[option] for item, option in key.items()}

    def check_digests(self, q: Any, key: Any, digest, decimals: int) -> dict:
        return {"pairs": sorted(digest(Token.pair(a, b)) for a, b in key.items())}

    def blank_message(self, q: dict, answer: Any) -> str | None:
        if isinstance(answer, dict) and all(v is None for v in answer.values()):
            return "No answer yet: fill in the dict."
        return None

    def rule(self, q: dict, answer: Any, oracle) -> tuple[float, str]:
        items, options = list(q["items"]), list(q["options"])
        letters = labels(len(options))
        if not isinstance(answer, dict):
            return 0, f"Your answer should be a dict from each of {len(items)} items to one of {quoted(letters)}."
        answer = {str(k).strip(): resolve_option(v, options) for k, v in answer.items()}
        unknown = [k for k in answer if k not in items]
        if unknown:
            return 0, f"Your answer should only use the given items as keys; not {quoted(unknown)}."
        bad = [v for v in answer.values() if v is not None and v not in options]
        if bad:
            return 0, f"Your answer should only use the options {quoted(letters)}; not {quoted(bad)}."
        wrong = [item for item in items if answer.get(item) is None or not oracle.pair_right(item, answer[item])]
        right = len(items) - len(wrong)
        if not wrong:
            return 1, f"Correct: all {len(items)} {self.noun} are right."
        message = f"{right} of {len(items)} {self.noun} are {self.where}."
        item_hints = [q["hints"].get(item) for item in wrong if q["hints"].get(item)]
        return right / len(items), with_hint(message, q, *item_hints[:2])

    def answer_text(self, q: Any) -> str:
        label = dict(zip(self.public_options(q), labels(len(self.public_options(q))), strict=True))
        return "; ".join(f"{k} → {label[v]}) {v}" for k, v in q.pairs.items())


class Classification(Matching):
    name = "classification"
    noun, where = "items", "in the right category"

    def validate(self, q: Any, need) -> None:
        self.check_pairs(q, need)
        need(isinstance(q.categories, list) and len(q.categories) >= 2, "needs a list of at least two categories")
        q.categories = [str(c).strip() for c in q.categories]
        distinct(q.categories, need, "categories (in any case)", str.casefold)
        for item, category in q.pairs.items():
            need(category in q.categories, f"'{item}' is put in '{category}', which is not a category")
        q.answer = dict(q.pairs)

    def public_options(self, q: Any) -> list[str]:
        return list(q.option_order) or list(q.categories)

    def prompt_lines(self, q: Any) -> list[str]:
        options = self.public_options(q)
        return ["Categories: " + ", ".join(f"**{label}**: *{c}*" for label, c in zip(labels(len(options)), options, strict=True)), ""]

    def how(self, q: Any) -> str:
        return "Put each item in one category, by its letter"
