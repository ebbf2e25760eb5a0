"""Hostile inputs, round three: no student reaches another student, the grader's memory or
the disk, and a failure of the machine is never a student's final grade.

Each test guards a class of attack on every runner it concerns, not one example: the thief
searches everything its process can reach, the flooder writes to every descriptor it
holds in every way, the filler writes everywhere it can write."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest
from helpers import ENV, course_cmd, read_grades, set_answer, student_notebook, write_submission

from autograder.execution.launcher import build_notebook, run_notebook
from autograder.execution.limits import Limits
from autograder.execution.sandbox import sandbox_problem
from autograder.execution.warm import WarmRunner
from autograder.student.check import GRADING_IDENTITY

FIXTURE = Path(__file__).parent / "fixtures" / "course"
pytestmark = [pytest.mark.sandbox, pytest.mark.slow, pytest.mark.timeout(600)]

# what a victim leaves everywhere it can: in its answers' code, what it prints, the files
# it writes and its id; MARK is followed by 32 hex digits unique to the victim
VICTIM = """answer_q1 = 'b'  # {marker}
secret = "{marker}"
print("my secret", secret)
import os
for folder in ('/tmp', os.environ.get('HOME', '/tmp'), os.getcwd(), '/dev/shm'):
    try:
        open(os.path.join(folder, 'left-' + secret[-6:]), 'w').write(secret)
    except OSError:
        pass
"""

# searches its objects, modules, memory, descriptors and files for any victim's marker; its
# own marker must turn up in its memory, or the search does not work
THIEF = r"""
import gc, os, re, sys, ctypes
pattern = re.compile(b"VICTIM" + b"MARK" + b"[0-9a-f]{32}")
mine = b"THIEF" + b"MARK" + b"%s"
found, own, scanned = set(), False, 0

def search(data):
    global own
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    found.update(m.decode() for m in pattern.findall(data))
    own = own or mine in data

for obj in gc.get_objects():
    if isinstance(obj, (str, bytes, bytearray)):
        search(bytes(obj) if isinstance(obj, bytearray) else obj)
    elif isinstance(obj, dict):
        for key, value in list(obj.items()):
            if isinstance(value, (str, bytes)):
                search(value)
for name, module in list(sys.modules.items()):
    for value in list(vars(module).values()) if module is not None else []:
        if isinstance(value, (str, bytes)):
            search(value)
search(repr(dict(os.environ)))

def regions():
    for line in open("/proc/self/maps"):
        fields = line.split()
        start, end = (int(x, 16) for x in fields[0].split("-"))
        name = fields[5] if len(fields) > 5 else ""
        if "r" in fields[1] and name not in ("[vvar]", "[vsyscall]", "[vvar_vclock]") and end - start < 2**31:
            yield start, end
try:
    with open("/proc/self/mem", "rb", buffering=0) as mem:
        for start, end in regions():
            mem.seek(start)
            for offset in range(start, end, 1 << 24):
                try:
                    chunk = mem.read(min(1 << 24, end - offset))
                except OSError:
                    break
                scanned += len(chunk)
                search(chunk)
except OSError:   # its own memory, read directly
    for start, end in regions():
        chunk = ctypes.string_at(start, end - start)
        scanned += len(chunk)
        search(chunk)

for fd in os.listdir("/proc/self/fd"):
    try:
        os.set_blocking(int(fd), False)
        search(os.read(int(fd), 1 << 20))
    except (OSError, ValueError):
        pass
for top in ("/tmp", "/sandbox", "/dev/shm", "/jobs", "/opt", "/home", "/root", "/run", "/var", "/etc", "/proc/1"):
    for folder, _, files in os.walk(top):
        for name in files:
            try:
                with open(os.path.join(folder, name), "rb") as handle:
                    search(handle.read(1 << 20))
            except OSError:
                pass
loot = sorted(found)
answer_q4 = repr((loot, own, scanned))
answer_q1 = "b" if own and not loot else "a"
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    if sandbox_problem():
        pytest.skip(sandbox_problem()) if not os.environ.get("CI") else pytest.fail(sandbox_problem())
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    course_cmd("release", "demo", cwd=root)
    return root


