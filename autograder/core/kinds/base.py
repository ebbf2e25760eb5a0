"""What every question kind provides, and the small helpers their rules share.

A kind is one class in one module of this package: how a question of that kind is
validated, shown (prompt and starter code), checked in the student's kernel (the digests
of its tokens), scored (its rule) and answered (the answer text a practice widget shows).
Its browser rule, for the book's practice widgets, is the `.js` file of the same name
beside it; tests/golden_rules.yml holds the cases both must agree on.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..plain import is_number, is_table

Need = Callable[[bool, str], None]        # need(condition, problem): raises QuestionError
Digest = Callable[[str], str]             # token -> salted digest


class Kind:
    name = ""
    manual = False          # graded by a person, not by a rule
    public_hints = False    # per-item hints a student may see (matching, classification)
    js_rule = ""            # the browser rule's file beside this module ("" for no practice)
    shuffles = False        # has options that a variant may show in another order
    empty_list_answers = False   # an empty list is an answer ("none of these"), not a blank

    def shuffle(self, q: Any, rng) -> None:
        """Put the options in another order (a per-student variant)."""
        raise TypeError(f"a {self.name} question has no options to shuffle")

    def validate(self, q: Any, need: Need) -> None:
        """Check the kind's fields and put the key in `q.answer` in its canonical form."""

    def public_items(self, q: Any) -> list[str]:
        return []

    def public_options(self, q: Any) -> list[str]:
        return []

    def prompt_lines(self, q: Any) -> list[str]:
        """Lines after the prompt: the choices, options or categories to answer from."""
        return []

    def how(self, q: Any) -> str:
        return ""

    def prompt(self, q: Any, head: list[str]) -> str:
        """The question's Markdown in the notebook: `head` (title and prompt), then ours."""
        lines = head + self.prompt_lines(q) + [f"*{self.how(q)}, then run the check cell below it.*"]
        return "\n".join(lines).rstrip()

    def starter(self, q: Any) -> str:
        return f'{q.variable} = ""  # a short answer'

    def model_answer(self, q: Any, key: Any) -> Any:
        """The value the notebook's model solution assigns."""
        return key

    def key_problem(self, q: Any, key: Any) -> str | None:
        """What is wrong with a key (written or computed by the solution), or None; checked
        at release, so that an authoring mistake never reaches a student's grade."""
        return None

    def shape(self, q: Any, key: Any) -> dict:
        """What a right answer looks like, without saying what it is."""
        if is_number(key):
            return {"type": "number"}
        if isinstance(key, list):
            return {"type": "list", "length": len(key), "ordered": q.ordered}
        if is_table(key):
            return {"type": "table", "rows": len(key["__table__"]["rows"]), "columns": len(key["__table__"]["columns"])}
        return {"type": "value"}

    def check_digests(self, q: Any, key: Any, digest: Digest, decimals: int) -> dict:
        """The digests the student's check needs for this kind (beside shape and mistakes)."""
        return {}

    def stock_spec(self, q: Any, key: Any, spec: dict) -> None:
        """Adjust the spec a hidden test hands stock nbgrader (instructor side only)."""

    def blank_message(self, q: dict, answer: Any) -> str | None:
        """Why an answer that is not empty still counts as no answer, or None."""
        return None

    def rule(self, q: dict, answer: Any, oracle) -> tuple[float, str]:
        """The share of the points an answer earns, and the message the student reads.
        `q` is the public part of the question; only `oracle` knows the key."""
        raise NotImplementedError

    def answer_text(self, q: Any) -> str:
        """The right answer, as a practice widget shows it."""
        return f"{q.answer}"


def check_tolerances(q: Any, need: Need) -> None:
    """`tolerance` and `rel_tolerance`, where given, are numbers that are not negative."""
    for name in ("tolerance", "rel_tolerance"):
        value = getattr(q, name)
        if value is not None:
            need(is_number(value) and not isinstance(value, bool) and value >= 0,
                 f"{name} must be a number of at least 0, not {value!r}")


def check_mistakes(q: Any, need: Need) -> None:
    """Each common mistake is a mapping with the wrong `answer` and the `hint` it earns."""
    need(isinstance(q.mistakes, list) and all(isinstance(m, dict) and "answer" in m and m.get("hint")
                                              for m in q.mistakes),
         "mistakes must be a list of {answer: <a wrong answer>, hint: <what to tell>}")


def distinct(values: list, need: Need, what: str, fold=lambda v: v) -> None:
    """Every value once (after `fold`), or one line naming the first repeated one."""
    seen = set()
    for value in values:
        need(fold(value) not in seen, f"{what} must differ from each other: {value!r} is there twice")
        seen.add(fold(value))


def with_hint(message: str, question: dict, *extra: str | None) -> str:
    hints = [h for h in extra if h]
    if not hints and question.get("hint"):
        hints = [question["hint"]]
    return " ".join([message, *hints]).strip()


def quoted(values: list) -> str:
    return ", ".join(f"'{v}'" for v in values)


def labels(n: int) -> list[str]:
    """The short labels of n options: a, b, ... z, then aa, ab, ..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return [letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26] for i in range(n)]


def resolve_option(value: Any, options: list[str]) -> Any:
    """An answer may name an option by its label (a, b, ...) or by its text, in any case."""
    if not isinstance(value, str):
        return value
    wanted = value.strip().casefold()
    for label, option in zip(labels(len(options)), options, strict=True):
        if wanted in (label, option.casefold()):
            return option
    return value.strip()
