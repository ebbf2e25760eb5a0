"""Short text checked against a set of accepted answers, after normalisation (case,
accents, punctuation, articles and spacing do not matter)."""
from __future__ import annotations

from typing import Any

from ..oracles import Token
from ..plain import normalise_text
from .base import Kind, check_mistakes, with_hint


class Text(Kind):
    name = "text"
    js_rule = "text.js"

    def validate(self, q: Any, need) -> None:
        answers = q.answer if isinstance(q.answer, list) else [q.answer]
        need(bool(answers) and all(isinstance(a, str) and normalise_text(a) for a in answers),
             "answer must be a string or a list of strings, each with a word in it (write numbers in quotes)")
        check_mistakes(q, need)
        accepted = {normalise_text(a) for a in answers}
        for mistake in q.mistakes:
            wrong = mistake["answer"]
            need(isinstance(wrong, str), f"a text question's mistakes are text, not {wrong!r}")
            need(normalise_text(wrong) not in accepted,
                 f"the mistake {wrong!r} is an accepted answer (once case and punctuation are ignored): drop one of them")
        q.answer = answers

    def how(self, q: Any) -> str:
        return "Set the variable to a short piece of text"

    def model_answer(self, q: Any, key: Any) -> Any:
        return key[0]   # any one accepted answer is a model answer

    def check_digests(self, q: Any, key: Any, digest, decimals: int) -> dict:
        return {"accepted": sorted(digest(Token.text(normalise_text(a))) for a in key)}

    def rule(self, q: dict, answer: Any, oracle) -> tuple[float, str]:
        if not isinstance(answer, str):
            return 0, "Your answer should be a short piece of text (a string)."
        norm = normalise_text(answer)
        if oracle.text_right(norm):
            return 1, "Correct."
        return 0, with_hint(f"'{answer.strip()}' is not an answer we accept.", q, oracle.mistake_hint(norm))

    def answer_text(self, q: Any) -> str:
        return q.answer[0]
