"""The book explains its readings instead of retelling them, and its practice questions do
not give away the graded ones.

- Close paraphrase: the shared tool `overlapcheck.py` (in `shared/tools/` beside the
  repository) scores each chapter paragraph by the share of its content words found in one
  passage of the readings. The course's goal: no paragraph at 0.6 or above, at most five at
  0.5 or above. On a developer's machine without the tool the test is skipped; in CI
  (`CI=true`) a missing tool is a failure, so that the check cannot silently stop running.
- Practice against graded: a practice question in the book (contested_peace/practice/chN.yml)
  may show its answer, so it must not ask what a graded question of the same chapter
  (solutions/chN/questions.yml) asks: not the same key, and not the same items, pairs or
  choices for more than half of the graded question's.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.core.model import Question
from autograder.core.questions import load_assignment, load_questions, load_yaml

ROOT = Path(__file__).resolve().parent.parent
OVERLAPCHECK = ROOT.parent / "shared" / "tools" / "overlapcheck.py"
SEEDS = ROOT.parent / "shared" / "seeds"
MAX_AT_HALF = 5  # paragraphs allowed at 0.5 or above
CEILING = 0.6    # no paragraph may reach this

LINE = re.compile(r"^(?P<where>\S+:\d+): (?P<share>[01]\.\d+) of its content words are in (?P<passage>.+)$")


def run_overlapcheck(project: Path, threshold: float) -> list[tuple[str, float, str]]:
    """The paragraphs overlapcheck flags at `threshold`, as (file:line, share, passage)."""
    if not OVERLAPCHECK.is_file() or not SEEDS.is_dir():
        reason = f"overlapcheck or the readings are not at {OVERLAPCHECK.parent.parent}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the paraphrase check")
        pytest.skip(reason)
    result = subprocess.run(
        [sys.executable, str(OVERLAPCHECK), str(project), "--seeds", str(SEEDS), "--threshold", str(threshold)],
        capture_output=True, text=True, timeout=300,
    )
    summary = re.search(r"overlapcheck: (\d+) paragraph\(s\) at or above", result.stdout)
    assert summary and result.returncode in (0, 1), f"overlapcheck did not run:\n{result.stdout}\n{result.stderr}"
    flagged = []
    for line in result.stdout.splitlines():
        match = LINE.match(line.strip())
        if match:
            flagged.append((match["where"], float(match["share"]), match["passage"]))
    # the summary counts exact shares; the lines round them, so trust the count
    assert len(flagged) == int(summary[1]), f"could not read overlapcheck's output:\n{result.stdout}"
    return flagged


def report(flagged: list[tuple[str, float, str]]) -> str:
    return "\n".join(f"  {where}: {share:.2f} of its content words are in {passage}" for where, share, passage in flagged)


def test_no_paragraph_retells_its_reading():
    too_close = run_overlapcheck(ROOT, CEILING)
    assert not too_close, (
        f"{len(too_close)} paragraph(s) reach {CEILING} overlap with a reading; rewrite them to "
        f"explain, question or test the reading instead of retelling it:\n{report(too_close)}"
    )


def test_few_paragraphs_follow_their_reading_closely():
    close = run_overlapcheck(ROOT, 0.5)
    assert len(close) <= MAX_AT_HALF, (
        f"{len(close)} paragraphs reach 0.5 overlap with a reading (at most {MAX_AT_HALF} allowed):\n{report(close)}"
    )


def test_the_paraphrase_check_can_fail(tmp_path):
    """A chapter paragraph that retells a reading is flagged (a planted copy in a scratch project)."""
    run_overlapcheck(ROOT, CEILING)  # skips or fails here first if the tool is missing
    seed = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8", errors="ignore")
    retold = max(re.split(r"\n\s*\n", seed), key=lambda p: len(p.split()))
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "ch9-planted.md").write_text(f"# Planted\n\n{' '.join(retold.split())}\n", encoding="utf-8")
    flagged = run_overlapcheck(tmp_path, CEILING)
    assert [where for where, _, _ in flagged] == ["book/ch9-planted.md:3"]


# -- practice questions must not ask what graded ones ask ---------------------------------

def norm(text: object) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", str(text).lower()).split())


def key_of(q: Question) -> object:
    """The answer a question expects, in comparable form, or None when it is computed by code."""
    if q.kind == "single":
        return norm(q.choices[q.answer])
    if q.kind == "multiple":
        return frozenset(norm(q.choices[c]) for c in q.answer)
    if q.kind == "ordering":
        return tuple(norm(i) for i in q.items)
    if q.kind in ("matching", "classification"):
        return frozenset((norm(k), norm(v)) for k, v in q.pairs.items())
    if q.kind == "text":
        return frozenset(norm(a) for a in q.answer)
    if q.kind == "numeric" and isinstance(q.answer, (int, float)):
        return round(float(q.answer), 6)
    return None


STOPWORDS = set("a an the of in on at to for and or by with from is are was were be its it as that this its".split())


def tokens(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?|[^\W\d_]+", str(text).lower())


def alike(a: str, b: str) -> bool:
    """Two items say the same thing: at least 60% of the longer one's content words are shared
    ("The Budapest Memorandum" and "The Budapest Memorandum is signed" are alike), and where
    both carry numbers, the numbers are the same ("a = 0.2, b = 0.5" is not "a = 0.4, b = 0.5")."""
    ta, tb = tokens(a), tokens(b)
    numbers_a = sorted(t for t in ta if t[0].isdigit())
    numbers_b = sorted(t for t in tb if t[0].isdigit())
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return False
    wa = {t for t in ta if t not in STOPWORDS and not t[0].isdigit()}
    wb = {t for t in tb if t not in STOPWORDS and not t[0].isdigit()}
    return bool(wa and wb) and len(wa & wb) / max(len(wa), len(wb)) >= 0.6


def parts_of(q: Question) -> list[str]:
    """What a question asks the student to work on: the items to order, the items to match or
    classify (the left-hand side: the same items asked again give their answers away, however
    the right-hand side is worded), or the choices."""
    if q.kind == "ordering":
        return list(q.items)
    if q.kind in ("matching", "classification"):
        return list(q.pairs)
    if q.kind in ("single", "multiple"):
        return list(q.choices.values())
    return []


def same_question(practice: Question, graded: Question) -> str | None:
    """Why `practice` asks what `graded` asks, or None if it does not."""
    if practice.kind in ("data", "essay") or graded.kind in ("data", "essay"):
        return None
    pk, gk = key_of(practice), key_of(graded)
    if pk is not None and gk is not None:
        numbers = lambda q: sorted(t for t in tokens(q.prompt) if t[0].isdigit())  # noqa: E731
        if pk == gk and (practice.kind != "numeric" or numbers(practice) == numbers(graded)):
            # a number is the same key only for the same inputs: two models can both give 10
            return "the same key"
        if practice.kind == graded.kind == "text" and pk & gk:
            return f"an accepted answer in common ({', '.join(sorted(pk & gk))})"
    mine, theirs = parts_of(practice), parts_of(graded)
    shared = [t for t in theirs if any(alike(t, m) for m in mine)]
    if theirs and len(shared) > len(theirs) / 2:
        return f"{len(shared)} of the graded question's {len(theirs)} items or choices ({'; '.join(shared)})"
    return None


def overlaps(practice: list[Question], graded: list[Question]) -> list[str]:
    found = []
    for p in practice:
        for g in graded:
            why = same_question(p, g)
            if why:
                found.append(f"practice {p.id} repeats graded {g.id}: {why}")
    return found


def chapters() -> list[str]:
    return sorted(p.stem for p in (ROOT / "contested_peace" / "practice").glob("ch*.yml")
                  if (ROOT / "solutions" / p.stem / "questions.yml").is_file())


def practice_questions(path: Path) -> list[Question]:
    return load_questions(load_yaml(path).get("questions"), str(path))


@pytest.mark.parametrize("chapter", chapters())
def test_practice_questions_do_not_repeat_graded_ones(chapter):
    practice = practice_questions(ROOT / "contested_peace" / "practice" / f"{chapter}.yml")
    graded = load_assignment(ROOT / "solutions" / chapter / "questions.yml").questions
    found = overlaps(practice, graded)
    assert not found, (
        f"{chapter}: the book shows the practice answers, so a practice question must not ask "
        f"what a graded one asks:\n  " + "\n  ".join(found)
    )


def test_the_repeat_check_can_fail():
    """A practice question that copies a graded one, or most of its items, is caught."""
    graded = load_assignment(ROOT / "solutions" / "ch1" / "questions.yml").questions
    target = next(q for q in graded if q.kind == "ordering")
    copy = Question(id="p99", kind="ordering", prompt="Reworded prompt", items=list(target.items))
    most = Question(id="p98", kind="ordering", prompt="Fewer items",
                    items=list(target.items)[: len(target.items) // 2 + 1])
    assert overlaps([copy], graded) and overlaps([most], graded)
    few = Question(id="p97", kind="ordering", prompt="Two items only", items=list(target.items)[:2] + ["Unrelated event"])
    assert not overlaps([few], [target])
