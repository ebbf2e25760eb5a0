"""The result store: one JSON file per student and assignment under
`<workspace>/results/<assignment>/`, written atomically, so that an interrupted run resumes
where it stopped and never counts a grade twice.  Everything else (grades.csv, feedback,
the report) is made from these files."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from ..grading.results import StudentResult


def write_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write `text` so that a reader sees the old file or the new one, never half of one;
    `mode`: its permissions (else mkstemp's, the owner's alone)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    if mode is not None:
        os.chmod(tmp, mode)
    os.replace(tmp, path)


def safe_name(student_id: str) -> str:
    """A file name for any student id, however odd its characters; plain ids stay as they are."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in student_id)[:80]
    if safe == student_id and not safe.startswith("."):
        return safe
    return f"{safe.lstrip('.')}-{hashlib.sha256(student_id.encode()).hexdigest()[:8]}"


def results_dir(workspace: Path, assignment_id: str) -> Path:
    return workspace / "results" / assignment_id


def save_result(workspace: Path, result: StudentResult) -> Path:
    path = results_dir(workspace, result.assignment) / f"{safe_name(result.student_id)}.json"
    write_atomic(path, json.dumps(asdict(result), indent=1, ensure_ascii=False))
    return path


def load_results(workspace: Path, assignment_id: str | None = None) -> list[StudentResult]:
    """The saved results of one assignment, or of all of them."""
    base = workspace / "results"
    folders = [base / assignment_id] if assignment_id else sorted(p for p in base.glob("*") if p.is_dir())
    results = []
    for folder in folders:
        for path in sorted(folder.glob("*.json")):
            try:
                results.append(StudentResult.from_json(json.loads(path.read_text(encoding="utf-8"))))
            except (ValueError, TypeError):
                continue  # a damaged result is graded again on the next run
    return results
