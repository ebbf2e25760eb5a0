"""The worker's side of `--cluster`: the Dask task that runs one notebook in this
machine's sandbox, and the checks the client asks each worker for first (does its
bubblewrap work, does it have the same grader and course files).

The task unpacks the release's files once per worker process into a scratch folder and
runs the notebook with a local warm runner; the Dask worker process itself never runs or
forks student code.  It returns the `RunResult` as plain data.  cluster.py is the client.
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import os
import shutil
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from .limits import Limits
from .runner import Runner
from .sandbox import GRADER_PACKAGE, sandbox_problem
from .warm import WarmRunner


class SandboxRefused(RuntimeError):
    """Raised by a task on a worker whose bubblewrap does not work: the client sends the
    notebook to another worker."""

    def __init__(self, worker: str, problem: str):
        super().__init__(worker, problem)
        self.worker, self.problem = worker, problem

    def __str__(self) -> str:
        return f"{self.worker}: {self.problem}"


@dataclass(frozen=True)
class ReleaseFiles:
    """The files a notebook reads beside it (data, checks), by path relative to the
    release folder; `digest` names them on the worker."""
    digest: str
    files: tuple[tuple[str, bytes], ...]

    @classmethod
    def of(cls, release_dir: Path) -> ReleaseFiles:
        # as the local runner copies them: notebooks are left out (the notebook to run is sent on its own)
        paths = sorted(p for p in release_dir.rglob("*") if p.is_file() and p.suffix != ".ipynb")
        files = tuple((p.relative_to(release_dir).as_posix(), p.read_bytes()) for p in paths)
        digest = hashlib.sha256()
        for name, data in files:
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        return cls(digest.hexdigest()[:20], files)


_unpacked: dict[str, Path] = {}
_unpack_lock = threading.Lock()


def _unpacked_release(release: ReleaseFiles) -> Path:
    """The release's files in a scratch folder of this worker process, written once."""
    with _unpack_lock:
        if release.digest not in _unpacked:
            if not _unpacked:
                atexit.register(_remove_unpacked)
            folder = Path(tempfile.mkdtemp(prefix=f"course-grade-release-{release.digest}-"))
            for name, data in release.files:
                path = (folder / name).resolve()
                if not path.is_relative_to(folder.resolve()):
                    raise ValueError(f"{name}: a release file outside the release folder")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            _unpacked[release.digest] = folder
        return _unpacked[release.digest]


def _remove_unpacked() -> None:
    for folder in _unpacked.values():
        shutil.rmtree(folder, ignore_errors=True)


@functools.cache
def local_runner(limits: Limits, sandbox: bool, packages: tuple[str, ...], preload: tuple[str, ...]) -> Runner:
    """The runner a worker process runs its notebooks with, kept for the process's life: warm
    workers (one per thread of this Dask worker) that fork a sandboxed child per notebook."""
    runner = WarmRunner(limits, sandbox, packages, list(preload), workers=_worker_threads())
    atexit.register(runner.close)
    return runner


def _worker_threads() -> int:
    from distributed import get_worker
    try:
        return max(1, get_worker().state.nthreads)
    except (ValueError, AttributeError):   # not in a worker (called directly)
        return os.cpu_count() or 1


def _worker_address() -> str:
    from distributed import get_worker
    try:
        return get_worker().address
    except ValueError:   # not in a worker (called directly)
        return f"pid {os.getpid()}"


def _package_folders(packages: tuple[str, ...]) -> list[Path]:
    """Where the grader's and the course's packages are, found without importing them (the
    course's package can take seconds to import)."""
    import importlib.util
    folders = []
    for name in dict.fromkeys((GRADER_PACKAGE, *packages)):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            folders += [Path(p) for p in spec.submodule_search_locations if Path(p).is_dir()][:1]
    return folders


@functools.cache
def installation_digest(packages: tuple[str, ...]) -> str:
    """The files of the grader's and the course's packages (code and data): a worker with
    other files could grade the same notebook differently."""
    digest = hashlib.sha256()
    for folder in _package_folders(packages):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder.parent).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def worker_problem(expected_digest: str, packages: tuple[str, ...]) -> str | None:
    """Run on each worker by the client: why it cannot run student code, or None."""
    problem = sandbox_problem()
    if problem:
        return problem
    if installation_digest(tuple(packages)) != expected_digest:
        names = ", ".join(p.name for p in _package_folders(tuple(packages)))
        return f"its {names} differ from those of the machine that grades (install the same version)"
    return None


def run_on_worker(release: ReleaseFiles, notebook: str, environment: dict[str, str] | None,
                  limits: dict, sandbox: bool, packages: tuple[str, ...], preload: tuple[str, ...] = ()) -> dict:
    """The task: one notebook, run in this machine's sandbox; the RunResult as plain data."""
    if sandbox:
        problem = sandbox_problem()
        if problem:
            raise SandboxRefused(_worker_address(), problem)
    runner = local_runner(Limits(**limits), sandbox, tuple(packages), tuple(preload))
    result = runner.run(_unpacked_release(release), nbformat.reads(notebook, as_version=4), environment)
    return asdict(result)
