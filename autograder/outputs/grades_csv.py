"""`<workspace>/grades.csv`: one row per student and assignment, from the saved results."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .store import load_results, write_atomic

GRADES_COLUMNS = ["student_id", "assignment", "score", "max_score", "auto_score", "auto_max",
                  "manual_pending", "status", "message"]


def write_grades_csv(workspace: Path) -> Path:
    path = workspace / "grades.csv"
    rows = [{"student_id": r.student_id, "assignment": r.assignment, "score": f"{r.score:g}",
             "max_score": f"{r.max_score:g}", "auto_score": f"{r.auto_score:g}", "auto_max": f"{r.auto_max:g}",
             "manual_pending": r.manual_pending, "status": r.status, "message": r.message}
            for r in load_results(workspace)]
    rows.sort(key=lambda row: (row["assignment"], row["student_id"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=GRADES_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(path, buffer.getvalue())
    return path
