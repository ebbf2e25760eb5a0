"""Host side: the warm runner.  One warm worker per core (warm_worker.py), each in a
bubblewrap sandbox of its own, has imported what the assignment's setup imports; for each
submission it forks a child with a sandbox of its own (own mount, PID, network and user
namespaces, own scratch folder, the same limits as a process of the process runner).  A
submission then costs a fork instead of starting Python and importing pandas.

Where children cannot get a sandbox of their own (a kernel without nested user
namespaces), the runner says so in `note` and runs every notebook as the process runner
does: never with less isolation.
"""
from __future__ import annotations

import ast
import contextlib
import itertools
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

import nbformat

from ..nbmeta import is_answer
from .channel import LineReader
from .launcher import run_notebook
from .limits import Limits
from .result import STARTED, RunResult, machine_error
from .runner import Runner
from .sandbox import (
    in_cgroup,
    package_dirs,
    prepare_scratch,
    process_cgroup,
    python_dirs_under_tmp,
    sandbox_environment,
    warm_bwrap_argv,
)
from .warm_worker import PROBE_JOB

WARM_WORKER = "autograder.execution.warm_worker"
START_SECONDS = 120      # to import the assignment's modules, on a loaded machine
SPARE_SECONDS = 15       # past the notebook's own deadline, before the worker itself is stopped
# the worker's own processes in its pids cgroup (bubblewrap's init, the worker, a job's guard
# and init): the student's code keeps the whole process limit for itself
WORKER_PROCESSES = 4


def setup_imports(notebooks: list[nbformat.NotebookNode]) -> list[str]:
    """The modules the instructor's cells import (setup, checks, tests; never the
    students' answer cells): what a warm worker imports before the first submission."""
    modules: dict[str, None] = {}
    for nb in notebooks:
        for cell in nb.cells:
            if cell.cell_type != "code" or is_answer(cell):
                continue
            try:
                tree = ast.parse(cell.source)
            except (SyntaxError, ValueError):   # IPython magics: the imports there are not needed
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules.update(dict.fromkeys(alias.name for alias in node.names))
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules[node.module] = None
    return list(modules)


class WorkerGone(Exception):
    """The warm worker ended or stopped answering."""


