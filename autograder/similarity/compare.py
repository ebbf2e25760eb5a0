"""Which answers share passages, found through an inverted index of fingerprints.

Each answer is winnowed once (fingerprint.py); an index maps every kept hash to the
answers that hold it.  Only answers that meet in the index are compared, so a class of
300 costs a few thousand look-ups, not 45,000 full comparisons.  Not counted: the
release's own text (prompts and starter code, which every student has), and, between
students, a passage that more than a few of the class share (a stock phrase or the
obvious line of code that answers a question); copying from the readings is caught
against the readings themselves, whatever the number of students who did it.

A match's score is the share of the shorter text's tokens that lie in shared k-grams
(for a student against a reading: the share of the student's essay), so a 300-word essay
inside a 10,000-word reading scores as what it is, mostly copied.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from .fingerprint import CODE_K, CODE_W, PROSE_K, PROSE_W, Token, code_tokens, prose_tokens, winnow

MIN_TOKENS = {"essay": 40, "code": 25}   # shorter answers are too short to tell copying from agreement
DEFAULT_THRESHOLD = 0.25                 # provisional: see benchmarks/results/similarity.md


@dataclass
class Text:
    owner: str                 # a student id, or a source's file name
    question: str              # the answer cell's grade id ("" for a source)
    kind: str                  # "essay" or "code"
    text: str
    tokens: list[Token] = field(default_factory=list)
    hashes: dict[int, list[int]] = field(default_factory=dict)

    @property
    def k(self) -> int:
        return CODE_K if self.kind == "code" else PROSE_K


def fingerprinted(owner: str, question: str, kind: str, text: str, ignored: set[int], source: bool = False) -> Text:
    """`text` tokenised and winnowed, without the hashes in `ignored` (the release's);
    a `source` (a reading, a page of the book) keeps its quotations."""
    tokens = code_tokens(text) if kind == "code" else prose_tokens(text, skip_quoted=not source)
    k, w = (CODE_K, CODE_W) if kind == "code" else (PROSE_K, PROSE_W)
    hashes = {h: p for h, p in winnow(tokens, k, w).items() if h not in ignored}
    return Text(owner, question, kind, text, tokens, hashes)


def release_hashes(code: list[str], prose: list[str]) -> set[int]:
    """Every k-gram hash of the release's cells (not only the kept ones: a student's copy
    of a prompt may keep different ones); a prompt as prose, code both ways, since a
    student may copy starter code into an essay."""
    ignored: set[int] = set()
    for text in prose + code:
        ignored |= set(winnow(prose_tokens(text), PROSE_K, 1))
    for text in code:
        ignored |= set(winnow(code_tokens(text), CODE_K, 1))
    return ignored


@dataclass
class Match:
    left: Text
    right: Text
    score: float                               # share of the shorter (or the student's) text covered
    spans: tuple[list[tuple[int, int]], list[tuple[int, int]]]   # shared character ranges in each


def covered(text: Text, starts: list[int]) -> list[tuple[int, int]]:
    """The token ranges [start, end) covered by k-grams starting at `starts`, merged."""
    ranges: list[tuple[int, int]] = []
    for s in sorted(starts):
        e = min(s + text.k, len(text.tokens))
        if ranges and s <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], e))
        else:
            ranges.append((s, e))
    return ranges


def match(left: Text, right: Text, common: set[int] = frozenset(), against_source: bool = False) -> Match:
    shared = (left.hashes.keys() & right.hashes.keys()) - common
    sides = []
    for text in (left, right):
        tokens = covered(text, [p for h in shared for p in text.hashes[h]])
        sides.append(tokens)
    counts = [sum(e - s for s, e in side) for side in sides]
    fractions = [c / max(1, len(t.tokens)) for c, t in zip(counts, (left, right), strict=True)]
    # against a reading: how much of the essay; between students: how much of the shorter answer
    score = fractions[0] if against_source else max(fractions)
    chars = tuple([(t.tokens[s].start, t.tokens[e - 1].end) for s, e in side]
                  for side, t in zip(sides, (left, right), strict=True))
    return Match(left, right, round(score, 3), chars)


def common_limit(students: int) -> int:
    """More students than this sharing a passage makes it common (a stock phrase)."""
    return max(4, students // 20)


def student_pairs(answers: list[Text], students: int) -> list[Match]:
    """Every pair of answers to the same question that share a fingerprint."""
    index: dict[tuple[str, int], set[int]] = defaultdict(set)
    for i, text in enumerate(answers):
        if len(text.tokens) >= MIN_TOKENS[text.kind]:
            for h in text.hashes:
                index[(text.question, h)].add(i)
    limit = common_limit(students)
    common: dict[str, set[int]] = defaultdict(set)
    candidates: set[tuple[int, int]] = set()
    for (question, h), holders in index.items():
        if len(holders) > limit:
            common[question].add(h)
        else:
            candidates.update(combinations(sorted(holders), 2))
    return [match(answers[i], answers[j], common[answers[i].question]) for i, j in sorted(candidates)]


def source_matches(essays: list[Text], sources: list[Text]) -> list[Match]:
    """Every essay against every source it shares a fingerprint with."""
    index: dict[int, set[int]] = defaultdict(set)
    for j, source in enumerate(sources):
        for h in source.hashes:
            index[h].add(j)
    found = []
    for essay in essays:
        if len(essay.tokens) < MIN_TOKENS["essay"]:
            continue
        hits = set().union(*(index.get(h, ()) for h in essay.hashes)) if essay.hashes else set()
        found.extend(match(essay, sources[j], against_source=True) for j in sorted(hits))
    return found
