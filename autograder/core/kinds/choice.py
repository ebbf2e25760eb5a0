"""Single and multiple choice: the answer is one choice id, or a list of them."""
from __future__ import annotations

from typing import Any

from ..oracles import Token
from .base import Kind, quoted, with_hint


def choice_id(answer: Any, choices: dict[str, str]) -> str | None:
    """The id of the choice an answer names, by its id or its text, in any case."""
    if not isinstance(answer, str):
        return None
    wanted = answer.strip().casefold()
    return next((cid for cid, text in choices.items() if wanted in (cid.casefold(), text.casefold())), None)


class Single(Kind):
    name = "single"
    js_rule = "choice.js"
    shuffles = True

    def shuffle(self, q: Any, rng) -> None:
        """The same ids (a, b, ...) on the choices in another order; the key and hints follow."""
        ids = list(q.choices)
        moved = dict(zip(ids, rng.sample(ids, len(ids)), strict=True))   # old id -> new id
        q.choices = {new: q.choices[old] for old, new in sorted(moved.items(), key=lambda item: item[1])}
        q.answer = moved[q.answer] if isinstance(q.answer, str) else sorted(moved[k] for k in q.answer)
        q.hints = {moved[k]: text for k, text in q.hints.items()}   # validation keeps hints to choices

    def validate(self, q: Any, need) -> None:
        need(isinstance(q.choices, dict), "choices must map each id (a, b, ...) to its text")
        q.choices = {str(k).strip(): str(v).strip() for k, v in q.choices.items()}
        need(len(q.choices) >= 2, "needs at least two choices")
        # an answer names a choice by its id or its text, in any case: each must name one choice
        names = [name for cid, text in q.choices.items() for name in {cid.casefold(), text.casefold()}]
        twice = sorted({name for name in names if names.count(name) > 1})
        need(not twice, f"choices must differ from each other (in ids and texts, in any case): {', '.join(twice)} "
                        "names more than one")
        need(all(q.choices.values()), "every choice needs a text")
        keys = self.keys(q, need)
        for k in keys:
            need(k in q.choices, f"answer '{k}' is not one of the choices {', '.join(q.choices)}")
        need(isinstance(q.hints, dict), "hints must map choice ids to the hint a wrong pick gets")
        q.hints = {str(k): str(v) for k, v in q.hints.items()}
        stray = sorted(set(q.hints) - set(q.choices))
        need(not stray, f"hints are for choices, not for {', '.join(stray)}")

    def keys(self, q: Any, need) -> list[str]:
        need(isinstance(q.answer, str | int) and not isinstance(q.answer, bool),
             "answer must be the id of one choice (for several, use kind: multiple)")
        q.answer = str(q.answer).strip()
        return [q.answer]

    def prompt_lines(self, q: Any) -> list[str]:
        return [f"- **{k}**: {v}" for k, v in q.choices.items()] + [""]

    def how(self, q: Any) -> str:
        return "Set the variable to the letter of your choice"

    def starter(self, q: Any) -> str:
        return f"{q.variable} = None  # one of {', '.join(repr(c) for c in q.choices)}"

    def check_digests(self, q: Any, key: Any, digest, decimals: int) -> dict:
        rights = key if isinstance(key, list) else [key]
        return {"right": sorted(digest(Token.choice(c)) for c in rights), "n_right": len(rights),
                "choice_hints": {digest(Token.hint(c)): text for c, text in q.hints.items()}}

    def rule(self, q: dict, answer: Any, oracle) -> tuple[float, str]:
        choices = list(q["choices"])
        choice = choice_id(answer, q["choices"])
        if choice is None:
            return 0, f"Your answer should be one of {quoted(choices)}."
        if oracle.choice_right(choice):
            return 1, "Correct."
        return 0, with_hint(f"Not '{choice}'.", q, oracle.choice_hint(choice))

    def answer_text(self, q: Any) -> str:
        return f"{q.answer}) {q.choices[q.answer]}"


class Multiple(Single):
    name = "multiple"

    empty_list_answers = True   # [] says "none of these applies", which may be the key

    def keys(self, q: Any, need) -> list[str]:
        need(isinstance(q.answer, list), "answer must be a list of choice ids ([] if none applies)")
        need(all(isinstance(k, str) for k in q.answer) or all(isinstance(k, int) and not isinstance(k, bool)
                                                              for k in q.answer),
             f"answer mixes kinds of value ({', '.join(repr(k) for k in q.answer)}): write each choice id as text")
        q.answer = [str(k).strip() for k in q.answer]
        need(len(set(q.answer)) == len(q.answer), "answer names a choice twice")
        return q.answer

    def how(self, q: Any) -> str:
        return "Set the variable to a list of every letter that applies (partial credit)"

    def starter(self, q: Any) -> str:
        # None, not []: an empty list is an answer ("none applies"), an untouched starter is not
        examples = ", ".join(repr(c) for c in list(q.choices)[:2])
        return f"{q.variable} = None  # a list of choices, for example [{examples}], or [] if none applies"

    def rule(self, q: dict, answer: Any, oracle) -> tuple[float, str]:
        choices = list(q["choices"])
        if isinstance(answer, str):
            answer = [answer]
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            return 0, f"Your answer should be a list of choices from {quoted(choices)}."
        picked = {choice_id(a, q["choices"]) or a.strip() for a in answer}
        unknown = sorted(picked - set(choices))
        if unknown:
            return 0, f"Your answer should only use the choices {quoted(choices)}; not {quoted(unknown)}."
        right = [c for c in sorted(picked) if oracle.choice_right(c)]
        wrong = [c for c in sorted(picked) if c not in right]
        n = oracle.n_right_choices()
        if len(right) == n and not wrong:
            return 1, "Correct: none of the choices applies." if n == 0 else f"Correct: all {n} right choices and no others."
        if not picked:
            return 0, with_hint(f"You chose none of the choices; there are {n} right choices in all.", q)
        message = f"{len(right)} of your choices are right and {len(wrong)} are not; there are {n} right choices in all."
        # with no right choice at all (n == 0), any pick is wrong: no credit
        return (len(right) - len(wrong)) / max(n, 1), with_hint(message, q, *(oracle.choice_hint(c) for c in wrong[:1]))

    def answer_text(self, q: Any) -> str:
        return "; ".join(f"{c}) {q.choices[c]}" for c in q.answer) or "None of the choices applies."
