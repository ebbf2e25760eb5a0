"""The limits student code runs under, shared by both sides of the sandbox: the host that
launches it (launcher.py, sandbox.py) and the worker inside that applies them to itself."""
from __future__ import annotations

import resource
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    cell_seconds: int = 30     # each cell (--timeout): nbgrader's default; the notebook may take five times this
    memory_mb: int = 2048      # address space of each process of the student's code (--memory)
    processes: int = 128       # processes and threads, all together
    output_mb: int = 10        # what the answers may print, all cells together
    file_mb: int = 64          # the largest file the code may write
    disk_mb: int = 256         # all it writes together: files, /tmp, the scratch copy (--disk)

    @property
    def notebook_seconds(self) -> int:
        return self.cell_seconds * 5

    @property
    def channel_bytes(self) -> int:
        """The most the host reads from a sandbox: the outputs the limit lets through and a
        frame for the answers' values and the JSON around them.  A worker makes its result
        fit (result.result_line); anything longer was written by the student's code."""
        return (self.output_mb + RESULT_FRAME_MB) * 1024 * 1024


RESULT_FRAME_MB = 4   # the answers' plain values and the result's JSON, past the output limit


def apply_limits(limits: Limits) -> None:
    """Called by the worker on itself before it runs any student code, which inherits them."""
    def cap(which: int, value: int) -> None:
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))
    cap(resource.RLIMIT_AS, limits.memory_mb * 1024 * 1024)
    cap(resource.RLIMIT_FSIZE, limits.file_mb * 1024 * 1024)
    cap(resource.RLIMIT_NPROC, limits.processes)
    cap(resource.RLIMIT_CORE, 0)
