"""Wall-clock time per stage of a grading run: `course grade --timings` prints them, and
benchmarks/grading.py reads them to say where the time goes."""
from __future__ import annotations

import sys
import time


class Stopwatch:
    def __init__(self):
        self.stages: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """The time since the last lap was spent on `stage`."""
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self._last
        self._last = now

    def report(self, stream=sys.stderr) -> None:
        for stage, seconds in self.stages.items():
            print(f"timing: {stage}: {seconds:.3f} s", file=stream)
