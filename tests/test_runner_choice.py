"""`course grade`'s runner flags: one place decides, and a combination that cannot hold is
refused in one line before anything starts (the scheduler address below is never reached)."""
import pytest
from helpers import course_run

from autograder.errors import UsageError
from autograder.execution.choice import refuse_contradictions
from autograder.execution.limits import Limits
from autograder.execution.runner import ProcessRunner, machine_cores
from autograder.execution.runner_kind import RunnerKind


@pytest.mark.parametrize("flags, message", [
    (["--runner", "process"], "--runner process with --cluster"),
    (["--no-sandbox"], "--no-sandbox with --cluster"),
])
def test_flags_that_contradict_the_cluster_are_refused_in_one_line(tmp_path, flags, message):
    run = course_run("grade", "ch2", "--submissions", str(tmp_path), "--cluster", "tcp://127.0.0.1:1", *flags,
                     check=False)
    assert run.returncode == 2 and message in run.stderr and run.stderr.count("\n") <= 2, run.stderr


def test_the_runner_kind_is_typed_and_only_the_contradictions_are_refused():
    assert RunnerKind("process") is RunnerKind.PROCESS
    with pytest.raises(ValueError):
        RunnerKind("threads")
    for kind in RunnerKind:   # without a cluster every kind, sandboxed or not, is allowed
        refuse_contradictions(kind, sandbox=True, cluster=None)
        refuse_contradictions(kind, sandbox=False, cluster=None)
    refuse_contradictions(RunnerKind.WARM, sandbox=True, cluster="tcp://127.0.0.1:1")
    with pytest.raises(UsageError):
        refuse_contradictions(RunnerKind.PROCESS, sandbox=True, cluster="tcp://127.0.0.1:1")


def test_without_workers_a_local_runner_feeds_every_core():
    assert ProcessRunner(Limits()).parallel() == machine_cores() >= 1