def notebook(course: Path, code: str, answer: str = "q1_answer") -> nbformat.NotebookNode:
    release = nbformat.read(course / "exercises" / "demo" / "demo.ipynb", as_version=4)
    return build_notebook(release, {answer: code}, ["answer_q1", "answer_q4"])


@pytest.mark.timeout(300)
def test_a_thief_finds_nothing_of_the_students_graded_before_it_on_the_same_warm_worker(course):
    victims = [f"VICTIMMARK{uuid.uuid4().hex}" for _ in range(3)]
    release = course / "exercises" / "demo"
    with WarmRunner(Limits(cell_seconds=20), packages=(), preload=["pandas"], workers=1) as runner:
        for marker in victims:
            run = runner.run(release, notebook(course, VICTIM.format(marker=marker)), {GRADING_IDENTITY: marker})
            assert run.answers["answer_q1"] == "b" and marker in json.dumps(run.outputs)   # it ran, and printed it
        thief = THIEF % uuid.uuid4().hex.encode()
        run = runner.run(release, notebook(course, thief), {GRADING_IDENTITY: "thief"})
    assert runner.note == ""   # the warm workers graded them, not the fallback
    loot, own, scanned = eval(run.answers["answer_q4"])   # noqa: S307 (a repr of plain values, ours)
    assert own and scanned > 10 * 1024 * 1024, "the thief's search does not work: the test proves nothing"
    assert loot == [], f"the thief found earlier students' data: {loot}"
    assert not any(marker in json.dumps(run.outputs) for marker in victims)


# writes without end, no newline, binary, a trickle and bursts, to every descriptor it holds,
# also after closing one and opening it again through /proc
FLOODER = """answer_q1 = 'b'
import os
fds = [int(fd) for fd in os.listdir('/proc/self/fd')]
burst = bytes(range(256)) * 4096
for number, fd in enumerate(fds):
    if number % 2:   # every other one closed, and opened again through /proc
        try:
            copy = os.dup(fd)
            os.close(fd)
            fd = os.open('/proc/self/fd/%d' % copy, os.O_WRONLY)
        except OSError:
            pass
    for _ in range(100):
        try:
            os.write(fd, burst)
        except OSError:
            break
while True:   # a trickle, should the bursts not have been enough
    for fd in fds:
        try:
            os.write(fd, b'z')
        except OSError:
            pass
"""


