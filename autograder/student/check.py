"""The student's side: `check(question_id, answer)` while working on an assignment.

The checks come from ``checks.json`` beside the notebook, written by `course release`:
public question data and salted digests, never a key.  `check` prints feedback and
returns nothing, so a check cell never changes what the grader sees.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.oracles import HashOracle
from ..core.plain import to_plain
from ..core.rules import Outcome, score

CHECKS_FILE = "checks.json"


class Checker:
    def __init__(self, checks: dict[str, dict]):
        self.checks = checks

    @classmethod
    def load(cls, path: str | Path = CHECKS_FILE) -> Checker:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        return cls(data.get("questions", {}))

    def outcome(self, question_id: str, answer: Any) -> Outcome | None:
        check = self.checks.get(question_id)
        if check is None:
            return None
        return score(check["question"], to_plain(answer), HashOracle(check))

    def __call__(self, question_id: str, answer: Any = None) -> None:
        outcome = self.outcome(question_id, answer)
        if outcome is None:
            print(f"[{question_id}] No check is available here (is {CHECKS_FILE} beside the notebook?).")
            return
        mark = {"correct": "✔", "partial": "◐", "blank": "…"}.get(outcome.status, "✘")
        print(f"{mark} [{question_id}] {outcome.points:g}/{outcome.max_points:g}: {outcome.message}")


def load_checker(path: str | Path = CHECKS_FILE, url: str | None = None) -> Checker:
    """The checks beside the notebook; where the notebook was opened alone (Colab), they
    are fetched once from `url`, the course's published copy, and saved beside it."""
    path = Path(path)
    if not path.is_file() and url:
        import urllib.request
        try:
            with urllib.request.urlopen(url, timeout=20) as response:
                path.write_bytes(response.read())
        except OSError as exc:
            print(f"Could not fetch the checks from {url} ({exc}); check() cannot give feedback here.")
    return Checker.load(path)
