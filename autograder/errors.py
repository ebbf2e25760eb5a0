"""The errors the toolkit raises, in one place.

A `UsageError` stops a command with one line naming the file and the problem; the others
are caught where a batch must go on (a bad question file, a bad submission, no sandbox).
"""
from __future__ import annotations


class UsageError(RuntimeError):
    """A usage or configuration problem: the command stops with this one-line message."""


class QuestionError(ValueError):
    """A question file that cannot be used; the message names the file and the problem."""


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or does not work on this machine."""


class SubmissionProblem(Exception):
    """A submitted file that cannot be graded: a status word and a one-line message."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class RunnerUnavailable(UsageError):
    """Nowhere left to run student code (a cluster with no worker able): the batch stops
    with this one line, nothing of the student is recorded, and the next run resumes."""
