"""Two graders at once on one PostgreSQL gradebook: a real server, started for the test."""
import glob
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from helpers import BIN, course_cmd, read_grades, require_command, require_tool, student_notebook, write_submission

FIXTURE = Path(__file__).parent / "fixtures" / "course"


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


pytestmark = [pytest.mark.postgres, pytest.mark.sandbox, pytest.mark.slow]


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    # the driver SQLAlchemy uses for postgresql:// (pip install .[postgres])
    require_tool(importlib.util.find_spec("psycopg") is not None, "psycopg (pip install .[postgres])")
    pgbin = postgres_bin()
    require_tool(pgbin is not None, "a PostgreSQL server (apt-get install postgresql)")
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    # PostgreSQL refuses to run as root: where we are root it runs as its own user, in a
    # folder that user can reach (pytest's own temporary folders are private to root)
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data = Path(tempfile.mkdtemp(prefix="contested-peace-pg-"))
    if as_owner:
        shutil.chown(data, "postgres")
    port = free_port()
    subprocess.run([*as_owner, str(pgbin / "initdb"), "-D", str(data), "-A", "trust", "-U", "grader"],
                   check=True, capture_output=True)
    subprocess.run([*as_owner, str(pgbin / "pg_ctl"), "-D", str(data), "-l", str(data / "log"), "-w",
                    "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start"], check=True, capture_output=True)
    yield f"postgresql://grader@127.0.0.1:{port}/postgres"
    subprocess.run([*as_owner, str(pgbin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
    shutil.rmtree(data, ignore_errors=True)


def test_two_graders_at_once_share_one_postgresql_gradebook(postgres, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(FIXTURE, course)
    course_cmd("release", "demo", cwd=course)
    perfect, blank = student_notebook("demo", "solution", root=course), student_notebook("demo", "blank", root=course)
    halves = {}
    for half in ("first", "second"):
        subs = tmp_path / f"submitted-{half}"
        for i in range(4):
            write_submission(subs, f"{half}-{i}", "demo", perfect if i % 2 == 0 else blank)
        halves[half] = subs
    graders = [subprocess.Popen([str(BIN / "course"), "grade", "demo", "--submissions", str(subs),
                                 "--workspace", str(tmp_path / f"ws-{half}"), "--db", postgres, "--workers", "2",
                                 "--no-progress"], cwd=course, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for half, subs in halves.items()]
    for grader in graders:
        out, err = grader.communicate(timeout=600)
        assert grader.returncode == 0, err
    from nbgrader.api import Gradebook  # noqa: I001  (imported where used: slow to import)
    with Gradebook(postgres) as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions("demo")}
    assert scores == {f"{half}-{i}": (4.0 if i % 2 == 0 else 0.0) for half in halves for i in range(4)}
    for half in halves:
        grades = read_grades(tmp_path / f"ws-{half}")
        assert {s for s, _ in grades} == {f"{half}-{i}" for i in range(4)}
