"""Hostile inputs, round three, more of each class: a student's process may end itself in
every way or write any result line it likes, and a student may hand in files larger than
the sandbox's disk; none of it is the machine's failure (free retries, pending), none of
it sets a status the worker would not give, and none of it is graded again on a second
run of an unchanged submission.  Nor may a student's files, however many, take more of
the machine than --disk."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path

import nbformat
import pytest
from helpers import (
    BIN,
    ENV,
    course_cmd,
    nbgrader_code_cell,
    read_grades,
    set_answer,
    student_notebook,
    write_submission,
)

from autograder.execution.frame import read_frame
from autograder.execution.limits import Limits
from autograder.execution.result import RunResult, result_line
from autograder.execution.sandbox import sandbox_problem

FIXTURE = Path(__file__).parent / "fixtures" / "course"

# a result line written by the student's code on every descriptor it holds, then the end
WRITE_AND_EXIT = """answer_q1 = 'b'
import os
for fd in range(64):
    try:
        os.write(fd, {line!r})
    except OSError:
        pass
os._exit(0)
"""
FORGED_LINES = {
    "another-status": {"status": "tampered", "message": "forged"},
    "no-status": {"status": "error"},
    "unknown-status": {"status": "regrade-me"},
    "status-not-text": {"status": 3},
    "answers-not-a-dict": {"answers": [1, 2]},
    "errors-not-a-list": {"errors": 5},
    "unknown-field": {"student": "someone-else"},
    "outputs-not-nbformat": {"outputs": {"0": [{"output_type": "nonsense"}]}},
    "machine-error": {"status": "machine-error", "message": "not graded: the machine failed"},
}
DEEP = b"[" * 200_000
FORGERS = {name: WRITE_AND_EXIT.format(line=b"\n" + json.dumps(fields).encode() + b"\n")
           for name, fields in FORGED_LINES.items()}
FORGERS["nested-past-the-stack"] = WRITE_AND_EXIT.format(line=b"\n" + DEEP + b"\n")
FORGERS["nested-answer"] = WRITE_AND_EXIT.format(line=b'\n{"answers": {"answer_q1": ' + DEEP + b"}}\n")
FORGERS["a-second-start-line"] = WRITE_AND_EXIT.format(line=b'started\n{"status": "machine-error"}\n')
# the code ends its own process, or cuts its channel, in the ways a process can
ENDERS = {
    "sigkill": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
    "exit-early": "import os\nos._exit(0)",
    "abort": "import os\nos.abort()",
    "its-whole-group": "import os, signal\nos.killpg(0, signal.SIGKILL)",
    "closes-every-descriptor": "import os\nos.closerange(0, 65536)",
}
# a line that names cells the notebook does not have: the outputs are dropped, the rest graded
OUT_OF_RANGE = WRITE_AND_EXIT.format(line=b'\n{"outputs": {"9999": []}, "answers": {"answer_q1": "b"}}\n')

pytestmark = [pytest.mark.timeout(600)]


@pytest.mark.parametrize("fields", list(FORGED_LINES.values()) + [DEEP, {"answers": {"a": json.loads("[" * 70 + "]" * 70)}}],
                         ids=[*FORGED_LINES, "deep", "answer-deeper-than-any"])
def test_a_result_line_the_worker_would_not_write_is_refused(fields):
    line = fields if isinstance(fields, bytes) else json.dumps(fields).encode()
    assert read_frame(line) is None
    assert RunResult.from_line(line).status == "crashed"


def test_every_result_the_worker_writes_is_read_back_as_it_was():
    outputs = {"1": [{"output_type": "stream", "name": "stdout", "text": "hi"},
                     {"output_type": "execute_result", "execution_count": None, "metadata": {},
                      "data": {"text/plain": "3", "image/png": "iVBOR"}},
                     {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<b>x</b>"}},
                     {"output_type": "error", "ename": "ValueError", "evalue": "no", "traceback": []}]}
    answer = {"__table__": {"columns": ["a"], "rows": [[[[1.5, None, True, "x"]]]]}}
    for status in ("ok", "timeout", "memory-limit", "disk-limit", "output-limit"):
        run = RunResult(answers={"a": answer}, errors=["q1: ValueError"], status=status, message="m", outputs=outputs)
        assert asdict(RunResult.from_line(result_line(run, Limits()).strip())) == asdict(run)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    if sandbox_problem():
        pytest.skip(sandbox_problem()) if not os.environ.get("CI") else pytest.fail(sandbox_problem())
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    course_cmd("release", "demo", cwd=root)
    return root


@pytest.mark.sandbox
@pytest.mark.slow
@pytest.mark.parametrize("runner", ["warm", "process"])
def test_no_ending_and_no_forged_line_is_the_machines_failure_or_a_status_of_the_students_choosing(
        course, tmp_path, runner):
    subs, workspace = tmp_path / "submitted", tmp_path / "workspace"
    students = {**{f"forged-{name}": code for name, code in FORGERS.items()},
                **{f"ends-{name}": f"answer_q1 = 'b'\n{code}" for name, code in ENDERS.items()},
                "names-missing-cells": OUT_OF_RANGE}
    for student, code in students.items():
        write_submission(subs, student, "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                           "q1_answer", code))
    write_submission(subs, "honest", "demo", student_notebook("demo", "solution", root=course))
    grade = ("grade", "demo", "--submissions", str(subs), "--workspace", str(workspace), "--no-progress",
             "--timeout", "10", "--runner", runner)
    course_cmd(*grade, cwd=course)
    grades = read_grades(workspace)
    statuses = {student: grades[(student, "demo")]["status"] for student in students}
    assert statuses == {**dict.fromkeys(students, "crashed"), "names-missing-cells": "ok"}
    assert grades[("honest", "demo")]["status"] == "ok" and grades[("honest", "demo")]["auto_score"] == "4"
    again = course_cmd(*grade, cwd=course)
    assert f"graded 0 of {len(students) + 1}" in again.stdout   # final: nothing is graded again


@pytest.fixture(scope="module")
def stock_course(tmp_path_factory) -> Path:
    """An nbgrader course (no questions.yml): the student's own files run beside the notebook."""
    if sandbox_problem():
        pytest.skip(sandbox_problem()) if not os.environ.get("CI") else pytest.fail(sandbox_problem())
    course = tmp_path_factory.mktemp("stock")
    (course / "source" / "hw").mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[
        nbgrader_code_cell("setup", "from helper import tripled"),
        nbgrader_code_cell("answer", "### BEGIN SOLUTION\nanswer = tripled(2)\n### END SOLUTION", solution=True),
        nbgrader_code_cell("test", "assert answer == 6", points=1)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, course / "source" / "hw" / "hw.ipynb")
    (course / "source" / "hw" / "helper.py").write_text("def tripled(x):\n    return 3 * x\n")
    (course / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'hostile'\n")
    done = subprocess.run([str(BIN / "nbgrader"), "generate_assignment", "hw"], cwd=course, capture_output=True,
                          text=True, env=ENV, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    answered = nbformat.read(course / "release" / "hw" / "hw.ipynb", as_version=4)
    next(c for c in answered.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "answer").source = \
        "answer = tripled(2)"
    own_files = {"honest": {}, "big": {"data.bin": 40 << 20}, "several": {"a.bin": 20 << 20, "b.bin": 20 << 20},
                 "many": {f"d/f{i}.txt": 1 for i in range(9000)}}   # more files than 32 MB holds
    for student, files in own_files.items():
        folder = course / "submitted" / student / "hw"
        folder.mkdir(parents=True)
        nbformat.write(answered, folder / "hw.ipynb")
        for name, size in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(b"x" * size)
    return course


@pytest.mark.sandbox
@pytest.mark.slow
@pytest.mark.parametrize("runner", ["warm", "process"])
def test_a_students_files_larger_than_the_disk_are_theirs_not_the_machines(stock_course, tmp_path, runner):
    grade = ("grade", "hw", "--course-dir", str(stock_course), "--submissions", "submitted", "--workspace",
             str(tmp_path / "workspace"), "--no-progress", "--timeout", "10", "--disk", "32", "--runner", runner)
    course_cmd(*grade, cwd=stock_course)
    grades = read_grades(tmp_path / "workspace")
    for student in ("big", "several", "many"):
        row = grades[(student, "hw")]
        assert row["status"] not in ("machine-error", "error"), row
        assert row["auto_score"] == "1", row   # the notebook ran, with the release's helper
    assert "not copied into the run: data.bin" in grades[("big", "hw")]["message"]
    assert grades[("honest", "hw")]["status"] == "ok"
    again = course_cmd(*grade, cwd=stock_course)
    assert "graded 0 of 4" in again.stdout


# makes empty files, which its file system's size does not count, wherever it can write
MANY_FILES = """answer_q1 = 'b'
import os
for folder in ('/tmp', os.environ.get('HOME', '/tmp'), os.getcwd(), '/dev/shm'):
    os.makedirs(os.path.join(folder, 'many'), exist_ok=True)
    for i in range(10_000_000):
        try:
            os.close(os.open(os.path.join(folder, 'many', str(i)), os.O_CREAT | os.O_WRONLY))
        except OSError:
            break
"""


@pytest.mark.sandbox
@pytest.mark.slow
@pytest.mark.parametrize("runner", ["warm", "process"])
def test_a_student_who_makes_file_after_empty_file_gets_disk_limit_and_the_others_are_unaffected(
        course, tmp_path, runner):
    subs = tmp_path / "submitted"
    for number in range(2):
        write_submission(subs, f"many{number}", "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                                   "q1_answer", MANY_FILES))
        write_submission(subs, f"honest{number}", "demo", student_notebook("demo", "solution", root=course))
    course_cmd("grade", "demo", "--submissions", str(subs), "--workspace", str(tmp_path / "workspace"), "--no-progress",
               "--timeout", "10", "--workers", "2", "--disk", "64", "--runner", runner, cwd=course)
    grades = read_grades(tmp_path / "workspace")
    for number in range(2):
        assert grades[(f"many{number}", "demo")]["status"] == "disk-limit"   # not a timeout: the files ran out
        assert "16,384 files" in grades[(f"many{number}", "demo")]["message"]
        assert grades[(f"honest{number}", "demo")]["status"] == "ok"
        assert grades[(f"honest{number}", "demo")]["auto_score"] == "4"
