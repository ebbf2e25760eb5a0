"""Inside the sandbox: a warm worker that grades one submission after another, each in a
forked child with a sandbox of its own.

`python -m autograder.execution.warm_worker`, started by warm.py on the host, one per core,
in a bubblewrap sandbox without network and without any scratch folder but /jobs.  It
imports once what the assignment's setup needs (pandas, the course's packages), so that
a submission costs a fork instead of a Python start and those imports.  The protocol is
one line of JSON each way: first the configuration in, "ready" out; then a job in (the
scratch folder's name under /jobs, the notebook, the variables the code sees), a
`RunResult` out.  The answers never reach this process's own state: each job runs in

    warm worker --fork--> guard (new namespaces, the job's scratch folder mounted)
                 --fork--> init (PID 1 of the new PID namespace; its end ends every process in it)
                 --fork--> runner (no capabilities; the limits; the student's code, worker.run_cells)

and the result comes back through a pipe of that job's own.  Student code never sees the
worker's descriptors: its job channel and result channel are closed in the guard.
"""
from __future__ import annotations

import contextlib
import importlib
import json
import os
import select
import signal
import sys
import time

from .isolation import die_with_parent, drop_privileges, enter_own_namespaces, mount_own_scratch
from .limits import Limits, apply_limits
from .worker import Recorder, RunResult, hide_channel, make_shell, result_line, run_cells

PROBE_JOB = "probe"    # a scratch folder the host makes for the start-up check
CRASHED = RunResult(status="crashed", message="the code died or exited while running the answers")


def preload(modules: list[str]) -> None:
    """Import what the assignment's setup imports, so that no child imports it again.
    A module that fails to import here fails again, with its message, in the child."""
    # a throwaway shell imports what making one needs (about 25 ms a child otherwise); the
    # class forgets it, so that each child makes its own
    shell = make_shell(Recorder(0))
    type(shell).clear_instance()
    for name in modules:
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def run_job(job: dict, config: dict) -> dict:
    """Grade one job in a fresh guard process; the job's result as a dict."""
    limits = Limits(**config["limits"])
    read_end, write_end = os.pipe()
    started = time.monotonic()
    def in_guard() -> None:
        os.close(read_end)
        _close_all_but(write_end)
        _guard(job, config, limits, write_end)

    guard = _fork(in_guard)
    os.close(write_end)
    data, finished = _read_until_closed(read_end, limits.notebook_seconds + 5)
    if not finished:
        with contextlib.suppress(OSError):
            os.kill(guard, signal.SIGKILL)
    os.waitpid(guard, 0)
    os.close(read_end)
    lines = data.decode("utf-8", "replace").strip().splitlines()
    if lines:
        with contextlib.suppress(ValueError):
            return json.loads(lines[-1])
    if time.monotonic() - started >= limits.notebook_seconds:
        return RunResult(status="timeout", message=f"the notebook ran longer than {limits.notebook_seconds} s in all").__dict__
    return CRASHED.__dict__


def _guard(job: dict, config: dict, limits: Limits, write_end: int) -> None:
    """Enter the job's own sandbox, start its init and hold the notebook's deadline."""
    if config["isolate"]:
        enter_own_namespaces()
        mount_own_scratch(job["job"], config["python_under_tmp"])
        work = "/sandbox/work"
    else:   # --no-sandbox: the job's folder on the host, as the process runner would use it
        work = os.path.join(config["jobs"], job["job"], "work")
    init = _fork(_init, job, config, limits, write_end, work)
    os.close(write_end)
    signal.signal(signal.SIGALRM, lambda *_: os.kill(init, signal.SIGKILL))
    signal.alarm(limits.notebook_seconds)
    os.waitpid(init, 0)
    os._exit(0)


def _init(job: dict, config: dict, limits: Limits, write_end: int, work: str) -> None:
    """PID 1 of the job's PID namespace: start the runner, wait for it, and end; every
    process the student's code left behind ends with it (outside a sandbox: its group)."""
    die_with_parent(signal.SIGKILL)
    os.setpgid(0, 0)
    runner = _fork(_runner, job, config, limits, write_end, work)
    os.close(write_end)
    while True:
        with contextlib.suppress(ChildProcessError):
            pid, _ = os.waitpid(-1, 0)   # orphans of the student's code come here too
            if pid != runner:
                continue
        break
    with contextlib.suppress(OSError):
        os.killpg(0, signal.SIGKILL)


def _runner(job: dict, config: dict, limits: Limits, write_end: int, work: str) -> None:
    if config["isolate"]:
        drop_privileges()
    os.environ.update(job.get("environment") or {})   # outside a sandbox, also HOME and TMPDIR in the job's folder
    os.chdir(work)
    if "numpy" in sys.modules:   # a fresh process would draw other random numbers; so does each child
        sys.modules["numpy"].random.seed()
    apply_limits(limits)
    run = run_cells({"notebook": job["notebook"], "limits": config["limits"]})
    data = result_line(run).encode()
    while data:
        data = data[os.write(write_end, data):]


def _fork(function, *args) -> int:
    """Run `function(*args)` in a child process, which ends when it returns or raises;
    the child's pid."""
    pid = os.fork()
    if pid == 0:
        try:
            function(*args)
        finally:
            os._exit(0)
    return pid


def _close_all_but(keep: int) -> None:
    """Close the worker's descriptors (the job channel holds the next students' notebooks)."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, keep)
    os.closerange(keep + 1, 65536)


def _read_until_closed(fd: int, seconds: float) -> tuple[bytes, bool]:
    """Everything written to the pipe until every writer is gone, or what came before the deadline."""
    chunks, deadline = [], time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"".join(chunks), False
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks), True
            chunks.append(chunk)


def probe(config: dict) -> str | None:
    """Why children cannot get a sandbox of their own here, or None when they can."""
    if not config["isolate"]:
        return None
    read_end, write_end = os.pipe()
    guard = os.fork()
    if guard == 0:
        reason = "it failed"
        try:
            _close_all_but(write_end)
            enter_own_namespaces()
            mount_own_scratch(PROBE_JOB, config["python_under_tmp"])
            init = os.fork()
            if init == 0:
                try:
                    drop_privileges()
                    os._exit(0 if os.listdir("/jobs") == [] else 1)
                finally:
                    os._exit(1)
            _, status = os.waitpid(init, 0)
            reason = "" if os.waitstatus_to_exitcode(status) == 0 else "other scratch folders stayed visible"
        except Exception as exc:
            reason = str(exc)
        finally:
            os.write(write_end, reason.encode()[:500])
            os._exit(0)
    os.close(write_end)
    reason, _ = _read_until_closed(read_end, 30)
    os.close(read_end)
    os.waitpid(guard, 0)
    return f"a child could not get a sandbox of its own: {reason.decode(errors='replace')}" if reason else None


def main() -> None:
    channel = hide_channel()
    jobs = sys.stdin
    config = json.loads(jobs.readline())
    preload(config["preload"])
    problem = probe(config)
    channel.write(json.dumps({"ready": problem is None, "problem": problem}) + "\n")
    channel.flush()
    if problem:
        os._exit(0)
    for line in jobs:
        channel.write(json.dumps(run_job(json.loads(line), config), default=str) + "\n")
        channel.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
