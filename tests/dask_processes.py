"""A Dask scheduler and workers as real processes on 127.0.0.1, started from this
Python (so the workers import the grader and the course): for tests/test_cluster.py and
benchmarks/grading.py."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
START_SECONDS = 60


class DaskProcesses:
    """A scheduler and workers, each a process of its own logging to a file in `folder`."""

    def __init__(self, folder: Path, scheduler_args: tuple[str, ...] = (), worker_args: tuple[str, ...] = ()):
        self.folder, self.processes, self.workers, self.worker_args = folder, [], {}, worker_args
        folder.mkdir(parents=True, exist_ok=True)
        scheduler_file = folder / "scheduler.json"
        self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(scheduler_file), *scheduler_args])
        self.scheduler_file = scheduler_file
        self._wait_for(lambda: scheduler_file.is_file() and scheduler_file.stat().st_size > 0, "the scheduler",
                       self.processes[0])
        self.address = json.loads(scheduler_file.read_text())["address"]

    def _start(self, name: str, args: list[str], env: dict | None = None) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen([str(BIN / "dask"), *args], cwd=self.folder, stdout=log, stderr=subprocess.STDOUT,
                                   env=env or os.environ, start_new_session=True)
        self.processes.append(process)
        return process

    def _wait_for(self, ready, what: str, process: subprocess.Popen) -> None:
        deadline = time.time() + START_SECONDS
        while not ready():
            if time.time() > deadline or process.poll() is not None:
                logs = "\n".join(p.read_text()[-1500:] for p in self.folder.glob("*.log"))
                raise AssertionError(f"{what} did not start:\n{logs}")
            time.sleep(0.1)

    def add_worker(self, name: str, env: dict | None = None, threads: int = 1) -> subprocess.Popen:
        tmp = self.folder / f"{name}-tmp"
        tmp.mkdir()
        worker = self._start(name, ["worker", "--scheduler-file", str(self.scheduler_file), "--name", name,
                                    "--nthreads", str(threads), "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                                    "--local-directory", str(tmp), *self.worker_args], {**(env or os.environ), "TMPDIR": str(tmp)})
        self.workers[name] = worker
        self._wait_for(lambda: "Registered to" in (self.folder / f"{name}.log").read_text(), f"worker {name}", worker)
        return worker

    def kill(self, name: str) -> None:
        worker = self.workers[name]
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    def executed(self) -> dict[str, int]:
        """How many tasks each worker ran, by name."""
        import distributed

        with distributed.Client(self.address, timeout=10, set_as_default=False) as client:
            counts = client.run(lambda dask_worker: (dask_worker.name, dask_worker.state.executed_count))
        return dict(counts.values())

    def __enter__(self) -> DaskProcesses:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        for process in reversed(self.processes):   # the workers first: they would wait for a scheduler
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
