"""Inside the sandbox: run a notebook's code cells in an IPython shell, in this process.

This is the grading worker (`python -m autograder.execution.worker`, started by
launcher.py on the host).  It runs the cells as a Jupyter kernel would (IPython's own
shell, magics included) but without the kernel's process, messaging and start-up, which
cost more than most assignments' code.  It reads a job (the notebook, the limits) on
stdin, caps its sandbox's number of files, copies the release's files into its scratch
file system, writes the start line and, at the end, one line of JSON (a `RunResult`,
result.py) on a descriptor of its own; nothing else of what it does leaves the sandbox.
Each cell has a time limit (an alarm that interrupts it, as Jupyter's interrupt would);
the notebook's deadline, memory, processes and file sizes are held from outside.

What each cell produced is recorded by recorder.py, what the run gives back is in
result.py and the limits it observes in observed.py.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import signal
import sys

from ..core.plain import UNSUPPORTED, to_plain
from ..errors import SubmissionProblem
from ..nbmeta import cell_source
from .isolation import cap_file_counts
from .limits import Limits, apply_limits
from .observed import disk_full, limit_reached, memory_refused
from .recorder import CappedStream, Recorder, make_shell, message_of
from .result import STARTED, RunResult, result_line, setup_failure
from .sandbox import INSIDE, RELEASE, SCRATCH_FS, prepare_scratch
from .structure import check_cells, check_depth

# no nbformat here: its schema validation takes longer to import than most notebooks take to run
# this package (the worker runs as __main__): its modules are put back before the answers are read
GRADER = (__package__ or __name__).split(".")[0]
EXTRACT_ID = "__extract__"        # the last cell: the answer variables to bring back, as JSON


def _interrupt(signum, frame):
    raise KeyboardInterrupt   # what Jupyter's interrupt raises in a cell that runs too long


def read_cells(text: str) -> list[dict]:
    """The notebook's cells, under the same structural limits as on the host (checked
    again here: the worker trusts no notebook it is handed)."""
    check_depth("the notebook", text)
    data = json.loads(text)
    check_cells("the notebook", data)
    return data["cells"]


def run_cells(job: dict) -> RunResult:
    limits = Limits(**job["limits"])
    try:
        cells = read_cells(job["notebook"])
    except SubmissionProblem as problem:
        return RunResult(status=problem.status, message=problem.message)
    # the notebook's folder is importable (the assignment's modules beside it), as in a kernel
    # started there: on every runner, including a warm worker's child, which did not start there
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    recorder = Recorder(limits.output_mb * 1024 * 1024)
    sys.stdout, sys.stderr = CappedStream("stdout", recorder), CappedStream("stderr", recorder)
    sys.stdin = open(os.devnull)
    shell = make_shell(recorder)
    # the answers are read with this module's to_plain, whose recursion looks itself up in its
    # module: a student's `import autograder.core.plain` gets a fresh copy of that module, so
    # patching it cannot change how the answers are read
    sys.modules.pop(to_plain.__module__, None)
    signal.signal(signal.SIGALRM, _interrupt)
    run = RunResult()
    variables: list[str] = []
    disk_errors, out_of_memory = 0, False
    grader = grader_namespaces()
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        metadata = cell.get("metadata", {})
        gid = metadata.get("grade_id") or metadata.get("nbgrader", {}).get("grade_id")
        source = cell_source(cell)
        if gid == EXTRACT_ID:
            variables = json.loads(source)
            continue
        recorder.start_cell()
        signal.setitimer(signal.ITIMER_REAL, limits.cell_seconds)
        try:
            outcome = shell.run_cell(source, store_history=True)
        except KeyboardInterrupt:   # the alarm rang between IPython's own steps
            outcome = None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        failure = None if outcome is None else (outcome.error_before_exec or outcome.error_in_exec)
        if outcome is None or failure is not None:
            name = type(failure).__name__ if failure is not None else "KeyboardInterrupt"
            if not recorder.failed:   # shown already, unless the alarm rang between IPython's steps
                recorder.error(name, message_of(failure))
            run.errors.append(f"{gid}: {name}")
            disk_errors += isinstance(failure, OSError) and failure.errno in (errno.ENOSPC, errno.EDQUOT)
            out_of_memory = out_of_memory or memory_refused(failure, limits)
        run.outputs[str(index)] = list(recorder.cell_outputs)
    run.status, run.message = limit_reached(run.errors, recorder.flooded, limits,
                                            disk_full(job.get("scratch"), limits, disk_errors), out_of_memory)
    restore_grader(grader)
    run.answers = {name: _answer_value(shell.user_ns, name) for name in variables}
    return run


def grader_namespaces() -> list[tuple[dict, dict]]:
    """The grader's own modules and the builtins, each with a copy of its names as they
    are before the student's code runs."""
    import builtins
    modules = [m for name, m in list(sys.modules.items()) if name.split(".")[0] == GRADER and m is not None]
    return [(vars(m), dict(vars(m))) for m in [*modules, builtins]]


def restore_grader(saved: list[tuple[dict, dict]]) -> None:
    """Put back what an answer cell replaced in the grader or the builtins (reported as
    tampering on the host): the answers are then read as the student's code left them,
    by the grader's own code."""
    for namespace, names in saved:
        namespace.update(names)


def _answer_value(namespace: dict, name: str):
    if name not in namespace:
        return None
    try:
        return to_plain(namespace[name])
    except Exception as exc:   # an object whose conversion fails is an unsupported answer
        return {UNSUPPORTED: type(exc).__name__}


def hide_channel():
    """The result channel, kept private: the student's code (in this process) finds
    /dev/null on descriptors 1 and 2, and other processes cannot reach this one's
    descriptors through /proc (not dumpable)."""
    channel = os.fdopen(os.dup(1), "w")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)   # PR_SET_DUMPABLE 0
    return channel


def enter_scratch(job: dict) -> str:
    """The scratch folder the code runs in: in the sandbox, the sized file system at
    /sandbox (bwrap's --tmpfs) gets a copy of the release; without one, the host's folder."""
    if "cwd" in job:
        os.chdir(job["cwd"])
        return ""
    cap_file_counts(str(SCRATCH_FS), Limits(**job["limits"]).disk_mb << 20)
    prepare_scratch(INSIDE)
    shutil.copytree(RELEASE, INSIDE / "work", symlinks=True)
    os.chdir(INSIDE / "work")
    return str(INSIDE)


def main() -> None:
    job = json.loads(sys.stdin.read())
    channel = hide_channel()
    limits = Limits(**job["limits"])
    try:
        job["scratch"] = enter_scratch(job)
    except OSError as exc:   # the release's files do not fit the --disk limit, or the sandbox is broken
        channel.write(setup_failure(exc, limits).decode())
        channel.flush()
        os._exit(0)
    channel.write(STARTED.decode())
    channel.flush()
    apply_limits(limits)
    channel.write(result_line(run_cells(job), limits).decode())
    channel.flush()
    os._exit(0)   # skip interpreter teardown: whatever the student left running must not delay it


if __name__ == "__main__":
    main()
