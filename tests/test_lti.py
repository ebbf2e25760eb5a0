"""`course lti roster` and `course lti publish` against an LTI 1.3 platform on 127.0.0.1
(tests/lti_platform.py, over TLS, checking the tool's signed client assertions and tokens):
the roster from the platform's members, one line item per assignment, scores the platform's
gradebook shows (pending essays as PendingManual), nothing posted twice, failures and a
crash half-way survived, and a dry run that sends nothing.

The gradebook is made by the grader's own writer (outputs/gradebook.py) rather than by
grading notebooks, which the other tests do: here only what is in it matters.  (Over 250
lines: each behaviour the issue names is a test here, around one platform and one course.)"""
import contextlib
import io
import json
import os
import signal
import subprocess
from pathlib import Path

import jwt
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti_platform import Platform, member
from nbgrader.api import Gradebook
from sqlalchemy import create_engine, text

from autograder.grading.lateness import Lateness
from autograder.grading.results import GradebookCell
from autograder.outputs.gradebook import open_gradebook, record, register_assignment
from autograder.outputs.late import AssignmentLateness, save_lateness
from coursebook.cli import main

pytestmark = pytest.mark.timeout(60)
CELLS = [GradebookCell("demo", "q1", "q1", 6.0, "code", False),
         GradebookCell("demo", "essay", "essay", 4.0, "markdown", True)]
MEMBERS = [member("a1-alice", "Learner", "Alice Martin", "alice", "alice@uni.example"),
           member("b2-bob", "Learner", "Bob Okafor", "bob", "bob@uni.example"),
           member("c3-carol", "Learner", "Carol Ng", "carol", "carol@uni.example"),
           member("d4-dave", "Learner", "Dave Roe"),                      # no SIS id shared: his user id
           member("t5-lee", "Instructor", "Tess Lee", "tlee", "tlee@uni.example"),
           member("t6-kim", "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
                  "Jo Kim", "jkim"),
           member("m7-parent", "Mentor", "Pat Martin")]


@pytest.fixture
def key_file(tmp_path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "secrets" / "lti-key.pem"      # outside the course's folder
    path.parent.mkdir()
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return path


@pytest.fixture
def platform(tmp_path, key_file):
    private = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    lms = Platform(tmp_path, private.public_key())
    lms.members = [dict(m) for m in MEMBERS]
    yield lms
    lms.stop()


@pytest.fixture
def course(tmp_path, platform, key_file, monkeypatch) -> Path:
    """A course configured for the platform, as the working folder, with the tool's key and
    the platform's certificate where the `course` command finds them."""
    root = tmp_path / "course"
    (root / "workspace").mkdir(parents=True)
    (root / "source").mkdir()                        # what makes it a course folder
    (root / "_config.yml").write_text(yaml.safe_dump({"title": "LTI test", "course": {
        "timezone": "UTC", "assignments": {"demo": {"due": "2026-11-20 18:00"}}, "lti": platform.config()}}))
    (root / "extensions.csv").write_text("student,assignment,due,extra_hours,reason\ncarol,demo,2099-01-01 12:00,,leave\n")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(platform.cert))
    monkeypatch.setenv("COURSE_LTI_PRIVATE_KEY_FILE", str(key_file))
    monkeypatch.chdir(root)
    return root


def db_url(course: Path) -> str:
    return f"sqlite:///{course / 'workspace' / 'gradebook.db'}"


