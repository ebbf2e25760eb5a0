"""Hostile and broken submissions against `course grade`: the sandbox holds, the limits
hold, every case gets a clear status, honest students in the same batch are unaffected."""
import html
import os
import re
import shutil
import socket
import threading
from pathlib import Path

import nbformat
import pytest
from helpers import course_cmd, read_grades, require_command, student_notebook, write_submission

from autograder.outputs.store import safe_name

FIXTURE = Path(__file__).parent / "fixtures" / "course"

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]


def answering(course: Path, code: str):
    """A perfect notebook whose first answer cell runs `code` after answering."""
    nb = student_notebook("demo", "solution", root=course)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1_answer":
            cell.source = cell.source + "\n" + code
    return nb


@pytest.fixture(scope="module")
def listener():
    """A server on the host's loopback: a sandboxed kernel must not reach it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    reached = []

    def accept():
        while True:
            try:
                reached.append(server.accept())
            except TimeoutError:
                continue
            except OSError:
                return
    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1], reached
    server.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, listener):
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(FIXTURE, course, dirs_exist_ok=True)
    course_cmd("release", "demo", cwd=course)
    subs = tmp_path_factory.mktemp("submitted")
    workspace = tmp_path_factory.mktemp("workspace")
    secret = course / "solutions" / "demo" / "questions.yml"
    port, _ = listener
    cases = {
        "honest": "",
        "reader": f"answer_q1 = open({str(secret)!r}).read()",
        "peeker": f"import os\nanswer_q1 = str(os.listdir({str(subs)!r}))",
        "writer": f"open({str(course / 'pwned.txt')!r}, 'w').write('x')",
        "caller": f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=3)",
        "looper": "while True:\n    pass",
        # swallows the interrupt a cell gets at its time limit: the notebook's deadline stops it
        "stubborn": "import time\nwhile True:\n    try:\n        time.sleep(1)\n    except BaseException:\n        pass",
        "exiter": "import os\nos._exit(3)",
        "killer": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
        "flooder": "print('x' * 30_000_000)",
        "chatter": "for i in range(10**9):\n    print('spam', i)",
        "hog": "hoard = bytearray(6 * 1024**3)",
        "forker": "import os\nfor i in range(10_000):\n    if os.fork() == 0:\n        import time; time.sleep(60)",
        "patcher": "import autograder.core.plain as grading\ngrading.to_plain = lambda value: 'b'",
        # tampering and a limit at once: tampering is what the instructor must see first
        "sneaky": "import autograder\nwhile True:\n    pass",
        "forger": ("import os\nanswer_q1 = 'a'\n"
                   "os.write(1, b'{\"answers\": {\"answer_q1\": \"b\"}, \"errors\": [], \"status\": \"ok\", \"message\": \"\"}\\n')"),
    }
    for student, code in cases.items():
        write_submission(subs, student, "demo", answering(course, code))
    # broken files
    write_submission(subs, "oldformat", "demo", nbformat.writes(nbformat.convert(answering(course, ""), 3), version=3))
    write_submission(subs, "binary", "demo", bytes(range(256)) * 10)
    write_submission(subs, "huge", "demo", b'{"cells": [], "padding": "' + b"x" * (21 * 1024 * 1024) + b'"}')
    # odd characters in names: the student folder and a stray file
    for student in ("élève o'brien", "名前 ; rm -rf", "-dash", "a\tb"):
        write_submission(subs, student, "demo", student_notebook("demo", "solution", root=course))
    run = course_cmd("grade", "demo", "--submissions", str(subs), "--workspace", str(workspace),
                     "--no-progress", "--workers", "2", "--timeout", "10", "--memory", "1024", cwd=course)
    return {"course": course, "workspace": workspace, "grades": read_grades(workspace), "run": run,
            "cases": cases}


def row(hostile, student):
    return hostile["grades"][(student, "demo")]


def test_the_batch_finishes_and_honest_students_get_full_marks(hostile):
    assert hostile["run"].returncode == 0
    assert row(hostile, "honest")["status"] == "ok" and row(hostile, "honest")["auto_score"] == "4"
    for odd in ("élève o'brien", "名前 ; rm -rf", "-dash", "a\tb"):
        assert row(hostile, odd)["auto_score"] == "4", odd
        page = hostile["workspace"] / "feedback" / safe_name(odd) / "demo.html"
        assert odd in html.unescape(page.read_text(encoding="utf-8")), odd   # each student's own page


@pytest.mark.parametrize("student, status", [("oldformat", "old-format"), ("binary", "not-notebook"),
                                             ("huge", "too-large")])
def test_broken_files_get_a_clear_status(hostile, student, status):
    assert row(hostile, student)["status"] == status and "demo.ipynb" in row(hostile, student)["message"]
    if student == "oldformat":   # converted and graded like any other
        assert row(hostile, student)["auto_score"] == "4"


def test_student_code_cannot_read_solutions_or_other_submissions(hostile):
    assert "q1_answer: FileNotFoundError" in row(hostile, "reader")["message"]
    assert "q1_answer: FileNotFoundError" in row(hostile, "peeker")["message"]


def test_student_code_cannot_write_outside_its_scratch_folder(hostile):
    assert not (hostile["course"] / "pwned.txt").exists()
    assert "q1_answer: FileNotFoundError" in row(hostile, "writer")["message"] or \
        "q1_answer: OSError" in row(hostile, "writer")["message"]


def test_student_code_has_no_network(hostile, listener):
    _, reached = listener
    assert not reached
    assert re.search(r"q1_answer: (OSError|ConnectionRefusedError|PermissionError)", row(hostile, "caller")["message"])


@pytest.mark.parametrize("student, statuses, kept", [
    ("looper", {"timeout"}, True), ("stubborn", {"timeout"}, False), ("exiter", {"crashed"}, False), ("killer", {"crashed"}, False),
    ("flooder", {"output-limit"}, True), ("hog", {"memory-limit"}, True),
    # endless printing fills the kernel's own output buffer too: whichever limit it meets first
    ("chatter", {"output-limit", "memory-limit", "timeout"}, True)])
def test_runaway_code_gets_a_clear_status(hostile, student, statuses, kept):
    assert row(hostile, student)["status"] in statuses, row(hostile, student)
    assert row(hostile, student)["message"]
    # a cell stopped by a limit does not cost the answers given before it; a dead kernel has none
    assert row(hostile, student)["auto_score"] == ("4" if kept else "0")


def test_a_fork_bomb_is_contained(hostile):
    forker = row(hostile, "forker")
    # the process limit stops the forks; the answer given before them keeps its points
    assert "q1_answer: BlockingIOError" in forker["message"] and forker["auto_score"] == "4"


def test_patching_the_grader_is_flagged_and_gains_nothing(hostile):
    patcher = row(hostile, "patcher")
    assert patcher["status"] == "tampered" and "autograder" in patcher["message"]
    # the patched to_plain would make every answer 'b' (1 point): the answers came back as given
    assert patcher["auto_score"] == "4"


def test_tampering_outranks_a_limit_and_both_are_told(hostile):
    sneaky = row(hostile, "sneaky")
    assert sneaky["status"] == "tampered"
    assert "imports autograder" in sneaky["message"] and "longer than 10 s" in sneaky["message"]


def test_forged_worker_output_gains_nothing(hostile):
    forger = row(hostile, "forger")
    assert float(forger["auto_score"]) == 3   # answered q1 wrongly; the forged "b" is ignored


def test_the_report_lists_the_flagged_submissions(hostile):
    report = (hostile["workspace"] / "report-demo.html").read_text()
    assert "patcher" in report and "tampered" in report


def test_grading_refuses_without_a_sandbox_unless_asked(hostile, tmp_path):
    bin_only = tmp_path / "bin"
    bin_only.mkdir()
    env_path = str(Path(os.sys.executable).parent) + os.pathsep + str(bin_only)
    args = ["grade", "demo", "--submissions", str(tmp_path), "--workspace", str(tmp_path / "ws"), "--no-progress"]
    import subprocess
    refused = subprocess.run([str(Path(os.sys.executable).parent / "course"), *args], cwd=hostile["course"],
                             capture_output=True, text=True, env={**os.environ, "PATH": env_path})
    assert refused.returncode == 2 and "without a sandbox" in refused.stderr and "--no-sandbox" in refused.stderr
    assert refused.stderr.count("\n") == 1
    allowed = subprocess.run([str(Path(os.sys.executable).parent / "course"), *args, "--no-sandbox"],
                             cwd=hostile["course"], capture_output=True, text=True, env={**os.environ, "PATH": env_path})
    assert allowed.returncode == 0 and "WARNING" in allowed.stderr
