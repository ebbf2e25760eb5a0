"""Which runner runs the student code, and with how many workers: decided here, once.

`course grade`'s flags meet here: `--runner` (warm or process), `--cluster`, `--workers`
and `--no-sandbox`.  A contradictory combination is refused in one line, never quietly
resolved one way; `--workers` left out means what the runner can feed (`Runner.parallel`).
"""
from __future__ import annotations

import contextlib
from pathlib import Path

import nbformat

from ..errors import UsageError
from .limits import Limits
from .runner import ProcessRunner, Runner, machine_cores
from .runner_kind import RunnerKind
from .warm import WarmRunner, setup_imports


def refuse_contradictions(kind: RunnerKind, sandbox: bool, cluster: str | None) -> None:
    """One line for flags that cannot all hold."""
    if cluster and kind is RunnerKind.PROCESS:
        raise UsageError("--runner process with --cluster: the cluster's workers run warm workers (leave out --runner)")
    if cluster and not sandbox:
        raise UsageError("--no-sandbox with --cluster: the workers always run student code in their sandbox")


def make_runner(release_dir: Path, packages: tuple[str, ...], limits: Limits, sandbox: bool,
                kind: RunnerKind = RunnerKind.WARM, workers: int | None = None, cluster: str | None = None) -> Runner:
    """Where the student code runs: by default warm workers (one per core unless `workers`
    says), which import what the released notebooks' setup imports while the rest of the run
    starts; with `cluster`, a task on a Dask cluster's worker that runs it in that machine's
    sandbox; `process`: a new sandboxed Python per notebook."""
    kind = RunnerKind(kind)
    refuse_contradictions(kind, sandbox, cluster)
    if kind is RunnerKind.PROCESS:
        return ProcessRunner(limits, sandbox, packages)
    released = []
    for path in sorted(release_dir.glob("*.ipynb")):
        with contextlib.suppress(Exception):   # an unreadable release is reported by the grader
            released.append(nbformat.read(path, as_version=4))
    if cluster:
        from .cluster import ClusterRunner  # distributed is imported only here
        return ClusterRunner(cluster, limits, sandbox, packages, setup_imports(released))
    return WarmRunner(limits, sandbox, packages, setup_imports(released), workers=workers or machine_cores())
