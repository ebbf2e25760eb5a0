"""What a run gives back, and how it leaves the sandbox: one line of JSON after a start line.

Both sides read this module: the worker inside the sandbox writes `STARTED` once its
sandbox is set up (before any student code runs) and, at the end, `result_line`; the host
(channel.py) reads them.  The student's code runs in the same process as the worker and
can write to the same channel, so what is read from it is checked (frame.py): it may not
claim a failure of the machine, nor any status but those the worker gives; only the host
says that, from what it saw itself.
"""
from __future__ import annotations

import errno
import json
import shutil
from dataclasses import asdict, dataclass, field

from .frame import read_frame
from .limits import Limits

# the first line a worker writes, once its sandbox is set up and before any student code runs:
# a run that ends without it failed for the machine's reasons, not the student's
STARTED = b"started\n"


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
        have written as well, so it may say no more than the worker says (frame.py)."""
        fields = read_frame(line)
        if fields is None:
            return cls(status="crashed", message="the code wrote a result of its own, not the worker's"
                       if line.lstrip().startswith(b"{") else "the code died or exited while running the answers")
        return cls(**fields)

    def outputs_in(self, cells: list) -> dict[str, list]:
        """The outputs of the code cells among `cells` (the notebook that ran): a result the
        student's code wrote may name cells the notebook does not have."""
        return {index: outputs for index, outputs in self.outputs.items()
                if int(index) < len(cells) and cells[int(index)].cell_type == "code"}


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
