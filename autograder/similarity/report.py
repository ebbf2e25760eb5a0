"""The similarity report: one HTML page in the workspace, for the instructor only (it
names students side by side; nothing here writes to the exchange or the feedback).

Pairs come ranked by their highest score; each shows the answers side by side with the
shared passages marked.  Student text is escaped by the template (Jinja's autoescape, as
on the feedback page) and cut at MAX_SHOWN characters, so a pasted book cannot make the
page unreadable.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..outputs.feedback import templates
from ..outputs.store import write_atomic
from .compare import Match

MAX_SHOWN = 12_000   # characters of one answer shown in the report
CONTEXT = 600        # characters of a reading shown around each shared passage


@dataclass
class Pair:
    left: str                 # a student
    right: str                # another student, or a source's name
    source: bool              # right is a reading or a page of the book
    matches: list[Match]

    @property
    def score(self) -> float:
        return max(m.score for m in self.matches)


def pairs(matches: list[Match], sources: set[str]) -> list[Pair]:
    """Matches grouped by who (or what) they join, highest score first."""
    grouped: dict[tuple[str, str], list[Match]] = {}
    for m in matches:
        if m.score > 0:
            grouped.setdefault((m.left.owner, m.right.owner), []).append(m)
    found = [Pair(a, b, b in sources, sorted(ms, key=lambda m: -m.score)) for (a, b), ms in grouped.items()]
    return sorted(found, key=lambda p: (-p.score, p.left, p.right))


def segments(text: str, spans: list[tuple[int, int]], window: tuple[int, int] | None = None) -> list[tuple[str, bool]]:
    """`text` as (piece, shared?) pieces, cut to `window` (a range of characters) and to MAX_SHOWN."""
    lo, hi = window or (0, len(text))
    hi = min(hi, lo + MAX_SHOWN)
    pieces, at = [], lo
    for start, end in spans:
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[max(start, at):end], True))
        at = max(at, end)
    if at < hi:
        pieces.append((text[at:hi], False))
    if window is not None:   # a part of a reading: where it stands is all that matters
        return [("… ", False), *pieces, (" …", False)]
    if hi < len(text):
        pieces.append((f" … ({len(text) - hi:,} more characters not shown)", False))
    return pieces


def source_windows(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[str, bool]]]:
    """The parts of a long reading around its shared passages, not the whole reading."""
    windows: list[tuple[int, int]] = []
    for start, end in spans:
        lo, hi = max(0, start - CONTEXT // 2), min(len(text), end + CONTEXT // 2)
        lo, hi = text.rfind(" ", 0, lo) + 1, (text.find(" ", hi) + 1 or len(text))   # whole words
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return [segments(text, spans, w) for w in windows[:20]]


def shown(pair: Pair) -> list[dict]:
    """What the template shows of each match of a pair."""
    out = []
    for m in pair.matches:
        left = segments(m.left.text, m.spans[0])
        right = source_windows(m.right.text, m.spans[1]) if pair.source else [segments(m.right.text, m.spans[1])]
        out.append({"question": m.left.question, "kind": m.left.kind, "score": m.score, "left": left, "right": right})
    return out


def write_report(path: Path, assignment_id: str, found: list[Pair], threshold: float, summary: dict) -> Path:
    flagged = [p for p in found if p.score >= threshold]
    below = [p for p in found if p.score < threshold][:20]
    html = templates().get_template("similarity.html").render(
        assignment_id=assignment_id, flagged=flagged, below=below, threshold=threshold, summary=summary,
        shown=shown)
    write_atomic(path, html)
    return path
