"""What a run gives back, and how it leaves the sandbox: one line of JSON after a start line.

Both sides read this module: the worker inside the sandbox writes `STARTED` once its
sandbox is set up (before any student code runs) and, at the end, `result_line`; the host
(channel.py) reads them.  The student's code runs in the same process as the worker and
can write to the same channel, so nothing read from it may claim a failure of the machine
(`HOST_STATUSES`): only the host says that, from what it saw itself.
"""
from __future__ import annotations

import errno
import json
import shutil
from dataclasses import asdict, dataclass, field

from .limits import Limits

# the first line a worker writes, once its sandbox is set up and before any student code runs:
# a run that ends without it failed for the machine's reasons, not the student's
STARTED = b"started\n"
# statuses only the host may give: a line the student's code forged never carries them
HOST_STATUSES = {"machine-error"}


@dataclass
class RunResult:
    answers: dict[str, object] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)     # cells that raised (the student's errors)
    status: str = "ok"                                   # ok | timeout | crashed | *-limit | machine-error
    message: str = ""
    # each code cell's outputs, by its index in the notebook, as nbformat writes them: what
    # nbgrader's determine_grade reads and what the autograded notebook shows (all cells
    # together hold no more than the output limit)
    outputs: dict[str, list] = field(default_factory=dict)

    @classmethod
    def from_line(cls, line: bytes) -> RunResult:
        """The result a sandbox wrote (the last line it wrote): what the student's code could
        have written as well, so it may not claim a failure of the machine."""
        try:
            run = cls(**json.loads(line))
        except (ValueError, TypeError):   # nothing, or not what the worker writes
            return cls(status="crashed", message="the code died or exited while running the answers")
        if run.status in HOST_STATUSES:
            return cls(status="crashed", message="the code wrote a forged result")
        return run


def machine_error(why: str) -> RunResult:
    """A run that ended for the machine's reasons: graded again on the next run."""
    return RunResult(status="machine-error", message=f"not graded: {why}; it is graded again on the next run")


def result_line(run: RunResult, limits: Limits) -> bytes:
    """The result as one line of JSON that fits the host's cap (limits.channel_bytes): the
    outputs, then the answers, are dropped from one that does not.  It starts on a line of
    its own: the student's code may have written to the channel without a newline."""
    cap = limits.channel_bytes - 2
    line = json.dumps(asdict(run), default=str).encode()
    if len(line) > cap:
        run.outputs = {}
        run.status, run.message = "output-limit", "the outputs and answers were more than the grader reads"
        line = json.dumps(asdict(run), default=str).encode()
    if len(line) > cap:
        run.answers = {}
        line = json.dumps(asdict(run), default=str).encode()
    return b"\n" + line + b"\n"


def setup_failure(exc: OSError, limits: Limits) -> bytes:
    """What a sandbox writes instead of the start line when it cannot be set up (the host
    makes it a machine-error): the release's files larger than --disk, or the kernel refusing."""
    too_small = isinstance(exc, shutil.Error) or getattr(exc, "errno", None) == errno.ENOSPC
    why = f"the release's files do not fit in --disk {limits.disk_mb} MB" if too_small else str(exc)
    return f"setup failed: {why}"[:300].encode() + b"\n"