def peak_rss_of_grading(course: Path, subs: Path, workspace: Path, *options: str) -> int:
    """`course grade` run in a Python of its own; the most memory that process held, in MB."""
    script = ("import resource, sys\nfrom autograder.cli import main\nmain(sys.argv[1:])\n"
              "print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)")
    done = subprocess.run([sys.executable, "-c", script, "grade", "demo", "--submissions", str(subs), "--workspace",
                           str(workspace), "--no-progress", "--timeout", "10", *options],
                          cwd=course, capture_output=True, text=True, env=ENV, timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    return int(done.stdout.split("peak")[-1])


@pytest.mark.parametrize("runner", ["warm", "process"])
def test_a_flood_on_every_channel_gets_output_limit_and_the_grader_stays_small(course, tmp_path, runner):
    honest = tmp_path / "honest"
    write_submission(honest, "perfect", "demo", student_notebook("demo", "solution", root=course))
    usual = peak_rss_of_grading(course, honest, tmp_path / "usual", "--runner", runner, "--workers", "1")
    flooded = tmp_path / "flooded"
    write_submission(flooded, "perfect", "demo", student_notebook("demo", "solution", root=course))
    write_submission(flooded, "flooder", "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                            "q1_answer", FLOODER))
    peak = peak_rss_of_grading(course, flooded, tmp_path / "workspace", "--runner", runner, "--workers", "1")
    grades = read_grades(tmp_path / "workspace")
    assert grades[("flooder", "demo")]["status"] == "output-limit"
    assert "more than the grader reads" in grades[("flooder", "demo")]["message"]
    assert grades[("perfect", "demo")]["status"] == "ok"
    # the output limit (10 MB) and its frame, a few times over for copies while it is read
    assert peak - usual < 150, f"the grader grew from {usual} MB to {peak} MB"


# writes file after file wherever it can until nothing more fits
FILLER = """answer_q1 = 'b'
import os
for folder in ('/tmp', os.environ.get('HOME', '/tmp'), os.getcwd(), os.environ.get('TMPDIR', '/tmp'), '/dev/shm'):
    for i in range(10_000):
        try:
            with open(os.path.join(folder, 'fill-%d' % i), 'wb') as handle:
                handle.write(b'x' * (8 << 20))
        except OSError:
            break
"""


@pytest.mark.parametrize("runner", ["warm", "process"])
def test_a_student_who_fills_the_disk_gets_disk_limit_and_the_others_are_unaffected(course, tmp_path, runner):
    subs = tmp_path / "submitted"
    for number in range(3):
        write_submission(subs, f"filler{number}", "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                                     "q1_answer", FILLER))
        write_submission(subs, f"honest{number}", "demo", student_notebook("demo", "solution", root=course))
    course_cmd("grade", "demo", "--submissions", str(subs), "--workspace", str(tmp_path / "workspace"), "--no-progress",
               "--timeout", "20", "--workers", "2", "--disk", "64", "--runner", runner, cwd=course)
    grades = read_grades(tmp_path / "workspace")
    for number in range(3):
        assert grades[(f"filler{number}", "demo")]["status"] == "disk-limit"
        assert "64 MB" in grades[(f"filler{number}", "demo")]["message"]
        assert grades[(f"honest{number}", "demo")]["status"] == "ok"
        assert grades[(f"honest{number}", "demo")]["auto_score"] == "4"


# a MemoryError the code makes itself, in the ways Python code can raise one
RAISERS = ["raise MemoryError('pretending')", "def f():\n    raise MemoryError\nf()",
           "try:\n    raise MemoryError\nexcept MemoryError:\n    raise", "exec('raise MemoryError')"]
# and the limit at work: memory taken bit by bit, or asked for at once
HOGS = ["hog = []\nwhile True:\n    hog.append(bytearray(50 << 20))", "hog = bytearray(3 << 30)"]


@pytest.mark.parametrize("run", ["warm", "process"])
def test_a_memory_error_the_code_raises_is_not_a_memory_limit_but_a_real_one_is(course, run):
    release = course / "exercises" / "demo"
    raisers = [notebook(course, f"answer_q1 = 'b'\n{code}") for code in RAISERS]
    hogs = [notebook(course, f"answer_q1 = 'b'\n{code}") for code in HOGS]
    limits = Limits(cell_seconds=20, memory_mb=1024)
    if run == "warm":
        with WarmRunner(limits, packages=(), workers=1) as runner:
            raised, hogged = [runner.run(release, nb) for nb in raisers], [runner.run(release, nb) for nb in hogs]
    else:
        raised = [run_notebook(release, nb, limits) for nb in raisers]
        hogged = [run_notebook(release, nb, limits) for nb in hogs]
    assert [(r.status, r.errors) for r in raised] == [("ok", ["q1_answer: MemoryError"])] * len(RAISERS)
    assert [r.status for r in hogged] == ["memory-limit"] * len(HOGS)


@pytest.mark.parametrize("runner", ["warm", "process"])
def test_a_forged_machine_error_is_the_students_own(course, tmp_path, runner):
    forged = json.dumps({"status": "machine-error", "message": "not graded: the machine failed", "answers": {}})
    code = (f"import os\nfor fd in range(20):\n    try:\n        os.write(fd, b'\\n' + {forged!r}.encode() + b'\\n')\n"
            f"    except OSError:\n        pass\nos._exit(0)")
    subs = tmp_path / "submitted"
    write_submission(subs, "forger", "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                        "q1_answer", code))
    course_cmd("grade", "demo", "--submissions", str(subs), "--workspace", str(tmp_path / "workspace"), "--no-progress",
               "--timeout", "10", "--runner", runner, cwd=course)
    assert read_grades(tmp_path / "workspace")[("forger", "demo")]["status"] == "crashed"


@pytest.mark.parametrize("runner", ["warm", "process"])
def test_a_machine_error_is_pending_and_graded_again_although_the_submission_is_unchanged(course, tmp_path, runner):
    subs, workspace = tmp_path / "submitted", tmp_path / "workspace"
    write_submission(subs, "perfect", "demo", student_notebook("demo", "solution", root=course))
    # the release's files do not fit in a 1 MB scratch file system: the sandbox cannot start
    (course / "exercises" / "demo" / "big.bin").write_bytes(os.urandom(2 << 20))
    try:
        first = course_cmd("grade", "demo", "--submissions", str(subs), "--workspace", str(workspace),
                           "--no-progress", "--disk", "1", "--runner", runner, cwd=course)
        row = read_grades(workspace)[("perfect", "demo")]
        assert row["status"] == "machine-error" and "graded again" in row["message"]
        assert "do not fit in --disk 1 MB" in row["message"]
        assert row["score"] == "" and row["auto_score"] == ""   # pending, not 0
        assert "1 not graded because the machine failed" in first.stdout
        course_cmd("export", "--format", "csv", "--workspace", str(workspace), cwd=course)
        exported = (workspace / "grades-csv.csv").read_text()
        assert "perfect,demo,0" not in exported
        second = course_cmd("grade", "demo", "--submissions", str(subs), "--workspace", str(workspace),
                            "--no-progress", "--runner", runner, cwd=course)
    finally:
        (course / "exercises" / "demo" / "big.bin").unlink()
    assert "graded 1 of 1" in second.stdout
    row = read_grades(workspace)[("perfect", "demo")]
    assert row["status"] == "ok" and row["auto_score"] == "4"


def markers_held_by_workers(address: str, markers: list[str]) -> list[str]:
    """The markers found among the live objects of every Dask worker process."""
    import distributed

    def held(dask_worker, wanted=tuple(markers)):
        import gc
        found = set()
        for obj in gc.get_objects():
            if isinstance(obj, (str, bytes)):
                text = obj if isinstance(obj, str) else obj.decode("utf-8", "replace")
                found.update(m for m in wanted if m in text)
            elif isinstance(obj, dict):
                found.update(m for m in wanted for v in list(obj.values()) if isinstance(v, str) and m in v)
        return sorted(found)

    with distributed.Client(address, timeout=10, set_as_default=False) as client:
        return sorted({m for found in client.run(held).values() for m in found})


@pytest.mark.cluster
@pytest.mark.timeout(600)
def test_on_a_dask_worker_the_disk_is_capped_and_nothing_of_one_student_reaches_the_next(course, tmp_path):
    import importlib.util

    from dask_processes import DaskProcesses
    if importlib.util.find_spec("distributed") is None:
        pytest.skip("Dask's distributed is not installed (pip install -e '.[cluster]')")
    victims = [f"VICTIMMARK{uuid.uuid4().hex}" for _ in range(2)]
    first, second = tmp_path / "first", tmp_path / "second"
    for marker in victims:
        write_submission(first, marker, "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                           "q1_answer", VICTIM.format(marker=marker)))
    write_submission(first, "filler", "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                         "q1_answer", FILLER))
    write_submission(first, "honest", "demo", student_notebook("demo", "solution", root=course))
    write_submission(second, "thief", "demo", set_answer(student_notebook("demo", "solution", root=course),
                                                         "q1_answer", THIEF % uuid.uuid4().hex.encode()))
    with DaskProcesses(tmp_path / "dask") as dask:
        dask.add_worker("solo", ENV)   # one worker, one thread: every notebook on the same warm worker
        for subs, workspace in ((first, tmp_path / "ws1"), (second, tmp_path / "ws2")):
            course_cmd("grade", "demo", "--submissions", str(subs), "--workspace", str(workspace), "--no-progress",
                       "--timeout", "20", "--disk", "64", "--cluster", dask.address, cwd=course)
        held = markers_held_by_workers(dask.address, victims)
    grades = {**read_grades(tmp_path / "ws1"), **read_grades(tmp_path / "ws2")}
    assert grades[("filler", "demo")]["status"] == "disk-limit"
    assert grades[("honest", "demo")]["status"] == "ok" and grades[("honest", "demo")]["auto_score"] == "4"
    assert all(grades[(marker, "demo")]["auto_score"] == "4" for marker in victims)
    assert grades[("thief", "demo")]["auto_score"] == "4", "the thief found an earlier student's data"
    assert held == [], f"the Dask worker still holds earlier students' data: {held}"
