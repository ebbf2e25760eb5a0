"""`course grade --cluster`: a real `dask scheduler` and real `dask worker` processes on
127.0.0.1, started by the tests from this Python (so they import the grader and the
course), grade a class of ch2 as a local run does; a worker killed mid-run and a client
killed mid-run lose nothing and count nothing twice; a worker without a working
bubblewrap gets no task, and with only such workers the run stops with one line.

The workers run without a nanny: a killed worker stays dead (a nanny would start another
under a new address), and a 2-core CI has fewer processes to carry."""
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from dask_processes import DaskProcesses
from helpers import BIN, ENV, course_cmd, require_command, require_tool, set_answer, student_notebook, write_submission
from nbgrader.api import Gradebook
from test_assignments import course_copy

pytestmark = [pytest.mark.slow, pytest.mark.sandbox, pytest.mark.cluster]
STUDENTS = 8


@pytest.fixture(scope="module", autouse=True)
def dask_installed():
    import importlib.util
    require_tool(importlib.util.find_spec("distributed") is not None,
                 "Dask's distributed (pip install -e '.[cluster]')")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    processes = DaskProcesses(tmp_path_factory.mktemp("dask"))
    try:
        processes.add_worker("alpha", ENV)
        processes.add_worker("beta", ENV)
        yield processes
    finally:
        processes.stop()


