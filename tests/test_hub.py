"""The instructor's whole loop on a real JupyterHub, as the instructor guide walks it.

The test starts JupyterHub (from PyPI) and configurable-http-proxy (from npm) on
127.0.0.1 over TLS, with local accounts made with `useradd` (so that nbgrader sees each
student as who they are) and nbgrader's exchange in a temporary folder.  The hub logs people
in only through LTI 1.3 from the test LMS (tests/lti_platform*.py, on `localhost`: another
site than the hub, so the launch's cookies must be `SameSite=None; Secure`), with the
toolkit's CourseLTI13Authenticator as the guide configures it: a student's launch of the
ch1 link opens their server on ch1, fetched from the exchange; the instructor's opens
formgrader.  At the end the instructor publishes the scores to the LMS's gradebook.  The
hub serves two courses, as nbgrader's set-up for several courses has it (one exchange,
each course's files apart under its id; each instructor with their own course folder and
gradebook): a second LMS course, a seminar with its own instructor, shares the launched
student, who launches its ch1 too and hands it in there.  The instructor's shell
commands are the guide's own (GUIDE_COMMANDS, run verbatim as the instructor; a fast test
checks the guide shows no other); the students act through their single-user servers' APIs,
the calls JupyterLab's Assignments tab makes; formgrader is driven in headless Chromium
with every other host cut off.  Every step has a timeout; the hub, the proxy and the
servers are stopped by process group at the end, also on failure.  (Over 250 lines: the
test session's one hub is expensive to start, so the whole loop is walked against it here,
each step a test of its own; the LMS's side and the browser's steps are in hub_lms.py.)
"""
from __future__ import annotations

import contextlib
import csv
import datetime
import html
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

import jwt
import nbformat
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from helpers import ROOT, model_solutions, require_command, require_tool
from hub_lms import (
    CONTEXT,
    SEMINAR_CONTEXT,
    SEMINAR_LINK,
    STEP,
    in_browser,
    instructor_adds_the_link,
    launch,
    lms_id,
    student_launches,
    the_lms,
    tool_key,
    with_lti,
)
from lti_platform import Platform

from autograder.nbmeta import grade_id, is_answer

# the whole loop takes about two minutes; past half an hour something hangs (the fixtures still stop everything)
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.sandbox, pytest.mark.timeout(1800)]

VENV_BIN = Path(sys.executable).parent
CHP_DIR = ROOT / ".cache" / "hub-node"          # configurable-http-proxy, installed from npm by dev.sh or here
CHP = CHP_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_ID = "contested-peace"
SEMINAR = "peace-seminar"       # the hub's second course: its own instructor and gradebook, the same ch1
ESSAY_ID = "q13"
COMMENT = "A clear argument; say more about the Brahimi report."
# the essay's rubric criteria (solutions/ch1/questions.yml), each marked in its own box
CRITERION_MARKS = {f"{ESSAY_ID}_argument": 1.5, f"{ESSAY_ID}_evidence": 2.0, f"{ESSAY_ID}_judgement": 1.0}
COMMENTED = f"{ESSAY_ID}_evidence"
HAND_MARK = sum(CRITERION_MARKS.values())

# The instructor's commands in the guide, in the order of the loop, run verbatim by this
# test in the instructor's course folder (test_instructor_guide.py checks the guide shows
# no command that is not here).
GUIDE_COMMANDS = {
    "release": ["course release ch1", "nbgrader release_assignment ch1"],
    "collect": ["nbgrader collect ch1"],
    "grade": ["course grade ch1 --submissions submitted --workspace ~/grading"],
    "feedback": ["course feedback ch1 --release --workspace ~/grading"],
    "export": ["course export --format canvas --workspace ~/grading",
               "course export --format moodle --workspace ~/grading",
               "course export --format csv --workspace ~/grading"],
}
# the guide's LTI commands ("Canvas and Moodle with LTI 1.3"), run the same way after the loop
LTI_COMMANDS = ["course lti roster --workspace ~/grading", "course lti publish ch1 --workspace ~/grading"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kill_group(pid: int) -> None:
    """Stop a process and everything in its process group: TERM, then KILL."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        group = os.getpgid(pid)
        os.killpg(group, signal.SIGTERM)
        for _ in range(50):
            time.sleep(0.1)
            if not running_in(group):
                return
        os.killpg(group, signal.SIGKILL)


def running_in(group: int) -> bool:
    """Whether a process of the group still runs.  A zombie does not: a user's server the
    hub started stays one until the hub reaps it, which signal 0 cannot tell from running
    (and waiting for it cost five seconds a server)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                state, _, pgrp = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:3]
                if int(pgrp) == group and state != "Z":
                    return True
    return False


