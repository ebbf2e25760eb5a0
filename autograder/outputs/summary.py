"""The end of `course grade`'s output: who has a problem, and which, one line each."""
from __future__ import annotations

from ..grading.results import NOT_GRADED, QUIET, StudentResult


def problems_named(results: list[StudentResult]) -> str:
    """The end of `course grade`'s output: each submission with a problem, one line each
    (student, status, what was found), those that could not be graded first: they have no
    score at all, and the exports leave it empty."""
    lines = []
    for title, chosen in (("not graded (no score: the exports leave it empty)", NOT_GRADED),
                          ("graded, with a problem to look at", None)):
        rows = [r for r in results if r.status not in QUIET and (r.status in NOT_GRADED) == (chosen is not None)]
        if rows:
            lines.append(f"{title}:")
            lines += [f"  {r.student_id}: {r.status}" + (f": {r.message}" if r.message else "")
                      for r in sorted(rows, key=lambda r: r.student_id)]
    return "".join(f"\n{line}" for line in lines)