def lti(course: Path, key_file: Path, platform: Platform, *args: str) -> subprocess.CompletedProcess:
    """`course lti ARGS` in this process (a new process costs seconds of imports each time)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["lti", *args])
    return subprocess.CompletedProcess(["course", "lti", *args], code, out.getvalue(), err.getvalue())


def grade(course: Path, marks: dict[str, float | None], db: str = "") -> None:
    """alice 6 + essay 4; bob 3 + his essay (`marks`, None: not marked yet), one point off
    for lateness; carol 5 + 3 (an extension to 2099: she may still hand in again)."""
    with open_gradebook(db or db_url(course)) as gb:
        register_assignment(gb, "demo", CELLS)
        record(gb, "demo", CELLS, {"alice": {"q1": 6.0}, "bob": {"q1": 3.0}, "carol": {"q1": 5.0}})
    with Gradebook(db or db_url(course)) as gb:
        for student, mark in {"alice": 4.0, "carol": 3.0, **marks}.items():
            gb.find_grade("essay", "demo", "demo", student).manual_score = mark
        gb.db.commit()
    late = Lateness("bob", due="2026-11-20T18:00:00", submitted="2026-11-20T23:00:00", late_by=5.0, penalty=1.0)
    save_lateness(course / "workspace", "demo", AssignmentLateness({"bob": late}))


def ours(course: Path, table: str) -> list[dict]:
    engine = create_engine(db_url(course))
    with engine.connect() as db:
        rows = [dict(r._mapping) for r in db.execute(text(f"SELECT * FROM {table}"))]
    engine.dispose()
    return rows


def scores(platform: Platform) -> dict[str, tuple]:
    return {user: (s["scoreGiven"], s["scoreMaximum"], s["gradingProgress"], s["activityProgress"])
            for user, s in platform.gradebook("demo").items()}


EXPECTED = {"a1-alice": (10.0, 10.0, "FullyGraded", "Completed"),
            "b2-bob": (2.0, 10.0, "PendingManual", "Completed"),
            "c3-carol": (8.0, 10.0, "FullyGraded", "Submitted")}


def test_roster_from_the_platform_keeps_students_and_staff_apart(course, key_file, platform):
    done = lti(course, key_file, platform, "roster")
    assert done.returncode == 0, done.stderr
    assert "4 students (4 new), 2 instructors and assistants, 1 other members left out" in done.stdout
    assert platform.requests.count(("GET", "/api/lti/courses/7/names_and_roles")) == 4   # pages of 2
    with Gradebook(db_url(course)) as gb:
        students = {s.id: (s.first_name, s.last_name, s.email, s.lms_user_id) for s in gb.students}
    assert students == {"alice": ("Alice", "Martin", "alice@uni.example", "a1-alice"),
                        "bob": ("Bob", "Okafor", "bob@uni.example", "b2-bob"),
                        "carol": ("Carol", "Ng", "carol@uni.example", "c3-carol"),
                        "d4-dave": ("Dave", "Roe", None, "d4-dave")}
    staff = {r["user_id"]: r["roles"] for r in ours(course, "lti_staff")}
    assert staff == {"tlee": "Instructor", "jkim": "TeachingAssistant"}

    # the LMS renames Alice and gives her another SIS id: the same student, renamed
    alice = platform.members[0]
    alice.update(name="Alice Martin-Diallo", family_name="Martin-Diallo", lis_person_sourcedid="amd")
    again = lti(course, key_file, platform, "roster")
    assert again.returncode == 0 and "4 students (0 new)" in again.stdout, again.stderr
    assert "LMS user a1-alice (Alice Martin-Diallo): stays 'alice' (the LMS now gives 'amd')" in again.stderr
    with Gradebook(db_url(course)) as gb:
        assert sorted(s.id for s in gb.students) == ["alice", "bob", "carol", "d4-dave"]
        assert gb.find_student("alice").last_name == "Martin-Diallo"
    assert "private" not in (again.stdout + again.stderr).lower()


def test_publish_posts_each_score_once_and_a_changed_one_again(course, key_file, platform):
    lti(course, key_file, platform, "roster")
    grade(course, {"bob": None})
    tokens = platform.token_requests
    first = lti(course, key_file, platform, "publish", "demo")
    assert first.returncode == 0, first.stderr
    assert "demo: posted 3 scores (1 PendingManual), 0 unchanged" in first.stdout
    (item,) = platform.line_items.values()
    assert (item["resourceId"], item["tag"], item["label"], item["scoreMaximum"]) == ("demo", "demo", "demo", 10.0)
    assert scores(platform) == EXPECTED      # dave never handed in: no score
    assert platform.token_requests == tokens + 1      # one token for the whole run
    assert all(p["timestamp"].endswith("+00:00") for p in platform.score_posts)

    writes = len(platform.writes())
    second = lti(course, key_file, platform, "publish", "demo")
    assert second.returncode == 0 and "posted 0 scores, 3 unchanged" in second.stdout, second.stderr
    assert len(platform.writes()) == writes

    grade(course, {"bob": 3.0})              # Bob's essay marked: 3 + 3 - 1
    third = lti(course, key_file, platform, "publish", "demo")
    assert third.returncode == 0 and "posted 1 scores, 2 unchanged" in third.stdout, third.stderr
    assert scores(platform) == {**EXPECTED, "b2-bob": (5.0, 10.0, "FullyGraded", "Completed")}
    assert len(platform.line_items) == 1
    assert [r["grading_progress"] for r in ours(course, "lti_scores") if r["student_id"] == "bob"] == ["FullyGraded"]

    # no secret is written anywhere: not the key, not a token (printed, or in the workspace)
    said = first.stdout + first.stderr + third.stdout + third.stderr
    written = b"".join(f.read_bytes() for f in course.rglob("*") if f.is_file())
    key_body = key_file.read_text().splitlines()[1]
    assert platform.tokens and all(t not in said and t.encode() not in written for t in platform.tokens)
    assert key_body not in said and key_body.encode() not in written


def test_429_500_an_expired_token_and_a_deleted_line_item_are_survived(course, key_file, platform):
    lti(course, key_file, platform, "roster")
    grade(course, {"bob": None})
    platform.fail("GET", "/line_items", 500)
    platform.fail("POST", "/scores", 429, retry_after=1)
    platform.fail("POST", "/scores", 503, times=2)
    platform.on_score = platform.expire_tokens          # every token dies after each score
    tokens = platform.token_requests
    done = lti(course, key_file, platform, "publish", "demo")
    assert done.returncode == 0, done.stderr
    assert scores(platform) == EXPECTED
    assert platform.token_requests == tokens + 3

    platform.on_score = None
    platform.delete_line_item("demo")                  # someone deletes the column in the LMS
    grade(course, {"bob": 3.0})
    again = lti(course, key_file, platform, "publish", "demo")
    assert again.returncode == 0, again.stderr
    assert "posted 3 scores, 0 unchanged" in again.stdout and "(new)" in again.stdout
    assert scores(platform) == {**EXPECTED, "b2-bob": (5.0, 10.0, "FullyGraded", "Completed")}


def test_a_retry_after_of_an_hour_is_capped(course, key_file, platform, monkeypatch):
    from autograder.lms import lti_http

    # the run's default: an hour asked for is a minute waited
    retry = lti_http._session(5, 0.5).get_adapter("https://lms.example").max_retries
    assert retry.parse_retry_after("3600") == lti_http.RETRY_AFTER_CAP == 60
    # and the run honours the cap (made small here, so the test does not wait a minute)
    monkeypatch.setattr(lti_http, "RETRY_AFTER_CAP", 0.2)
    lti(course, key_file, platform, "roster")
    grade(course, {"bob": None})
    platform.fail("POST", "/scores", 429, times=2, retry_after=3600)
    done = lti(course, key_file, platform, "publish", "demo")
    assert done.returncode == 0, done.stderr
    assert scores(platform) == EXPECTED


def test_an_error_names_the_student_and_the_run_goes_on(course, key_file, platform):
    lti(course, key_file, platform, "roster")
    grade(course, {"bob": None})
    platform.members = [m for m in platform.members if m["user_id"] != "b2-bob"]   # Bob left the course
    done = lti(course, key_file, platform, "publish", "demo")
    assert done.returncode == 1
    assert ("course lti publish: student bob (LMS user b2-bob): the LMS answered 422 Unprocessable Entity: "
            '{"errors": [{"message": "User not found in course or is not a student"}]}') in done.stderr
    assert set(scores(platform)) == {"a1-alice", "c3-carol"}


def test_a_crash_after_the_line_item_is_made_makes_no_second_one(course, key_file, platform):
    lti(course, key_file, platform, "roster")
    grade(course, {"bob": None})
    for hook in ("on_line_item_made", "on_score"):     # killed as the LMS answers: the item made, a score taken
        pid = os.fork()                                 # a copy of this process, its imports done: quick
        if pid == 0:
            code = 99
            try:
                code = main(["lti", "publish", "demo"])
            finally:
                os._exit(code)                          # never back into pytest
        setattr(platform, hook, lambda pid=pid: os.kill(pid, signal.SIGKILL))
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        setattr(platform, hook, None)
    assert len(platform.line_items) == 1 and len(scores(platform)) == 1
    done = lti(course, key_file, platform, "publish", "demo")
    assert done.returncode == 0, done.stderr
    assert len(platform.line_items) == 1
    assert scores(platform) == EXPECTED


def test_a_dry_run_sends_nothing(course, key_file, platform):
    lti(course, key_file, platform, "roster")
    grade(course, {"bob": None})
    seen = len(platform.requests)
    dry = lti(course, key_file, platform, "publish", "demo", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert len(platform.requests) == seen and not platform.line_items and ours(course, "lti_scores") == []
    lines = [line for line in dry.stdout.splitlines() if line.startswith("would POST")]
    assert len(lines) == 3 and '"userId": "b2-bob", "scoreGiven": 2.0' in lines[1] and "PendingManual" in lines[1]
    assert "demo: would post 3 scores (1 PendingManual)" in dry.stdout


def test_a_key_inside_the_course_is_refused(course, key_file, platform, monkeypatch):
    inside = course / "lti-key.pem"
    inside.write_bytes(key_file.read_bytes())
    monkeypatch.setenv("COURSE_LTI_PRIVATE_KEY_FILE", str(inside))
    done = lti(course, key_file, platform, "roster")
    assert done.returncode != 0 and "the LTI private key is inside the course's folder" in done.stderr
    assert platform.requests == []


def test_the_public_key_is_the_private_keys_half_and_needs_no_platform(course, key_file, platform):
    (course / "_config.yml").write_text("title: before registering\ncourse:\n  name: demo\n")
    printed = lti(course, key_file, platform, "public-key")
    assert printed.returncode == 0, printed.stderr
    jwk = json.loads(printed.stdout)
    public = serialization.load_pem_private_key(key_file.read_bytes(), password=None).public_key()
    assert jwt.algorithms.RSAAlgorithm.from_jwk(jwk).public_numbers() == public.public_numbers()
    assert (jwk["alg"], jwk["use"], len(jwk["kid"])) == ("RS256", "sig", 43) and "d" not in jwk
    pem = lti(course, key_file, platform, "public-key", "--pem").stdout
    assert pem.startswith("-----BEGIN PUBLIC KEY-----") and "PRIVATE" not in pem


def test_an_assignment_worth_more_points_updates_its_line_item(course, key_file, platform):
    lti(course, key_file, platform, "roster")
    grade(course, {"bob": None})
    lti(course, key_file, platform, "publish", "demo")
    bigger = [GradebookCell("demo", "q1", "q1", 8.0, "code", False), CELLS[1]]   # q1 now out of 8
    with open_gradebook(db_url(course)) as gb:
        register_assignment(gb, "demo", bigger)
    again = lti(course, key_file, platform, "publish", "demo")
    assert again.returncode == 0 and "posted 3 scores" in again.stdout, again.stderr
    (item,) = platform.line_items.values()
    assert item["scoreMaximum"] == 12.0 and {s[1] for s in scores(platform).values()} == {12.0}


def test_a_key_the_platform_does_not_know_is_one_clear_line(course, key_file, platform, monkeypatch):
    other = key_file.parent / "other.pem"
    other.write_bytes(rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    monkeypatch.setenv("COURSE_LTI_PRIVATE_KEY_FILE", str(other))
    done = lti(course, key_file, platform, "roster")
    assert done.returncode == 1 and done.stdout == ""
    assert f"no access token from {platform.token_url}: the LMS answered 401 Unauthorized" in done.stderr
    assert "invalid_client" in done.stderr and len(done.stderr.splitlines()) == 1
