"""Inside the sandbox: a warm worker that grades one submission after another, each in a
forked child with a sandbox of its own.

`python -m autograder.execution.warm_worker`, started by warm.py on the host, one per core,
in a bubblewrap sandbox without network and without any scratch folder but /jobs.  It
imports once what the assignment's setup needs (pandas, the course's packages), so that
a submission costs a fork instead of a Python start and those imports.  The protocol is
one line of JSON each way: first the configuration in, "ready" out; then a job in (the
scratch folder's name under /jobs, the notebook, the variables the code sees), a
`RunResult` out.

No child is forked from the process that receives the jobs: it has held every earlier
student's notebook and result, and a child inherits its parent's memory.  Before the
first job it forks a template (a fork server) that never receives one; for each job

    worker --asks--> template --fork--> guard (gets the job alone, on a pipe of its own;
                                               new namespaces, its own sized scratch file system)
                                  --fork--> init (PID 1 of the new PID namespace; its end ends every process in it)
                                  --fork--> runner (no capabilities; the limits; the student's code, worker.run_cells)

The worker writes the job into the guard's pipe and reads the result from another (at
most the output limit and a frame, channel.py); the template hands it both ends and
keeps nothing.  Student code never sees the worker's or the template's descriptors.
Over 250 lines: the worker, its template and the three processes of a job are one process
tree, easier to check for what each holds when read together.
"""
from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import socket
import sys
import time

from .channel import read_capped, sandbox_outcome
from .isolation import die_with_parent, drop_privileges, enter_own_namespaces, mount_own_scratch
from .limits import Limits, apply_limits
from .recorder import Recorder, make_shell
from .result import STARTED, result_line, setup_failure
from .worker import hide_channel, run_cells

PROBE_JOB = "probe"    # a scratch folder the host makes for the start-up check


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


class Template:
    """The fork server: a process forked before any job arrives, which forks a guard per
    job and hands the worker the two ends of that guard's pipes."""

    def __init__(self, config: dict):
        self.socket, theirs = socket.socketpair()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                self.socket.close()
                _close_all_but(theirs.fileno())   # the job channel and the answer channel
                _serve(theirs, config)
            finally:
                os._exit(0)
        theirs.close()

    def new_guard(self) -> tuple[int, int, int]:
        """A fresh guard: its pid, the pipe to write its job to, the pipe to read its result from."""
        self.socket.sendall(b"g")
        message, fds, _, _ = socket.recv_fds(self.socket, 32, 2)
        if len(fds) != 2:
            raise OSError("the template ended")
        return int(message), fds[0], fds[1]


def _serve(requests: socket.socket, config: dict) -> None:
    while requests.recv(1):
        with contextlib.suppress(ChildProcessError):   # guards that ended (the worker may have killed one)
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        guard = _fork(_new_guard, config, job_read, result_write)
        socket.send_fds(requests, [str(guard).encode()], [job_write, result_read])
        for fd in (job_read, job_write, result_read, result_write):
            os.close(fd)


def _new_guard(config: dict, job_read: int, result_write: int) -> None:
    """In a guard just forked from the template: read its job alone, then run it."""
    _close_all_but(job_read, result_write)
    job = json.loads(_read_all(job_read))
    _guard(job, config, Limits(**config["limits"]), result_write)


def run_job(job: bytes, template: Template, limits: Limits) -> bytes:
    """Grade one job (a line of JSON, passed on unread) in a fresh guard; its result line."""
    guard, job_write, result_read = template.new_guard()
    started = time.monotonic()
    with contextlib.suppress(BrokenPipeError):   # a guard that could not start: told by its result
        _write(job_write, job)
    os.close(job_write)
    read = read_capped(result_read, len(STARTED) + limits.channel_bytes, limits.notebook_seconds + 5)
    os.close(result_read)
    if not read.ended:   # past the deadline, or flooding: the template reaps it
        with contextlib.suppress(OSError):
            os.kill(guard, signal.SIGKILL)
    return result_line(sandbox_outcome(read, limits, time.monotonic() - started), limits).lstrip(b"\n")


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def _guard(job: dict, config: dict, limits: Limits, write_end: int) -> None:
    """Enter the job's own sandbox, start its init and hold the notebook's deadline."""
    try:
        if config["isolate"]:
            enter_own_namespaces()
            mount_own_scratch(job["job"], config["python_under_tmp"], limits.disk_mb * 1024 * 1024)
            work, scratch = "/sandbox/work", "/sandbox"
        else:   # --no-sandbox: the job's folder on the host, as the process runner would use it
            work, scratch = os.path.join(config["jobs"], job["job"], "work"), ""
    except OSError as exc:   # the release does not fit --disk, or the kernel refused: no start line
        os.write(write_end, setup_failure(exc, limits))
        os._exit(0)
    init = _fork(_init, job, config, limits, write_end, work, scratch)
    os.close(write_end)
    signal.signal(signal.SIGALRM, lambda *_: os.kill(init, signal.SIGKILL))
    signal.alarm(limits.notebook_seconds)
    os.waitpid(init, 0)
    os._exit(0)


def _init(job: dict, config: dict, limits: Limits, write_end: int, work: str, scratch: str) -> None:
    """PID 1 of the job's PID namespace: start the runner, wait for it, and end; every
    process the student's code left behind ends with it (outside a sandbox: its group)."""
    die_with_parent(signal.SIGKILL)
    os.setpgid(0, 0)
    runner = _fork(_runner, job, config, limits, write_end, work, scratch)
    os.close(write_end)
    while True:
        with contextlib.suppress(ChildProcessError):
            pid, _ = os.waitpid(-1, 0)   # orphans of the student's code come here too
            if pid != runner:
                continue
        break
    with contextlib.suppress(OSError):
        os.killpg(0, signal.SIGKILL)


def _runner(job: dict, config: dict, limits: Limits, write_end: int, work: str, scratch: str) -> None:
    if config["isolate"]:
        drop_privileges()
    os.environ.update(job.get("environment") or {})   # outside a sandbox, also HOME and TMPDIR in the job's folder
    os.chdir(work)
    if "numpy" in sys.modules:   # a fresh process would draw other random numbers; so does each child
        sys.modules["numpy"].random.seed()
    _write(write_end, STARTED)
    apply_limits(limits)
    # the whole job: a field the host adds (as for the process runner's worker) reaches run_cells
    run = run_cells({**job, "limits": config["limits"], "scratch": scratch})
    _write(write_end, result_line(run, limits))


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


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


def _close_all_but(*keep: int) -> None:
    """Close every descriptor but `keep` (the worker's job channel holds the next students' notebooks)."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    start = 3
    for fd in sorted(keep):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, 65536)


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
            mount_own_scratch(PROBE_JOB, config["python_under_tmp"], Limits(**config["limits"]).disk_mb << 20)
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
    reason = read_capped(read_end, 500, 30).data
    os.close(read_end)
    os.waitpid(guard, 0)
    return f"a child could not get a sandbox of its own: {reason.decode(errors='replace')}" if reason else None


def main() -> None:
    channel = hide_channel()
    jobs = sys.stdin.buffer
    config = json.loads(jobs.readline())
    preload(config["preload"])
    problem = probe(config)
    template = None if problem else Template(config)   # before the first job: it never sees one
    channel.write(json.dumps({"ready": problem is None, "problem": problem}) + "\n")
    channel.flush()
    if problem:
        os._exit(0)
    limits = Limits(**config["limits"])
    answers = channel.buffer
    while job := jobs.readline():
        answers.write(run_job(job, template, limits))
        answers.flush()
        del job
    os._exit(0)


if __name__ == "__main__":
    main()