def processes_of(uid: int) -> list[int]:
    """The processes running as a user this test made (whatever they started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
    return found


class Hub:
    """A running JupyterHub, its users and the calls made to it."""

    def __init__(self, base: Path, instructor: str, students: list[str], intruder: str, lms: Platform,
                 seminar_instructor: str):
        self.base, self.instructor, self.students, self.intruder = base, instructor, students, intruder
        self.seminar_instructor = seminar_instructor
        self.accounts = [instructor, seminar_instructor, *students, intruder]
        self.launched = students[0]      # reaches the hub only by launching from the LMS
        self.lms = lms
        self.port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.tls = ssl.create_default_context(cafile=lms.cert)     # the hub serves the test LMS's certificate
        self.tool_key = base / "tool-key.pem"        # the tool's key: the hub serves its public half
        self.token = secrets.token_hex(24)
        self.exchange = base / "exchange"
        self.etc = base / "etc-jupyter"           # what /etc/jupyter is on a real hub
        self.process: subprocess.Popen | None = None
        self.ran: list[str] = []

    # ---------------------------------------------------------------- the hub itself
    def config(self) -> str:
        users = self.accounts
        return f"""
c = get_config()
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {self.port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {self.hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{self.api_port}"
c.ConfigurableHTTPProxy.command = [{str(CHP)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(self.base / 'proxy.pid')!r}
c.JupyterHub.db_url = "sqlite:///{self.base / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(self.base / 'cookie_secret')!r}
c.JupyterHub.ssl_cert = {str(self.lms.cert)!r}
c.JupyterHub.ssl_key = {str(self.lms.cert_key)!r}
# LTI 1.3, as the instructor guide configures it
from autograder.lms.lti_hub import CourseLTI13Authenticator
c.JupyterHub.authenticator_class = CourseLTI13Authenticator
c.CourseLTI13Authenticator.issuer = {self.lms.url!r}
c.CourseLTI13Authenticator.client_id = [{self.lms.client_id!r}]
c.CourseLTI13Authenticator.authorize_url = {self.lms.url + "/api/lti/authorize_redirect"!r}
c.CourseLTI13Authenticator.jwks_endpoint = {self.lms.url + "/api/lti/security/jwks"!r}
c.CourseLTI13Authenticator.tool_key_file = {str(self.tool_key)!r}
c.CourseLTI13Authenticator.exchange_root = {str(self.exchange)!r}
c.CourseLTI13Authenticator.courses = {{{CONTEXT!r}: {COURSE_ID!r}, {SEMINAR_CONTEXT!r}: {SEMINAR!r}}}
c.JupyterHub.tornado_settings = {{"cookie_options": {{"samesite": "None", "secure": True}}}}
c.Authenticator.allowed_users = {set(users)!r}
c.JupyterHub.services = [{{"name": "driver", "api_token": {self.token!r}}}]
c.JupyterHub.load_roles = [{{"name": "driver", "services": ["driver"],
    "scopes": ["admin:users", "admin:servers", "admin:server_state", "access:servers", "read:users"]}}]
c.Spawner.cmd = [{str(VENV_BIN / 'jupyterhub-singleuser')!r}]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = {STEP}
c.Spawner.http_timeout = {STEP}
c.Spawner.environment = {{"JUPYTER_CONFIG_PATH": {str(self.etc)!r},
                          "PATH": {str(VENV_BIN)!r} + ":/usr/bin:/bin"}}
"""

    def start(self) -> None:
        (self.base / "jupyterhub_config.py").write_text(self.config())
        log = open(self.base / "hub.log", "w")
        self.process = subprocess.Popen([str(VENV_BIN / "jupyterhub"), "-f", str(self.base / "jupyterhub_config.py")],
                                        cwd=self.base, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                        env={**os.environ, "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
                                             "SSL_CERT_FILE": str(self.lms.cert)})   # to reach the LMS's keys
        self.wait(lambda: self.api("GET", "/hub/api/") is not None, "the hub to answer")

    def wait(self, ready, what: str, timeout: float = STEP):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"the hub stopped while waiting for {what}:\n{self.log()}")
            with contextlib.suppress(OSError, HTTPError, ValueError):
                value = ready()
                if value:
                    return value
            time.sleep(0.5)
        raise AssertionError(f"timed out after {timeout} s waiting for {what}:\n{self.log()}")

    def log(self) -> str:
        """The hub's log, without the test's own polling."""
        path = self.base / "hub.log"
        if not path.is_file():
            return ""
        lines = [line for line in path.read_text(errors="replace").splitlines()
                 if "(driver@127.0.0.1)" not in line and "GET /api/routes" not in line]
        return "\n".join(lines)[-6000:]

    def api(self, method: str, path: str, data: dict | None = None, form: dict | None = None):
        """A call to the hub or, through the proxy, to a user's server, with the driver's token."""
        body, headers = None, {"Authorization": f"token {self.token}"}
        if data is not None:
            body, headers["Content-Type"] = json.dumps(data).encode(), "application/json"
        if form is not None:
            body, headers["Content-Type"] = urlencode(form).encode(), "application/x-www-form-urlencoded"
        request = Request(self.url + path, data=body, headers=headers, method=method)
        with urlopen(request, timeout=STEP, context=self.tls) as response:
            text = response.read().decode()
        return json.loads(text) if text.strip() else {}

    def spawn(self, user: str) -> None:
        try:
            self.api("POST", f"/hub/api/users/{user}/server")
        except HTTPError as exc:
            if exc.code != 400:   # 400: already running
                raise AssertionError(f"{user}'s server did not start (HTTP {exc.code}):\n{self.log()}") from None
        self.wait(lambda: self.api("GET", f"/hub/api/users/{user}")["servers"].get("", {}).get("ready"),
                  f"{user}'s server to start")

    def server_pids(self) -> list[int]:
        pids = []
        for user in self.accounts:
            with contextlib.suppress(Exception):
                state = self.api("GET", f"/hub/api/users/{user}")["servers"].get("", {}).get("state") or {}
                if state.get("pid"):
                    pids.append(int(state["pid"]))
        return pids

    def stop(self) -> None:
        """Stop the servers, the proxy and the hub, each by its process group."""
        pids = self.server_pids() if self.process is not None and self.process.poll() is None else []
        proxy = self.base / "proxy.pid"
        if proxy.is_file():
            with contextlib.suppress(ValueError):
                pids.append(int(proxy.read_text().strip()))
        if self.process is not None:
            pids.append(self.process.pid)
        for pid in pids:
            kill_group(pid)
        for user in self.accounts:   # anything left running as a test account
            with contextlib.suppress(KeyError):
                for pid in processes_of(pwd.getpwnam(user).pw_uid):
                    kill_group(pid)

    # ---------------------------------------------------------------- as the instructor
    def instructor_runs(self, command: str, seminar: bool = False) -> subprocess.CompletedProcess:
        """One of the guide's commands, verbatim, in a shell of the instructor's (the seminar's
        instructor's), in their course folder."""
        self.ran.append(command)
        who, course = (self.seminar_instructor, SEMINAR) if seminar else (self.instructor, COURSE_ID)
        home = Path(pwd.getpwnam(who).pw_dir)
        env = {"HOME": str(home), "USER": who, "LOGNAME": who, "LANG": "C.UTF-8",
               "PATH": f"{VENV_BIN}:/usr/bin:/bin", "JUPYTER_CONFIG_PATH": str(self.etc),
               "REQUESTS_CA_BUNDLE": str(self.lms.cert)}    # the test LMS's own certificate
        shell = subprocess.Popen([shutil.which("runuser") or "/usr/sbin/runuser", "-u", who, "--", "bash", "-c",
                                  f"cd ~/{course} && {command}"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                 start_new_session=True)
        try:
            out, err = shell.communicate(timeout=STEP)
        except subprocess.TimeoutExpired:
            kill_group(shell.pid)
            raise AssertionError(f"`{command}` ran longer than {STEP} s") from None
        result = subprocess.CompletedProcess(command, shell.returncode, out, err)
        assert result.returncode == 0, f"`{command}` failed:\n{out[-3000:]}\n{err[-3000:]}"
        return result

    # ---------------------------------------------------------------- as a student
    def assignments(self, user: str, action: str, course: str = COURSE_ID) -> list:
        form = {"course_id": course, "assignment_id": "ch1"}
        if action == "list":
            return self.api("GET", f"/user/{user}/assignments?{urlencode({'course_id': course})}")
        return self.api("POST", f"/user/{user}/assignments/{action}", form=form)


@contextlib.contextmanager
def reachable_by_all(*paths: Path):
    """Let the test's accounts reach the checkout and the environment: every folder above
    them gets the others' search (x) permission for the test's duration, then its old mode
    back (a Python built under /root, as pyenv does, lies behind a folder only root may enter)."""
    changed: dict[Path, int] = {}
    for path in paths:
        for folder in [*reversed(path.resolve().parents), path.resolve()]:
            mode = folder.stat().st_mode
            if folder.is_dir() and not mode & 0o001 and folder not in changed:
                changed[folder] = mode & 0o7777
                folder.chmod(mode & 0o7777 | 0o001)
    try:
        yield
    finally:
        for folder, mode in changed.items():
            folder.chmod(mode)


def make_user(name: str) -> None:
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True, timeout=60)


def as_user(path: Path, user: str) -> None:
    shutil.chown(path, user, user)
    for item in path.rglob("*"):
        shutil.chown(item, user, user)


def answered(release: nbformat.NotebookNode, solutions: dict[str, str], how: str) -> nbformat.NotebookNode:
    """The released notebook as a student leaves it: `full` answers everything and writes
    the essay, `partial` answers the first four questions and writes the essay, `noessay`
    answers everything but leaves the essay blank."""
    nb = nbformat.from_dict(release)
    answers = [c for c in nb.cells if is_answer(c) and grade_id(c) != ESSAY_ID]
    for index, cell in enumerate(answers):
        if how != "partial" or index < 4:
            cell.source = solutions[grade_id(cell)]
    if how != "noessay":
        essay = next(c for c in nb.cells if grade_id(c) == ESSAY_ID)
        essay.source = f"An essay by the {how} student: consent, impartiality and the limits of force."
    return nb


@pytest.fixture(scope="module")
def hub():
    require_tool(os.geteuid() == 0, "root, to make the hub's local accounts with useradd")
    require_command("useradd", "useradd, to make the hub's local accounts")
    require_command("runuser", "runuser (util-linux), to run the guide's commands as the instructor")
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), the grading sandbox")
    require_tool((VENV_BIN / "jupyterhub").is_file(), "jupyterhub (pip install -e '.[test]')")
    if not CHP.is_file() and shutil.which("npm"):
        CHP_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "configurable-http-proxy@4"],
                       cwd=CHP_DIR, capture_output=True, timeout=STEP)
    require_tool(CHP.is_file(), "configurable-http-proxy (npm install, as dev.sh does)")
    tag = secrets.token_hex(3)
    instructor, students = f"cpi{tag}", [f"cps{tag}{how}" for how in ("full", "part", "none")]
    seminar_instructor = f"cpi{tag}sem"
    intruder = f"cps{tag}link"   # hands in a link to the instructor's notebook through the exchange
    base = Path(tempfile.mkdtemp(prefix="cp-hub-"))
    base.chmod(0o755)
    made: list[str] = []
    lms = the_lms(base, instructor, [*students, intruder], seminar_instructor)
    hub = Hub(base, instructor, students, intruder, lms, seminar_instructor)
    with contextlib.ExitStack() as stack:
        stack.callback(lms.stop)
        stack.enter_context(reachable_by_all(Path(os.path.realpath(sys.executable)), VENV_BIN, ROOT, CHP))
        yield from running(hub, base, made)


def with_deadline(course: Path, excused: str) -> None:
    """ch1 due an hour ago, 10% off per day late: every student hands in late but
    `excused`, who has two more days."""
    due = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M UTC")
    config = (course / "_config.yml").read_text(encoding="utf-8")
    calendar = f"course:\n  late: {{deduct: 10%, per: day}}\n  assignments:\n    ch1: {{due: {due}}}\n"
    (course / "_config.yml").write_text(config.replace("\ncourse:\n", "\n" + calendar, 1), encoding="utf-8")
    (course / "extensions.csv").write_text(f"student,assignment,due,extra_hours,reason\n{excused},ch1,,48,accommodation\n")


def instructors_course(instructor: str, course_id: str) -> Path:
    """The instructor's copy of the course, and where nbgrader finds it (the guide's step 4,
    with the course's id, as for several courses on one hub)."""
    home = Path(pwd.getpwnam(instructor).pw_dir)
    course = home / course_id
    course.mkdir()
    for name in ("_config.yml", "nbgrader_config.py"):
        shutil.copy(ROOT / name, course / name)
    for name in ("solutions", "exercises"):
        shutil.copytree(ROOT / name, course / name)
    # a second course is a copy of the course under its own id (the guide: its nbgrader_config.py)
    settings = course / "nbgrader_config.py"
    settings.write_text(settings.read_text().replace(f'course_id = "{COURSE_ID}"', f'course_id = "{course_id}"'))
    assert f'course_id = "{course_id}"' in settings.read_text()
    (home / ".jupyter").mkdir()
    (home / ".jupyter" / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.course_id = {course_id!r}\nc.CourseDirectory.root = {str(course)!r}\n"
        f"load_subconfig('nbgrader_config.py', path={str(course)!r})\n")
    as_user(course, instructor)
    as_user(home / ".jupyter", instructor)
    return course


def running(hub: Hub, base: Path, made: list[str]):
    instructor = hub.instructor
    try:
        for user in hub.accounts:
            make_user(user)
            made.append(user)
        # nbgrader's exchange, writable by every account; the settings every account shares:
        # several courses, so no course id, and each course's assignments in a folder of its own
        hub.exchange.mkdir()
        hub.exchange.chmod(0o1777)
        hub.etc.mkdir()
        (hub.etc / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.Exchange.root = {str(hub.exchange)!r}\nc.Exchange.path_includes_course = True\n")
        course = instructors_course(instructor, COURSE_ID)
        home = course.parent
        with_deadline(course, hub.students[0])
        # the tool's key, in the instructor's home outside the course (the hub reads its public half)
        (home / ".config" / "course").mkdir(parents=True)
        tool_key(hub.tool_key)
        instructor_key = home / ".config" / "course" / "lti-key.pem"
        shutil.copy(hub.tool_key, instructor_key)
        with_lti(course, hub.lms, instructor_key)
        as_user(course, instructor)
        as_user(home / ".config", instructor)
        instructors_course(hub.seminar_instructor, SEMINAR)
        # the students' servers open a launch's assignment (the guide's `jupyter server extension enable`)
        (hub.etc / "jupyter_server_config.d").mkdir()
        (hub.etc / "jupyter_server_config.d" / "autograder.lms.lti_open.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": {"autograder.lms.lti_open": True}}}))
        hub.start()
        # the LMS learns the tool's public key from the hub's keys URL, as Canvas does from a JWK URL
        keys = hub.api("GET", "/hub/lti13/jwks")["keys"]
        hub.lms.tool_key = jwt.PyJWK(keys[0]).key
        # and the tool's addresses, as the guide's registration table gives them
        hub.lms.tool = {"login_url": f"{hub.url}/hub/lti13/oauth_login",
                        "redirect_uri": f"{hub.url}/hub/lti13/oauth_callback", "target_link_uri": f"{hub.url}/hub/"}
        for user in hub.accounts:
            if user != hub.launched:
                hub.spawn(user)
        yield hub
    finally:
        hub.stop()
        for user in made:
            subprocess.run(["userdel", "--remove", user], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def loop(hub):
    """Release, launch or fetch, answer, submit, collect and grade: everything before the hand marking."""
    for command in GUIDE_COMMANDS["release"]:
        hub.instructor_runs(command)

    linked = in_browser(hub, lambda page: instructor_adds_the_link(page, hub))
    (link,) = hub.lms.deep_linked
    launched = in_browser(hub, lambda page: student_launches(page, hub, COURSE_ID, CONTEXT, link))
    solutions = model_solutions(nbformat.read(ROOT / "solutions" / "ch1" / "ch1.ipynb", as_version=4))
    listed = {}
    for student, how in zip(hub.students, ("full", "partial", "noessay"), strict=True):
        listed[student] = hub.assignments(student, "list")
        if student != hub.launched:       # the launch fetched it
            hub.assignments(student, "fetch")
        path = f"/user/{student}/api/contents/{COURSE_ID}/ch1/ch1.ipynb"
        release = nbformat.from_dict(hub.api("GET", path)["content"])
        hub.api("PUT", path, data={"type": "notebook", "format": "json",
                                   "content": answered(release, solutions, how)})
        submitted = hub.assignments(student, "submit")
        assert any(a["status"] == "submitted" for a in submitted["value"]), submitted
    home = Path(pwd.getpwnam(hub.instructor).pw_dir)
    # the exchange route: a student hands in, then turns the notebook in the exchange's inbound
    # folder into a link to the instructor's source notebook, which `nbgrader collect` follows
    hub.assignments(hub.intruder, "fetch")
    hub.assignments(hub.intruder, "submit")
    inbound = next((hub.exchange / COURSE_ID / "inbound").glob(f"{hub.intruder}+ch1+*"))
    source = home / COURSE_ID / "solutions" / "ch1" / "ch1.ipynb"
    subprocess.run(["runuser", "-u", hub.intruder, "--", "ln", "-sfn", str(source), str(inbound / "ch1.ipynb")],
                   check=True, capture_output=True, timeout=60)
    for command in GUIDE_COMMANDS["collect"] + GUIDE_COMMANDS["grade"]:
        hub.instructor_runs(command)
    with open(home / "grading" / "grades.csv", newline="", encoding="utf-8") as handle:
        grades = {row["student_id"]: row for row in csv.DictReader(handle)}
    return {"hub": hub, "home": home, "course": home / COURSE_ID, "grades": grades, "listed": listed,
            "launched": launched, "linked": linked, "link": link}


def test_the_instructor_adds_the_assignment_from_the_lms_by_deep_linking(loop):
    hub, link = loop["hub"], loop["link"]
    assert loop["linked"]["offered"] == ["ch1"] and link in loop["linked"]["answer"]
    assert hub.lms.links[link]["custom"] == {"assignment": "ch1"}
    # its gradebook column came with it, found by its resourceId when the scores are published
    (column,) = hub.lms.items_for("ch1")
    assert column["resourceLinkId"] == link and column["tag"] == "ch1"
    assert column["scoreMaximum"] == float(loop["grades"][hub.students[0]]["max_score"])


def test_a_launch_from_the_lms_opens_the_students_server_on_the_assignment(loop):
    hub, launched = loop["hub"], loop["launched"]
    # the SIS id (lis.person_sourcedid) named the student; the link's custom parameter the assignment
    assert launched["url"].startswith(f"{hub.url}/user/{hub.launched}/lab/tree/{COURSE_ID}/ch1/ch1.ipynb")
    students = [entry["user"] for entry in hub.lms.launched if entry["context"] == CONTEXT and entry["link"]]
    assert students == [lms_id(hub.launched)] and not hub.lms.refused_logins
    assert "Assignment 1: Collective instruments" in launched["title"]    # the released notebook's first cell
    # the hub's login cookie crosses from the LMS's site: SameSite=None and Secure
    login = launched["cookies"]["jupyterhub-hub-login"]
    assert login["sameSite"] == "None" and login["secure"], login


def test_students_see_the_released_assignment_and_their_submissions_are_graded(loop):
    hub, grades = loop["hub"], loop["grades"]
    for student in hub.students:
        status = "fetched" if student == hub.launched else "released"
        assert any(a["assignment_id"] == "ch1" and a["status"] == status for a in loop["listed"][student]["value"])
    full, partial, noessay = (grades[s] for s in hub.students)
    assert {grades[s]["status"] for s in hub.students} == {"ok"}, grades
    assert float(full["auto_score"]) == float(full["auto_max"]) == float(noessay["auto_score"])
    assert 0 < float(partial["auto_score"]) < float(full["auto_score"])
    # each criterion of the essay's rubric is a hand mark still to enter
    pending = str(len(CRITERION_MARKS))
    assert full["manual_pending"] == partial["manual_pending"] == pending and noessay["manual_pending"] == "0"
    for student in hub.students:   # nbgrader's layout, in the course folder, for formgrader
        assert (loop["course"] / "autograded" / student / "ch1" / "ch1.ipynb").is_file()


def test_a_link_to_the_instructors_notebook_handed_in_through_the_exchange_earns_nothing(loop):
    row = loop["grades"][loop["hub"].intruder]
    assert row["status"] == "instructor-copy" and float(row["score"]) == 0, row


@pytest.fixture(scope="module")
def marked(loop):
    """The instructor opens the full student's submission in formgrader, marks each of the
    essay's criteria and writes a comment on one, in the page."""
    hub = loop["hub"]
    from nbgrader.api import Gradebook

    db = f"sqlite:///{loop['course'] / 'gradebook.db'}"
    with Gradebook(db) as gb:
        submission_id = gb.find_submission_notebook("ch1", "ch1", hub.students[0]).id
    seen = {}

    def in_formgrader(page) -> None:
        launch(page, hub, hub.instructor, "formgrader", CONTEXT, loop["link"])   # an instructor lands in formgrader
        page.goto(f"{hub.url}/user/{hub.instructor}/formgrader/gradebook/ch1/ch1")
        page.wait_for_selector("table tbody tr td a")
        seen["listed"] = page.locator("table tbody tr").count()
        page.goto(f"{hub.url}/user/{hub.instructor}/formgrader/submissions/{submission_id}/",
                  wait_until="networkidle")   # the page's grades and comments are loaded
        page.locator(f"input.score#{COMMENTED}").wait_for()
        seen["page"] = page.content()
        seen["criterion boxes"] = sorted(page.eval_on_selector_all(
            f"input.score[id^='{ESSAY_ID}_']", "boxes => boxes.map(b => b.id)"))
        seen["comment boxes"] = sorted(page.eval_on_selector_all(
            f"textarea.comment[id^='{ESSAY_ID}_']", "boxes => boxes.map(b => b.id)"))
        # each box saves itself when it changes (formgrader's own PUT to its API)
        seen["grade saved"] = []
        for cell, points in CRITERION_MARKS.items():
            score = page.locator(f"input.score#{cell}")
            with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as saved:
                score.fill(f"{points:g}")
                score.dispatch_event("change")
            seen["grade saved"].append(saved.value.status)
        comment = page.locator(f"textarea#{COMMENTED}-comment")
        with page.expect_response(lambda r: "/formgrader/api/comment/" in r.url and r.request.method == "PUT") as saved:
            comment.fill(COMMENT)
            comment.dispatch_event("change")
        seen["comment saved"] = saved.value.status

    in_browser(hub, in_formgrader)
    with Gradebook(db) as gb:
        grade = {cell: gb.find_grade(cell, "ch1", "ch1", hub.students[0]).manual_score for cell in CRITERION_MARKS}
        note = gb.find_comment(COMMENTED, "ch1", "ch1", hub.students[0]).manual_comment
    return {**loop, "seen": seen, "manual": grade, "comment": note}


def test_formgrader_lists_opens_and_saves_a_hand_mark(marked):
    # the three honest submissions; the instructor's copy was never run and has no autograded
    # notebook to open (its row in grades.csv and the report say why it scored nothing)
    assert marked["seen"]["listed"] == len(marked["hub"].students)
    # one score box and one comment box per criterion of the essay's rubric
    assert marked["seen"]["criterion boxes"] == sorted(CRITERION_MARKS)
    assert marked["seen"]["comment boxes"] == sorted(f"{cell}-comment" for cell in CRITERION_MARKS)
    assert marked["seen"]["grade saved"] == [200] * len(CRITERION_MARKS) and marked["seen"]["comment saved"] == 200
    page = html.unescape(marked["seen"]["page"])
    assert "Submission missing" not in page and "An essay by the full student" in page
    assert marked["manual"] == CRITERION_MARKS and marked["comment"] == COMMENT


@pytest.fixture(scope="module")
def returned(marked):
    hub = marked["hub"]
    for command in GUIDE_COMMANDS["feedback"]:
        hub.instructor_runs(command)
    pages = {}
    for student in hub.students:
        hub.assignments(student, "fetch_feedback")
        folder = hub.api("GET", f"/user/{student}/api/contents/{COURSE_ID}/ch1/feedback")["content"]
        assert folder, f"{student} got no feedback"
        stamp = folder[0]["path"]
        pages[student] = html.unescape(hub.api("GET", f"/user/{student}/api/contents/{quote(stamp)}/ch1.html")["content"])
    exports = {}
    for command in GUIDE_COMMANDS["export"]:
        exports[command] = hub.instructor_runs(command).stdout
    return {**marked, "pages": pages, "exports": exports}


def test_each_student_fetches_feedback_with_the_score_and_the_essay_comment(returned):
    hub, grades, pages = returned["hub"], returned["grades"], returned["pages"]
    full, partial, noessay = hub.students
    total = float(grades[full]["auto_score"]) + HAND_MARK
    assert f"Score: <strong>{total:g} / {float(grades[full]['max_score']):g}</strong>" in pages[full]
    assert COMMENT in pages[full]
    assert "Two operations, accurate, but one is described rather than used" in pages[full]   # the level reached
    assert f"Score: <strong>{float(grades[partial]['auto_score']):g} / " in pages[partial]
    assert "still to be graded by hand" in pages[partial] and COMMENT not in pages[partial]
    assert f"Score: <strong>{float(grades[noessay]['auto_score']):g} / " in pages[noessay]
    for text in pages.values():
        assert "BEGIN HIDDEN TESTS" not in text and "autograder.student.hidden" not in text


def test_the_canvas_export_holds_the_hand_mark(returned):
    hub, grades = returned["hub"], returned["grades"]
    full, partial, _ = hub.students
    with open(returned["home"] / "grading" / "grades-canvas.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    column = table[0].index("ch1")
    scores = {row[0]: row[column] for row in table[2:]}
    assert float(scores[full]) == float(grades[full]["auto_score"]) + HAND_MARK
    canvas = returned["exports"][GUIDE_COMMANDS["export"][0]]
    assert f"ch1: still to be marked by hand: {partial}" in canvas


def test_a_late_student_loses_points_and_one_with_an_extension_does_not(returned):
    hub, grades, pages = returned["hub"], returned["grades"], returned["pages"]
    full, partial, _ = hub.students
    assert grades[full]["late_by"] == "0" and grades[full]["late_penalty"] == "0"
    assert "with your extension: 48 more hours (accommodation)" in pages[full]
    late_by, penalty = float(grades[partial]["late_by"]), float(grades[partial]["late_penalty"])
    assert 1 <= late_by < 24 and penalty == pytest.approx(0.1 * float(grades[partial]["auto_score"]))
    assert "hours late" in pages[partial] and "Late penalty" in pages[partial]
    from nbgrader.api import Gradebook  # formgrader's view of the same
    with Gradebook(f"sqlite:///{returned['course'] / 'gradebook.db'}") as gb:
        assert gb.find_assignment("ch1").duedate is not None
        assert gb.find_submission("ch1", full).extension == datetime.timedelta(hours=48)
        assert gb.find_submission("ch1", partial).total_seconds_late > 3600


@pytest.fixture(scope="module")
def published(returned):
    """The guide's LTI commands: the roster from the LMS, then ch1's scores into its gradebook."""
    hub = returned["hub"]
    said = [hub.instructor_runs(command).stdout for command in LTI_COMMANDS]
    return {**returned, "said": said, "lms gradebook": hub.lms.gradebook("ch1")}


def test_the_scores_reach_the_lms_gradebook(published):
    hub, grades, column = published["hub"], published["grades"], published["lms gradebook"]
    full, partial, noessay = hub.students
    posted = {student: column[lms_id(student)] for student in hub.students}
    maximum = float(grades[full]["max_score"])
    assert {p["scoreMaximum"] for p in posted.values()} == {maximum}
    # the whole essay is marked: final, with the hand marks; the partial one's criteria are not
    assert posted[full]["scoreGiven"] == pytest.approx(float(grades[full]["auto_score"]) + HAND_MARK)
    assert posted[full]["gradingProgress"] == "FullyGraded"
    assert posted[partial]["gradingProgress"] == "PendingManual"
    assert posted[partial]["scoreGiven"] == pytest.approx(float(grades[partial]["score"]))    # after the late penalty
    assert posted[noessay]["gradingProgress"] == "FullyGraded"
    # into the column the deep link made: no second one
    assert f"ch1: posted {len(column)} scores" in published["said"][1] and "(new)" not in published["said"][1]
    (column,) = hub.lms.items_for("ch1")
    assert column["resourceLinkId"] == published["link"]


@pytest.fixture(scope="module")
def seminar(loop):
    """The hub's second course: its instructor releases the same ch1; the student enrolled in
    both launches it from the seminar's LMS course, answers and hands it in there; the
    seminar's instructor collects and grades."""
    hub, student = loop["hub"], loop["hub"].launched
    inbound = hub.exchange / COURSE_ID / "inbound"
    before = sorted(p.name for p in inbound.iterdir())
    for command in GUIDE_COMMANDS["release"]:
        hub.instructor_runs(command, seminar=True)

    def both_courses(page):
        """A forged launch first (an id_token the LMS's keys do not verify), then the seminar's
        link, then the first course's again (its copy, as the student left it)."""
        hub.lms.forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        with page.expect_response(lambda r: "/hub/lti13/oauth_callback" in r.url) as forged:
            page.goto(f"{hub.lms.url}/courses/{SEMINAR_CONTEXT}/links/{SEMINAR_LINK}?user={lms_id(student)}")
        hub.lms.forger = None
        return [{"status": forged.value.status, "text": forged.value.text()},
                student_launches(page, hub, SEMINAR, SEMINAR_CONTEXT, SEMINAR_LINK),
                student_launches(page, hub, COURSE_ID, CONTEXT, loop["link"])]

    forged, launched, relaunched = in_browser(hub, both_courses)
    solutions = model_solutions(nbformat.read(ROOT / "solutions" / "ch1" / "ch1.ipynb", as_version=4))
    path = f"/user/{student}/api/contents/{SEMINAR}/ch1/ch1.ipynb"
    release = nbformat.from_dict(hub.api("GET", path)["content"])
    hub.api("PUT", path, data={"type": "notebook", "format": "json", "content": answered(release, solutions, "partial")})
    hub.assignments(student, "submit", SEMINAR)
    for command in GUIDE_COMMANDS["collect"] + GUIDE_COMMANDS["grade"]:
        hub.instructor_runs(command, seminar=True)
    home = Path(pwd.getpwnam(hub.seminar_instructor).pw_dir)
    with open(home / "grading" / "grades.csv", newline="", encoding="utf-8") as handle:
        grades = {row["student_id"]: row for row in csv.DictReader(handle)}
    mine = hub.api("GET", f"/user/{student}/api/contents/{COURSE_ID}/ch1/ch1.ipynb")["content"]
    return {**loop, "forged": forged, "seminar launch": launched, "relaunch": relaunched, "seminar grades": grades,
            "seminar course": home / SEMINAR,
            "inbound before": before, "inbound after": sorted(p.name for p in inbound.iterdir()),
            "first copy": nbformat.from_dict(mine)}


def test_two_courses_on_one_hub_stay_apart(seminar):
    from nbgrader.api import Gradebook

    hub, student = seminar["hub"], seminar["hub"].launched
    # a launch whose id_token the LMS's keys do not verify is refused (the library's check)
    assert seminar["forged"]["status"] == 400 and "ignature" in seminar["forged"]["text"], seminar["forged"]
    # the seminar's launch landed in the seminar's ch1, beside (not over) the first course's,
    # which a launch from the first course opens again as the student left it
    assert seminar["seminar launch"]["url"].startswith(f"{hub.url}/user/{student}/lab/tree/{SEMINAR}/ch1/ch1.ipynb")
    assert seminar["relaunch"]["url"].startswith(f"{hub.url}/user/{student}/lab/tree/{COURSE_ID}/ch1/ch1.ipynb")
    assert "An essay by the full student" in json.dumps(seminar["first copy"])
    # the seminar's instructor collected and graded the seminar's one hand-in, and only it
    assert sorted(p.name for p in (seminar["seminar course"] / "submitted").iterdir()) == [student]
    assert set(seminar["seminar grades"]) == {student} and seminar["seminar grades"][student]["status"] == "ok"
    assert float(seminar["seminar grades"][student]["auto_score"]) == float(seminar["grades"][hub.students[1]]["auto_score"])
    with Gradebook(f"sqlite:///{seminar['seminar course'] / 'gradebook.db'}") as gb:
        assert [s.student.id for s in gb.assignment_submissions("ch1")] == [student]
    with Gradebook(f"sqlite:///{seminar['course'] / 'gradebook.db'}") as gb:     # the first course's: its own
        first = {s.student.id for s in gb.assignment_submissions("ch1")}
    assert student in first and first <= {*hub.students, hub.intruder}
    # the exchange kept the seminar's hand-in out of the first course's inbound
    assert seminar["inbound after"] == seminar["inbound before"]
    assert [p.name.split("+")[0] for p in (hub.exchange / SEMINAR / "inbound").iterdir()] == [student]
