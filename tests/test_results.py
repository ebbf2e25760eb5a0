"""One place decides a submission's status; results read back as they were written."""
from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from autograder.grading.results import PRECEDENCE, QUIET, QuestionResult, Status, StudentResult, resolve_status

pytestmark = pytest.mark.timeout(30)


def test_precedence_lists_every_status_once():
    assert sorted(PRECEDENCE) == sorted(Status) and len(PRECEDENCE) == len(set(PRECEDENCE))


def test_nothing_found_is_ok():
    assert resolve_status([]) == Status.OK


def test_tampering_outranks_a_timeout_and_an_extra_file():
    assert resolve_status(["timeout", "extra-file", "tampered"]) == Status.TAMPERED


def test_a_limit_outranks_a_remark():
    assert resolve_status([Status.EXTRA_FILE, Status.OLD_FORMAT, Status.MEMORY_LIMIT]) == Status.MEMORY_LIMIT
    assert resolve_status([Status.OLD_FORMAT, Status.EXTRA_FILE]) == Status.EXTRA_FILE


def test_an_unreadable_notebook_outranks_what_could_not_run():
    assert resolve_status([Status.CRASHED, Status.INVALID_JSON]) == Status.INVALID_JSON


def test_quiet_statuses_are_the_graded_ones():
    assert QUIET == {Status.OK, Status.EXTRA_FILE, Status.OLD_FORMAT}


def test_a_result_reads_back_as_written_and_older_files_still_read():
    result = StudentResult("s1", "demo", Status.OK, "", [
        QuestionResult("q1", "single", 1.0, 1.0, "correct", "Correct."),
        QuestionResult("q5", "essay", None, 2.0, "manual", "To be graded by hand."),
        QuestionResult("nb/t1", "manual", 0.5, 1.0, "manual", "")], fingerprint="abc")
    data = json.loads(json.dumps(asdict(result)))
    assert StudentResult.from_json(dict(data)) == result
    assert StudentResult.from_json({**data, "version": 1}) == result   # a field results no longer have
    assert (result.score, result.auto_score, result.max_score, result.auto_max, result.manual_pending) == (1.5, 1.0, 4.0, 1.0, 1)


def test_the_instructors_notebook_outranks_tampering_and_a_link_outranks_an_extra_file():
    assert resolve_status(["tampered", "instructor-copy", "timeout"]) == Status.INSTRUCTOR_COPY
    assert resolve_status(["extra-file", "link"]) == Status.LINK


def test_the_readme_lists_every_status_in_the_order_of_precedence():
    import re
    from pathlib import Path
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"`status` \(`ok`, or (.*?); where", readme, re.DOTALL).group(1)
    assert re.findall(r"`([a-z-]+)`", listed) == [s.value for s in PRECEDENCE if s != Status.OK]


def test_a_failure_of_the_machine_outranks_everything_and_leaves_the_row_pending():
    assert resolve_status(["tampered", "instructor-copy", "machine-error", "timeout"]) == Status.MACHINE_ERROR
    pending = StudentResult("s1", "demo", Status.MACHINE_ERROR, "", [QuestionResult("q1", "single", 0.0, 1.0, "error", "")])
    assert pending.pending and not StudentResult("s2", "demo", Status.CRASHED, "").pending
