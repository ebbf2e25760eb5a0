"""A progress bar for a grading batch: done, failed and time left (rich)."""
from __future__ import annotations

from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress


class Progress:
    def __init__(self, total: int, done: int = 0, enabled: bool = True):
        self.total, self.done, self.failed, self.enabled = total, done, 0, enabled
        self._bar = None

    def __enter__(self) -> Progress:
        if self.enabled:
            self._bar = RichProgress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("{task.fields[failed]} with problems"),
                                     TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                     transient=False)
            self._bar.__enter__()
            self._task = self._bar.add_task("grading", total=self.total, completed=self.done, failed=0)
        return self

    def advance(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += int(failed)
        if self._bar is not None:
            self._bar.update(self._task, advance=1, failed=self.failed)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
