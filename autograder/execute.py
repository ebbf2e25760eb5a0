"""Run a student's answers and bring back their values as plain data.

The notebook that runs is rebuilt from the released one: its locked cells (setup) come
from the release, only the student's answer cells come from the submission, and the
check cells are left out (they change nothing).  A last cell, added here, prints the
answer variables as JSON.  Whatever the student's code does to its own kernel, all that
leaves the kernel is that JSON, and the score is decided from it outside.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

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
    status: str = "ok"                                   # ok | timeout | crashed | no-answers
    message: str = ""


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
                                              metadata={"grade_id": "__extract__"}))
    return nb


def run_answers(release_dir: Path, release: nbformat.NotebookNode, answers: dict[str, str],
                variables: list[str], timeout: int = 60, notebook_timeout: int | None = None) -> Run:
    """Execute in a scratch copy of the release folder (data, checks), in a worker process
    with a deadline for the whole notebook, and extract the answers."""
    import signal
    import subprocess

    nb = build_notebook(release, answers, variables)
    deadline = notebook_timeout or timeout * 5
    with tempfile.TemporaryDirectory(prefix="grade-") as scratch:
        work = Path(scratch) / "work"
        shutil.copytree(release_dir, work, ignore=shutil.ignore_patterns("*.ipynb"))
        job = {"notebook": nbformat.writes(nb), "cwd": str(work), "timeout": timeout,
               "pidfile": str(Path(scratch) / "kernel.pid")}
        worker = subprocess.Popen([sys.executable, "-m", "autograder.execute"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                  env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
        try:
            out, _ = worker.communicate(json.dumps(job), timeout=deadline)
        except subprocess.TimeoutExpired:
            _kill_kernel(Path(job["pidfile"]), signal.SIGKILL)
            worker.kill()
            worker.communicate()
            return Run(status="timeout", message=f"the notebook ran longer than {deadline} s in all")
        _kill_kernel(Path(job["pidfile"]), signal.SIGKILL)  # in case the worker could not
    try:
        data = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return Run(status="crashed", message="the answers could not be run")
    return Run(**data)


def _kill_kernel(pidfile: Path, sig) -> None:
    try:
        os.kill(int(pidfile.read_text()), sig)
    except (OSError, ValueError):
        pass


def _execute_job(job: dict) -> Run:
    """Inside the worker: run the notebook with nbclient and read back the answers."""
    nb = nbformat.reads(job["notebook"], as_version=4)
    run = Run()
    client = NotebookClient(nb, timeout=job["timeout"], kernel_name="python3", allow_errors=True,
                            interrupt_on_timeout=True, record_timing=False,
                            resources={"metadata": {"path": job["cwd"]}})
    client.on_notebook_start = lambda **_: Path(job["pidfile"]).write_text(str(client.km.provisioner.pid))
    try:
        client.execute()
    except CellTimeoutError:
        run.status, run.message = "timeout", f"a cell ran longer than {job['timeout']} s"
    except DeadKernelError:
        run.status, run.message = "crashed", "the kernel died while running the answers"
    except Exception as exc:  # a kernel that cannot start or exits
        run.status, run.message = "crashed", f"the answers could not be run ({type(exc).__name__})"
    for cell in nb.cells[:-1]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                run.errors.append(f"{cell.metadata.get('grade_id')}: {output.get('ename')}")
    answers = _extract(nb.cells[-1])
    if answers is None and run.status == "ok":
        run.status, run.message = "no-answers", "the answers could not be read back (was the kernel tampered with?)"
    run.answers = answers or {}
    return run


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


if __name__ == "__main__":
    from dataclasses import asdict

    print(json.dumps(asdict(_execute_job(json.loads(sys.stdin.read())))))
