"""The warm runner (`course grade`'s default): one warm worker per grading thread forks a
child per submission, and each child has a sandbox of its own.  One worker grades these
students one after another, so what one leaves behind is what the next would find."""
import shutil
from pathlib import Path

import pytest
from helpers import course_cmd, read_grades, set_answer, student_notebook, write_submission

from autograder.execution.sandbox import sandbox_problem

FIXTURE = Path(__file__).parent / "fixtures" / "course"
pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

# the first student leaves traces everywhere it can write, and processes that outlive it
LEAVER = """answer_q1 = 'b'
import os, subprocess
for folder in ('/tmp', os.environ['HOME'], os.getcwd(), os.environ['TMPDIR'], '/dev/shm', '/dev'):
    try:
        open(os.path.join(folder, 'trace-of-a-leaver'), 'w').write('x')
    except OSError:   # not writable: nothing to leave there
        pass
subprocess.Popen(['sleep', '300'], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        import time
        time.sleep(300)
    os._exit(0)
"""

# the next one answers right only when it finds nothing of the first, and runs in a PID
# namespace of its own (its runner is process 2, after its init)
LOOKER = """import os, glob
traces = [p for folder in ('/tmp', os.environ['HOME'], os.getcwd(), os.environ['TMPDIR'], '/dev/shm', '/dev')
          for p in glob.glob(os.path.join(folder, 'trace-*'))]
others = []
for cmdline in glob.glob('/proc/[0-9]*/cmdline'):
    try:
        others.append(open(cmdline, 'rb').read())
    except OSError:
        pass
sleeping = [c for c in others if c.startswith(b'sleep') or b'time.sleep' in c]
jobs = os.listdir('/jobs') if os.path.isdir('/jobs') else []
capabilities = [line for line in open('/proc/self/status') if line.startswith('CapEff')][0].split()[1]
print(traces, sleeping, jobs, os.getpid(), capabilities)
clean = not traces and not sleeping and not jobs and os.getpid() == 2 and int(capabilities, 16) == 0
answer_q1 = 'b' if clean else 'a'
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    if sandbox_problem():
        pytest.skip(sandbox_problem()) if not __import__("os").environ.get("CI") else pytest.fail(sandbox_problem())
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    course_cmd("release", "demo", cwd=root)
    return root


def grade(course: Path, subs: Path, workspace: Path, *options: str):
    return course_cmd("grade", "demo", "--submissions", str(subs), "--workspace", str(workspace), "--no-progress",
                      "--timeout", "10", *options, cwd=course)


def test_a_submission_finds_nothing_of_the_one_before(course, tmp_path):
    subs = tmp_path / "submitted"
    for student, code in (("a-leaver", LEAVER), ("b-looker", LOOKER), ("c-looker", LOOKER)):
        write_submission(subs, student, "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                           "q1_answer", code))
    run = grade(course, subs, tmp_path / "workspace", "--workers", "1")
    assert "unavailable" not in run.stdout   # the warm runner graded them, not the fallback
    grades = read_grades(tmp_path / "workspace")
    assert grades[("a-leaver", "demo")]["auto_score"] == "4"
    for looker in ("b-looker", "c-looker"):
        assert grades[(looker, "demo")]["auto_score"] == "4", f"{looker} found traces of the one before it"


def test_warm_and_process_runners_give_the_same_grades(course, tmp_path):
    subs = tmp_path / "submitted"
    write_submission(subs, "perfect", "demo", student_notebook("demo", "solution", root=course))
    write_submission(subs, "blank", "demo", student_notebook("demo", "blank", root=course))
    write_submission(subs, "raiser", "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                        "q2_answer", "raise ValueError('no')"))
    write_submission(subs, "printer", "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                         "q1_answer", "print('hello' * 100)\nanswer_q1 = 'a'"))
    write_submission(subs, "exiter", "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                        "q4_answer", "import os\nos._exit(3)"))
    grade(course, subs, tmp_path / "warm", "--workers", "2")
    grade(course, subs, tmp_path / "process", "--workers", "2", "--runner", "process")
    assert (tmp_path / "warm" / "grades.csv").read_text() == (tmp_path / "process" / "grades.csv").read_text()
    assert read_grades(tmp_path / "warm")[("exiter", "demo")]["status"] == "crashed"


def test_a_worker_that_dies_is_replaced_and_the_notebook_still_graded(course):
    import os
    import signal

    import nbformat

    from autograder.execution.launcher import build_notebook
    from autograder.execution.limits import Limits
    from autograder.execution.warm import WarmRunner

    release_dir = course / "exercises" / "demo"
    release = nbformat.read(release_dir / "demo.ipynb", as_version=4)
    notebook = build_notebook(release, {"q1_answer": "answer_q1 = 'b'"}, ["answer_q1"])
    with WarmRunner(Limits(cell_seconds=10), packages=(), workers=1) as runner:
        assert runner.run(release_dir, notebook).answers == {"answer_q1": "b"}
        os.killpg(runner.workers[0].process.pid, signal.SIGKILL)   # the worker dies between two notebooks
        assert runner.run(release_dir, notebook).answers == {"answer_q1": "b"}
        assert runner.note == ""
