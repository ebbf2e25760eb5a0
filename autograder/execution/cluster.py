"""`ClusterRunner` (the instructor's side; cluster_worker.py is the worker's): notebooks run on the workers of a Dask distributed cluster.

Each `run` is one Dask task: the release folder's files (sent once per batch, as one piece
of scattered data every worker holds a copy of), the notebook to run (the release's cells
and the student's answer cells: what the graders pass, never a key), the variables its
code sees, the limits and the course's package names.  On the worker the task refuses to
run without a working bubblewrap; otherwise it unpacks the release into a local scratch
folder (once per worker process) and runs the notebook with a local runner, in that
machine's sandbox.  It returns the `RunResult` as plain data (the answers' plain values,
the capped cell outputs); scoring, the keys, the gradebook and every output stay on the
instructor's machine.

Before grading, and whenever workers come and go, the runner asks each worker whether its
sandbox works and whether it has the same grader and course files as this machine, and
sends tasks only to those that say yes.  A worker that dies mid-task
loses nothing: the scheduler runs its tasks elsewhere (`distributed.scheduler.allowed-
failures`, 3 by default, is how many deaths a task may see before the scheduler gives up;
then the batch stops, and the next run resumes).  When no worker can run student code the
batch stops with one line naming the workers and why.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import asdict
from pathlib import Path

from ..errors import RunnerUnavailable, UsageError
from .cluster_worker import ReleaseFiles, SandboxRefused, installation_digest, run_on_worker, worker_problem
from .limits import Limits
from .result import RunResult
from .runner import Runner

CONNECT_SECONDS = 5       # to reach the scheduler
WORKERS_SECONDS = 30      # for a first worker to be there (a cluster that is just starting)
REFRESH_SECONDS = 2       # how often a waiting run looks for workers that came or went
RESUBMISSIONS = 5         # of one notebook whose worker refused it or whose release was lost
THREADS_PER_WORKER_THREAD = 2   # client threads per worker thread: reading and scoring overlap the runs


def connect(address: str):
    """A client of the scheduler at `address`, or a one-line UsageError.  A `tls://` address
    uses distributed's own security configuration (certificates in the Dask configuration)."""
    try:
        from distributed import Client
        from distributed.security import Security
    except ImportError:
        raise UsageError("--cluster needs Dask's distributed: pip install 'distributed>=2024.8' "
                         "(the toolkit's `cluster` extra)") from None
    scheme, _, host_port = address.partition("://")
    host, _, port = host_port.rpartition(":")
    if scheme not in ("tcp", "tls") or not host or not port.isdigit():
        raise UsageError(f"{address}: not a scheduler address (tcp://HOST:PORT, or tls://HOST:PORT with TLS)")
    if scheme == "tls":
        security = Security()
        if not (security.tls_ca_file and security.tls_client_cert):
            raise UsageError(f"{address}: no TLS certificate for this client in Dask's configuration "
                             f"(distributed.comm.tls.ca-file, tls.client.cert and tls.client.key)")
    # first a plain connection: an unreachable scheduler is told at once, and distributed's
    # client, failing to start, would hold the command for seconds more on its way out
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        raise UsageError(f"{address}: cannot reach the Dask scheduler ({exc.strerror or type(exc).__name__})") from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except Exception as exc:   # a TLS handshake refused, not a Dask scheduler
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        raise UsageError(f"{address}: cannot connect to the Dask scheduler ({reason})") from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except Exception:
        client.close()
        raise UsageError(f"{address}: the Dask scheduler has no workers") from None
    return client