class WarmWorker:
    """One warm worker process, its cgroup (as root) and its folder of scratch folders."""

    def __init__(self, folder: Path, limits: Limits, sandbox: bool, packages: tuple[str, ...], preload: list[str]):
        self.folder, self.limits, self.sandbox, self.packages, self.preload = folder, limits, sandbox, packages, preload
        self.jobs = itertools.count()
        self.process: subprocess.Popen | None = None
        self.reader: LineReader | None = None
        self.problem: str | None = None
        self.checked = False
        self.resources = contextlib.ExitStack()

    def start(self) -> None:
        """Start the worker; it imports and checks its children's sandbox while we go on."""
        self.folder.mkdir(parents=True)
        (self.folder / PROBE_JOB / "work").mkdir(parents=True)
        config = {"limits": asdict(self.limits), "preload": self.preload, "isolate": self.sandbox,
                  "jobs": str(self.folder), "python_under_tmp": [str(p) for p in python_dirs_under_tmp()]}
        if self.sandbox:
            procs = self.resources.enter_context(process_cgroup(self.limits))
            if procs is not None:   # as root: the cgroup holds the worker's few processes and the student's
                (procs.parent / "pids.max").write_text(str(self.limits.processes + WORKER_PROCESSES))
            argv = in_cgroup(procs, [*warm_bwrap_argv(self.folder, self.packages), sys.executable, "-m", WARM_WORKER])
            env = None
        else:
            argv = [sys.executable, "-m", WARM_WORKER]
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(d.parent) for d in package_dirs(self.packages)),
                   **dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"), "1")}
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        env=env, start_new_session=True)
        # the worker's answers hold no more than a sandbox's result (it caps them, channel.py)
        self.reader = LineReader(self.process.stdout.fileno(), self.limits.channel_bytes + len(STARTED))
        self._send(config)

    def _send(self, message: dict) -> None:
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        self.process.stdin.flush()

    def ready(self) -> str | None:
        """Wait for the worker's start-up, once; why it cannot grade, or None."""
        if not self.checked:
            self.checked = True
            try:
                answer = json.loads(self.reader.read_line(START_SECONDS))
                self.problem = None if answer.get("ready") else (answer.get("problem") or "it could not start")
            except (EOFError, TimeoutError, OverflowError, ValueError) as exc:
                self.problem = f"the warm worker did not start ({exc})"
        return self.problem

    def run(self, release_dir: Path, nb: nbformat.NotebookNode, environment: dict[str, str] | None) -> RunResult:
        name = str(next(self.jobs))
        scratch = self.folder / name
        try:
            shutil.copytree(release_dir, scratch / "work", ignore=shutil.ignore_patterns("*.ipynb"))
            variables = dict(environment or {})
            if not self.sandbox:   # the process runner's environment and folders, in this job's folder
                prepare_scratch(scratch)
                variables = {**sandbox_environment(scratch), **variables}
        except OSError as exc:   # the host's disk is full: not the student's doing
            shutil.rmtree(scratch, ignore_errors=True)
            return machine_error(f"the grading machine failed ({exc})")
        try:
            self._send({"job": name, "notebook": json.dumps(nb), "environment": variables})
            # from the worker, not the student: it may say the machine failed
            return RunResult(**json.loads(self.reader.read_line(self.limits.notebook_seconds + SPARE_SECONDS)))
        except (OSError, EOFError, TimeoutError, OverflowError, ValueError, TypeError) as exc:
            raise WorkerGone(str(exc)) from None
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def kill(self) -> None:
        if self.process is not None:
            with contextlib.suppress(OSError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def stop(self) -> None:
        self.kill()
        if self.process is not None:
            self.process.wait()
            for pipe in (self.process.stdin, self.process.stdout):
                with contextlib.suppress(OSError):
                    pipe.close()
            self.process = None
        self.resources.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class WarmRunner(Runner):
    """`workers` warm workers, started at once (they import while the caller does other
    work); each notebook goes to the next idle one."""

    def __init__(self, limits: Limits, sandbox: bool = True, packages: tuple[str, ...] = (),
                 preload: list[str] = (), workers: int = 1):
        super().__init__(limits, sandbox, packages)
        self.preload = list(preload)
        self.replacing = threading.Lock()
        self.root = Path(tempfile.mkdtemp(prefix="grade-warm-"))
        self.workers = [self._new_worker(i) for i in range(max(1, workers))]
        self.idle: queue.Queue[WarmWorker] = queue.Queue()
        for worker in self.workers:
            worker.start()
            self.idle.put(worker)

    def parallel(self) -> int:
        return len(self.workers)

    def _new_worker(self, index: int) -> WarmWorker:
        return WarmWorker(self.root / f"worker-{index}-{time.monotonic_ns()}", self.limits, self.sandbox,
                          self.packages, self.preload)

    def run(self, release_dir, notebook, environment=None) -> RunResult:
        worker = self.idle.get()
        try:
            for attempt in range(2):   # a worker that died is replaced, and the notebook tried once more
                problem = worker.ready()
                if problem:
                    self.note = f"warm workers unavailable ({problem}): a sandboxed process per notebook"
                    return run_notebook(release_dir, notebook, self.limits, self.sandbox, self.packages, environment)
                try:
                    return worker.run(release_dir, notebook, environment)
                except WorkerGone as gone:
                    worker = self._replace(worker)
                    if attempt:
                        return machine_error(f"the grading worker failed twice ({gone})")
        finally:
            self.idle.put(worker)

    def _replace(self, worker: WarmWorker) -> WarmWorker:
        worker.stop()
        with self.replacing:
            fresh = self._new_worker(len(self.workers))
            self.workers = [fresh if w is worker else w for w in self.workers]
        fresh.start()
        return fresh

    def close(self) -> None:
        for worker in self.workers:   # all at once, then wait for each
            worker.kill()
        for worker in self.workers:
            worker.stop()
        shutil.rmtree(self.root, ignore_errors=True)
