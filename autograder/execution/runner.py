"""Runners: where a grader's notebooks run.  A grader hands a runner the release folder
(the files the notebook reads), the notebook to run and the variables the code sees; it
gets back a `RunResult` (the answers as plain values, each cell's capped outputs).

- `ProcessRunner`: a fresh sandboxed Python for every notebook (launcher.run_notebook).
- `WarmRunner` (warm.py): a warm worker per core that has imported what the assignment
  needs and forks a fresh, separately sandboxed child for every notebook.
- `ClusterRunner` (cluster.py): the same, on the workers of a Dask cluster.

A runner is used from several threads at once, and closed when the batch is done.
"""
from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path

import nbformat

from .launcher import run_notebook
from .limits import Limits
from .result import RunResult


def machine_cores() -> int:
    """The one default for how many notebooks run at once on this machine."""
    return os.cpu_count() or 1


class Runner(ABC):
    note = ""   # what the run's summary should add about how the notebooks ran (e.g. a fallback)

    def __init__(self, limits: Limits, sandbox: bool = True, packages: tuple[str, ...] = ()):
        self.limits, self.sandbox, self.packages = limits, sandbox, packages

    @abstractmethod
    def run(self, release_dir: Path, notebook: nbformat.NotebookNode,
            environment: dict[str, str] | None = None) -> RunResult:
        """Run `notebook` in a scratch copy of `release_dir`, its code seeing `environment`."""

    def parallel(self) -> int:
        """How many notebooks it can run at once: the grading threads worth feeding it."""
        return machine_cores()

    def close(self) -> None:  # noqa: B027 (most runners keep nothing running)
        """Stop whatever the runner keeps running between notebooks."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ProcessRunner(Runner):
    """A new sandboxed Python process for each notebook: slower, and nothing kept between them."""

    def run(self, release_dir, notebook, environment=None) -> RunResult:
        return run_notebook(release_dir, notebook, self.limits, self.sandbox, self.packages, environment)