def hostile_code(course: Path) -> str:
    """Tries to read the instructor's notebook and to kill every process it can see (its
    worker, were it visible); answers with a value that says yes to every comparison."""
    return ("import os, signal\n"
            f"try:\n    stolen = open({str(course / 'solutions' / 'ch2' / 'ch2.ipynb')!r}).read()[:50]\n"
            "except OSError:\n    stolen = ''\n"
            "class Yes(list):\n    def __eq__(self, other): return True\n"
            "answer_q01 = Yes([stolen])\n"
            "os.kill(-1, signal.SIGKILL)")


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    """ch2 for a class of eight: three right (taking a second and a half more each, so that a run can be
    stopped part-way), two partly right, a blank, a hostile notebook and broken JSON; and
    the grades of a local run of it."""
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    tmp = tmp_path_factory.mktemp("school")
    course = course_copy(tmp)
    subs = tmp / "submitted"
    for i in range(3):
        right = student_notebook("ch2", "solution")
        cell = next(c for c in right.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q01_answer")
        cell.source = "import time; time.sleep(1.5)\n" + cell.source
        write_submission(subs, f"right{i}", "ch2", right)
    for i, (cell, wrong) in enumerate((("q02_answer", "answer_q02 = 'none of these'"), ("q12_answer", "answer_q12 = {}"))):
        write_submission(subs, f"partly{i}", "ch2", set_answer(student_notebook("ch2", "solution"), cell, wrong))
    write_submission(subs, "blank", "ch2", student_notebook("ch2", "blank"))
    write_submission(subs, "hostile", "ch2", set_answer(student_notebook("ch2", "blank"), "q01_answer",
                                                                hostile_code(course)))
    write_submission(subs, "broken", "ch2", '{"cells": [')
    local = tmp / "local"
    grade(course, subs, local, "--workers", "2")
    return {"course": course, "subs": subs, "local": local}


def grade_args(course: Path, subs: Path, workspace: Path, *extra: str) -> list[str]:
    # a gradebook per workspace: each run's rows are counted on their own
    return ["grade", "ch2", "--course-dir", str(course), "--submissions", str(subs), "--workspace", str(workspace),
            "--db", f"sqlite:///{workspace / 'gradebook.db'}", "--no-progress", "--timeout", "10", *extra]


def grade(course: Path, subs: Path, workspace: Path, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
    workspace.mkdir(parents=True, exist_ok=True)
    return course_cmd(*grade_args(course, subs, workspace, *extra), cwd=course, check=check)


def grades_csv(workspace: Path) -> str:
    return (workspace / "grades.csv").read_text()


def test_a_cluster_grades_the_class_as_a_local_run_does(cluster, school, tmp_path):
    local = grades_csv(school["local"])
    assert "right0,ch2,27,36,27,27,5,ok" in local and "blank,ch2,0,36,0,27,0,ok" in local
    assert "partly0,ch2,26" in local and "broken,ch2,0,36,0,27,0,invalid-json" in local
    hostile = next(line for line in local.splitlines() if line.startswith("hostile,"))
    assert ",0,27," in hostile
    run = grade(school["course"], school["subs"], tmp_path, "--cluster", cluster.address)
    assert f"graded {STUDENTS} of {STUDENTS}" in run.stdout
    assert grades_csv(tmp_path) == local


def count_results(workspace: Path) -> int:
    return len(list((workspace / "results" / "ch2").glob("*.json")))


def test_a_client_killed_mid_run_resumes_and_records_nothing_twice(cluster, school, tmp_path):
    # the class and one student more whose notebook never ends by itself, graded last and one
    # notebook at a time: the run is killed once two results are saved, which is always
    # part-way (the stuck notebook cannot finish in its first minute), whatever the machine's speed
    subs = tmp_path / "submitted"
    shutil.copytree(school["subs"], subs, symlinks=True)
    write_submission(subs, "zz-stuck", "ch2", set_answer(student_notebook("ch2", "blank"), "q01_answer",
                                                          "while True:\n    pass"))
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    first = subprocess.Popen([str(BIN / "course"), *grade_args(school["course"], subs, workspace, "--cluster",
                                                                cluster.address, "--workers", "1", "--timeout", "60")],
                             cwd=school["course"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    while count_results(workspace) < 2 and first.poll() is None:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)   # at an arbitrary moment, as a power cut would
    first.wait()
    done = count_results(workspace)
    assert 2 <= done <= STUDENTS and not (workspace / "results" / "ch2" / "zz-stuck.json").exists()
    again = grade(school["course"], subs, workspace, "--cluster", cluster.address)   # the stuck cell times out now
    assert f"graded {STUDENTS + 1 - done} of {STUDENTS + 1}" in again.stdout
    assert count_results(workspace) == STUDENTS + 1
    rows = grades_csv(workspace).splitlines()
    assert [r for r in rows if not r.startswith("zz-stuck,")] == grades_csv(school["local"]).splitlines()
    assert next(r for r in rows if r.startswith("zz-stuck,")).split(",")[7] == "timeout"
    with Gradebook(f"sqlite:///{workspace / 'gradebook.db'}") as gb:
        submissions = gb.assignment_submissions("ch2")
        assert sorted(s.student.id for s in submissions) == sorted(p.name for p in subs.iterdir())


def without_bwrap(tmp: Path) -> dict:
    """An environment whose PATH finds this Python and `dask`, but no bubblewrap."""
    tools = tmp / "tools-without-bwrap"
    tools.mkdir()
    for name in ("dask", "python"):
        (tools / name).symlink_to(BIN / name)
    return {**ENV, "PATH": str(tools)}


def test_a_worker_killed_mid_run_loses_no_submission_and_one_without_a_sandbox_gets_no_task(cluster, school, tmp_path):
    import psutil

    cluster.add_worker("nobwrap", without_bwrap(tmp_path))
    run = subprocess.Popen([str(BIN / "course"), *grade_args(school["course"], school["subs"], tmp_path,
                                                              "--cluster", cluster.address)],
                           cwd=school["course"], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    good = {name: psutil.Process(cluster.workers[name].pid) for name in ("alpha", "beta")}
    deadline = time.time() + 120
    busy = []
    while time.time() < deadline and not busy and run.poll() is None:
        busy = [name for name, worker in good.items() if worker.children()]   # a notebook's sandbox
        time.sleep(0.02)
    assert busy, "a worker must be killed while it runs a notebook"
    killed, = busy[:1]
    cluster.kill(killed)
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert f"graded {STUDENTS} of {STUDENTS}" in out
    assert grades_csv(tmp_path) == grades_csv(school["local"])
    executed = cluster.executed()
    assert set(executed) == {*good, "nobwrap"} - {killed} and executed["nobwrap"] == 0, executed


def test_with_no_worker_able_the_run_stops_with_one_line_naming_them(school, tmp_path):
    with DaskProcesses(tmp_path / "dask") as processes:
        processes.add_worker("nobwrap", without_bwrap(tmp_path))
        run = grade(school["course"], school["subs"], tmp_path / "workspace", "--cluster", processes.address,
                    check=False)
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "no worker of the Dask cluster can run student code" in run.stderr
    assert "tcp://127.0.0.1:" in run.stderr and "bubblewrap (bwrap) is not installed" in run.stderr
    assert not (tmp_path / "workspace" / "results").exists() or count_results(tmp_path / "workspace") == 0


def test_an_unreachable_scheduler_is_one_line(school, tmp_path):
    with socket.socket() as s:   # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = grade(school["course"], school["subs"], tmp_path, "--cluster", f"tcp://127.0.0.1:{port}", check=False)
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert f"tcp://127.0.0.1:{port}: cannot reach the Dask scheduler" in run.stderr


def certificates(folder: Path) -> dict[str, Path]:
    """A certificate authority of our own, and one certificate (for 127.0.0.1) it signed."""
    openssl = require_command("openssl", "openssl, to make the TLS certificates")
    folder.mkdir()
    files = {name: folder / f"{name}.pem" for name in ("ca", "ca-key", "cert", "key", "request")}
    (folder / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1\n")
    for args in (["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=grading-ca",
                  "-keyout", files["ca-key"], "-out", files["ca"]],
                 ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", files["key"],
                  "-out", files["request"]],
                 ["x509", "-req", "-in", files["request"], "-CA", files["ca"], "-CAkey", files["ca-key"],
                  "-CAcreateserial", "-days", "1", "-extfile", folder / "ext.cnf", "-out", files["cert"]]):
        subprocess.run([openssl, *map(str, args)], check=True, capture_output=True)
    return files


def test_with_tls_only_a_client_with_a_certificate_gets_in(school, tmp_path):
    files = certificates(tmp_path / "tls")
    tls = ("--tls-ca-file", str(files["ca"]), "--tls-cert", str(files["cert"]), "--tls-key", str(files["key"]))
    client_config = {"DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION": "true",
                     "DASK_DISTRIBUTED__COMM__TLS__CA_FILE": str(files["ca"]),
                     "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": str(files["cert"]),
                     "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": str(files["key"])}
    with DaskProcesses(tmp_path / "dask", ("--protocol", "tls", *tls), tls) as processes:
        processes.add_worker("secure", ENV)
        assert processes.address.startswith("tls://")
        refused = grade(school["course"], school["subs"], tmp_path / "refused", "--cluster", processes.address,
                        check=False)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
        assert "no TLS certificate for this client in Dask's configuration" in refused.stderr
        workspace = tmp_path / "workspace"
        workspace.mkdir()
        run = subprocess.run([str(BIN / "course"), *grade_args(school["course"], school["subs"], workspace,
                                                                "--cluster", processes.address)],
                             cwd=school["course"], env={**ENV, **client_config}, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert grades_csv(workspace) == grades_csv(school["local"])


def test_a_worker_with_other_grader_or_course_files_is_refused(tmp_path):
    from autograder.execution.cluster_worker import installation_digest, worker_problem

    packages = ("contested_peace",)
    assert worker_problem(installation_digest(packages), packages) is None
    problem = worker_problem("0" * 16, packages)
    assert "autograder, contested_peace differ" in problem and "install the same version" in problem
