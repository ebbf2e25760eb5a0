"""The result line a sandbox wrote, checked before the host believes any of it.

The student's code runs in the worker's process and can write to the same channel as
the worker, so the last line the host reads may be the student's.  A forged line may say
no more than the worker itself says: a status the worker gives (a limit it saw, or ok),
the answers as plain values, each cell's outputs as nbformat writes them.  Anything else
(another status, a value of the wrong type, brackets nested until the JSON parser runs
out of stack) would otherwise reach the gradebook as a status the student chose, or stop
grading that student with an error that is graded again on every run.
"""
from __future__ import annotations

import json

from .structure import nesting_depth

# what worker.run_cells can end with: ok, a limit it observed, a notebook over the structural limits
WORKER_STATUSES = {"ok", "timeout", "memory-limit", "disk-limit", "output-limit", "too-large", "too-deep"}
MAX_FRAME_DEPTH = 64    # an answer nests at most about 25 levels (core/plain.py), the frame around it 3
STREAMS = {"stdout", "stderr"}
FIELDS = {"answers", "errors", "status", "message", "outputs"}   # a RunResult's


def read_frame(line: bytes) -> dict | None:
    """The fields of a result line, or None when it is not what a worker writes."""
    text = line.decode("utf-8", "replace")
    if nesting_depth(text) > MAX_FRAME_DEPTH:
        return None
    try:
        fields = json.loads(text)
    except ValueError:
        return None
    return fields if isinstance(fields, dict) and _is_result(fields) else None


def _is_result(fields: dict) -> bool:
    answers, errors = fields.get("answers", {}), fields.get("errors", [])
    outputs = fields.get("outputs", {})
    return (set(fields) <= FIELDS and fields.get("status", "ok") in WORKER_STATUSES
            and isinstance(fields.get("message", ""), str)
            and isinstance(answers, dict) and isinstance(errors, list) and all(isinstance(e, str) for e in errors)
            and isinstance(outputs, dict)
            and all(key.isdigit() and isinstance(cell, list) and all(_is_output(o) for o in cell)
                    for key, cell in outputs.items()))


def _is_output(output) -> bool:
    """An output as worker.Recorder makes it (what nbformat and the autograded notebook read)."""
    if not isinstance(output, dict):
        return False
    kind = output.get("output_type")
    if kind == "stream":
        return output.get("name") in STREAMS and isinstance(output.get("text"), str)
    if kind == "error":
        return (isinstance(output.get("ename"), str) and isinstance(output.get("evalue"), str)
                and output.get("traceback") == [])
    if kind in ("execute_result", "display_data"):
        data = output.get("data")
        return (isinstance(data, dict) and all(isinstance(v, str) for v in data.values())
                and output.get("metadata") == {} and output.get("execution_count") is None)
    return False
