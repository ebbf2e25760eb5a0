"""Inside the sandbox: which limit stopped a notebook, from what the sandbox observed of
the student's process (its address space, its scratch file system, what it printed),
never from an exception's name alone, which the code can raise itself."""
from __future__ import annotations

import contextlib
import dis
import os

from .isolation import file_count
from .limits import Limits


def limit_reached(errors: list[str], flooded: bool, limits: Limits, disk: bool = False,
                  memory: bool = False) -> tuple[str, str]:
    """Which limit stopped a notebook that otherwise ran to its end ("ok" if none did),
    from what this process saw of itself (an exception's name alone, which the student's
    code can raise, proves nothing)."""
    if flooded:
        return "output-limit", f"the answers printed more than {limits.output_mb} MB; the rest was not kept"
    if disk:
        return "disk-limit", (f"the answers wrote more than {limits.disk_mb} MB of files in all, or more than "
                              f"{file_count(limits.disk_mb << 20):,} files (--disk)")
    if any(e.endswith(": KeyboardInterrupt") for e in errors):
        return "timeout", f"a cell ran longer than {limits.cell_seconds} s and was stopped"
    if memory:
        return "memory-limit", f"the answers ran out of memory (the limit is {limits.memory_mb} MB)"
    return "ok", ""


MB = 1024 * 1024
MEMORY_SLACK = 256 * MB   # a request refused by the limit leaves at most about this much of it unused
DISK_SLACK = MB           # a scratch file system with less free space than this is full
FILES_SLACK = 16          # or with fewer files left to make than this


def memory_refused(failure, limits: Limits) -> bool:
    """Whether a cell's error is the memory limit at work: a MemoryError raised where an
    allocation failed (not by a `raise` statement: the code can raise one itself), or with
    the address space at the limit."""
    if not isinstance(failure, MemoryError):
        return False
    frame = failure.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    raised = frame is not None and dis.opname[frame.tb_frame.f_code.co_code[frame.tb_lasti]] in ("RAISE_VARARGS",
                                                                                               "RERAISE")
    return not raised or peak_memory() >= limits.memory_mb * MB - MEMORY_SLACK


def peak_memory() -> int:
    """The most address space this process has held (the memory limit binds it)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    return 0


def disk_full(scratch: str | None, limits: Limits, disk_errors: int) -> bool:
    """Whether the scratch file system (the sandbox's sized tmpfs) is full: nearly no space
    or no file left (its number of files is capped too), or a cell failed for want of
    space with less than a file's limit left."""
    if not scratch:
        return False   # --no-sandbox: no disk limit
    try:
        stats = os.statvfs(scratch)
    except OSError:
        return False
    free = stats.f_bavail * stats.f_frsize
    return free < DISK_SLACK or stats.f_favail < FILES_SLACK or (disk_errors > 0 and free < limits.file_mb * MB)
