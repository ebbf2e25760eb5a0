"""Run a student's answers and bring back their values as plain data.

The notebook that runs is rebuilt from the released one: its locked cells (setup) come
from the release, only the student's answer cells come from the submission, and the
check cells are left out (they change nothing).  A last cell, added here, prints the
answer variables as JSON.  Whatever the student's code does to its own kernel, all that
leaves the kernel is that JSON, and the score is decided from it outside.
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
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from .sandbox import (Limits, apply_limits, bwrap_argv, in_cgroup, package_dirs, prepare_scratch,
                      process_cgroup, sandbox_environment)
from .submission import grade_id

MARKER = "<<contested-peace-answers>>"
MAX_ANSWER_BYTES = 5 * 1024 * 1024

EXTRACT_CELL = """\
def __contested_peace_extract(names):
    import json
    from autograder.answers import to_plain
    values = {}
    for name in names:
        try:
            values[name] = to_plain(globals()[name]) if name in globals() else None
        except Exception as exc:
            values[name] = {"__unsupported__": type(exc).__name__}
    return json.dumps(values)
print(%(marker)r + __contested_peace_extract(%(names)r))
"""


@dataclass
class Run:
    answers: dict[str, object] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)     # cells that raised (the student's errors)
    status: str = "ok"                                   # ok | timeout | crashed | no-answers | *-limit
    message: str = ""
    outputs: dict[str, list] = field(default_factory=dict)  # test cells' outputs, by grade id (stock nbgrader)


EXTRACT_ID = "__extract__"
KEEP_OUTPUTS = "keep_outputs"   # cell metadata flag: bring this cell's outputs back


def build_notebook(release: nbformat.NotebookNode, answers: dict[str, str], variables: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata=release.metadata)
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("grade"):
            continue  # markdown and check cells do not affect the answers
        gid = grade_id(cell)
        if meta.get("solution"):
            nb.cells.append(nbformat.v4.new_code_cell(answers.get(gid, ""), metadata={"grade_id": gid}))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(cell.source, metadata={"grade_id": gid}))
    nb.cells.append(nbformat.v4.new_code_cell(EXTRACT_CELL % {"marker": MARKER, "names": variables},
                                              metadata={"grade_id": EXTRACT_ID}))
    return nb


def run_answers(release_dir: Path, release: nbformat.NotebookNode, answers: dict[str, str],
                variables: list[str], limits: Limits = Limits(), sandboxed: bool = True) -> Run:
    """Run the student's answers after the released setup and read back their values."""
    return run_notebook(release_dir, build_notebook(release, answers, variables), limits, sandboxed)


def run_notebook(release_dir: Path, nb: nbformat.NotebookNode, limits: Limits = Limits(),
                 sandboxed: bool = True) -> Run:
    """Execute `nb` in a scratch copy of the release folder (data, checks), in a worker
    process inside the sandbox, with a deadline for the whole notebook."""
    with tempfile.TemporaryDirectory(prefix="grade-") as scratch_name:
        scratch = Path(scratch_name)
        shutil.copytree(release_dir, scratch / "work", ignore=shutil.ignore_patterns("*.ipynb"))
        prepare_scratch(scratch)
        job = {"notebook": nbformat.writes(nb), "limits": asdict(limits)}
        if sandboxed:
            argv, env = [*bwrap_argv(scratch), sys.executable, "-m", "autograder.execute"], None
        else:
            # without the sandbox's pid namespace the kernel (in a session of its own) is found by pid
            job["cwd"], job["pidfile"] = str(scratch / "work"), str(scratch / "kernel.pid")
            argv = [sys.executable, "-m", "autograder.execute"]
            env = {**os.environ, **sandbox_environment(scratch),
                   "PYTHONPATH": os.pathsep.join(str(d.parent) for d in package_dirs())}
        with process_cgroup(limits) as procs:
            worker = subprocess.Popen(in_cgroup(procs, argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, text=True, env=env, start_new_session=True)
            try:
                out, _ = worker.communicate(json.dumps(job), timeout=limits.notebook_seconds)
            except subprocess.TimeoutExpired:
                out = None
            finally:
                _kill_group(worker.pid)   # the sandbox: the kernel and anything it started
                worker.wait()
                with contextlib.suppress(OSError, ValueError):
                    _kill_group(int((scratch / "kernel.pid").read_text()))
    if out is None:
        return Run(status="timeout", message=f"the notebook ran longer than {limits.notebook_seconds} s in all")
    try:
        data = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return Run(status="crashed", message="the answers could not be run (the grading worker stopped)")
    return Run(**data)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)


