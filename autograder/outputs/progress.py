"""A progress bar for a grading batch: done, with problems, and time left (rich).

It appears as soon as `course grade` starts (while the workers start and the plan is made,
as a bar with no end yet), and counts from the plan on: the submissions unchanged since the
last run are done already, and those of them with a problem count as such, so that its
count of problems is the summary's."""
from __future__ import annotations

from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress


class Progress:
    def __init__(self, enabled: bool = True):
        self.total: int | None = None
        self.done = self.failed = 0
        self.enabled = enabled
        self._bar = None

    def __enter__(self) -> Progress:
        if self.enabled:
            self._bar = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("{task.fields[failed]} with problems"),
                                     TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                     transient=False)
            self._bar.__enter__()
            self._task = self._bar.add_task("starting", total=None, failed=0)
            self._bar.refresh()   # on screen now, not at the first tick of rich's refresh thread
        return self

    def plan(self, total: int, done: int = 0, failed: int = 0) -> None:
        """`total` submissions, of which `done` need no grading (`failed` of them with a problem)."""
        self.total, self.done, self.failed = total, done, failed
        if self._bar is not None:
            self._bar.update(self._task, description="grading", total=total, completed=done, failed=failed)

    def advance(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += int(failed)
        if self._bar is not None:
            self._bar.update(self._task, advance=1, failed=self.failed)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
