"""Host side: run a student's notebook in the sandbox and bring back what grading needs,
as plain data.

For a course with questions.yml the notebook that runs is rebuilt from the released one:
its locked cells (setup) come from the release, only the student's answer cells come from
the submission, and the check cells are left out (they change nothing).  The worker
(worker.py) runs it inside the sandbox and hands back the answer variables as plain JSON
values (and each cell's outputs, for the autograded notebook formgrader shows); the score
is decided from the values outside, against a key the sandbox never sees.
Whatever the student's code does inside, it can at most change those values, which it
could as well have written as its answers.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import nbformat

from ..nbmeta import grade_id, is_answer, nbgrader_meta
from .channel import read_capped, sandbox_outcome
from .limits import Limits
from .result import STARTED, RunResult, machine_error
from .sandbox import bwrap_argv, in_cgroup, package_dirs, prepare_scratch, process_cgroup, sandbox_environment
from .worker import EXTRACT_ID

WORKER = "autograder.execution.worker"
DEFAULT_LIMITS = Limits()


def build_notebook(release: nbformat.NotebookNode, answers: dict[str, str], variables: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata=release.metadata)
    for cell in release.cells:
        if cell.cell_type != "code" or nbgrader_meta(cell).get("grade"):
            continue  # markdown and check cells do not affect the answers
        gid = grade_id(cell)
        if is_answer(cell):
            nb.cells.append(nbformat.v4.new_code_cell(answers.get(gid, ""), metadata={"grade_id": gid}))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(cell.source, metadata={"grade_id": gid}))
    # not code: the worker reads from it which variables to bring back once the cells have run
    nb.cells.append(nbformat.v4.new_code_cell(json.dumps(variables), metadata={"grade_id": EXTRACT_ID}))
    return nb


def run_notebook(release_dir: Path, nb: nbformat.NotebookNode, limits: Limits = DEFAULT_LIMITS,
                 sandbox: bool = True, packages: tuple[str, ...] = (),
                 environment: dict[str, str] | None = None) -> RunResult:
    """Execute `nb` in a scratch copy of the release folder (data, checks), in a worker
    process inside the sandbox, with a deadline for the whole notebook.  `environment`
    adds variables the code sees (the student's id, for questions that vary)."""
    try:
        with tempfile.TemporaryDirectory(prefix="grade-") as scratch_name:
            scratch = Path(scratch_name)
            shutil.copytree(release_dir, scratch / "work", ignore=shutil.ignore_patterns("*.ipynb"))
            return _run_in_sandbox(scratch, nb, limits, sandbox, packages, environment)
    except OSError as exc:   # the host's disk full, a sandbox that cannot start: not the student's doing
        return machine_error(f"the grading machine failed ({exc})")


def _run_in_sandbox(scratch: Path, nb, limits: Limits, sandbox: bool, packages: tuple[str, ...],
                    environment: dict[str, str] | None) -> RunResult:
    job = {"notebook": json.dumps(nb), "limits": asdict(limits)}
    if sandbox:
        extra = [arg for key, value in (environment or {}).items() for arg in ("--setenv", key, value)]
        argv, env = [*bwrap_argv(scratch / "work", limits, packages), *extra, sys.executable, "-m", WORKER], None
    else:   # the host's scratch folder, without a disk limit
        prepare_scratch(scratch)
        job["cwd"] = str(scratch / "work")
        argv = [sys.executable, "-m", WORKER]
        env = {**os.environ, **sandbox_environment(scratch), **(environment or {}),
               "PYTHONPATH": os.pathsep.join(str(d.parent) for d in package_dirs(packages))}
    with process_cgroup(limits) as procs:
        worker = subprocess.Popen(in_cgroup(procs, argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        try:
            with contextlib.suppress(BrokenPipeError):   # a worker that ended at once: told below
                worker.stdin.write(json.dumps(job).encode())
                worker.stdin.close()
            # the student's code holds this pipe: read no more than the cap, whatever it writes
            started = time.monotonic()
            read = read_capped(worker.stdout.fileno(), len(STARTED) + limits.channel_bytes, limits.notebook_seconds)
        finally:
            _kill_group(worker.pid)   # the worker and anything the student's code started
            worker.wait()
            worker.stdout.close()
    return sandbox_outcome(read, limits, time.monotonic() - started)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)