class _LimitedClient(NotebookClient):
    """nbclient's client, keeping no more output than the limit: past it, the cells go on
    running (so the answers can still be read back) but what they print is dropped."""

    def __init__(self, *args, output_limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.output_limit, self.output_seen = output_limit, 0

    def process_message(self, msg, cell, cell_index):
        is_output = msg["msg_type"] in ("stream", "display_data", "execute_result", "error", "update_display_data")
        if is_output and self.nb.cells[cell_index].metadata.get("grade_id") != EXTRACT_ID:  # never cut the answers
            self.output_seen += len(json.dumps(msg["content"]))
            if self.output_seen > self.output_limit and msg["msg_type"] != "error":
                return None
        return super().process_message(msg, cell, cell_index)

    @property
    def flooded(self) -> bool:
        return self.output_seen > self.output_limit


def _execute_job(job: dict) -> Run:
    """Inside the worker: run the notebook with nbclient and read back the answers."""
    limits = Limits(**job["limits"])
    nb = nbformat.reads(job["notebook"], as_version=4)
    run = Run()
    client = _LimitedClient(nb, timeout=limits.cell_seconds, kernel_name="python3", allow_errors=True,
                            interrupt_on_timeout=True, record_timing=False,
                            output_limit=limits.output_mb * 1024 * 1024,
                            resources={"metadata": {"path": job.get("cwd", os.getcwd())}})
    if "pidfile" in job:
        client.on_notebook_start = lambda **_: Path(job["pidfile"]).write_text(str(client.km.provisioner.pid))
    try:
        client.execute()
    except CellTimeoutError:
        run.status, run.message = "timeout", f"a cell ran longer than {limits.cell_seconds} s"
    except DeadKernelError:
        run.status, run.message = "crashed", "the kernel died or exited while running the answers"
    except Exception as exc:  # a kernel that cannot start or exits
        run.status, run.message = "crashed", f"the answers could not be run ({type(exc).__name__})"
    extracting = bool(nb.cells) and nb.cells[-1].metadata.get("grade_id") == EXTRACT_ID
    for cell in nb.cells[:-1] if extracting else nb.cells:
        gid = cell.metadata.get("grade_id") or cell.metadata.get("nbgrader", {}).get("grade_id")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                run.errors.append(f"{gid}: {output.get('ename')}")
        if cell.metadata.get(KEEP_OUTPUTS):
            run.outputs[gid] = [_summary(o) for o in cell.get("outputs", [])]
    if run.status == "ok":
        run.status, run.message = _limit_reached(run.errors, client, limits)
    if extracting:
        answers = _extract(nb.cells[-1])
        if answers is None and run.status == "ok":
            run.status, run.message = "no-answers", "the answers could not be read back (was the kernel tampered with?)"
        run.answers = answers or {}
    return run


def _summary(output) -> dict:
    """What grading needs of an output (its kind, and a result's plain text), never a traceback."""
    kept = {"output_type": output.get("output_type"), "name": output.get("name"), "ename": output.get("ename")}
    if output.get("output_type") == "execute_result":
        text = output.get("data", {}).get("text/plain", "")
        kept["data"] = {"text/plain": (text if isinstance(text, str) else "".join(text))[:1000]}
    return kept


def _limit_reached(errors: list[str], client: _LimitedClient, limits: Limits) -> tuple[str, str]:
    """Which limit stopped a notebook that otherwise ran to its end ("ok" if none did)."""
    if client.flooded:
        return "output-limit", f"the answers printed more than {limits.output_mb} MB; the rest of the output was dropped"
    if any(e.endswith(": KeyboardInterrupt") for e in errors):   # nbclient interrupts a cell at its timeout
        return "timeout", f"a cell ran longer than {limits.cell_seconds} s and was stopped"
    if any(e.endswith(": MemoryError") for e in errors):
        return "memory-limit", f"the answers ran out of memory (the limit is {limits.memory_mb} MB)"
    return "ok", ""


def _extract(cell) -> dict | None:
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream"
                   and o.get("name") == "stdout")
    at = text.rfind(MARKER)
    if at < 0:
        return None
    payload = text[at + len(MARKER):].splitlines()[0] if text[at + len(MARKER):] else ""
    if len(payload) > MAX_ANSWER_BYTES:
        return None
    try:
        values = json.loads(payload)
    except ValueError:
        return None
    return values if isinstance(values, dict) else None


def _worker_main() -> None:
    """The worker keeps its result channel to itself: the kernel it starts inherits
    /dev/null as stdout, and cannot reach the worker's descriptors through /proc."""
    import ctypes

    job = json.loads(sys.stdin.read())
    result = os.fdopen(os.dup(1), "w")          # not inherited by the kernel
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0
    apply_limits(Limits(**job["limits"]))
    run = _execute_job(job)
    result.write(json.dumps(asdict(run)) + "\n")
    result.flush()


if __name__ == "__main__":
    _worker_main()
