"""Reading what comes out of a sandbox, with a size cap and a deadline.

Whatever a student's process can write to reaches its reader as bytes on a pipe: no
newline, binary, a slow drip, a descriptor closed and opened again.  So a reader never
waits for a line or for the writer to finish: it takes at most `cap` bytes, stops at the
deadline, and says which of the three ended the read.  Used on the host (launcher.py,
warm.py) and in the warm worker (warm_worker.py), so that no process grows with what a
student writes.
"""
from __future__ import annotations

import os
import select
import time
from dataclasses import dataclass

from .limits import Limits
from .result import STARTED, RunResult, machine_error

CHUNK = 1 << 16


@dataclass
class Read:
    data: bytes
    ended: bool      # every writer closed the pipe
    over: bool       # more than the cap was written: the rest was not read

    @property
    def last_line(self) -> bytes:
        lines = self.data.strip().splitlines()
        return lines[-1] if lines else b""


def read_capped(fd: int, cap: int, seconds: float) -> Read:
    """What is written to `fd` until every writer has closed it, the deadline passes, or
    more than `cap` bytes came (then the read stops and the writer is left to be killed)."""
    chunks, size, deadline = [], 0, time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return Read(b"".join(chunks), False, False)
        chunk = os.read(fd, min(CHUNK, cap + 1 - size))
        if not chunk:
            return Read(b"".join(chunks), True, False)
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            return Read(b"".join(chunks)[:cap], False, True)


class LineReader:
    """Lines from a pipe (the warm worker's answers), each with a deadline and a cap (a
    buffered file can have neither)."""

    def __init__(self, fd: int, cap: int):
        self.fd, self.cap, self.buffer = fd, cap, bytearray()

    def read_line(self, seconds: float) -> bytes:
        """The next line; raises EOFError when the pipe ended, TimeoutError at the
        deadline, OverflowError past the cap."""
        deadline = time.monotonic() + seconds
        end = self.buffer.find(b"\n")
        while end < 0:
            if len(self.buffer) > self.cap:
                raise OverflowError(f"a line of more than {self.cap} bytes")
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                raise TimeoutError("no answer in time")
            chunk = os.read(self.fd, min(CHUNK, self.cap + 1 - len(self.buffer)))
            if not chunk:
                raise EOFError("it ended")
            newline = chunk.find(b"\n")
            end = len(self.buffer) + newline if newline >= 0 else -1
            self.buffer += chunk
        line = bytes(self.buffer[:end])
        del self.buffer[:end + 1]
        return line


def sandbox_outcome(read: Read, limits: Limits, seconds: float) -> RunResult:
    """The run's result from what its sandbox wrote in `seconds`: nothing before the start
    line is the machine's failure; after it, the student's code is the cause of whatever
    happens (a flood of output, a deadline passed, a death without a result)."""
    if not read.data.startswith(STARTED):
        if not read.data and not read.ended:
            return machine_error(f"the sandbox did not start within {limits.notebook_seconds} s")
        why = read.data.decode("utf-8", "replace").strip()[:300] or "it exited before running the code"
        return machine_error(f"the sandbox could not start ({why})")
    if read.over:
        return RunResult(status="output-limit", message=f"the code wrote more than the grader reads "
                                                        f"({limits.channel_bytes // 1024 // 1024} MB) to its output")
    result = read.data[len(STARTED):].strip()
    if not read.ended or (not result and seconds >= limits.notebook_seconds):
        return RunResult(status="timeout", message=f"the notebook ran longer than {limits.notebook_seconds} s in all")
    return RunResult.from_line(read.last_line)