class ClusterRunner(Runner):
    """Each notebook a task on a worker of the Dask cluster at `address` that can run it in
    its sandbox."""

    def __init__(self, address: str, limits: Limits, sandbox: bool = True, packages: tuple[str, ...] = (),
                 preload: list[str] = ()):
        super().__init__(limits, sandbox, packages)
        self.address = address
        self.preload = tuple(preload)   # what the workers' warm workers import first (from the release, never a student)
        self.client = connect(address)
        self._lock = threading.Lock()
        self._known: dict[str, str | None] = {}    # worker -> why it cannot run student code (None: it can)
        self._checked_at = 0.0
        self._releases: dict[Path, tuple[ReleaseFiles, object]] = {}   # release folder -> its files, their future
        try:
            self.refresh_workers(force=True)
            if not self.able_workers():
                raise RunnerUnavailable(self.no_worker_reason())
        except BaseException:
            self.client.close()
            raise

    # which workers can run student code

    def refresh_workers(self, force: bool = False) -> None:
        """Forget the workers that left; ask those that joined whether their sandbox works."""
        with self._lock:
            if not force and time.monotonic() - self._checked_at < REFRESH_SECONDS:
                return
            self._checked_at = time.monotonic()
            present = set(self.client.nthreads())
            self._known = {w: why for w, why in self._known.items() if w in present}
            new = sorted(present - set(self._known))
            if not new:
                return
            answers = self.client.run(worker_problem, installation_digest(tuple(self.packages)), tuple(self.packages),
                                      workers=new, on_error="return")
            for worker in new:
                answer = answers.get(worker, "it did not answer")
                if isinstance(answer, BaseException):   # e.g. the course is not installed there
                    answer = f"cannot run the grader ({type(answer).__name__}: {str(answer)[:100]})"
                self._known[worker] = answer

    def able_workers(self) -> list[str]:
        with self._lock:
            return sorted(w for w, why in self._known.items() if why is None)

    def refuse(self, worker: str, problem: str) -> None:
        with self._lock:
            self._known[worker] = problem

    def no_worker_reason(self) -> str:
        with self._lock:
            reasons = "; ".join(f"{w}: {why}" for w, why in sorted(self._known.items())) or "no workers"
        return f"{self.address}: no worker of the Dask cluster can run student code in a sandbox ({reasons})"

    def parallel(self) -> int:
        """Client threads to keep every able worker thread busy."""
        threads = self.client.nthreads()
        return max(1, THREADS_PER_WORKER_THREAD * sum(threads.get(w, 1) for w in self.able_workers()))

    # running

    def _release(self, release_dir: Path, renew: bool = False):
        with self._lock:
            if renew or release_dir not in self._releases:
                files = ReleaseFiles.of(release_dir)
                # on every worker: a worker that dies does not take the only copy with it
                future = self.client.scatter(files, broadcast=True, hash=False)
                self._releases[release_dir] = (files, future)
            return self._releases[release_dir][1]

    def run(self, release_dir, notebook, environment=None) -> RunResult:
        from distributed import CancelledError
        from distributed.scheduler import KilledWorker

        job = (json.dumps(notebook), environment, asdict(self.limits), self.sandbox, tuple(self.packages), self.preload)
        self.refresh_workers()   # every few seconds at most: workers that joined take tasks too
        renew = False
        for _ in range(RESUBMISSIONS):
            release = self._release(Path(release_dir), renew)
            try:
                return RunResult(**self._wait(release, job))
            except SandboxRefused as refused:   # the worker's sandbox broke since it was asked
                self.refuse(refused.worker, refused.problem)
            except CancelledError:    # every copy of the release was lost with its workers: send it again
                renew = True
            except KilledWorker as killed:
                raise RunnerUnavailable(f"{self.address}: the Dask workers running a notebook died "
                                        f"again and again ({str(killed)[:120]}); run the command again "
                                        f"to resume") from None
        raise RunnerUnavailable(f"{self.address}: a notebook could not be run on any worker; run the command "
                                f"again to resume")

    def _wait(self, release, job) -> dict:
        """Submit the task to the able workers and wait for it, sending it again to others
        when all of those leave."""
        while True:
            workers = self.able_workers()
            if not workers:
                self.refresh_workers(force=True)
                workers = self.able_workers()
                if not workers:
                    raise RunnerUnavailable(self.no_worker_reason())
            future = self.client.submit(run_on_worker, release, *job, workers=workers, allow_other_workers=False,
                                        pure=False)
            try:
                while True:
                    try:
                        return future.result(timeout=REFRESH_SECONDS)
                    except TimeoutError:
                        self.refresh_workers()
                        if not set(workers) & set(self.able_workers()):
                            break    # the workers it may run on are gone: submit it again
            finally:
                if not future.done():
                    future.cancel()

    def close(self) -> None:
        self.client.close()
