"""`course grade`'s progress bar as an instructor sees it in a terminal (a real pty): it is
on screen before any notebook is graded, it moves as notebooks finish, and its count of
problems is the summary's, on a first run and on a run that resumes."""
from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from helpers import BIN, ENV, course_run, require_command, set_answer, student_notebook, write_submission

FIXTURE = Path(__file__).parent / "fixtures" / "course"
pytestmark = [pytest.mark.sandbox, pytest.mark.slow]   # the bar as a terminal shows it: the command in a pseudo-terminal
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    course_run("release", "demo", cwd=root)
    return root


class Terminal:
    """`course grade ...` in a pseudo-terminal of 120 columns: what it has drawn so far, as text."""

    def __init__(self, *args: str, cwd: Path):
        import pty
        self.fd, child = pty.openpty()
        os.set_blocking(self.fd, True)
        env = {**ENV, "COLUMNS": "120", "LINES": "40", "TERM": "xterm"}
        self.process = subprocess.Popen([str(BIN / "course"), *args], cwd=cwd, env=env, stdin=child, stdout=child,
                                        stderr=child, start_new_session=True)
        os.close(child)
        self.text = ""

    def read_until(self, pattern: str) -> re.Match:
        """Read what the command draws until `pattern` (on the text without its colours) shows."""
        while True:
            found = re.search(pattern, ANSI.sub("", self.text))
            if found:
                return found
            try:
                chunk = os.read(self.fd, 4096)
            except OSError:   # the command has ended and closed the terminal
                chunk = b""
            if not chunk:
                raise AssertionError(f"never drawn: {pattern!r}; the command drew:\n{ANSI.sub('', self.text)[-3000:]}")
            self.text += chunk.decode(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)
        os.close(self.fd)


@pytest.mark.timeout(300)
def test_the_bar_shows_before_any_grade_and_moves_as_notebooks_finish(course, tmp_path):
    subs, workspace = tmp_path / "submitted", tmp_path / "workspace"
    write_submission(subs, "quick", "demo", student_notebook("demo", "blank", root=course))
    # a notebook that runs until its cell's time limit: its result cannot be written for minutes
    stuck = set_answer(student_notebook("demo", "blank", root=course), "q1_answer", "while True:\n    pass")
    write_submission(subs, "stuck", "demo", stuck)
    results = workspace / "results" / "demo"
    # the gradebook is locked (as by another grader) until the bar shows: nothing can be
    # recorded before, so the bar must show from the start, not once grading is under way
    workspace.mkdir()
    lock = sqlite3.connect(workspace / "gradebook.db", isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    terminal = Terminal("grade", "demo", "--submissions", str(subs), "--workspace", str(workspace),
                        "--workers", "2", "--timeout", "240", cwd=course)
    try:
        terminal.read_until(r"(starting|grading)\s")
        assert not results.exists(), "a grade was written before the bar showed"
        lock.execute("COMMIT")
        lock.close()
        terminal.read_until(r"grading\s.*\b1/2\b")   # one notebook done: the bar moves before the batch ends
        assert not (results / "stuck.json").exists()
    finally:
        terminal.stop()


@pytest.mark.timeout(300)
def test_the_bar_counts_the_problems_the_summary_counts_on_a_rerun_too(course, tmp_path):
    subs, workspace = tmp_path / "submitted", tmp_path / "workspace"
    write_submission(subs, "good", "demo", student_notebook("demo", "solution", root=course))
    write_submission(subs, "broken", "demo", '{"cells": [')
    for run in ("first", "resumed"):
        terminal = Terminal("grade", "demo", "--submissions", str(subs), "--workspace", str(workspace), cwd=course)
        try:
            summary = terminal.read_until(r"(\d+) ok, (\d+) with problems")
            drawn = ANSI.sub("", terminal.text)
        finally:
            terminal.stop()
        bars = re.findall(r"grading\s.*?(\d+)/(\d+)\s+(\d+) with problems", drawn)
        assert bars, f"{run} run: no bar drawn:\n{drawn}"
        done, total, problems = bars[-1]
        assert (done, total) == ("2", "2"), f"{run} run: {drawn}"
        assert problems == summary.group(2) == "1", f"{run} run: the bar says {problems}, the summary {summary.group(0)}"
